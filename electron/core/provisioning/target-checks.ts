// The last check of each SFTP target, remembered across restarts so a technician does not check every target again
// after a reload. Kept in Fieldkit's own data folder, one file per site (<data>/target-checks/<site id>.json): a check
// says that this laptop, with its credential store and its pinned host keys, reached the server; a copy of the site
// on another laptop starts unchecked.
//
// A remembered check holds when it was made, its outcome, the host key it saw and the settings it was made with
// (URL and way of logging in); never a password, a key or a digest of one. It no longer holds (`stale`) once the
// target's URL or way of logging in changed, a new credential was stored through Fieldkit, the credential is gone,
// or the host key pinned for the server is not the one the check saw.
//
// A remembered check only lets the technician choose the target again: it is not trusted for publishing. The
// preview (and the publish after it) connects anew and verifies the pinned host key itself (sftp-target.ts), so an
// old check never lets anything be sent to a server that is not the one trusted.
import { z } from 'zod';
import { siteRecordPath } from '../workspace/app-data';
import { readTextIfExists, writeJsonAtomic } from '../workspace/atomic-file';
import { SiteWorkspace } from '../workspace/site-workspace';
import { TargetCheckSchema } from './publishing-schemas';
import { TargetIdSchema, type SftpTargetConfig } from './targets-config';

export const TARGET_CHECKS_DIR = 'target-checks';

export const CheckStaleSchema = z.enum(['settings-changed', 'credential-changed', 'no-credential', 'host-key-changed']);
export type CheckStale = z.infer<typeof CheckStaleSchema>;

/** A target's check as the contract shows it: the outcome, when, and whether it still describes the target. */
export const CheckedTargetSchema = TargetCheckSchema.extend({
  targetId: z.string(),
  checkedAt: z.string(),
  /** null: the check still describes the target as it is; otherwise what changed since (check again). */
  stale: CheckStaleSchema.nullable(),
});
export type CheckedTarget = z.infer<typeof CheckedTargetSchema>;

const StoredCheckSchema = z
  .object({
    checkedAt: z.string().max(40),
    ok: z.boolean(),
    state: TargetCheckSchema.shape.state,
    message: z.string().max(4000),
    /** The host key the server offered (the pinned one when the check worked). */
    fingerprint: z.string().max(100).optional(),
    /** The settings the check was made with; a change of either makes it stale. */
    url: z.string().max(500),
    auth: z.enum(['password', 'key']),
    /** Set when a new credential was stored after this check. */
    credentialChangedAt: z.string().max(40).optional(),
  })
  .strict();
type StoredCheck = z.infer<typeof StoredCheckSchema>;

const ChecksFileSchema = z
  .object({
    format: z.literal('fieldkit-target-checks'),
    siteId: z.string(),
    checks: z.record(TargetIdSchema, StoredCheckSchema),
  })
  .strict();
type ChecksFile = z.infer<typeof ChecksFileSchema>;

/** What the stored check is compared with: the target now, its credential and the key pinned for its server. */
export interface TargetNow {
  target: SftpTargetConfig;
  hasCredential: boolean;
  pinnedFingerprint: string | undefined;
}

export function staleness(stored: StoredCheck, now: TargetNow): CheckStale | null {
  if (stored.url !== now.target.url || stored.auth !== now.target.auth) return 'settings-changed';
  if (stored.credentialChangedAt !== undefined) return 'credential-changed';
  if (!now.hasCredential && stored.state !== 'no-credential') return 'no-credential';
  if (stored.ok && stored.fingerprint !== now.pinnedFingerprint) return 'host-key-changed';
  return null;
}

export class TargetChecks {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly appDataDir: string,
    private readonly site: SiteWorkspace,
  ) {}

  get file(): string {
    return siteRecordPath(this.appDataDir, TARGET_CHECKS_DIR, this.site.meta.id);
  }

  private async load(): Promise<ChecksFile> {
    const raw = await readTextIfExists(this.file);
    if (raw === undefined) return { format: 'fieldkit-target-checks', siteId: this.site.meta.id, checks: {} };
    return SiteWorkspace.parseStored(raw, ChecksFileSchema, this.file);
  }

  /** One change at a time (two checks finishing together lose nothing). */
  private update(change: (checks: ChecksFile['checks']) => void): Promise<void> {
    const run = this.queue.then(async () => {
      const data = await this.load();
      change(data.checks);
      await writeJsonAtomic(this.file, data, { keepBackup: true });
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async get(targetId: string): Promise<StoredCheck | undefined> {
    return (await this.load()).checks[targetId];
  }

  async all(): Promise<Record<string, StoredCheck>> {
    return (await this.load()).checks;
  }

  record(target: SftpTargetConfig, check: z.infer<typeof TargetCheckSchema>, at: Date): Promise<void> {
    const stored: StoredCheck = {
      checkedAt: at.toISOString(),
      ok: check.ok,
      state: check.state,
      message: check.message.slice(0, 4000),
      ...(check.fingerprint ? { fingerprint: check.fingerprint } : {}),
      url: target.url,
      auth: target.auth,
    };
    return this.update((checks) => {
      checks[target.id] = stored;
    });
  }

  /** A new credential was stored: the last check was made with the old one. */
  async credentialChanged(targetId: string, at: Date): Promise<void> {
    if ((await this.get(targetId)) === undefined) return;
    await this.update((checks) => {
      const c = checks[targetId];
      if (c) checks[targetId] = { ...c, credentialChangedAt: at.toISOString() };
    });
  }

  async forget(targetId: string): Promise<void> {
    if ((await this.get(targetId)) === undefined) return;
    await this.update((checks) => {
      delete checks[targetId];
    });
  }
}

export function checkedTargetView(targetId: string, stored: StoredCheck, stale: CheckStale | null): CheckedTarget {
  return {
    targetId,
    checkedAt: stored.checkedAt,
    ok: stored.ok,
    state: stored.state,
    message: stored.message,
    ...(stored.fingerprint ? { fingerprint: stored.fingerprint } : {}),
    stale,
  };
}
