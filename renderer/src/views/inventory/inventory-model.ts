// The inventory table's columns, sorting, filtering and selection: plain functions over the rows inventory.list
// returns, so they can be tested without a browser.
import { count } from '../../lib/format';
import type { CallOutput } from '$api/contract';

export type Row = CallOutput<'inventory.list'>['rows'][number];
export type ScanSummary = NonNullable<CallOutput<'inventory.lastChanges'>>;
export type Presence = Row['presence'];
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

export const PRESENCE_LABELS: Record<Presence, string> = {
  present: 'Present',
  'no-answer': 'No answer',
  gone: 'Gone',
  expected: 'Not seen yet',
};
export const PRESENCE_HINTS: Record<Presence, string> = {
  present: 'Answered the last scan of its address',
  'no-answer':
    'Did not answer the last scan of its address (slow, busy or switched off); only the network or an earlier provisioning request showed it',
  gone: 'Not found by the last scan of its address',
  expected: "Named in the technician's sheet, not seen on the network yet",
};
export const CLASS_LABELS: Record<NonNullable<Row['classification']>, string> = {
  supported: 'Supported',
  'other-mitel': 'Other Mitel',
  'other-sip': 'Other SIP',
  unknown: 'Unknown',
};
export const CHANGE_LABELS: Record<Row['changes'][number], string> = {
  new: 'New',
  seen: 'First seen',
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
const PRESENCE_ORDER: Record<Presence, number> = { gone: 0, 'no-answer': 1, expected: 2, present: 3 };

const sortKeys: Record<ColumnId, (r: Row) => string | number> = {
  ip: (r) => ipKey(r.ip),
  mac: (r) => text(r.mac),
  model: (r) => text(r.model),
  firmware: (r) => firmwareKey(r.firmware),
  presence: (r) => PRESENCE_ORDER[r.presence],
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
  presence: '' | 'offline' | Presence;
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
    if (f.presence === 'offline' && r.presence !== 'gone' && r.presence !== 'no-answer') return false;
    if (f.presence && f.presence !== 'offline' && r.presence !== f.presence) return false;
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

const FILTER_KEYS = Object.keys(NO_FILTERS) as (keyof Filters)[];

/** Filters from the address (#/inventory?presence=gone) or a saved filter; unknown keys are ignored. */
export function filtersFrom(values: Record<string, string>): Filters {
  const f: Filters = { ...NO_FILTERS };
  for (const k of FILTER_KEYS)
    if (typeof values[k] === 'string') (f as unknown as Record<string, string>)[k] = values[k];
  return f;
}

/** The non-empty filters, for the address and for saving. */
export function filterValues(f: Filters): Record<string, string> {
  return Object.fromEntries(FILTER_KEYS.filter((k) => f[k] !== '').map((k) => [k, f[k]]));
}

export function describeScan(scan: ScanSummary): string {
  const c = scan.counts;
  const parts = [
    c.seen && `${count(c.seen, 'phone')} from the sheet seen for the first time`,
    c.new && `${c.new} new`,
    c.gone && `${c.gone} gone`,
    c.noAnswer && `${c.noAnswer} did not answer`,
    c.returned && `${c.returned} back`,
    c.moved && `${c.moved} moved`,
    c.firmware && `${c.firmware} with new firmware`,
    c.model && `${c.model} with another model`,
  ].filter(Boolean);
  return `${scan.found} found; ${parts.length ? parts.join(', ') : 'nothing changed'}`;
}

/** "24 devices · 12 × 6867i, 8 × 6865i · 20 present · 2 no answer": counts by model, from the scan or the sheet. */
export function inventorySummary(rows: readonly Row[]): string {
  const models = new Map<string, number>();
  for (const r of rows) if (r.model) models.set(r.model, (models.get(r.model) ?? 0) + 1);
  const byPresence = (p: Presence) => rows.filter((r) => r.presence === p).length;
  return [
    count(rows.length, 'device'),
    [...models]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([m, n]) => `${n} × ${m}`)
      .join(', '),
    byPresence('present') && `${byPresence('present').toLocaleString('en')} present`,
    byPresence('no-answer') && `${byPresence('no-answer').toLocaleString('en')} no answer`,
    byPresence('gone') && `${byPresence('gone').toLocaleString('en')} gone`,
    byPresence('expected') && `${byPresence('expected').toLocaleString('en')} not seen yet`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The MACs (12 hex digits) of the chosen rows that have one: what reboot, verify and plans take. */
export function chosenMacs(rows: readonly Row[], chosen: ReadonlySet<string>): string[] {
  return rows.filter((r) => chosen.has(r.key) && r.mac).map((r) => r.mac!.replace(/[^0-9a-f]/gi, '').toUpperCase());
}

/** A change in words: "First seen at 10.0.0.3", "Firmware: 6.4.0.140 → 6.5.0.224". */
export function changeText(c: { kind: Row['changes'][number]; from: string | null; to: string | null }): string {
  const label = CHANGE_LABELS[c.kind];
  if (c.kind === 'new' || c.kind === 'seen' || c.kind === 'returned') return c.to ? `${label} at ${c.to}` : label;
  if (c.kind === 'gone') return label;
  return `${label}: ${c.from ?? '—'} → ${c.to ?? '—'}`;
}
