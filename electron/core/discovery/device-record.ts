// One device as Fieldkit knows it, merged from every discovery method, with the source of each field.
// Discovery produces these; the inventory stores, compares and shows them.
import { z } from 'zod';

export const DiscoveryMethodSchema = z.enum([
  'sip',
  'http',
  'https',
  'sysinfo',
  'mdns',
  'neighbour',
  'passive',
  'import',
  // Jobs that read the phone later (verify, a firmware run) and wrote what it reported back to the inventory.
  'verify',
  'firmware-run',
]);
export type DiscoveryMethod = z.infer<typeof DiscoveryMethodSchema>;

export const ClassificationSchema = z.enum(['supported', 'other-mitel', 'other-sip', 'unknown']);
export type Classification = z.infer<typeof ClassificationSchema>;

/** A value together with the method that saw it and when. */
export const sourced = <T extends z.ZodType>(value: T) =>
  z.object({ value, source: DiscoveryMethodSchema, at: z.string() });

export const DeviceRecordSchema = z.object({
  /** `mac:AA:BB:CC:DD:EE:FF` when the MAC is known, else `ip:<address>`. */
  key: z.string(),
  ip: z.string().nullable(),
  mac: sourced(z.string()).nullable(),
  vendor: sourced(z.string()).nullable(),
  model: sourced(z.string()).nullable(),
  firmware: sourced(z.string()).nullable(),
  /** Raw SIP Server/User-Agent banner, HTTP realm or UA, kept as evidence. */
  banner: sourced(z.string()).nullable(),
  hostname: sourced(z.string()).nullable(),
  sipPort: z.number().int().nullable(),
  httpPort: z.number().int().nullable(),
  httpsPort: z.number().int().nullable(),
  /** mDNS service types advertised by this address, e.g. `_http._tcp`. */
  services: z.array(z.string()),
  classification: ClassificationSchema,
  sources: z.array(DiscoveryMethodSchema),
  flags: z.object({
    belowOsvMinimum: z.boolean(),
    vulnerable: z.array(z.string()),
    possiblyVulnerable: z.array(z.string()),
    notes: z.array(z.string()),
  }),
  firstSeen: z.string(),
  lastSeen: z.string(),
});
export type DeviceRecord = z.infer<typeof DeviceRecordSchema>;
