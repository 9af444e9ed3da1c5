// What Fieldkit last published to each target: configs/published/<targetId>/manifest.json, with the
// redacted text of each file (for the "vs last published" diff) and a digest of the published bytes.
//
// The digest is an HMAC keyed with this installation's key (in Fieldkit's data folder, not the site),
// not a plain sha256: the site folder also holds every file's text minus its secrets, and a plain hash
// of startup.cfg would let anyone with the folder brute-force the numeric admin password in seconds.
// A site opened on another laptop (other key) falls back to comparing redacted text.
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { readTextIfExists, writeFileAtomic } from '../workspace/atomic-file';
import { redactCfgText } from '../config';
import type { SiteWorkspace } from '../workspace/site-workspace';

const KEY_FILE = 'publish-digest.key';

export const PublishedFileSchema = z.object({
  name: z.string(),
  /** `hmac-sha256:<keyId>:<hex>` of the published bytes. */
  digest: z.string(),
  size: z.number().int().nonnegative(),
  publishedAt: z.string(),
  jobId: z.string(),
  backupName: z.string().optional(),
  /** The file as published with every secret replaced by ********. */
  redactedText: z.string(),
});
export type PublishedFile = z.infer<typeof PublishedFileSchema>;

export const PublishedManifestSchema = z.object({
  format: z.literal('fieldkit-published'),
  targetId: z.string(),
  target: z.string(),
  updatedAt: z.string(),
  files: z.array(PublishedFileSchema),
});
export type PublishedManifest = z.infer<typeof PublishedManifestSchema>;

export function publishedManifestPath(targetId: string): string {
  return `configs/published/${targetId}/manifest.json`;
}

export class ContentDigest {
  private constructor(
    private readonly key: Buffer,
    readonly keyId: string,
  ) {}

  /** Loads (or creates, mode 0600) this installation's digest key. */
  static async open(appDataDir: string): Promise<ContentDigest> {
    const path = join(appDataDir, KEY_FILE);
    let hex = (await readTextIfExists(path))?.trim();
    if (!hex || !/^[0-9a-f]{64}$/.test(hex)) {
      hex = randomBytes(32).toString('hex');
      await writeFileAtomic(path, `${hex}\n`, { mode: 0o600 });
    }
    const key = Buffer.from(hex, 'hex');
    return new ContentDigest(key, createHmac('sha256', key).update('fieldkit-key-id').digest('hex').slice(0, 8));
  }

  of(bytes: Uint8Array): string {
    return `hmac-sha256:${this.keyId}:${createHmac('sha256', this.key).update(bytes).digest('hex')}`;
  }

  /** Whether `bytes` are what `entry` recorded as published. */
  matches(entry: PublishedFile, bytes: Uint8Array): boolean {
    if (entry.digest.startsWith(`hmac-sha256:${this.keyId}:`)) return entry.digest === this.of(bytes);
    return redactCfgText(Buffer.from(bytes).toString('utf8')).text === entry.redactedText;
  }
}

export async function loadPublished(site: SiteWorkspace, targetId: string): Promise<PublishedManifest | undefined> {
  return site.readJson(publishedManifestPath(targetId), PublishedManifestSchema);
}

/** Merges newly published files into the target's manifest. */
export async function recordPublished(
  site: SiteWorkspace,
  targetId: string,
  target: string,
  files: PublishedFile[],
  now = new Date(),
): Promise<void> {
  if (files.length === 0) return;
  const current = await loadPublished(site, targetId);
  const byName = new Map((current?.files ?? []).map((f) => [f.name, f]));
  for (const f of files) byName.set(f.name, f);
  await site.writeJson(publishedManifestPath(targetId), PublishedManifestSchema, {
    format: 'fieldkit-published',
    targetId,
    target,
    updatedAt: now.toISOString(),
    files: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)),
  });
}
