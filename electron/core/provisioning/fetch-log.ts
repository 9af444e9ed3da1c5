// The built-in server's fetch log: who fetched which file, when, with which User-Agent (never file
// contents). It is the record of who got which secrets, so a flood must not be able to erase it:
//   - provisioning/fetch-log.jsonl holds the requests that matter: files served (200) and files withheld
//     from a client (a refused MAC file). Rotated at 5 MB, keeping three older files.
//   - provisioning/fetch-log-misses.jsonl holds everything else (404s, 401/405/429): the noise a scanner
//     makes. Rotated on its own, so misses can never push a served-file entry out.
//   - each client address may add at most PER_CLIENT_PER_WINDOW entries per window to each log; what is over
//     is counted and written as one summary line when the window ends.
//   - the write queue is bounded (MAX_PENDING entries); entries beyond it are dropped and counted
//     (`dropped`), never held in memory without limit.
import { appendFile, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { FetchEntry } from './builtin-server';

export const FETCH_LOG = 'provisioning/fetch-log.jsonl';
export const FETCH_MISSES_LOG = 'provisioning/fetch-log-misses.jsonl';
const ROTATE_BYTES = 5 * 1024 * 1024;
const KEEP_ROTATED = 3;
const MAX_PENDING = 2000;
const WINDOW_MS = 10_000;
const PER_CLIENT_PER_WINDOW = 200;

/** A summary line for entries not written one by one. */
export interface FetchLogSummary {
  at: string;
  ip: string;
  summary: string;
  notLogged: number;
}

export interface FetchLogOptions {
  now?: () => number;
  perClientPerWindow?: number;
  maxPending?: number;
}

function matters(entry: FetchEntry): boolean {
  return entry.status === 200 || (entry.refused !== undefined && entry.refused !== 'throttled');
}

export class FetchLog {
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  /** Entries lost because the queue was full (disk too slow for the flood). */
  dropped = 0;
  private readonly paths: { main: string; misses: string };
  private readonly windows = new Map<string, { start: number; count: number; over: number }>();
  private readonly options: Required<FetchLogOptions>;

  constructor(site: SiteWorkspace, options: FetchLogOptions = {}) {
    this.paths = { main: site.path(FETCH_LOG), misses: site.path(FETCH_MISSES_LOG) };
    this.options = {
      now: options.now ?? Date.now,
      perClientPerWindow: options.perClientPerWindow ?? PER_CLIENT_PER_WINDOW,
      maxPending: options.maxPending ?? MAX_PENDING,
    };
  }

  /** Queues one entry; writes are serialised and a failing disk never stops the server. */
  append(entry: FetchEntry): void {
    const which = matters(entry) ? 'main' : 'misses';
    const key = `${which}|${entry.ip}`;
    const now = this.options.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= WINDOW_MS) {
      if (w && w.over > 0) this.enqueue(which, this.summary(entry.ip, w.over, which));
      w = { start: now, count: 0, over: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) this.forgetOldWindows(now);
    }
    if (w.count >= this.options.perClientPerWindow) {
      w.over++;
      return;
    }
    w.count++;
    this.enqueue(which, entry);
  }

  private summary(ip: string, n: number, which: 'main' | 'misses'): FetchLogSummary {
    return {
      at: new Date(this.options.now()).toISOString(),
      ip,
      notLogged: n,
      summary: `${n} more ${which === 'main' ? 'fetches' : 'requests'} from ${ip} within ${WINDOW_MS / 1000} s were not logged one by one`,
    };
  }

  private forgetOldWindows(now: number): void {
    for (const [key, w] of this.windows) {
      if (now - w.start < WINDOW_MS) continue;
      if (w.over > 0) {
        const [which, ip] = key.split('|') as ['main' | 'misses', string];
        this.enqueue(which, this.summary(ip, w.over, which));
      }
      this.windows.delete(key);
    }
  }

  private enqueue(which: 'main' | 'misses', entry: FetchEntry | FetchLogSummary): void {
    if (this.pending >= this.options.maxPending) {
      this.dropped++;
      return;
    }
    this.pending++;
    const path = this.paths[which];
    this.queue = this.queue
      .then(async () => {
        await mkdir(dirname(path), { recursive: true });
        const size = (await stat(path).catch(() => undefined))?.size ?? 0;
        if (size > ROTATE_BYTES) await rotate(path);
        await appendFile(path, `${JSON.stringify(entry)}\n`);
      })
      .catch(() => undefined)
      .finally(() => {
        this.pending--;
      });
  }

  /** Writes the summaries of windows still open and resolves when everything queued is on disk. */
  flush(): Promise<void> {
    this.forgetOldWindows(Number.POSITIVE_INFINITY);
    return this.queue;
  }

  /**
   * The newest `limit` entries (optionally since `since`), oldest first: served and withheld files and the
   * misses together, or only the former (`servedOnly`).
   */
  async read(options: { limit?: number; since?: string; servedOnly?: boolean } = {}): Promise<FetchEntry[]> {
    await this.queue;
    const entries: FetchEntry[] = [];
    for (const path of options.servedOnly ? [this.paths.main] : [this.paths.main, this.paths.misses]) {
      const raw = await readFile(path, 'utf8').catch(() => '');
      for (const line of raw.split('\n')) {
        if (line.trim() === '') continue;
        try {
          const e = JSON.parse(line) as FetchEntry & { summary?: string };
          if (e.summary !== undefined) continue;
          if (!options.since || e.at >= options.since) entries.push(e);
        } catch {
          // a torn last line after a crash
        }
      }
    }
    entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    return entries.slice(-(options.limit ?? 1000));
  }
}

/** fetch-log.jsonl -> .1.jsonl -> .2.jsonl ... keeping KEEP_ROTATED older files. */
async function rotate(path: string): Promise<void> {
  const nth = (n: number) => path.replace(/\.jsonl$/, `.${n}.jsonl`);
  await rm(nth(KEEP_ROTATED), { force: true });
  for (let n = KEEP_ROTATED - 1; n >= 1; n--) await rename(nth(n), nth(n + 1)).catch(() => undefined);
  await rename(path, nth(1));
}
