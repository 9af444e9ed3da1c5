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
  private pending: {
    type: string;
    fields: Record<string, unknown>;
    resolve: (e: JournalEntry) => void;
    reject: (e: unknown) => void;
  }[] = [];

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

  /**
   * Appends one entry and waits until it is on disk. Appends are serialised; the ones made while a write is under way
   * go to disk together in the next write, with one datasync (a firmware run of 500 phones appends thousands of
   * entries, and one datasync each was a queue its phones waited in).
   */
  append(type: string, fields: Record<string, unknown> = {}): Promise<JournalEntry> {
    const appended = new Promise<JournalEntry>((resolve, reject) =>
      this.pending.push({ type, fields, resolve, reject }),
    );
    if (this.pending.length === 1) {
      const run = () => this.writePending();
      this.queue = this.queue.then(run, run);
    }
    return appended;
  }

  private async writePending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (!this.handle) {
      for (const b of batch) b.reject(new Error('journal is closed'));
      return;
    }
    const written: { entry: JournalEntry; resolve: (e: JournalEntry) => void; reject: (e: unknown) => void }[] = [];
    let text = '';
    for (const b of batch) {
      const entry: JournalEntry = { seq: ++this.seq, at: new Date().toISOString(), type: b.type, ...b.fields };
      try {
        text += `${JSON.stringify(entry)}\n`;
        written.push({ entry, resolve: b.resolve, reject: b.reject });
      } catch (e) {
        b.reject(e);
      }
    }
    if (written.length === 0) return;
    try {
      await this.handle.write(text);
      await this.handle.datasync();
    } catch (e) {
      const error = describeFsError(e, 'the job journal', this.path);
      for (const w of written) w.reject(error);
      return;
    }
    for (const w of written) w.resolve(w.entry);
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle?.close();
    this.handle = undefined;
  }
}
