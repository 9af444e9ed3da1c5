import { InventoryStore } from '../../core/inventory/inventory-store';
import { readScanSettings } from '../../core/inventory/remembered-scan';
import { phoneTimeline } from '../../core/inventory/phone-timeline';
import { readSavedViews, saveSavedViews } from '../../core/inventory/saved-views';
import { inventoryToCsv, exportFileName } from '../../core/inventory/inventory-export';
import { onLinkScan } from '../../core/discovery/arp-budget';
import { localSubnets, parseTargets, rangesContain, LARGE_SCAN_ADDRESSES } from '../../core/discovery/ranges';
import { FieldkitError, isFieldkitError } from '../../core/util/errors';
import type { Handlers } from '../../api/dispatcher';
import type { inventoryCalls } from '../../api/calls/inventory';
import type { AppContext } from '../app-context';

export function inventoryHandlers(
  app: Pick<AppContext, 'currentSite' | 'events'>,
): Pick<Handlers, keyof typeof inventoryCalls> {
  const store = () => InventoryStore.for(app.currentSite());
  return {
    'inventory.list': async () => {
      const [rows, lastScan] = await Promise.all([store().rows(), store().lastScan()]);
      return { rows, lastScan };
    },
    'inventory.get': async ({ key }) => store().detail(key),
    'inventory.importCsv': async ({ text, fileName }) => {
      const result = await store().importSheet(text, fileName ?? null);
      if (result.imported + result.updated > 0) app.events.emit('inventory.changed', { reason: 'import', scan: null });
      return result;
    },
    'inventory.exportCsv': async ({ keys }) => {
      const wanted = keys ? new Set(keys) : null;
      const rows = (await store().rows()).filter((r) => !wanted || wanted.has(r.key));
      return { csv: inventoryToCsv(rows), fileName: exportFileName(app.currentSite().meta.name, new Date()) };
    },
    'inventory.timeline': async ({ key }) => phoneTimeline(app.currentSite(), key),
    'inventory.views': async () => readSavedViews(app.currentSite()),
    'inventory.saveViews': async ({ views }) => saveSavedViews(app.currentSite(), views),
    'inventory.devices': async ({ scan }) => {
      const devices = await store().devices();
      const all = (d: (typeof devices)[number]) => ({ ...d.record, state: d.state });
      if (scan === undefined) return { devices: devices.map(all) };
      const summary = (await store().scans()).find((s) => s.id === scan);
      if (!summary) throw new FieldkitError('not-found', `No scan ${scan} in this site's inventory.`);
      // After a scan is merged, the present devices inside its ranges are exactly the ones it found.
      const ranges = parseTargets(summary.ranges, { confirmLarge: true }).ranges;
      const found = devices.filter((d) => d.state === 'present' && d.record.ip && rangesContain(ranges, d.record.ip));
      return { devices: found.map(all) };
    },
    'inventory.lastChanges': async () => store().lastScan(),
    'discovery.proposeRanges': async () => ({
      subnets: localSubnets(),
      lastUsed: await readScanSettings(app.currentSite()),
    }),
    'discovery.checkRanges': async ({ ranges, confirmLarge }) => {
      try {
        const targets = parseTargets([ranges], { confirmLarge: true });
        const large = targets.total > LARGE_SCAN_ADDRESSES;
        const error =
          large && !confirmLarge
            ? `These targets hold ${targets.total.toLocaleString('en')} addresses, more than a /16. Such a scan takes long and sends a lot of traffic: confirm it below, or give smaller subnets.`
            : null;
        // Said before the scan starts: how long the OS will make a scan of the laptop's own segment take.
        const slow = onLinkScan(targets.ranges).warning;
        return { total: targets.total, large, warnings: slow ? [...targets.warnings, slow] : targets.warnings, error };
      } catch (e) {
        if (!isFieldkitError(e)) throw e;
        return { total: 0, large: false, warnings: [], error: e.message };
      }
    },
  };
}
