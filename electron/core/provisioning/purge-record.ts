// Which of a site's files the digest purge (secret-digests.ts) has already read, as they were then (size and
// modification time), kept per machine in <data>/digest-purge/<site>.json. Every process opens the site, and
// reading every journal, preview and published manifest at each open grew with the site's history (7 ms after one
// publish, 49 ms after six in the publish bench); a file unchanged since it was checked cannot have gained a
// plain digest, so it is not read again. A file written since (by a job, or by an older Fieldkit) is.
import { statSync } from 'node:fs';
import { z } from 'zod';
import { readTextIfExists, writeJsonAtomic } from '../workspace/atomic-file';
import { siteRecordPath } from '../workspace/app-data';

const PurgeRecordSchema = z.object({
  format: z.literal('fieldkit-digest-purge/1'),
  files: z.record(z.string(), z.string()),
});

/** Size and modification time; undefined when the file is gone. Sync: one stat is microseconds, a pool trip is not. */
function signature(path: string): string | undefined {
  try {
    const s = statSync(path);
    return `${s.size}:${Math.round(s.mtimeMs)}`;
  } catch {
    return undefined;
  }
}

export class PurgeRecord {
  private readonly seen = new Map<string, string>();
  private changed = false;

  private constructor(
    private readonly path: string,
    private readonly before: Map<string, string>,
  ) {}

  static async load(appDataDir: string, siteId: string): Promise<PurgeRecord> {
    const path = siteRecordPath(appDataDir, 'digest-purge', siteId);
    const raw = await readTextIfExists(path).catch(() => undefined);
    let files: Record<string, string> = {};
    try {
      if (raw !== undefined) files = PurgeRecordSchema.parse(JSON.parse(raw)).files;
    } catch {
      // damaged: every file is checked again, and the record rewritten
    }
    return new PurgeRecord(path, new Map(Object.entries(files)));
  }

  /** Whether the file is as it was when it was last checked (then it is kept in the record without reading it). */
  unchanged(file: string): boolean {
    const now = signature(file);
    if (now === undefined || this.before.get(file) !== now) return false;
    this.seen.set(file, now);
    return true;
  }

  /** Notes the file as checked, as it is now (after any rewrite). */
  checked(file: string): void {
    const now = signature(file);
    if (now !== undefined) this.seen.set(file, now);
    if (now !== this.before.get(file)) this.changed = true;
  }

  /** Writes the record when a file was checked anew or one is gone. */
  async save(): Promise<void> {
    if (!this.changed && this.seen.size === this.before.size) return;
    await writeJsonAtomic(
      this.path,
      { format: 'fieldkit-digest-purge/1', files: Object.fromEntries(this.seen) },
      { mode: 0o600 },
    );
  }
}
