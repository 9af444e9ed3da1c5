// The firmware plan as stored in the site (firmware/plans/<id>.json) and shown to the technician.
import { z } from 'zod';

function isPhoneServerUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') &&
      u.username === '' &&
      u.password === '' &&
      u.search === '' &&
      u.hash === '' &&
      !u.pathname.split('/').some((p) => p === '..' || p.startsWith('.') || p.includes('%'))
    );
  } catch {
    return false;
  }
}

export const PlanOptionsSchema = z.object({
  /** Phones per model flashed first, alone, before any wave. */
  canaryPerModel: z.number().int().min(0).max(10).default(1),
  waveSize: z.number().int().min(1).max(500).default(10),
  /** Phones handled at the same time inside a wave. */
  concurrency: z.number().int().min(1).max(100).default(5),
  /** A wave halts and waits for the technician when more phones than this failed in it. */
  haltWhenFailuresExceed: z.number().int().min(0).max(500).default(0),
  /**
   * Phones whose home serves another `<model>.st` keep their firmware pin (`firmware server` in their <MAC>.cfg naming
   * the staging folder whose `.st` is their version), so no reboot or nightly check flashes them back. The value
   * `config-only-home` of earlier versions (point home through the web UI with auto resync 1) is accepted and does
   * the same: a web UI setting would stay local on the phone (phone-facts §8).
   */
  afterwards: z.enum(['stay-pointed', 'config-only-home']).default('stay-pointed'),
  requestTimeoutMs: z.number().int().min(200).max(60_000).default(4000),
  /** How long a phone may take to go down after a reboot command. */
  rebootStartTimeoutMs: z.number().int().min(500).max(600_000).default(60_000),
  /** How long a phone may stay away while it reboots and flashes (real phones: several minutes). */
  flashTimeoutMs: z.number().int().min(1000).max(3_600_000).default(900_000),
  pollMs: z.number().int().min(50).max(60_000).default(2000),
  /**
   * The publishing target that holds home and the staging folders: the built-in server, or an SFTP
   * target of the site (staging folders are then created on that server and outlast Fieldkit).
   */
  publishTarget: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a publishing target id, e.g. "builtin" or "osv-prov"')
    .default('builtin'),
  /** For an SFTP target: the URL the phones fetch its folder from, e.g. http://10.0.0.5/prov/. */
  serverUrl: z
    .string()
    .max(500)
    .refine(isPhoneServerUrl, 'write the URL the phones fetch the folder from, like http://10.0.0.5/prov/')
    .optional(),
});
export type PlanOptions = z.output<typeof PlanOptionsSchema>;

export const SelectionSchema = z.object({
  models: z.array(z.string().max(16)).max(10).default([]),
  versions: z.array(z.string().max(64)).max(100).default([]),
  locations: z.array(z.string().max(200)).max(1000).default([]),
  /** Explicit phones (any MAC spelling). */
  macs: z.array(z.string().max(64)).max(20_000).default([]),
});
export type Selection = z.output<typeof SelectionSchema>;

export const TargetSchema = z.object({ model: z.string().max(16), version: z.string().max(64) });

export const PlanRequestSchema = z.object({
  selection: SelectionSchema.default({ models: [], versions: [], locations: [], macs: [] }),
  targets: z.array(TargetSchema).min(1, 'Choose a target version for at least one model.').max(10),
  options: PlanOptionsSchema.default(PlanOptionsSchema.parse({})),
});
export type PlanRequest = z.input<typeof PlanRequestSchema>;

const HomeSchema = z.object({
  protocol: z.string(),
  server: z.string(),
  port: z.string(),
  path: z.string(),
  autoResyncMode: z.string(),
  autoResyncTime: z.string(),
  /** The full configuration server fields as read, restored after the run. */
  fields: z.record(z.string(), z.string()),
  /** The phone fetches from the site's server (so Fieldkit can see its `.st`). */
  onSiteServer: z.boolean(),
});
export type PhoneHome = z.infer<typeof HomeSchema>;

export const PlannedPhoneSchema = z.object({
  mac: z.string(),
  ip: z.string().nullable(),
  httpPort: z.number().int().nullable(),
  sipPort: z.number().int().nullable(),
  model: z.string().nullable(),
  location: z.string(),
  current: z.string().nullable(),
  target: z.string().nullable(),
  action: z.enum(['flash', 'skip', 'exclude']),
  /** Why a phone is skipped or excluded, in plain words. */
  reason: z.string().nullable(),
  home: HomeSchema.nullable(),
  /**
   * Version of the `<model>.st` in the phone's home directory: null none there, 'unknown' not readable or not in the
   * library.
   */
  homeFirmware: z.string().nullable(),
  /**
   * After it is verified: `home` = its pin is removed (home serves no `.st` or the same version), `stay-pointed` = it
   * keeps its pin. (`home-config-only` is from earlier versions.)
   */
  afterwards: z.enum(['home', 'stay-pointed', 'home-config-only']).nullable(),
  /** `firmware server` as the site's files give it to this phone (Fieldkit's own pin left out), or null. */
  firmwareServer: z.string().nullable().default(null),
  flags: z.array(
    z.enum([
      'below-osv-minimum',
      'nightly-re-upgrade',
      'flip-back-on-reboot',
      'factory-default-password',
      'firmware-server-set',
      'pinned-earlier',
    ]),
  ),
});
export type PlannedPhone = z.infer<typeof PlannedPhoneSchema>;

export const GuardRailSchema = z.object({
  id: z.string(),
  severity: z.enum(['refuse', 'warn', 'info']),
  message: z.string(),
  /** What the technician can do about it. */
  fix: z.string().nullable(),
  macs: z.array(z.string()),
});
export type GuardRail = z.infer<typeof GuardRailSchema>;

export const ResolvedTargetSchema = z.object({
  model: z.string(),
  version: z.string(),
  libraryId: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  stagingFolder: z.string(),
});
export type ResolvedTarget = z.infer<typeof ResolvedTargetSchema>;

export const PlanSummarySchema = z.object({
  flash: z.number().int(),
  skip: z.number().int(),
  exclude: z.number().int(),
  byModel: z.array(
    z.object({
      model: z.string(),
      target: z.string(),
      flash: z.number().int(),
      from: z.record(z.string(), z.number().int()),
    }),
  ),
  /** One sentence naming counts and versions; what the technician confirms. */
  text: z.string(),
});

export const FirmwarePlanSchema = z.object({
  format: z.literal('fieldkit-firmware-plan'),
  formatVersion: z.literal(1),
  id: z.string(),
  createdAt: z.string(),
  server: z.object({ protocol: z.enum(['HTTP', 'HTTPS']), host: z.string(), port: z.number().int(), path: z.string() }),
  targets: z.array(ResolvedTargetSchema),
  options: PlanOptionsSchema,
  phones: z.array(PlannedPhoneSchema),
  guardRails: z.array(GuardRailSchema),
  summary: PlanSummarySchema,
  /** Null when a guard rail refuses the plan: it cannot run. */
  confirmToken: z.string().nullable(),
});
export type FirmwarePlan = z.infer<typeof FirmwarePlanSchema>;
