// The lab file format (JSON). Every group describes `count` devices of one kind; see labs/*.json for examples.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const Port = z.number().int().min(1).max(65535);
const Version = z
  .string()
  .regex(/^\d{1,4}\.\d{1,4}\.\d{1,4}\.\d{1,6}$/, 'firmware version must be four numeric fields, e.g. 6.5.0.224');
const Mac = z
  .string()
  .regex(/^[0-9A-Fa-f]{2}([:-]?[0-9A-Fa-f]{2}){5}$/, 'MAC must be 12 hex digits, e.g. 00:08:5D:00:00:01')
  .refine((m) => (parseInt(m.slice(0, 2), 16) & 1) === 0, 'MAC must be unicast (first octet even)');

export const FaultsSchema = z
  .object({
    unreachable: z.boolean().optional(),
    slowMs: z.number().int().min(0).max(600_000).optional(),
    wrongCredentials: z.boolean().optional(),
    dropConnections: z.boolean().optional(),
    neverComesBack: z.boolean().optional(),
    powerLossMidFlash: z.boolean().optional(),
    sipLossRate: z.number().min(0).max(1).optional(),
    sipLossSeed: z.number().int().optional(),
  })
  .strict();

const Common = {
  count: z.number().int().min(1).max(2000),
  macStart: Mac,
  /** Opt-in mDNS advertisement (real phones show no evidence of mDNS, phone-facts §5). */
  mdns: z.boolean().default(false),
};

export const MitelPhoneGroupSchema = z
  .object({
    kind: z.literal('mitel-6800'),
    ...Common,
    model: z.enum(['6867i', '6865i']),
    /** Assigned round-robin over the group's phones. */
    versions: z.array(Version).min(1),
    /** `alternate` gives even phones Mitel and odd phones Aastra: both occur in the field (phone-facts §3). */
    bannerPrefix: z.enum(['Aastra', 'Mitel', 'alternate']).default('Mitel'),
    adminPassword: z.string().max(32).optional(),
    /** null disables a protocol: an HTTP-only or SIP-only phone. */
    ports: z
      .object({
        sip: Port.nullable().default(5060),
        http: Port.nullable().default(80),
        https: Port.nullable().default(443),
      })
      .strict()
      .default({ sip: 5060, http: 80, https: 443 }),
    sipTcp: z.boolean().default(true),
    globalCfgMode: z.enum(['startup-then-aastra', 'startup', 'aastra', 'both']).default('startup-then-aastra'),
    factoryState: z.boolean().default(false),
    /** Idle time after which a client's web session has expired (phone-facts §11). Default 30000 ms. */
    webSessionIdleMs: z.number().int().min(0).max(3_600_000).optional(),
    faults: FaultsSchema.default({}),
  })
  .strict();

export const OtherDeviceGroupSchema = z
  .object({
    kind: z.enum(['other-sip', 'other-mitel']),
    ...Common,
    sipBanner: z.string().min(1).max(200),
    sipBannerHeader: z.enum(['Server', 'User-Agent']).default('Server'),
    ports: z
      .object({ sip: Port.nullable().default(5060), http: Port.nullable().default(null) })
      .strict()
      .default({ sip: 5060, http: null }),
    httpRealm: z.string().max(100).optional(),
    httpServerHeader: z.string().max(100).optional(),
  })
  .strict();

export const LabSpecSchema = z
  .object({
    name: z.string().min(1).max(60).default('lab'),
    /** Loopback mode: first address of the phones' 127.x.y.z block. */
    loopbackBase: z
      .ipv4()
      .refine((a) => a.startsWith('127.'), 'loopbackBase must be inside 127.0.0.0/8')
      .default('127.77.0.0'),
    /**
     * Namespace mode: 'packed' puts devices one after another from 198.18.0.10; 'spread' spreads them over
     * 198.18.0.0/spreadPrefix.
     */
    namespaceLayout: z.enum(['packed', 'spread']).default('packed'),
    spreadPrefix: z.number().int().min(16).max(24).default(16),
    bootMs: z.number().int().min(0).max(600_000).default(1500),
    flashMs: z.number().int().min(0).max(600_000).default(3000),
    groups: z.array(z.discriminatedUnion('kind', [MitelPhoneGroupSchema, OtherDeviceGroupSchema])).min(1),
  })
  .strict();

export type LabSpec = z.output<typeof LabSpecSchema>;
export type LabSpecInput = z.input<typeof LabSpecSchema>;
export type MitelPhoneGroup = z.output<typeof MitelPhoneGroupSchema>;
export type OtherDeviceGroup = z.output<typeof OtherDeviceGroupSchema>;

export function parseLabSpec(input: unknown, source = 'lab spec'): LabSpec {
  const result = LabSpecSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(top)'}: ${i.message}`).join('\n');
    throw new Error(`${source} is invalid:\n${problems}`);
  }
  return result.data;
}

export function readLabFile(path: string): LabSpec {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read lab file ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseLabSpec(json, `lab file ${path}`);
}
