// What the inventory keeps in the site folder: inventory/devices.json (every device ever discovered, gone ones
// included) and inventory/scans.json (one summary per scan: what it found and what changed).
import { z } from 'zod';
import { DeviceRecordSchema } from '../discovery/device-record';

export const DEVICES_FILE = 'inventory/devices.json';
export const SHEET_FILE = 'inventory/sheet.json';
export const SCANS_FILE = 'inventory/scans.json';

/** `seen`: a phone the technician's sheet named, seen on the network for the first time (expected, so not "new"). */
export const ChangeKindSchema = z.enum(['new', 'seen', 'gone', 'returned', 'moved', 'firmware', 'model']);
export type ChangeKind = z.infer<typeof ChangeKindSchema>;

export const ChangeSchema = z.object({
  kind: ChangeKindSchema,
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type Change = z.infer<typeof ChangeSchema>;

/** What a job that worked on the phone (verify, a firmware run) found, written back so the inventory stays current. */
export const PhoneReportSchema = z.object({
  at: z.string(),
  by: z.enum(['verify', 'firmware-run']),
  jobId: z.string(),
  ok: z.boolean(),
  firmware: z.string().nullable(),
  /** One line for the technician, e.g. "verified on 6.5.0.224". */
  summary: z.string(),
});
export type PhoneReport = z.infer<typeof PhoneReportSchema>;
export const MAX_REPORTS_KEPT = 20;

export const InventoryDeviceSchema = z.object({
  record: DeviceRecordSchema,
  state: z.enum(['present', 'gone']),
  /**
   * Whether the phone answered the last scan that covered its address. False when only the network (neighbour
   * table) or an earlier provisioning request vouched for it: it may be slow, busy or switched off. Absent in
   * inventories written before Fieldkit kept it: then true.
   */
  answered: z.boolean().optional(),
  /** When it last answered a scan (SIP, web, /sysinfo.html, mDNS) or a job that worked on it. */
  answeredAt: z.string().nullable().optional(),
  /** The latest reports of jobs that worked on it, newest last. */
  reports: z.array(PhoneReportSchema).optional(),
  /** What the last scan that covered this device's address changed about it. */
  changes: z.array(ChangeSchema),
  changedAt: z.string().nullable(),
  goneSince: z.string().nullable(),
  /** Addresses this device had before, newest first (kept short). */
  previousIps: z.array(z.string()),
});
export type InventoryDevice = z.infer<typeof InventoryDeviceSchema>;

export const DevicesFileSchema = z.object({
  format: z.literal('fieldkit-inventory'),
  formatVersion: z.literal(1),
  updatedAt: z.string(),
  devices: z.array(InventoryDeviceSchema),
});
export type DevicesFile = z.infer<typeof DevicesFileSchema>;

export const ScanChangeSchema = ChangeSchema.extend({
  key: z.string(),
  ip: z.string().nullable(),
  mac: z.string().nullable(),
});
export type ScanChange = z.infer<typeof ScanChangeSchema>;

export const ScanSummarySchema = z.object({
  id: z.string(),
  at: z.string(),
  /** What was scanned as the technician wrote it; empty for passive sightings. */
  ranges: z.array(z.string()),
  found: z.number().int(),
  /** When the scan started; observations older than this did not come from it. */
  startedAt: z.string().optional(),
  counts: z.object({
    new: z.number().int(),
    seen: z.number().int().default(0),
    noAnswer: z.number().int().default(0),
    gone: z.number().int(),
    returned: z.number().int(),
    moved: z.number().int(),
    firmware: z.number().int(),
    model: z.number().int(),
    unchanged: z.number().int(),
  }),
  /** The changes, capped at MAX_SCAN_CHANGES; changesTotal says how many there were. */
  changes: z.array(ScanChangeSchema),
  changesTotal: z.number().int(),
  /** How /sysinfo.html logins went: read, rejected the admin password, not tried (no password stored). */
  sysinfo: z
    .object({ read: z.number().int(), rejected: z.number().int(), skipped: z.number().int() })
    .nullable()
    .default(null),
  /** One sentence when phones refused the admin password, e.g. that the site password is probably wrong. */
  credentials: z.string().nullable().default(null),
});
export type ScanSummary = z.infer<typeof ScanSummarySchema>;

export const ScansFileSchema = z.object({
  format: z.literal('fieldkit-scans'),
  formatVersion: z.literal(1),
  scans: z.array(ScanSummarySchema),
});
export type ScansFile = z.infer<typeof ScansFileSchema>;

export const MAX_SCAN_CHANGES = 2_000;
export const MAX_SCANS_KEPT = 100;
export const MAX_PREVIOUS_IPS = 10;
