// Where a site publishes: its targets (provisioning/targets.json) and the built-in server's settings
// (provisioning/server.json). Only references to credentials are stored; the values live in the
// credential store under sftp-password:<id> / sftp-private-key:<id>.
import { z } from 'zod';
import { FieldkitError } from '../util/errors';
import { parseSftpUrl } from './target-url';
import type { SiteWorkspace } from '../workspace/site-workspace';

export const TARGETS_FILE = 'provisioning/targets.json';
export const SERVER_FILE = 'provisioning/server.json';
export const BUILTIN_TARGET_ID = 'builtin';

export const TargetIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a target id is 1-40 lowercase letters, digits or dashes, e.g. "osv-prov"');

export const SftpTargetConfigSchema = z
  .object({
    id: TargetIdSchema,
    kind: z.literal('sftp'),
    url: z
      .string()
      .max(500)
      .refine((u) => {
        try {
          parseSftpUrl(u);
          return true;
        } catch {
          return false;
        }
      }, 'write the URL like sftp://user@host:22/srv/provisioning'),
    auth: z.enum(['password', 'key']),
    /** Files in flight at once; default 32. */
    parallel: z.number().int().min(1).max(64).optional(),
  })
  .strict();

export const BuiltinTargetConfigSchema = z
  .object({ id: z.literal(BUILTIN_TARGET_ID), kind: z.literal('builtin') })
  .strict();

export const TargetConfigSchema = z.discriminatedUnion('kind', [SftpTargetConfigSchema, BuiltinTargetConfigSchema]);
export type TargetConfig = z.infer<typeof TargetConfigSchema>;
export type SftpTargetConfig = z.infer<typeof SftpTargetConfigSchema>;

const TargetsFileSchema = z.object({ format: z.literal('fieldkit-targets'), targets: z.array(TargetConfigSchema) });

export const ServerConfigSchema = z
  .object({
    /** Address of the laptop's network card the phones are on; 0.0.0.0 listens on all. */
    address: z.ipv4().or(z.ipv6()).default('0.0.0.0'),
    port: z.number().int().min(1).max(65535).default(8080),
    https: z.boolean().default(false),
    /** The phones' `http path`, e.g. "prov"; empty: files at the root. */
    pathPrefix: z
      .string()
      .max(100)
      .regex(/^[A-Za-z0-9._/-]*$/, 'letters, digits, dot, dash and slash only')
      .default(''),
  })
  .strict();
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

export const BUILTIN_TARGET: TargetConfig = { id: BUILTIN_TARGET_ID, kind: 'builtin' };

/** The site's targets; the built-in server is always there (it is the default when nothing else is set up). */
export async function loadTargets(site: SiteWorkspace): Promise<TargetConfig[]> {
  const stored = (await site.readJson(TARGETS_FILE, TargetsFileSchema))?.targets ?? [];
  return [...stored.filter((t) => t.kind !== 'builtin'), BUILTIN_TARGET];
}

export async function saveTarget(site: SiteWorkspace, target: TargetConfig): Promise<TargetConfig[]> {
  if (target.kind === 'builtin') return loadTargets(site);
  const others = (await loadTargets(site)).filter((t) => t.kind !== 'builtin' && t.id !== target.id);
  await site.writeJson(TARGETS_FILE, TargetsFileSchema, { format: 'fieldkit-targets', targets: [...others, target] });
  return loadTargets(site);
}

export async function removeTarget(site: SiteWorkspace, id: string): Promise<TargetConfig[]> {
  const others = (await loadTargets(site)).filter((t) => t.kind !== 'builtin' && t.id !== id);
  await site.writeJson(TARGETS_FILE, TargetsFileSchema, { format: 'fieldkit-targets', targets: others });
  return loadTargets(site);
}

export async function findTarget(site: SiteWorkspace, id: string): Promise<TargetConfig> {
  const all = await loadTargets(site);
  const found = all.find((t) => t.id === id);
  if (!found)
    throw new FieldkitError(
      'not-found',
      `No publishing target "${id}" in this site. Known: ${all.map((t) => t.id).join(', ')}. Add it under Provisioning > Targets (CLI: --target sftp://…).`,
    );
  return found;
}

export async function loadServerConfig(site: SiteWorkspace): Promise<ServerConfig> {
  return (await site.readJson(SERVER_FILE, ServerConfigSchema)) ?? ServerConfigSchema.parse({});
}

export async function saveServerConfig(
  site: SiteWorkspace,
  config: z.input<typeof ServerConfigSchema>,
): Promise<ServerConfig> {
  return site.writeJson(SERVER_FILE, ServerConfigSchema, config);
}
