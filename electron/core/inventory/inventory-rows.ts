// One row per phone for the inventory table, the CSV export and the CLI: a discovered device joined with the
// technician's sheet by MAC. A sheet phone that no scan has seen yet is a row of its own ("expected, not seen"); a
// phone that did not answer the last scan covering it is "no-answer" (slow, busy or off; not gone).
import { z } from 'zod';
import { ClassificationSchema, DiscoveryMethodSchema, type DeviceRecord } from '../discovery/device-record';
import { normaliseModel } from '../phone';
import { ChangeSchema, ChangeKindSchema, PhoneReportSchema, type InventoryDevice } from './inventory-files';
import { SheetRowSchema, type SheetRow } from './sheet';

export const PresenceSchema = z.enum(['present', 'no-answer', 'gone', 'expected']);
export type Presence = z.infer<typeof PresenceSchema>;

export const InventoryRowSchema = z.object({
  /** The device key, or `sheet:<MAC>` for a sheet phone not yet seen. */
  key: z.string(),
  ip: z.string().nullable(),
  mac: z.string().nullable(),
  model: z.string().nullable(),
  firmware: z.string().nullable(),
  classification: ClassificationSchema.nullable(),
  presence: PresenceSchema,
  changes: z.array(ChangeKindSchema),
  directoryNumber: z.string(),
  displayName: z.string(),
  location: z.string(),
  flags: z.object({
    belowOsvMinimum: z.boolean(),
    vulnerable: z.boolean(),
    possiblyVulnerable: z.boolean(),
    /** The sheet names another model than the phone reports. */
    modelMismatch: z.boolean(),
    /** Directory number with other characters than digits (DTP-73963). */
    dnNotNumeric: z.boolean(),
  }),
  sources: z.array(DiscoveryMethodSchema),
  lastSeen: z.string().nullable(),
  /** When the phone last answered a scan or a job that worked on it. */
  lastAnswer: z.string().nullable(),
});
export type InventoryRow = z.infer<typeof InventoryRowSchema>;

function rowFor(device: InventoryDevice | null, sheet: SheetRow | null): InventoryRow {
  const rec: DeviceRecord | null = device?.record ?? null;
  const discoveredModel = rec?.model?.value ?? null;
  const sheetModel = sheet?.model || null;
  const dn = sheet?.directoryNumber ?? '';
  return {
    key: rec?.key ?? `sheet:${sheet!.mac}`,
    ip: rec?.ip ?? null,
    mac: rec?.mac?.value ?? sheet?.mac ?? null,
    model: discoveredModel ?? sheetModel,
    firmware: rec?.firmware?.value ?? null,
    classification: rec?.classification ?? null,
    presence: presenceOf(device),
    changes: device?.changes.map((c) => c.kind) ?? [],
    directoryNumber: dn,
    displayName: sheet?.displayName ?? '',
    location: sheet?.location ?? '',
    flags: {
      belowOsvMinimum: rec?.flags.belowOsvMinimum ?? false,
      vulnerable: (rec?.flags.vulnerable.length ?? 0) > 0,
      possiblyVulnerable: (rec?.flags.possiblyVulnerable.length ?? 0) > 0,
      modelMismatch: Boolean(
        discoveredModel && sheetModel && (normaliseModel(discoveredModel) ?? discoveredModel) !== sheetModel,
      ),
      dnNotNumeric: dn !== '' && !/^\d+$/.test(dn),
    },
    sources: rec?.sources ?? [],
    lastSeen: rec?.lastSeen ?? null,
    lastAnswer: device ? (device.answeredAt ?? (device.answered === false ? null : device.record.lastSeen)) : null,
  };
}

function presenceOf(device: InventoryDevice | null): Presence {
  if (!device) return 'expected';
  if (device.state === 'gone') return 'gone';
  return device.answered === false ? 'no-answer' : 'present';
}

const CLASSIFICATION_TEXT: Record<DeviceRecord['classification'], string> = {
  supported: 'Mitel 6867i/6865i (supported)',
  'other-mitel': 'Other Mitel or Aastra device',
  'other-sip': 'Other SIP device',
  unknown: 'Unknown device',
};

export function buildRows(devices: readonly InventoryDevice[], sheet: readonly SheetRow[]): InventoryRow[] {
  const sheetByMac = new Map(sheet.map((s) => [s.mac, s]));
  const matched = new Set<string>();
  const rows: InventoryRow[] = [];
  for (const device of devices) {
    const mac = device.record.mac?.value ?? null;
    const sheetRow = mac ? (sheetByMac.get(mac) ?? null) : null;
    if (sheetRow) matched.add(sheetRow.mac);
    rows.push(rowFor(device, sheetRow));
  }
  for (const s of sheet) if (!matched.has(s.mac)) rows.push(rowFor(null, s));
  return rows;
}

export const SourcedFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  value: z.string().nullable(),
  /** A discovery method, `sheet` for the technician's sheet, or `scan` for facts the inventory itself keeps. */
  source: z.string().nullable(),
  at: z.string().nullable(),
  /** e.g. the sheet's file name. */
  detail: z.string().nullable(),
});
export type SourcedField = z.infer<typeof SourcedFieldSchema>;

export const InventoryDetailSchema = z.object({
  row: InventoryRowSchema,
  fields: z.array(SourcedFieldSchema),
  changes: z.array(ChangeSchema),
  changedAt: z.string().nullable(),
  previousIps: z.array(z.string()),
  flags: z.object({
    vulnerable: z.array(z.string()),
    possiblyVulnerable: z.array(z.string()),
    notes: z.array(z.string()),
  }),
  sheet: SheetRowSchema.nullable(),
  /** What jobs that worked on the phone found, newest last. */
  reports: z.array(PhoneReportSchema),
});
export type InventoryDetail = z.infer<typeof InventoryDetailSchema>;

/** Every field of one phone with where it came from and when. */
export function buildDetail(device: InventoryDevice | null, sheet: SheetRow | null): InventoryDetail {
  const rec = device?.record ?? null;
  const fields: SourcedField[] = [];
  const seen = (
    name: string,
    label: string,
    f: { value: string; source: string; at: string } | null | undefined,
  ): void => {
    fields.push({ name, label, value: f?.value ?? null, source: f?.source ?? null, at: f?.at ?? null, detail: null });
  };
  const kept = (name: string, label: string, value: string | null, at: string | null): void => {
    fields.push({ name, label, value, source: value === null ? null : 'scan', at, detail: null });
  };
  const fromSheet = (name: string, label: string, value: string): void => {
    fields.push({
      name,
      label,
      value: value || null,
      source: sheet && value ? 'sheet' : null,
      at: sheet && value ? sheet.importedAt : null,
      detail: sheet?.sourceFile ?? null,
    });
  };
  kept('ip', 'IP address', rec?.ip ?? null, rec?.lastSeen ?? null);
  if (rec?.mac) seen('mac', 'MAC', rec.mac);
  else fromSheet('mac', 'MAC', sheet?.mac ?? '');
  seen('vendor', 'Vendor', rec?.vendor);
  seen('model', 'Model (reported)', rec?.model);
  fromSheet('sheetModel', 'Model (sheet)', sheet?.model ?? '');
  seen('firmware', 'Firmware', rec?.firmware);
  seen('banner', 'Banner', rec?.banner);
  seen('hostname', 'Host name', rec?.hostname);
  kept('sipPort', 'SIP port', rec?.sipPort?.toString() ?? null, rec?.lastSeen ?? null);
  kept('httpPort', 'HTTP port', rec?.httpPort?.toString() ?? null, rec?.lastSeen ?? null);
  kept('httpsPort', 'HTTPS port', rec?.httpsPort?.toString() ?? null, rec?.lastSeen ?? null);
  kept('services', 'mDNS services', rec && rec.services.length ? rec.services.join(', ') : null, rec?.lastSeen ?? null);
  kept('classification', 'Type', rec ? CLASSIFICATION_TEXT[rec.classification] : null, rec?.lastSeen ?? null);
  fromSheet('directoryNumber', 'Directory number', sheet?.directoryNumber ?? '');
  fromSheet('displayName', 'Display name', sheet?.displayName ?? '');
  fromSheet('location', 'Location', sheet?.location ?? '');
  kept('firstSeen', 'First seen', rec?.firstSeen ?? null, rec?.firstSeen ?? null);
  kept('lastSeen', 'Last seen', rec?.lastSeen ?? null, rec?.lastSeen ?? null);
  const answer = device ? rowFor(device, sheet).lastAnswer : null;
  kept('lastAnswer', 'Last answered', answer, answer);
  return {
    row: rowFor(device, sheet),
    fields,
    changes: device?.changes ?? [],
    changedAt: device?.changedAt ?? null,
    previousIps: device?.previousIps ?? [],
    flags: {
      vulnerable: rec?.flags.vulnerable ?? [],
      possiblyVulnerable: rec?.flags.possiblyVulnerable ?? [],
      notes: rec?.flags.notes ?? [],
    },
    sheet,
    reports: device?.reports ?? [],
  };
}
