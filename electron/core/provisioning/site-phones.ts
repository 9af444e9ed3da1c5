// The phones of a site as provisioning sees them: the technician's sheet (MAC -> directory number,
// name, location, model) joined with what discovery found (address, ports, model, firmware) by MAC.
// Read through the inventory's own store.
import { isSupportedModel, normaliseModel, parseMac, macFileStem } from '../phone';
import { InventoryStore } from '../inventory/inventory-store';
import type { SupportedModel } from '../phone';
import type { InventoryDevice } from '../inventory/inventory-files';
import type { SheetRow } from '../inventory/sheet';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { SitePhone } from './site-phone-schemas';

export type { SitePhone };

export async function loadSitePhones(site: SiteWorkspace): Promise<SitePhone[]> {
  const store = InventoryStore.for(site);
  return joinSitePhones(await store.sheet(), await store.devices());
}

/** Sheet rows first (in sheet order), then discovered supported phones that the sheet does not name. */
export function joinSitePhones(rows: readonly SheetRow[], devices: readonly InventoryDevice[]): SitePhone[] {
  const byMac = new Map<string, InventoryDevice>();
  for (const d of devices) {
    const mac = d.record.mac ? parseMac(d.record.mac.value) : null;
    if (!mac) continue;
    const key = macFileStem(mac);
    const seen = byMac.get(key);
    // a present record wins over a gone one for the same MAC
    if (!seen || (seen.state === 'gone' && d.state === 'present')) byMac.set(key, d);
  }
  const out: SitePhone[] = [];
  const named = new Set<string>();
  for (const row of rows) {
    const mac = parseMac(row.mac);
    if (!mac) continue;
    const key = macFileStem(mac);
    named.add(key);
    const device = byMac.get(key);
    const sheetModel = normaliseModel(row.model);
    const deviceModel = discoveredModel(device);
    const model = isSupportedModel(sheetModel) ? sheetModel : row.model === '' ? deviceModel : null;
    out.push({
      mac: key,
      directoryNumber: row.directoryNumber,
      displayName: row.displayName,
      location: row.location,
      inSheet: true,
      model,
      modelSource: isSupportedModel(sheetModel) ? 'sheet' : model ? 'inventory' : null,
      unsupportedModel: row.model !== '' && !isSupportedModel(sheetModel) ? row.model : null,
      ...network(device),
    });
  }
  for (const [key, device] of byMac) {
    const model = discoveredModel(device);
    if (named.has(key) || !model) continue;
    out.push({
      mac: key,
      directoryNumber: '',
      displayName: '',
      location: '',
      inSheet: false,
      model,
      modelSource: 'inventory',
      unsupportedModel: null,
      ...network(device),
    });
  }
  return out;
}

function discoveredModel(device: InventoryDevice | undefined): SupportedModel | null {
  const model = normaliseModel(device?.record.model?.value);
  return isSupportedModel(model) ? model : null;
}

function network(
  device: InventoryDevice | undefined,
): Pick<SitePhone, 'ip' | 'sipPort' | 'httpPort' | 'firmware' | 'present'> {
  return {
    ip: device?.record.ip ?? null,
    sipPort: device?.record.sipPort ?? null,
    httpPort: device?.record.httpPort ?? null,
    firmware: device?.record.firmware?.value ?? null,
    present: device?.state === 'present',
  };
}
