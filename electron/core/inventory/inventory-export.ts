// The inventory as a CSV a customer can open in a spreadsheet, and Fieldkit can import back as a sheet
// (its MAC, Directory number, Display name, Location and Model columns use the import's header names).
import { toCsv } from './csv';
import type { InventoryRow } from './inventory-rows';

const COLUMNS: readonly [string, (r: InventoryRow) => string][] = [
  ['MAC', (r) => r.mac ?? ''],
  ['IP', (r) => r.ip ?? ''],
  ['Model', (r) => r.model ?? ''],
  ['Firmware', (r) => r.firmware ?? ''],
  ['Status', (r) => r.presence],
  ['Classification', (r) => r.classification ?? ''],
  ['Change', (r) => r.changes.join(' ')],
  ['Directory number', (r) => r.directoryNumber],
  ['Display name', (r) => r.displayName],
  ['Location', (r) => r.location],
  ['Below OSV minimum', (r) => (r.firmware ? (r.flags.belowOsvMinimum ? 'yes' : 'no') : '')],
  ['Advisories', (r) => (r.flags.vulnerable ? 'affected' : r.flags.possiblyVulnerable ? 'possibly affected' : '')],
  ['Sources', (r) => r.sources.join(' ')],
  ['Last seen', (r) => r.lastSeen ?? ''],
];

export function inventoryToCsv(rows: readonly InventoryRow[]): string {
  return toCsv([COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, get]) => get(r)))]);
}

export function exportFileName(siteName: string, now: Date): string {
  const slug =
    siteName
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'site';
  return `inventory-${slug}-${now.toISOString().slice(0, 10)}.csv`;
}
