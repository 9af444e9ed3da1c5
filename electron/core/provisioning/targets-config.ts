// Where a site publishes: its targets (provisioning/targets.json) and the built-in server's settings
// (provisioning/server.json). Only references to credentials are stored; the values live in the
// credential store under sftp-password:<id> / sftp-private-key:<id>.
import { randomBytes } from 'node:crypto';
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
    /** Versions of each replaced file kept in the server's backup folder (0: none); default 5. */
    backups: z.number().int().min(0).max(100).optional(),
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
    /**
     * Address of the laptop's network card the phones are on: the server listens there only. '' = not chosen
     * yet; an address that is not one of this laptop's (or 0.0.0.0, "all") is refused when starting.
     */
    address: z.ipv4().or(z.ipv6()).or(z.literal('')).default(''),
    port: z.number().int().min(1).max(65535).default(8080),
    https: z.boolean().default(false),
    /** The folder in the phones' `http path`, e.g. "prov"; empty: none. The key follows it. */
    pathPrefix: z
      .string()
      .max(100)
      .regex(/^[A-Za-z0-9._/-]*$/, 'letters, digits, dot, dash and slash only')
      .default(''),
    /**
     * Random per-site key: files are served only under `<pathPrefix>/<pathKey>/` (phones take any http path),
     * so guessing MAC file names gets nothing without it. Made when the site first uses the server.
     */
    pathKey: z
      .string()
      .regex(/^[A-Za-z0-9]{16,64}$/)
      .optional(),
    /** Stop serving by itself this long after starting (0: only by hand or after verification). */
    stopAfterMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(480),
    /** Stop serving a few minutes after a verify job found every phone of the published set verified. */
    stopAfterVerify: z.boolean().default(true),
    /** HTTP digest: each phone must send its own user name and password (AG420 p.5-314). */
    digest: z
      .object({
        enabled: z.boolean().default(false),
        /**
         * Accept the phones' documented factory digest login (aastra/aastra, AG331 p.5-273) for a phone's own
         * files until it has its own credentials. Turn off once every phone is provisioned.
         */
        factoryLogin: z.boolean().default(true),
      })
      .prefault({}),
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
      `No publishing target "${id}" in this site. Known: ${all.map((t) => t.id).join(', ')}. Add it under Provisioning > Preview & publish > Targets (CLI: --target sftp://…).`,
    );
  return found;
}

export async function loadServerConfig(site: SiteWorkspace): Promise<ServerConfig> {
  return (await site.readJson(SERVER_FILE, ServerConfigSchema)) ?? ServerConfigSchema.parse({});
}

/** The server settings with a path key, made (and saved) the first time a site needs one. */
export async function serverConfigWithKey(site: SiteWorkspace): Promise<ServerConfig & { pathKey: string }> {
  const config = await loadServerConfig(site);
  if (config.pathKey) return config as ServerConfig & { pathKey: string };
  const updated = await site.updateJson(SERVER_FILE, ServerConfigSchema, (current) => ({
    ...(current ?? config),
    pathKey: current?.pathKey ?? newPathKey(),
  }));
  return updated as ServerConfig & { pathKey: string };
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 22 characters of 62: about 131 bits. */
export function newPathKey(): string {
  let out = '';
  while (out.length < 22) {
    const b = randomBytes(1)[0]!;
    if (b < 248) out += KEY_ALPHABET[b % 62];
  }
  return out;
}

/** The folder the phones ask for: `<pathPrefix>/<pathKey>` (or the key alone). */
export function servedPath(config: Pick<ServerConfig, 'pathPrefix' | 'pathKey'>): string {
  const prefix = config.pathPrefix.replace(/^\/+|\/+$/g, '');
  if (!config.pathKey) return prefix;
  return prefix === '' ? config.pathKey : `${prefix}/${config.pathKey}`;
}

export async function saveServerConfig(
  site: SiteWorkspace,
  config: z.input<typeof ServerConfigSchema>,
): Promise<ServerConfig> {
  return site.writeJson(SERVER_FILE, ServerConfigSchema, config);
}
