// The generated configuration of a site, as the workspace keeps it: `configs/generated/<name>` holds
// each file's text with secrets as placeholders, and `configs/generated/manifest.json` says which line
// of which file takes which credential. Publishing rebuilds the GeneratedFile from both and lets
// `materialize` fill in the secrets from the credential store; the real values never touch the disk.
import { readFileSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { z } from 'zod';
import { sha256Hex } from '../util/hash';
import { breather } from '../util/breather';
import { createCfgDocument, parseCfg } from '../config/cfg-format';
import { SecretKeySchema } from '../secrets/secret-key';
import { SUPPORTED_MODELS } from '../phone/models';
import { writeFileAtomic } from '../workspace/atomic-file';
import { FieldkitError } from '../util/errors';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { GenerateResult, GeneratedFile } from '../config/generator';
import type { Finding } from '../config/parameter-rules';

export const GENERATED_DIR = 'configs/generated';
const MANIFEST = `${GENERATED_DIR}/manifest.json`;
const CFG_NAME = /^(startup|aastra|68\d\di|[0-9A-F]{12})\.cfg$/;
/** Files published next to the configuration (the CA bundle, a trust file): plain names, never a .cfg. */
const ASSET_NAME = /^(?![^]*\.cfg$)[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const FindingSchema = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  ruleId: z.string(),
  message: z.string(),
  fix: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
  name: z.string().optional(),
});

const ManifestFileSchema = z.object({
  name: z
    .string()
    .refine(
      (n) => CFG_NAME.test(n) || (ASSET_NAME.test(n) && !n.includes('..')),
      'is not a file name Fieldkit generates',
    ),
  kind: z.enum(['global', 'model', 'phone', 'asset']),
  model: z.enum(SUPPORTED_MODELS).optional(),
  mac: z
    .string()
    .regex(/^[0-9A-F]{12}$/)
    .optional(),
  /** sha256 of the stored (placeholder) text, to notice hand edits. */
  sha256: z.string(),
  secretRefs: z.array(
    z.object({ parameter: z.string(), key: SecretKeySchema, line: z.number().int().positive(), missing: z.string() }),
  ),
});

export const GeneratedManifestSchema = z.object({
  format: z.literal('fieldkit-generated'),
  generatedAt: z.string(),
  fieldkitVersion: z.string(),
  publishable: z.boolean(),
  findings: z.array(FindingSchema),
  files: z.array(ManifestFileSchema),
});
export type GeneratedManifest = z.infer<typeof GeneratedManifestSchema>;

/** Replaces the site's generated set with a new one; files no longer generated are removed. */
export async function saveGenerated(
  site: SiteWorkspace,
  result: GenerateResult,
  fieldkitVersion: string,
  now = new Date(),
): Promise<GeneratedManifest> {
  const manifest: GeneratedManifest = {
    format: 'fieldkit-generated',
    generatedAt: now.toISOString(),
    fieldkitVersion,
    publishable: result.publishable,
    findings: result.findings as Finding[],
    files: result.files.map((f) => ({
      name: f.name,
      kind: f.kind,
      ...(f.model ? { model: f.model } : {}),
      ...(f.mac ? { mac: f.mac } : {}),
      sha256: sha256Hex(f.text),
      secretRefs: f.secretRefs.map((r) => ({ parameter: r.parameter, key: r.key, line: r.line, missing: r.missing })),
    })),
  };
  const before = new Set((await loadManifest(site).catch(() => undefined))?.files.map((f) => f.name) ?? []);
  for (const file of result.files) await writeFileAtomic(site.path(GENERATED_DIR, file.name), file.text);
  await site.writeJson(MANIFEST, GeneratedManifestSchema, manifest);
  const keep = new Set(result.files.map((f) => f.name));
  for (const name of await readdir(site.path(GENERATED_DIR)).catch(() => [] as string[])) {
    if ((CFG_NAME.test(name) || before.has(name)) && !keep.has(name) && name !== 'manifest.json')
      await unlink(site.path(GENERATED_DIR, name));
  }
  return manifest;
}

export async function loadManifest(site: SiteWorkspace): Promise<GeneratedManifest | undefined> {
  return site.readJson(MANIFEST, GeneratedManifestSchema);
}

/**
 * One generated file's text. Read synchronously on purpose: the set is 1,000 small files, and one promise read
 * per file (open, stat, read, close, each a thread-pool round trip) took 75–150 ms for them where sync reads take
 * 10 ms (measured on the 2-core CI machine kind); that 10 ms holds the event loop less than the round trips would.
 */
function readGeneratedFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new FieldkitError(
      'workspace-corrupt',
      `${path} is missing although the last generation wrote it. Generate the configuration again.`,
    );
  }
}

/**
 * The generated set, ready to materialize. Refuses a set whose files were edited by hand since they
 * were generated (their placeholders might no longer sit where the manifest says).
 */
export async function loadGenerated(
  site: SiteWorkspace,
): Promise<{ manifest: GeneratedManifest; files: GeneratedFile[] } | undefined> {
  const manifest = await loadManifest(site);
  if (!manifest) return undefined;
  const files: GeneratedFile[] = [];
  const breathe = breather();
  for (const entry of manifest.files) {
    await breathe();
    const path = site.path(GENERATED_DIR, entry.name);
    const text = readGeneratedFile(path);
    if (sha256Hex(text) !== entry.sha256) {
      throw new FieldkitError(
        'conflict',
        `${entry.name} was changed outside Fieldkit since it was generated. Generate again (put hand-made settings in the per-phone or per-model overrides), then preview.`,
        { file: entry.name },
      );
    }
    const { doc } = entry.kind === 'asset' ? { doc: createCfgDocument() } : parseCfg(text);
    files.push({
      name: entry.name,
      kind: entry.kind,
      ...(entry.model ? { model: entry.model } : {}),
      ...(entry.mac ? { mac: entry.mac } : {}),
      doc,
      text,
      secretRefs: entry.secretRefs.map((r) => ({ ...r })),
    });
  }
  return { manifest, files };
}
