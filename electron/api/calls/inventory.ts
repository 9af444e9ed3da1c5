import { z } from 'zod';
import { ScanSettingsSchema } from '../../core/inventory/remembered-scan';
import { call, event, jobKind } from '../schema-kit';
import { InventoryRowSchema, InventoryDetailSchema } from '../../core/inventory/inventory-rows';
import { ScanSummarySchema } from '../../core/inventory/inventory-files';
import { SHEET_LIMITS } from '../../core/inventory/sheet';
import { SheetImportResultSchema } from '../../core/inventory/sheet-import-schemas';
import { LocalSubnetSchema } from '../../core/discovery/ranges-schemas';
import { DiscoveryParamsSchema } from '../../core/discovery/discovery-job';
import { DeviceRecordSchema } from '../../core/discovery/device-record';
import { TimelineEventSchema } from '../../core/inventory/phone-timeline';
import { SavedViewSchema, MAX_SAVED_VIEWS } from '../../core/inventory/saved-views';
import { Empty } from './common';

export const inventoryCalls = {
  'inventory.list': call(
    Empty,
    z.object({
      rows: z.array(InventoryRowSchema),
      lastScan: ScanSummarySchema.nullable(),
    }),
    "Every phone of the open site: discovered devices joined with the technician's sheet, with change and flags.",
  ),
  'inventory.get': call(
    z.object({ key: z.string().min(1).max(200) }).strict(),
    InventoryDetailSchema,
    'One phone with every field, its source and when it was read.',
  ),
  'inventory.importCsv': call(
    z
      .object({
        text: z.string().max(SHEET_LIMITS.maxChars, 'The file is larger than 5 MB; split it.'),
        fileName: z.string().max(300).optional(),
      })
      .strict(),
    SheetImportResultSchema,
    "Import the technician's sheet (MAC, directory number, display name, location, model); bad rows are reported by row number.",
  ),
  'inventory.exportCsv': call(
    z.object({ keys: z.array(z.string().max(200)).max(100_000).optional() }).strict(),
    z.object({ csv: z.string(), fileName: z.string() }),
    'The inventory as CSV (cells guarded against spreadsheet formulas); only the rows with these keys when given.',
  ),
  'inventory.timeline': call(
    z.object({ key: z.string().min(1).max(200) }).strict(),
    z.array(TimelineEventSchema),
    'Everything Fieldkit did to one phone across scans and jobs, newest first.',
  ),
  'inventory.views': call(Empty, z.array(SavedViewSchema), "The inventory filters saved in this site's folder."),
  'inventory.saveViews': call(
    z.object({ views: z.array(SavedViewSchema).max(MAX_SAVED_VIEWS) }).strict(),
    z.array(SavedViewSchema),
    'Replace the saved inventory filters of this site.',
  ),
  'inventory.devices': call(
    z.object({ scan: z.string().min(1).max(200).optional() }).strict(),
    z.object({ devices: z.array(DeviceRecordSchema.extend({ state: z.enum(['present', 'gone']) })) }),
    'The discovered devices with every field as discovery recorded it (value and source); with scan, the devices that scan found.',
  ),
  'inventory.lastChanges': call(Empty, ScanSummarySchema.nullable(), 'What the last scan found and changed.'),
  'discovery.proposeRanges': call(
    Empty,
    z.object({ subnets: z.array(LocalSubnetSchema), lastUsed: ScanSettingsSchema.nullable() }),
    "What to propose for a scan: how this site was last scanned, and the laptop's own IPv4 subnets (never scanned without confirmation).",
  ),
  'discovery.checkRanges': call(
    z.object({ ranges: z.string().max(100_000), confirmLarge: z.boolean().default(false) }).strict(),
    z.object({
      total: z.number().int(),
      large: z.boolean(),
      warnings: z.array(z.string()),
      error: z.string().nullable(),
    }),
    'Checks what the technician typed as scan targets: how many addresses, warnings, or what is wrong.',
  ),
} as const;

export const inventoryEvents = {
  'inventory.changed': event(
    z.object({ reason: z.enum(['scan', 'import']), scan: ScanSummarySchema.nullable() }),
    'The inventory of the open site changed (a scan finished or a sheet was imported).',
  ),
} as const;

export const inventoryJobKinds = {
  discovery: jobKind(
    DiscoveryParamsSchema,
    "Scan address ranges for phones and merge what was found into the site's inventory.",
  ),
} as const;
