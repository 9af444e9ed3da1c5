// The inventory table's logic: filters from the address, counts by model, chosen phones, scan summaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chosenMacs,
  describeScan,
  filterRows,
  filterValues,
  filtersFrom,
  inventorySummary,
  NO_FILTERS,
  sortRows,
  type Row,
  type ScanSummary,
} from '../../../renderer/src/views/inventory/inventory-model';

function row(over: Partial<Row>): Row {
  return {
    key: `mac:${over.mac ?? '00:08:5D:00:00:01'}`,
    ip: '10.0.0.1',
    mac: '00:08:5D:00:00:01',
    model: '6867i',
    firmware: '6.5.0.224',
    classification: 'supported',
    presence: 'present',
    changes: [],
    directoryNumber: '',
    displayName: '',
    location: '',
    flags: {
      belowOsvMinimum: false,
      vulnerable: false,
      possiblyVulnerable: false,
      modelMismatch: false,
      dnNotNumeric: false,
    },
    sources: ['sip'],
    lastSeen: null,
    lastAnswer: null,
    ...over,
  };
}

const rows = [
  row({ mac: '00:08:5D:00:00:01', ip: '10.0.0.1', displayName: 'Desk 1', presence: 'present' }),
  row({ mac: '00:08:5D:00:00:02', ip: '10.0.0.2', displayName: 'Desk 2', presence: 'no-answer', model: '6865i' }),
  row({ mac: '00:08:5D:00:00:03', ip: '10.0.0.3', displayName: 'Desk 3', presence: 'gone' }),
  row({ mac: '00:08:5D:00:00:04', ip: null, displayName: 'Desk 4', presence: 'expected', classification: null }),
  row({ key: 'ip:10.0.0.9', mac: null, ip: '10.0.0.9', model: null, classification: 'unknown' }),
];

test('the header counts phones by model, also before any scan (the sheet names the models)', () => {
  const sheetOnly = rows.slice(3, 4);
  assert.equal(inventorySummary(sheetOnly), '1 device · 1 × 6867i · 1 not seen yet');
  assert.equal(
    inventorySummary(rows),
    '5 devices · 3 × 6867i, 1 × 6865i · 2 present · 1 no answer · 1 gone · 1 not seen yet',
  );
});

test('filters come from the address; "gone or no answer" is one filter; only set filters go back into it', () => {
  const f = filtersFrom({ presence: 'offline', unknown: 'x' });
  assert.deepEqual(
    filterRows(rows, f).map((r) => r.displayName),
    ['Desk 2', 'Desk 3'],
  );
  assert.deepEqual(filterValues(f), { presence: 'offline' });
  assert.deepEqual(filterValues(NO_FILTERS), {});
  assert.deepEqual(
    filterRows(rows, { ...NO_FILTERS, presence: 'no-answer' }).map((r) => r.displayName),
    ['Desk 2'],
  );
});

test('sorting by status puts the phones that need attention first', () => {
  assert.deepEqual(
    sortRows(rows, { column: 'presence', direction: 'ascending' }).map((r) => r.presence),
    ['gone', 'no-answer', 'expected', 'present', 'present'],
  );
});

test('only chosen rows with a MAC are acted on, as 12 hex digits', () => {
  const chosen = new Set(['mac:00:08:5D:00:00:02', 'ip:10.0.0.9']);
  assert.deepEqual(chosenMacs(rows, chosen), ['00085D000002']);
});

test('a scan summary tells sheet phones seen for the first time from new devices', () => {
  const scan = {
    found: 24,
    counts: { new: 4, seen: 20, gone: 0, noAnswer: 1, returned: 0, moved: 0, firmware: 0, model: 0, unchanged: 0 },
  } as ScanSummary;
  assert.equal(
    describeScan(scan),
    '24 found; 20 phones from the sheet seen for the first time, 4 new, 1 did not answer',
  );
});
