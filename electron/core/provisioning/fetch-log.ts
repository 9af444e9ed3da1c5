// provisioning/fetch-log.jsonl: one line per request to the built-in server (who fetched what, when,
// with which User-Agent). No file contents, so no secrets. Rotated to fetch-log.1.jsonl at 5 MB.
import { appendFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { FetchEntry } from './builtin-server';

export const FETCH_LOG = 'provisioning/fetch-log.jsonl';
const ROTATE_BYTES = 5 * 1024 * 1024;

export class FetchLog {
  private queue: Promise<void> = Promise.resolve();
  private readonly path: string;

  constructor(site: SiteWorkspace) {
    this.path = site.path(FETCH_LOG);
  }

  /** Queues one entry; writes are serialised and a failing disk never stops the server. */
  append(entry: FetchEntry): void {
    this.queue = this.queue
      .then(async () => {
        await mkdir(dirname(this.path), { recursive: true });
        const size = (await stat(this.path).catch(() => undefined))?.size ?? 0;
        if (size > ROTATE_BYTES) await rename(this.path, this.path.replace(/\.jsonl$/, '.1.jsonl'));
        await appendFile(this.path, `${JSON.stringify(entry)}\n`);
      })
      .catch(() => undefined);
  }

  /** Resolves when everything queued so far is on disk. */
  flush(): Promise<void> {
    return this.queue;
  }

  /** The newest `limit` entries (optionally only those at or after `since`), oldest first. */
  async read(options: { limit?: number; since?: string } = {}): Promise<FetchEntry[]> {
    await this.flush();
    const raw = await readFile(this.path, 'utf8').catch(() => '');
    const entries: FetchEntry[] = [];
    for (const line of raw.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const e = JSON.parse(line) as FetchEntry;
        if (!options.since || e.at >= options.since) entries.push(e);
      } catch {
        // a torn last line after a crash
      }
    }
    return entries.slice(-(options.limit ?? 1000));
  }
}
