// The inventory table's columns, sorting and filtering: plain functions over the rows inventory.list returns.
import type { CallOutput } from '$api/contract';

export type Row = CallOutput<'inventory.list'>['rows'][number];
export type ScanSummary = NonNullable<CallOutput<'inventory.lastChanges'>>;
export type ColumnId =
  'ip' | 'mac' | 'model' | 'firmware' | 'presence' | 'classification' | 'change' | 'dn' | 'name' | 'location';

export const COLUMNS: { id: ColumnId; label: string }[] = [
  { id: 'ip', label: 'IP' },
  { id: 'mac', label: 'MAC' },
  { id: 'model', label: 'Model' },
  { id: 'firmware', label: 'Firmware' },
  { id: 'presence', label: 'Status' },
  { id: 'classification', label: 'Type' },
  { id: 'change', label: 'Change' },
  { id: 'dn', label: 'DN' },
  { id: 'name', label: 'Name' },
  { id: 'location', label: 'Location' },
];

export const PRESENCE_LABELS: Record<Row['presence'], string> = {
  present: 'Present',
  gone: 'Gone',
  expected: 'Not seen yet',
};
export const CLASS_LABELS: Record<NonNullable<Row['classification']>, string> = {
  supported: 'Supported',
  'other-mitel': 'Other Mitel',
  'other-sip': 'Other SIP',
  unknown: 'Unknown',
};
export const CHANGE_LABELS: Record<Row['changes'][number], string> = {
  new: 'New',
  gone: 'Gone',
  returned: 'Back',
  moved: 'Moved',
  firmware: 'Firmware',
  model: 'Model',
};

const ipKey = (ip: string | null): number => {
  if (!ip) return Number.MAX_SAFE_INTEGER;
  const parts = ip.split('.').map(Number);
  return parts.length === 4
    ? ((parts[0]! * 256 + parts[1]!) * 256 + parts[2]!) * 256 + parts[3]!
    : Number.MAX_SAFE_INTEGER - 1;
};
const firmwareKey = (fw: string | null): string =>
  fw
    ? fw
        .split('.')
        .map((p) => p.padStart(6, '0'))
        .join('.')
    : '\uffff';
const text = (v: string | null | undefined): string => (v ? v.toLowerCase() : '\uffff');

const sortKeys: Record<ColumnId, (r: Row) => string | number> = {
  ip: (r) => ipKey(r.ip),
  mac: (r) => text(r.mac),
  model: (r) => text(r.model),
  firmware: (r) => firmwareKey(r.firmware),
  presence: (r) => r.presence,
  classification: (r) => text(r.classification),
  change: (r) => (r.changes.length ? r.changes.join(' ') : '\uffff'),
  dn: (r) => (r.directoryNumber ? r.directoryNumber.padStart(20, '0') : '\uffff'),
  name: (r) => text(r.displayName),
  location: (r) => text(r.location),
};

export interface SortState {
  column: ColumnId;
  direction: 'ascending' | 'descending';
}

export function sortRows(rows: readonly Row[], sort: SortState): Row[] {
  const key = sortKeys[sort.column];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((r) => ({ r, k: key(r), ip: ipKey(r.ip) }));
  keyed.sort((a, b) => (a.k < b.k ? -sign : a.k > b.k ? sign : a.ip - b.ip));
  return keyed.map((x) => x.r);
}

export interface Filters {
  search: string;
  model: string;
  firmware: '' | 'below-minimum' | 'vulnerable' | 'unknown';
  presence: '' | Row['presence'];
  classification: '' | NonNullable<Row['classification']>;
  change: '' | 'any' | Row['changes'][number];
}

export const NO_FILTERS: Filters = {
  search: '',
  model: '',
  firmware: '',
  presence: '',
  classification: '',
  change: '',
};

export function filterRows(rows: readonly Row[], f: Filters): Row[] {
  const needle = f.search.trim().toLowerCase();
  const macNeedle = needle.replace(/[^0-9a-f]/g, '');
  return rows.filter((r) => {
    if (f.model && (r.model ?? '') !== f.model) return false;
    if (f.firmware === 'below-minimum' && !r.flags.belowOsvMinimum) return false;
    if (f.firmware === 'vulnerable' && !r.flags.vulnerable && !r.flags.possiblyVulnerable) return false;
    if (f.firmware === 'unknown' && r.firmware) return false;
    if (f.presence && r.presence !== f.presence) return false;
    if (f.classification && r.classification !== f.classification) return false;
    if (f.change === 'any' && r.changes.length === 0) return false;
    if (f.change && f.change !== 'any' && !r.changes.includes(f.change)) return false;
    if (needle) {
      const hay =
        `${r.ip ?? ''} ${r.directoryNumber} ${r.displayName} ${r.location} ${r.model ?? ''} ${r.firmware ?? ''}`.toLowerCase();
      const macHit = macNeedle.length >= 4 && (r.mac ?? '').replace(/:/g, '').toLowerCase().includes(macNeedle);
      if (!hay.includes(needle) && !macHit) return false;
    }
    return true;
  });
}

export function isFiltered(f: Filters): boolean {
  return Object.values(f).some((v) => v !== '');
}

export function describeScan(scan: ScanSummary): string {
  const c = scan.counts;
  const parts = [
    c.new && `${c.new} new`,
    c.gone && `${c.gone} gone`,
    c.returned && `${c.returned} back`,
    c.moved && `${c.moved} moved`,
    c.firmware && `${c.firmware} with new firmware`,
    c.model && `${c.model} with another model`,
  ].filter(Boolean);
  return `${scan.found} found; ${parts.length ? parts.join(', ') : 'nothing changed'}`;
}
