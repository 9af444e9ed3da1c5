// Preview and publish. The preview compares every generated file with what the target holds now and
// with what Fieldkit last published there, and remembers what it saw under a token. Publishing needs that
// token: a file whose remote content is no longer what the preview saw is a conflict that stops the job,
// so two technicians never overwrite each other's work.
//
// Nothing it keeps holds a plain hash of a file with a secret in it: a plain SHA-256 of startup.cfg next to
// the placeholder text in the site folder let a 6-digit admin password fall in 0.4 s. The preview (in the
// app's data folder) and the journal (in the site) keep HMAC-SHA256 digests with this installation's key
// (ContentDigest), which cannot be brute-forced without that key.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import {
  assertPublishable,
  diffText,
  formatUnifiedDiff,
  materialize,
  redactCfgText,
  MissingSecretError,
  type GeneratedFile,
} from '../config';
import { readTextIfExists, writeJsonAtomic } from '../workspace/atomic-file';
import { SiteWorkspace } from '../workspace/site-workspace';
import { FieldkitError } from '../util/errors';
import { sha256Hex } from '../util/hash';
import { mapBounded } from '../util/map-bounded';
import { breather } from '../util/breather';
import { type PublishTarget } from './target';
import { siteCredentialView } from './credentials';
import { journalTags } from './secret-digests';
import { ContentDigest, loadPublished, recordPublished, type PublishedFile } from './published-store';
import { loadGenerated } from './generated-store';
import { TargetIdSchema } from './targets-config';
import type { SecretStore } from '../secrets/secret-store';
import type { JobContext, JobDefinition } from '../jobs/job-manager';
import type { PreviewFile, PreviewStatus, PublishPreview } from './publishing-schemas';

export type { PreviewFile, PreviewStatus, PublishPreview };

/** A phone left out because a credential it needs is missing ("publish the ready phones, skip the others"). */
export type SkippedPhoneFile = PublishPreview['skipped'][number];

/**
 * What the preview saw, kept in Fieldkit's data folder. Digests are keyed HMACs (ContentDigest), never
 * plain hashes of bytes that carry secrets.
 */
const StoredPreviewSchema = z.object({
  format: z.literal('fieldkit-preview/2'),
  token: z.string(),
  siteId: z.string(),
  targetId: z.string(),
  target: z.string(),
  createdAt: z.string(),
  generatedAt: z.string(),
  skipIncomplete: z.boolean(),
  skipped: z.array(z.string()),
  /** The skipped phones with what they miss and whether the target keeps an older file of theirs. */
  skippedPhones: z
    .array(z.object({ name: z.string(), mac: z.string(), missing: z.array(z.string()), onTarget: z.boolean() }))
    .default([]),
  files: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['new', 'changed', 'unchanged', 'conflict']),
      newDigest: z.string(),
      remoteDigest: z.string().nullable(),
    }),
  ),
});
type StoredPreview = z.infer<typeof StoredPreviewSchema>;

export interface PublishEnvironment {
  site: SiteWorkspace;
  secrets: SecretStore;
  appDataDir: string;
  /** A connected target; `tempTag` names the temporary files of this run. */
  openTarget(targetId: string, tempTag: string): Promise<PublishTarget>;
  /** Done with a target after a successful preview: may keep it open for the publish (default: close it). */
  releaseTarget?(targetId: string, target: PublishTarget): Promise<void>;
  /** Warnings for the technician (e.g. stale temporaries removed from the target). */
  notice?(message: string): void;
  /** Called once a publish to the target finished (e.g. to start the built-in server). */
  afterPublish?(targetId: string, log: (message: string) => void): Promise<void>;
}

/** The bytes the last preview showed, per environment (this process only): publishing sends exactly those. */
const previewed = new WeakMap<PublishEnvironment, { token: string; files: Materialized[] }>();

function previewPath(env: PublishEnvironment, targetId: string): string {
  return join(env.appDataDir, 'previews', env.site.meta.id, `${targetId}.json`);
}

interface Materialized {
  file: GeneratedFile;
  bytes: Uint8Array;
  sha256: string;
}

export interface MaterializeOptions {
  /** Leave out phone files that miss a credential instead of refusing everything. */
  skipIncomplete?: boolean;
}

/**
 * The site's generated set with secrets filled in, in memory only. Names every missing credential at once;
 * with skipIncomplete, a phone whose own credential is missing is left out (named in `skipped`) while a
 * missing credential every phone needs still refuses everything.
 */
export async function materializeSite(
  site: SiteWorkspace,
  store: SecretStore,
  options: MaterializeOptions = {},
): Promise<{ generatedAt: string; files: Materialized[]; skipped: SkippedPhoneFile[] }> {
  const secrets = await siteCredentialView(site, store);
  const generated = await loadGenerated(site);
  if (!generated)
    throw new FieldkitError(
      'not-found',
      'Nothing to publish yet: generate the configuration first (CLI: fieldkit generate).',
    );
  assertPublishable({
    files: generated.files,
    findings: generated.manifest.findings,
    publishable: generated.manifest.publishable,
  });
  const missing: string[] = [];
  const files: Materialized[] = [];
  const skipped: SkippedPhoneFile[] = [];
  const breathe = breather();
  for (const file of generated.files) {
    await breathe();
    try {
      const bytes = await materialize(file, secrets);
      files.push({ file, bytes, sha256: sha256Hex(bytes) });
    } catch (e) {
      if (!(e instanceof MissingSecretError)) throw e;
      if (options.skipIncomplete && file.kind === 'phone' && file.mac)
        skipped.push({ name: file.name, mac: file.mac, missing: e.missing.map((m) => m.missing), onTarget: false });
      else missing.push(`${file.name}: ${e.message}`);
    }
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 10);
    if (missing.length > 10) shown.push(`… and ${missing.length - 10} more files`);
    const phonesOnly = generated.files
      .filter((f) => missing.some((m) => m.startsWith(`${f.name}:`)))
      .every((f) => f.kind === 'phone');
    throw new FieldkitError(
      'not-found',
      `Credentials are missing, so nothing can be published:\n${shown.join('\n')}${phonesOnly ? '\nTo publish the phones that are ready and leave these out, preview again with "skip phones that miss credentials" (CLI: fieldkit push --skip-missing-credentials).' : ''}`,
      { files: missing.length, phonesOnly },
    );
  }
  return { generatedAt: generated.manifest.generatedAt, files, skipped };
}

function diffOrEmpty(oldText: string, newText: string, oldName: string, newName: string): string {
  return oldText === newText ? '' : formatUnifiedDiff(diffText(oldText, newText), oldName, newName);
}

/** Compares the generated set with the target and the last publish, and saves what it saw under a new token. */
export async function previewPublish(
  env: PublishEnvironment,
  targetId: string,
  now = new Date(),
  options: MaterializeOptions = {},
): Promise<PublishPreview> {
  TargetIdSchema.parse(targetId);
  // Connecting (round trips) and materializing (CPU) overlap; a connection problem is reported first, as before.
  const [opening, materializing] = await Promise.allSettled([
    env.openTarget(targetId, 'preview'),
    materializeSite(env.site, env.secrets, options),
  ]);
  if (opening.status === 'rejected') throw opening.reason;
  const target = opening.value;
  let materialized: Awaited<ReturnType<typeof materializeSite>>;
  let remote: (Uint8Array | null)[];
  let published: Awaited<ReturnType<typeof loadPublished>>;
  try {
    if (materializing.status === 'rejected') throw materializing.reason;
    materialized = materializing.value;
    await sweepStaleTemporaries(env, target, 'preview');
    // One listing says which files exist: only those, and those Fieldkit published there, are read (a read of a
    // missing file was a round trip each; 1,000 new files were most of a first preview's time).
    published = await loadPublished(env.site, targetId);
    const listed = new Set(await target.list());
    const present = new Set(listed);
    for (const f of published?.files ?? []) present.add(f.name);
    remote = await mapBounded(materialized.files, 32, async (f) =>
      present.has(f.file.name) ? target.read(f.file.name) : null,
    );
    // A skipped phone keeps whatever file of its own the target holds now (an older configuration), or has none.
    for (const s of materialized.skipped) s.onTarget = listed.has(s.name);
  } catch (e) {
    await target.close();
    throw e;
  }
  await (env.releaseTarget ? env.releaseTarget(targetId, target) : target.close());
  const { generatedAt, files, skipped } = materialized;
  const publishedByName = new Map((published?.files ?? []).map((f) => [f.name, f]));
  const digest = await ContentDigest.open(env.appDataDir);
  const stored: StoredPreview['files'] = [];
  const out: PreviewFile[] = files.map((m, i) => {
    const name = m.file.name;
    const remoteBytes = remote[i] ?? null;
    const remoteSha = remoteBytes === null ? null : sha256Hex(remoteBytes);
    const last = publishedByName.get(name);
    const remoteText = remoteBytes === null ? null : redactCfgText(Buffer.from(remoteBytes).toString('utf8')).text;
    let status: PreviewStatus;
    let note: string | undefined;
    if (remoteBytes === null) status = 'new';
    else if (remoteSha === m.sha256) status = 'unchanged';
    else if (last && !digest.matches(last, remoteBytes)) {
      status = 'conflict';
      note = `Changed on the target since Fieldkit published it (${last.publishedAt}), by someone or something else. Look at the diff before replacing it.`;
    } else status = 'changed';
    stored.push({
      name,
      status,
      newDigest: digest.of(m.bytes),
      remoteDigest: remoteBytes === null ? null : digest.of(remoteBytes),
    });
    return {
      name,
      status,
      size: m.bytes.length,
      diffVsTarget:
        remoteText === null ? '' : diffOrEmpty(remoteText, m.file.text, `target/${name}`, `generated/${name}`),
      diffVsLastPublished: last
        ? diffOrEmpty(last.redactedText, m.file.text, `published/${name}`, `generated/${name}`)
        : '',
      ...(note ? { note } : {}),
    };
  });
  const token = randomBytes(12).toString('hex');
  const record: StoredPreview = {
    format: 'fieldkit-preview/2',
    token,
    siteId: env.site.meta.id,
    targetId,
    target: target.describe(),
    createdAt: now.toISOString(),
    generatedAt,
    skipIncomplete: options.skipIncomplete ?? false,
    skipped: skipped.map((f) => f.name),
    skippedPhones: skipped,
    files: stored,
  };
  await writeJsonAtomic(previewPath(env, targetId), record, { mode: 0o600 });
  previewed.set(env, { token, files });
  const counts: Record<PreviewStatus, number> = { new: 0, changed: 0, unchanged: 0, conflict: 0 };
  for (const f of out) counts[f.status]++;
  return { targetId, target: record.target, createdAt: record.createdAt, token, counts, files: out, skipped };
}

async function loadPreview(env: PublishEnvironment, targetId: string, token: string): Promise<StoredPreview> {
  const path = previewPath(env, targetId);
  const raw = await readTextIfExists(path);
  if (raw === undefined)
    throw new FieldkitError(
      'not-found',
      `There is no preview for target "${targetId}". Preview first, check the changes, then publish.`,
    );
  let preview: StoredPreview;
  try {
    preview = SiteWorkspace.parseStored(raw, StoredPreviewSchema, path);
  } catch {
    // an older Fieldkit's preview (it kept plain hashes and is purged on open) or a damaged one
    throw new FieldkitError(
      'not-found',
      `The preview of target "${targetId}" is from an older Fieldkit or damaged. Preview again, check the changes, then publish.`,
    );
  }
  if (preview.token !== token) {
    throw new FieldkitError(
      'conflict',
      `This preview token is out of date: a newer preview of "${targetId}" was made (${preview.createdAt}). Publish from the newest preview.`,
    );
  }
  return preview;
}

export const PreviewOptionsSchema = z
  .object({
    /** Leave out phones that miss a credential (named in the preview) instead of refusing everything. */
    skipIncomplete: z.boolean().default(false),
  })
  .strict();

export const PublishParamsSchema = z
  .object({
    targetId: TargetIdSchema,
    previewToken: z.string().regex(/^[0-9a-f]{24}$/, 'give the token of the preview you confirmed'),
    /** Replace files the preview marked as conflict (changed on the target since Fieldkit's last publish). */
    overwriteChanged: z.boolean().default(false),
  })
  .strict();
export type PublishParams = z.infer<typeof PublishParamsSchema>;

/** What the journal keeps per published file: a keyed digest, never a plain hash of secret-bearing bytes. */
interface StepResult {
  name: string;
  digest: string;
  size: number;
  backupName?: string;
  publishedAt: string;
}

/**
 * Files per journaled step. A step is journaled before its first write; one fsync'd step per file
 * would make the journal, not the network, the limit for 1,000 files. A step cut short is redone on
 * resume, but the pre-flight read finds the files it already placed, so none is sent twice.
 */
const FILES_PER_STEP = 16;
const PARALLEL_STEPS = 4;

/** The publish job: journaled steps over the previewed files, so a resumed job sends only what was not done. */
export function publishJob(environment: () => PublishEnvironment): JobDefinition<PublishParams> {
  return {
    kind: 'publish',
    params: PublishParamsSchema,
    resumable: true,
    title: (p) => `Publish configuration to ${p.targetId}`,
    holds: (p) => publishHolds(environment(), p),
    run: (ctx, params) => runPublish(ctx, environment(), params),
  };
}

/**
 * A publish holds its target (two publishes to one target at once would race) and every phone whose own `<MAC>.cfg`
 * it writes: a firmware wave edits that file (its firmware pin), so the two must not run on one phone at once.
 * Shared files (startup.cfg, <model>.cfg) hold no phone, or no publish could run during any firmware wave.
 */
async function publishHolds(env: PublishEnvironment, params: PublishParams): Promise<string[]> {
  const preview = await loadPreview(env, params.targetId, params.previewToken).catch(() => undefined);
  const phones = (preview?.files ?? [])
    .filter((f) => f.status !== 'unchanged' && /^[0-9A-F]{12}\.cfg$/.test(f.name))
    .map((f) => f.name.slice(0, 12));
  return [`target:${params.targetId}`, ...phones];
}

/** What was previewed, with its bytes: from this process's preview, else materialized again and checked. */
async function previewedFiles(
  env: PublishEnvironment,
  preview: StoredPreview,
  digest: ContentDigest,
): Promise<Map<string, Materialized>> {
  const cached = previewed.get(env);
  if (cached?.token === preview.token) return new Map(cached.files.map((m) => [m.file.name, m]));
  const { files } = await materializeSite(env.site, env.secrets, { skipIncomplete: preview.skipIncomplete });
  const byName = new Map(files.map((m) => [m.file.name, m]));
  const stale = preview.files
    .filter((f) => {
      const m = byName.get(f.name);
      return !m || digest.of(m.bytes) !== f.newDigest;
    })
    .map((f) => f.name);
  const extra = files.filter((m) => !preview.files.some((f) => f.name === m.file.name)).map((m) => m.file.name);
  if (stale.length + extra.length > 0) {
    throw new FieldkitError(
      'conflict',
      `The configuration or a credential changed since the preview (${[...stale, ...extra].slice(0, 10).join(', ')}). Nothing was written. Preview again and confirm the new changes.`,
    );
  }
  return byName;
}

/**
 * Temp-file tags of the publish runs going on in this process: their temporaries are in flight, never swept.
 * A journaled job that is not running here was interrupted (the same rule the job list applies).
 */
const runningTags = new Set<string>();

async function runPublish(ctx: JobContext, env: PublishEnvironment, params: PublishParams): Promise<void> {
  const tag = ctx.id.slice(-6);
  runningTags.add(tag);
  try {
    await publishRun(ctx, env, params);
  } finally {
    runningTags.delete(tag);
  }
}

async function publishRun(ctx: JobContext, env: PublishEnvironment, params: PublishParams): Promise<void> {
  const preview = await loadPreview(env, params.targetId, params.previewToken);
  const conflicts = preview.files.filter((f) => f.status === 'conflict');
  if (conflicts.length > 0 && !params.overwriteChanged) {
    throw new FieldkitError(
      'conflict',
      `${conflicts.length} file(s) were changed on ${preview.target} since Fieldkit last published them: ${conflicts
        .slice(0, 10)
        .map((f) => f.name)
        .join(
          ', ',
        )}${conflicts.length > 10 ? ', …' : ''}. Nothing was written. Check their diffs in the preview; to replace them anyway, confirm "overwrite changed files".`,
    );
  }
  const digest = await ContentDigest.open(env.appDataDir);
  const bytesByName = await previewedFiles(env, preview, digest);
  if (preview.skipped.length > 0) await recordSkipped(ctx, preview);
  const todo = preview.files.filter((f) => f.status !== 'unchanged');
  const chunks = Array.from({ length: Math.ceil(todo.length / FILES_PER_STEP) }, (_, i) => ({
    key: `publish:${i}`,
    files: todo.slice(i * FILES_PER_STEP, (i + 1) * FILES_PER_STEP),
  }));
  const lastPublished = new Map(
    ((await loadPublished(env.site, params.targetId))?.files ?? []).map((f) => [f.name, f]),
  );
  const results: StepResult[] = [];
  let done = 0;
  for (const chunk of chunks) {
    const prior = ctx.priorSteps.get(chunk.key);
    if (prior?.state === 'done') {
      results.push(...(prior.result as StepResult[]));
      done += chunk.files.length;
    }
  }
  ctx.progress(
    done,
    todo.length,
    todo.length === 0 ? 'Everything is already up to date' : `Publishing ${todo.length} file(s) to ${preview.target}`,
  );
  let target: PublishTarget | undefined;
  let failure: unknown;
  try {
    const pending = chunks.filter((c) => ctx.priorSteps.get(c.key)?.state !== 'done');
    if (pending.length > 0) {
      target = await env.openTarget(params.targetId, ctx.id.slice(-6));
      const opened = target;
      await sweepStaleTemporaries(env, opened, ctx.id.slice(-6));
      const seen = await assertTargetAsPreviewed(
        opened,
        pending.flatMap((c) => c.files),
        preview.target,
        digest,
      );
      await mapBounded(pending, PARALLEL_STEPS, async (chunk) => {
        const chunkResults = await ctx.step(chunk.key, () =>
          mapBounded(chunk.files, FILES_PER_STEP, async (f): Promise<StepResult> => {
            const m = bytesByName.get(f.name)!;
            const result: StepResult = {
              name: f.name,
              digest: digest.of(m.bytes),
              size: m.bytes.length,
              publishedAt: new Date().toISOString(),
            };
            if (!seen.alreadyThere.has(f.name)) {
              ctx.throwIfCancelled();
              const written = await opened.write(f.name, m.bytes, {
                expectSha256: seen.current.get(f.name) ?? null,
                backup: true,
              });
              if (written.backupName) result.backupName = written.backupName;
            }
            ctx.count(f.status);
            ctx.progress(++done, todo.length, `Published ${f.name}`);
            return result;
          }),
        );
        results.push(...chunkResults);
      });
    }
  } catch (e) {
    failure = e;
  } finally {
    await target?.close().catch(() => undefined);
    const now = new Date().toISOString();
    const manifestFiles: PublishedFile[] = [
      ...results.map((r) => ({ r, m: bytesByName.get(r.name)! })),
      ...preview.files
        .filter((f) => f.status === 'unchanged')
        .filter((f) => {
          const last = lastPublished.get(f.name);
          return !last || !digest.matches(last, bytesByName.get(f.name)!.bytes);
        })
        .map((f) => ({ r: { name: f.name, publishedAt: now } as StepResult, m: bytesByName.get(f.name)! })),
    ].map(({ r, m }) => ({
      name: r.name,
      digest: digest.of(m.bytes),
      size: m.bytes.length,
      publishedAt: r.publishedAt,
      jobId: ctx.id,
      ...(r.backupName ? { backupName: r.backupName } : {}),
      redactedText: m.file.text,
    }));
    await recordPublished(env.site, params.targetId, preview.target, manifestFiles);
  }
  if (failure !== undefined) {
    ctx.log('error', `${results.length} of ${todo.length} file(s) published; the others not yet.`);
    throw failure;
  }
  ctx.log(
    'info',
    `${todo.length} file(s) published to ${preview.target}; ${preview.files.length - todo.length} were already up to date.`,
  );
  if (preview.skipped.length > 0) ctx.setNote(`${todo.length} file(s) published; ${skippedSummary(preview)}`);
  await env.afterPublish?.(params.targetId, (message) => ctx.log('info', message));
}

/** "skipped 1 phone that misses credentials: 00085D300003.cfg (keeps its older file on the target)". */
function skippedSummary(preview: StoredPreview): string {
  const names = preview.skippedPhones.length
    ? preview.skippedPhones.map(
        (p) => `${p.name} (${p.onTarget ? 'keeps its older file on the target' : 'has no file of its own there'})`,
      )
    : preview.skipped;
  return `skipped ${preview.skipped.length} phone(s) that miss credentials: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}.`;
}

/**
 * The phones a publish leaves out, in the journal (what each misses) and in the job's counters: the technician
 * chose to skip them in the preview, and the record says so after the fact.
 */
async function recordSkipped(ctx: JobContext, preview: StoredPreview): Promise<void> {
  await ctx.record('skipped', {
    phones: preview.skippedPhones.map(({ name, mac, missing, onTarget }) => ({ name, mac, missing, onTarget })),
    files: preview.skipped,
  });
  ctx.setCounter('skipped', preview.skipped.length);
  ctx.log(
    'warn',
    `${preview.skipped.length} phone file(s) left out because credentials are missing: ${preview.skipped.slice(0, 20).join(', ')}${preview.skipped.length > 20 ? ', …' : ''}. Nothing of theirs is published; a phone that already has a file on the target keeps that older file.`,
  );
}

/**
 * Before the first write: every file still holds what the preview saw, or already what this job
 * writes (placed by a run that was cut short). One listing covers new files; only files that exist
 * are read, and compared by keyed digest. Returns the names already in place and the sha256 of each
 * file read (what a write expects to replace).
 */
async function assertTargetAsPreviewed(
  target: PublishTarget,
  files: StoredPreview['files'],
  where: string,
  digest: ContentDigest,
): Promise<{ alreadyThere: Set<string>; current: Map<string, string> }> {
  const present = new Set(await target.list());
  const toRead = files.filter((f) => f.remoteDigest !== null || present.has(f.name));
  const bytes = await mapBounded(toRead, 32, (f) => target.read(f.name));
  const alreadyThere = new Set<string>();
  const current = new Map<string, string>();
  const changed = toRead.filter((f, i) => {
    const b = bytes[i] ?? null;
    if (b !== null) current.set(f.name, sha256Hex(b));
    const now = b === null ? null : digest.of(b);
    if (now === f.newDigest) alreadyThere.add(f.name);
    return now !== f.remoteDigest && now !== f.newDigest;
  });
  if (changed.length > 0) {
    throw new FieldkitError(
      'conflict',
      `${changed.length} file(s) on ${where} changed since the preview: ${changed
        .slice(0, 10)
        .map((f) => f.name)
        .join(
          ', ',
        )}${changed.length > 10 ? ', …' : ''}. Nothing was written. Preview again to see who changed what, then publish.`,
      { files: changed.map((f) => f.name) },
    );
  }
  return { alreadyThere, current };
}

/** Temporaries older than this, of any publisher, are left over (a write takes seconds). */
const STALE_TEMPORARY_MS = 10 * 60_000;

/**
 * Removes Fieldkit temporary files a killed run left in the target's folder (whole configs with passwords):
 * those of this site's jobs that are not running in this process at once, anyone else's once they are
 * clearly stale.
 */
async function sweepStaleTemporaries(env: PublishEnvironment, target: PublishTarget, ownTag: string): Promise<void> {
  if (!target.sweepTemporaries) return;
  const siteTags = await journalTags(env.site).catch(() => new Set<string>());
  siteTags.delete(ownTag);
  for (const running of runningTags) siteTags.delete(running);
  const removed = await target
    .sweepTemporaries({ keepTag: ownTag, deadTags: siteTags, olderThanMs: STALE_TEMPORARY_MS })
    .catch(() => 0);
  if (removed > 0)
    env.notice?.(
      `Removed ${removed} temporary file(s) an interrupted publish left on ${target.describe()} (they held whole configuration files).`,
    );
}
