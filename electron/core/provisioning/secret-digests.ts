// Older Fieldkit versions kept plain SHA-256 digests of published files in the publish journal and the
// previews. Next to the placeholder text in configs/generated those are an offline oracle for the
// (numeric, short) passwords in the files. When a site is opened, they are removed:
//   - journal/<job>.jsonl: the `sha256` of each file in a publish step's result is dropped (the journal is
//     rewritten atomically; resume does not need it, it compares the target with the preview);
//   - <data>/previews/<site>/*.json of the old format are deleted (preview again);
//   - configs/published/*/manifest.json digests that are not keyed HMACs are emptied (the diff then
//     compares redacted text).
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../workspace/atomic-file';
import { PurgeRecord } from './purge-record';
import type { SiteWorkspace } from '../workspace/site-workspace';

export interface DigestPurge {
  journals: number;
  digests: number;
  previews: number;
  manifests: number;
}

/** The temp-file tags of this site's jobs (the last six characters of each journaled job id). */
export async function journalTags(site: SiteWorkspace): Promise<Set<string>> {
  const names = await readdir(site.path('journal')).catch(() => [] as string[]);
  return new Set(
    names
      .filter((n) => n.endsWith('.jsonl'))
      .map((n) =>
        n
          .slice(0, -'.jsonl'.length)
          .slice(-6)
          .replace(/[^A-Za-z0-9-]/g, ''),
      )
      .filter(Boolean),
  );
}

function stripPublishDigests(entry: Record<string, unknown>): number {
  if (entry.type !== 'step-done' || typeof entry.key !== 'string' || !entry.key.startsWith('publish:')) return 0;
  if (!Array.isArray(entry.result)) return 0;
  let n = 0;
  for (const r of entry.result as unknown[]) {
    if (r && typeof r === 'object' && 'sha256' in r) {
      delete (r as Record<string, unknown>).sha256;
      n++;
    }
  }
  return n;
}

async function purgeJournal(path: string): Promise<number> {
  const raw = await readFile(path, 'utf8');
  if (!raw.includes('"sha256"')) return 0;
  let removed = 0;
  const lines = raw.split('\n');
  const out = lines.map((line, i) => {
    if (line.trim() === '') return line;
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      const n = stripPublishDigests(entry);
      removed += n;
      return n > 0 ? JSON.stringify(entry) : line;
    } catch {
      return i === lines.length - 1 ? line : line; // a torn last line stays as it is
    }
  });
  if (removed > 0) {
    const mode = (await stat(path)).mode & 0o777;
    await writeFileAtomic(path, out.join('\n'), { mode });
  }
  return removed;
}

async function purgeManifest(path: string): Promise<boolean> {
  const raw = await readFile(path, 'utf8').catch(() => undefined);
  if (raw === undefined) return false;
  let doc: { files?: { digest?: unknown }[] };
  try {
    doc = JSON.parse(raw) as typeof doc;
  } catch {
    return false; // damaged: reported by its reader, never silently rewritten
  }
  let changed = false;
  for (const f of doc.files ?? []) {
    if (typeof f.digest === 'string' && f.digest !== '' && !f.digest.startsWith('hmac-sha256:')) {
      f.digest = '';
      changed = true;
    }
  }
  if (changed) await writeFileAtomic(path, `${JSON.stringify(doc, null, 2)}\n`, { keepBackup: false });
  return changed;
}

/**
 * Removes plain digests of secret-bearing files left by older versions (see the file comment). Files unchanged
 * since this machine last checked them are not read again (purge-record.ts).
 */
export async function purgeSecretDigests(site: SiteWorkspace, appDataDir: string): Promise<DigestPurge> {
  const result: DigestPurge = { journals: 0, digests: 0, previews: 0, manifests: 0 };
  const record = await PurgeRecord.load(appDataDir, site.meta.id);
  const journalDir = site.path('journal');
  for (const name of await readdir(journalDir).catch(() => [] as string[])) {
    const path = join(journalDir, name);
    if (!name.endsWith('.jsonl') || record.unchanged(path)) continue;
    const n = await purgeJournal(path).catch(() => 0);
    record.checked(path);
    if (n > 0) {
      result.journals++;
      result.digests += n;
    }
  }
  const previewDir = join(appDataDir, 'previews', site.meta.id);
  for (const name of await readdir(previewDir).catch(() => [] as string[])) {
    const path = join(previewDir, name);
    if (record.unchanged(path)) continue;
    const text = await readFile(path, 'utf8').catch(() => '');
    if (text.includes('Sha256"')) {
      await rm(path, { force: true });
      result.previews++;
    } else record.checked(path);
  }
  const publishedDir = site.path('configs', 'published');
  for (const target of await readdir(publishedDir).catch(() => [] as string[])) {
    const path = join(publishedDir, target, 'manifest.json');
    if (record.unchanged(path)) continue;
    if (await purgeManifest(path).catch(() => false)) result.manifests++;
    record.checked(path);
  }
  await record.save().catch(() => undefined); // only a cache: the next open checks again
  return result;
}
