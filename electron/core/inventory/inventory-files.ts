// What the inventory keeps in the site folder: inventory/devices.json (every device ever discovered, gone ones
// included) and inventory/scans.json (one summary per scan: what it found and what changed).
import { z } from 'zod';
import { DeviceRecordSchema } from '../discovery/device-record';

export const DEVICES_FILE = 'inventory/devices.json';
export const SHEET_FILE = 'inventory/sheet.json';
export const SCANS_FILE = 'inventory/scans.json';

export const ChangeKindSchema = z.enum(['new', 'gone', 'returned', 'moved', 'firmware', 'model']);
export type ChangeKind = z.infer<typeof ChangeKindSchema>;

export const ChangeSchema = z.object({
  kind: ChangeKindSchema,
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type Change = z.infer<typeof ChangeSchema>;

export const InventoryDeviceSchema = z.object({
  record: DeviceRecordSchema,
  state: z.enum(['present', 'gone']),
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
  counts: z.object({
    new: z.number().int(),
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
