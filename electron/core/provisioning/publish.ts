// Preview and publish. The preview compares every generated file with what the target holds now and
// with what Fieldkit last published there, and remembers what it saw (the remote sha256 per file) under
// a token. Publishing needs that token: a file whose remote content is no longer what the preview saw
// is a conflict that stops the job, so two technicians never overwrite each other's work.
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
import { type PublishTarget } from './target';
import { ContentDigest, loadPublished, recordPublished, type PublishedFile } from './published-store';
import { loadGenerated } from './generated-store';
import { TargetIdSchema } from './targets-config';
import type { SecretStore } from '../secrets/secret-store';
import type { JobContext, JobDefinition } from '../jobs/job-manager';
import type { PreviewFile, PreviewStatus, PublishPreview } from './publishing-schemas';

export type { PreviewFile, PreviewStatus, PublishPreview };

/** What the preview saw, kept in Fieldkit's data folder (it holds hashes of files with secrets). */
const StoredPreviewSchema = z.object({
  token: z.string(),
  siteId: z.string(),
  targetId: z.string(),
  target: z.string(),
  createdAt: z.string(),
  generatedAt: z.string(),
  files: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['new', 'changed', 'unchanged', 'conflict']),
      newSha256: z.string(),
      remoteSha256: z.string().nullable(),
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

/** The site's generated set with secrets filled in, in memory only. Names every missing credential at once. */
export async function materializeSite(
  site: SiteWorkspace,
  secrets: SecretStore,
): Promise<{ generatedAt: string; files: Materialized[] }> {
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
  for (const file of generated.files) {
    try {
      const bytes = await materialize(file, secrets);
      files.push({ file, bytes, sha256: sha256Hex(bytes) });
    } catch (e) {
      if (!(e instanceof MissingSecretError)) throw e;
      missing.push(`${file.name}: ${e.message}`);
    }
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 10);
    if (missing.length > 10) shown.push(`… and ${missing.length - 10} more files`);
    throw new FieldkitError('not-found', `Credentials are missing, so nothing can be published:\n${shown.join('\n')}`, {
      files: missing.length,
    });
  }
  return { generatedAt: generated.manifest.generatedAt, files };
}

function diffOrEmpty(oldText: string, newText: string, oldName: string, newName: string): string {
  return oldText === newText ? '' : formatUnifiedDiff(diffText(oldText, newText), oldName, newName);
}

/** Compares the generated set with the target and the last publish, and saves what it saw under a new token. */
export async function previewPublish(
  env: PublishEnvironment,
  targetId: string,
  now = new Date(),
): Promise<PublishPreview> {
  TargetIdSchema.parse(targetId);
  const target = await env.openTarget(targetId, 'preview');
  let materialized: Awaited<ReturnType<typeof materializeSite>>;
  let remote: (Uint8Array | null)[];
  try {
    materialized = await materializeSite(env.site, env.secrets);
    remote = await mapBounded(materialized.files, 32, (f) => target.read(f.file.name));
  } finally {
    await target.close();
  }
  const { generatedAt, files } = materialized;
  const published = await loadPublished(env.site, targetId);
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
    stored.push({ name, status, newSha256: m.sha256, remoteSha256: remoteSha });
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
    token,
    siteId: env.site.meta.id,
    targetId,
    target: target.describe(),
    createdAt: now.toISOString(),
    generatedAt,
    files: stored,
  };
  await writeJsonAtomic(previewPath(env, targetId), record);
  previewed.set(env, { token, files });
  const counts: Record<PreviewStatus, number> = { new: 0, changed: 0, unchanged: 0, conflict: 0 };
  for (const f of out) counts[f.status]++;
  return { targetId, target: record.target, createdAt: record.createdAt, token, counts, files: out };
}

async function loadPreview(env: PublishEnvironment, targetId: string, token: string): Promise<StoredPreview> {
  const path = previewPath(env, targetId);
  const raw = await readTextIfExists(path);
  if (raw === undefined)
    throw new FieldkitError(
      'not-found',
      `There is no preview for target "${targetId}". Preview first, check the changes, then publish.`,
    );
  const preview = SiteWorkspace.parseStored(raw, StoredPreviewSchema, path);
  if (preview.token !== token) {
    throw new FieldkitError(
      'conflict',
      `This preview token is out of date: a newer preview of "${targetId}" was made (${preview.createdAt}). Publish from the newest preview.`,
    );
  }
  return preview;
}

export const PublishParamsSchema = z
  .object({
    targetId: TargetIdSchema,
    previewToken: z.string().regex(/^[0-9a-f]{24}$/, 'give the token of the preview you confirmed'),
    /** Replace files the preview marked as conflict (changed on the target since Fieldkit's last publish). */
    overwriteChanged: z.boolean().default(false),
  })
  .strict();
export type PublishParams = z.infer<typeof PublishParamsSchema>;

interface StepResult {
  name: string;
  sha256: string;
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
async function previewedFiles(env: PublishEnvironment, preview: StoredPreview): Promise<Map<string, Materialized>> {
  const cached = previewed.get(env);
  if (cached?.token === preview.token) return new Map(cached.files.map((m) => [m.file.name, m]));
  const { files } = await materializeSite(env.site, env.secrets);
  const byName = new Map(files.map((m) => [m.file.name, m]));
  const stale = preview.files.filter((f) => byName.get(f.name)?.sha256 !== f.newSha256).map((f) => f.name);
  const extra = files.filter((m) => !preview.files.some((f) => f.name === m.file.name)).map((m) => m.file.name);
  if (stale.length + extra.length > 0) {
    throw new FieldkitError(
      'conflict',
      `The configuration or a credential changed since the preview (${[...stale, ...extra].slice(0, 10).join(', ')}). Nothing was written. Preview again and confirm the new changes.`,
    );
  }
  return byName;
}

async function runPublish(ctx: JobContext, env: PublishEnvironment, params: PublishParams): Promise<void> {
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
  const bytesByName = await previewedFiles(env, preview);
  const todo = preview.files.filter((f) => f.status !== 'unchanged');
  const chunks = Array.from({ length: Math.ceil(todo.length / FILES_PER_STEP) }, (_, i) => ({
    key: `publish:${i}`,
    files: todo.slice(i * FILES_PER_STEP, (i + 1) * FILES_PER_STEP),
  }));
  const digest = await ContentDigest.open(env.appDataDir);
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
      const alreadyThere = await assertTargetAsPreviewed(
        opened,
        pending.flatMap((c) => c.files),
        preview.target,
      );
      await mapBounded(pending, PARALLEL_STEPS, async (chunk) => {
        const chunkResults = await ctx.step(chunk.key, () =>
          mapBounded(chunk.files, FILES_PER_STEP, async (f): Promise<StepResult> => {
            const m = bytesByName.get(f.name)!;
            const result: StepResult = {
              name: f.name,
              sha256: m.sha256,
              size: m.bytes.length,
              publishedAt: new Date().toISOString(),
            };
            if (!alreadyThere.has(f.name)) {
              ctx.throwIfCancelled();
              const written = await opened.write(f.name, m.bytes, { expectSha256: f.remoteSha256, backup: true });
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
  await env.afterPublish?.(params.targetId, (message) => ctx.log('info', message));
}

/**
 * Before the first write: every file still holds what the preview saw, or already what this job
 * writes (placed by a run that was cut short). One listing covers new files; only files that exist
 * are read. Returns the names already in place.
 */
async function assertTargetAsPreviewed(
  target: PublishTarget,
  files: StoredPreview['files'],
  where: string,
): Promise<Set<string>> {
  const present = new Set(await target.list());
  const toRead = files.filter((f) => f.remoteSha256 !== null || present.has(f.name));
  const states = await target.stat(toRead.map((f) => f.name));
  const alreadyThere = new Set<string>();
  const changed = toRead.filter((f, i) => {
    const now = states[i]!.sha256 ?? null;
    if (now === f.newSha256) alreadyThere.add(f.name);
    return now !== f.remoteSha256 && now !== f.newSha256;
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
  return alreadyThere;
}
