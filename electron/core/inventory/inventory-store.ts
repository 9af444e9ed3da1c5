// The inventory of one site: discovered devices, the technician's sheet and the scan history, kept in the
// site folder. Changes are applied one at a time (a scan finishing while a sheet is imported must not lose
// either). A damaged file is a clear error and is never overwritten (SiteWorkspace.readJson).
import { randomUUID } from 'node:crypto';
import { FieldkitError } from '../util/errors';
import { parseMac } from '../phone';
import {
  DEVICES_FILE,
  SCANS_FILE,
  SHEET_FILE,
  DevicesFileSchema,
  ScansFileSchema,
  MAX_SCANS_KEPT,
  type InventoryDevice,
  type ScanSummary,
} from './inventory-files';
import { SheetFileSchema, parseSheetCsv, type SheetRow } from './sheet';
import { mergeScan, type ScanContext } from './scan-merge';
import { buildDetail, buildRows, type InventoryDetail, type InventoryRow } from './inventory-rows';
import { applyPhoneReports, type PhoneReportInput } from './phone-reports';
import type { DeviceRecord } from '../discovery/device-record';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { SheetImportResult } from './sheet-import-schemas';

export type { SheetImportResult };

export type ScanInput = Omit<ScanContext, 'id' | 'at'> & { id?: string; at?: string };

const stores = new WeakMap<SiteWorkspace, InventoryStore>();

export class InventoryStore {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly site: SiteWorkspace) {}

  /** The one store of a site, so that every caller shares its queue of changes. */
  static for(site: SiteWorkspace): InventoryStore {
    let store = stores.get(site);
    if (!store) {
      store = new InventoryStore(site);
      stores.set(site, store);
    }
    return store;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async devices(): Promise<InventoryDevice[]> {
    return (await this.site.readJson(DEVICES_FILE, DevicesFileSchema))?.devices ?? [];
  }

  async sheet(): Promise<SheetRow[]> {
    return (await this.site.readJson(SHEET_FILE, SheetFileSchema))?.rows ?? [];
  }

  async scans(): Promise<ScanSummary[]> {
    return (await this.site.readJson(SCANS_FILE, ScansFileSchema))?.scans ?? [];
  }

  async lastScan(): Promise<ScanSummary | null> {
    const scans = await this.scans();
    return scans[scans.length - 1] ?? null;
  }

  async rows(): Promise<InventoryRow[]> {
    const [devices, sheet] = await Promise.all([this.devices(), this.sheet()]);
    return buildRows(devices, sheet);
  }

  async detail(key: string): Promise<InventoryDetail> {
    const [devices, sheet] = await Promise.all([this.devices(), this.sheet()]);
    const device = devices.find((d) => d.record.key === key) ?? null;
    const mac = device?.record.mac?.value ?? (key.startsWith('sheet:') ? key.slice('sheet:'.length) : null);
    const sheetRow = mac ? (sheet.find((s) => s.mac === mac) ?? null) : null;
    if (!device && !sheetRow)
      throw new FieldkitError(
        'not-found',
        `No phone "${key}" in this site's inventory. Refresh the list; it may have been re-keyed by a scan that read its MAC.`,
      );
    return buildDetail(device, sheetRow);
  }

  /** Folds a scan's devices into the inventory and records what changed. */
  applyScan(scanned: readonly DeviceRecord[], input: ScanInput): Promise<ScanSummary> {
    return this.exclusive(async () => {
      const at = input.at ?? new Date().toISOString();
      const [existing, scans, sheet] = await Promise.all([this.devices(), this.scans(), this.sheet()]);
      const ctx: ScanContext = {
        ...input,
        id: input.id ?? `scan-${randomUUID()}`,
        at,
        expected: input.expected ?? new Set(sheet.map((r) => parseMac(r.mac)).filter((m): m is string => m !== null)),
      };
      const { devices, summary } = mergeScan(existing, scanned, ctx);
      await this.site.writeJson(DEVICES_FILE, DevicesFileSchema, {
        format: 'fieldkit-inventory',
        formatVersion: 1,
        updatedAt: at,
        devices,
      });
      await this.site.writeJson(SCANS_FILE, ScansFileSchema, {
        format: 'fieldkit-scans',
        formatVersion: 1,
        scans: [...scans, summary].slice(-MAX_SCANS_KEPT),
      });
      return summary;
    });
  }

  /**
   * Writes what jobs that worked on phones found (verify, a firmware run) into the inventory: the firmware they
   * read and that the phone answered. Phones the inventory does not know are left out.
   */
  recordPhoneReports(reports: readonly PhoneReportInput[]): Promise<number> {
    return this.exclusive(async () => {
      const file = await this.site.readJson(DEVICES_FILE, DevicesFileSchema);
      if (!file || reports.length === 0) return 0;
      const { devices, updated } = applyPhoneReports(file.devices, reports);
      if (updated > 0) {
        await this.site.writeJson(DEVICES_FILE, DevicesFileSchema, {
          ...file,
          updatedAt: new Date().toISOString(),
          devices,
        });
      }
      return updated;
    });
  }

  /**
   * Imports the technician's sheet: valid rows are added or update the phone with the same MAC (only the
   * columns the file has); invalid rows are reported; phones not in the file stay as they are.
   */
  importSheet(text: string, fileName: string | null, now = new Date()): Promise<SheetImportResult> {
    return this.exclusive(async () => {
      const parsed = parseSheetCsv(text);
      const current = await this.sheet();
      const byMac = new Map(current.map((r) => [r.mac, r]));
      const importedAt = now.toISOString();
      let imported = 0;
      let updated = 0;
      let unchanged = 0;
      for (const { values } of parsed.rows) {
        const before = byMac.get(values.mac);
        const next: SheetRow = before
          ? { ...before }
          : {
              mac: values.mac,
              directoryNumber: '',
              displayName: '',
              location: '',
              model: '',
              importedAt,
              sourceFile: fileName,
            };
        for (const field of parsed.present) next[field] = values[field];
        const changed = !before || parsed.present.some((f) => before[f] !== next[f]);
        if (!changed) {
          unchanged++;
          continue;
        }
        next.importedAt = importedAt;
        next.sourceFile = fileName;
        byMac.set(values.mac, next);
        if (before) updated++;
        else imported++;
      }
      if (imported + updated > 0) {
        await this.site.writeJson(SHEET_FILE, SheetFileSchema, {
          format: 'fieldkit-sheet',
          formatVersion: 1,
          updatedAt: importedAt,
          rows: [...byMac.values()],
        });
      }
      return {
        imported,
        updated,
        unchanged,
        errors: parsed.errors,
        warnings: parsed.warnings,
        rowsRead: parsed.dataRows,
        separator: parsed.separator,
        columns: parsed.columns,
      };
    });
  }
}

/**
 * For jobs that worked on phones: hands their findings to the site's inventory. A damaged inventory file must not
 * fail the job that already did its work, so a problem is told to `warn` instead of thrown.
 */
export async function reportToInventory(
  site: SiteWorkspace,
  reports: readonly PhoneReportInput[],
  warn: (message: string) => void,
): Promise<void> {
  try {
    await InventoryStore.for(site).recordPhoneReports(reports);
  } catch (e) {
    warn(`The inventory could not be updated with these results: ${(e as Error).message}`);
  }
}
