// Append-only JSONL journal. Every line is fsync'd before append() resolves, so whatever a job
// recorded before a crash or a pulled cable is on disk when Fieldkit starts again.
import { open, readFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeFsError } from '../util/errors';
import type { FileHandle } from 'node:fs/promises';

export interface JournalEntry {
  seq: number;
  at: string;
  type: string;
  [field: string]: unknown;
}

export interface JournalReadResult {
  entries: JournalEntry[];
  /** A final line cut short by a crash; kept out of `entries` and reported, never rewritten. */
  tornTail?: string;
}

export class Journal {
  private handle: FileHandle | undefined;
  private seq = 0;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly path: string) {}

  /** Opens (or creates) a journal for appending, continuing its sequence numbers. */
  static async open(path: string): Promise<Journal> {
    const journal = new Journal(path);
    try {
      await mkdir(dirname(path), { recursive: true });
      const existing = await Journal.read(path);
      journal.seq = existing.entries.at(-1)?.seq ?? 0;
      journal.handle = await open(path, 'a');
      // A torn tail from a crash gets a newline so the next entry starts on its own line.
      if (existing.tornTail !== undefined) await journal.handle.write('\n');
    } catch (e) {
      throw describeFsError(e, 'the job journal', path);
    }
    return journal;
  }

  static async read(path: string): Promise<JournalReadResult> {
    let raw: string;
    try {
      raw = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [] };
      throw describeFsError(e, 'the job journal', path);
    }
    const lines = raw.split('\n');
    const entries: JournalEntry[] = [];
    let tornTail: string | undefined;
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch {
        if (index === lines.length - 1) tornTail = line;
        else tornTail = tornTail ?? line; // a damaged middle line is reported the same way
      }
    });
    return tornTail === undefined ? { entries } : { entries, tornTail };
  }

  /** Appends one entry and waits until it is on disk. Appends are serialised. */
  append(type: string, fields: Record<string, unknown> = {}): Promise<JournalEntry> {
    const run = async () => {
      if (!this.handle) throw new Error('journal is closed');
      const entry: JournalEntry = { seq: ++this.seq, at: new Date().toISOString(), type, ...fields };
      try {
        await this.handle.write(`${JSON.stringify(entry)}\n`);
        await this.handle.datasync();
      } catch (e) {
        throw describeFsError(e, 'the job journal', this.path);
      }
      return entry;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle?.close();
    this.handle = undefined;
  }
}
