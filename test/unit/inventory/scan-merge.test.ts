import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeScan, type ScanContext } from '../../../electron/core/inventory/scan-merge';
import { phoneRecord, inSubnet } from './records';
import type { InventoryDevice } from '../../../electron/core/inventory/inventory-files';

const A = '00:08:5D:00:00:0A';
const B = '00:08:5D:00:00:0B';
const C = '00:08:5D:00:00:0C';

const scan = (n: number, covers = inSubnet('10.0.0.')): ScanContext => ({
  id: `scan-${n}`,
  at: `2026-03-0${n}T10:00:00.000Z`,
  ranges: ['10.0.0.0/24'],
  covers,
});

function first(): InventoryDevice[] {
  return mergeScan(
    [],
    [
      phoneRecord({ ip: '10.0.0.1', mac: A, firmware: '6.5.0.224', at: scan(1).at }),
      phoneRecord({ ip: '10.0.0.2', mac: B, firmware: '5.1.0.2051', at: scan(1).at }),
      phoneRecord({ ip: '10.0.0.3', mac: C, at: scan(1).at }),
    ],
    scan(1),
  ).devices;
}

test('the first scan marks every device new', () => {
  const { devices, summary } = mergeScan([], [phoneRecord({ ip: '10.0.0.1', mac: A })], scan(1));
  assert.equal(devices.length, 1);
  assert.deepEqual(devices[0]!.changes, [{ kind: 'new', from: null, to: '10.0.0.1' }]);
  assert.equal(summary.counts.new, 1);
  assert.equal(summary.found, 1);
});

test('a re-scan finds moved, firmware-changed, model-changed, gone and new devices; unchanged ones have no change', () => {
  const at = scan(2).at;
  const { devices, summary } = mergeScan(
    first(),
    [
      phoneRecord({ ip: '10.0.0.1', mac: A, firmware: '6.5.0.224', at }), // unchanged
      phoneRecord({ ip: '10.0.0.20', mac: B, firmware: '6.5.0.224', model: '6865i', at }), // moved + firmware + model
      phoneRecord({ ip: '10.0.0.9', mac: '00:08:5D:00:00:0D', at }), // new
      // C is gone
    ],
    scan(2),
  );
  const byMac = new Map(devices.map((d) => [d.record.mac!.value, d]));
  assert.deepEqual(byMac.get(A)!.changes, []);
  assert.deepEqual(byMac.get(B)!.changes, [
    { kind: 'moved', from: '10.0.0.2', to: '10.0.0.20' },
    { kind: 'firmware', from: '5.1.0.2051', to: '6.5.0.224' },
    { kind: 'model', from: '6867i', to: '6865i' },
  ]);
  assert.deepEqual(byMac.get(B)!.previousIps, ['10.0.0.2']);
  assert.equal(byMac.get(C)!.state, 'gone');
  assert.equal(byMac.get(C)!.goneSince, at);
  assert.deepEqual(byMac.get(C)!.changes, [{ kind: 'gone', from: '10.0.0.3', to: null }]);
  assert.deepEqual(
    byMac.get('00:08:5D:00:00:0D')!.changes.map((c) => c.kind),
    ['new'],
  );
  assert.deepEqual(summary.counts, {
    new: 1,
    seen: 0,
    gone: 1,
    returned: 0,
    moved: 1,
    firmware: 1,
    model: 1,
    unchanged: 1,
    noAnswer: 0,
  });
  assert.equal(summary.changesTotal, 5);
  assert.equal(byMac.get(B)!.record.firstSeen, scan(1).at, 'firstSeen kept from the first scan');
  assert.equal(byMac.get(B)!.record.lastSeen, at);
});

test('a gone device stays gone (kept, not deleted) and is marked returned when it comes back', () => {
  const afterGone = mergeScan(
    first(),
    [phoneRecord({ ip: '10.0.0.1', mac: A, firmware: '6.5.0.224' })],
    scan(2),
  ).devices;
  assert.equal(afterGone.length, 3);
  const stillGone = mergeScan(
    afterGone,
    [phoneRecord({ ip: '10.0.0.1', mac: A, firmware: '6.5.0.224' })],
    scan(3),
  ).devices;
  const c = stillGone.find((d) => d.record.mac?.value === C)!;
  assert.equal(c.state, 'gone');
  assert.deepEqual(c.changes, [], 'no new change while it stays gone');
  assert.equal(c.goneSince, scan(2).at);
  const back = mergeScan(stillGone, [phoneRecord({ ip: '10.0.0.3', mac: C })], scan(4));
  const cBack = back.devices.find((d) => d.record.mac?.value === C)!;
  assert.equal(cBack.state, 'present');
  assert.deepEqual(
    cBack.changes.map((x) => x.kind),
    ['returned'],
  );
  assert.equal(back.summary.counts.returned, 1);
});

test('devices outside the scanned addresses are left alone, not marked gone', () => {
  const { devices, summary } = mergeScan(first(), [], scan(2, inSubnet('10.9.')));
  assert.ok(devices.every((d) => d.state === 'present'));
  assert.equal(summary.counts.gone, 0);
});

test('a MAC-less sighting at a known address is the known phone; a known MAC-less device gains its MAC', () => {
  const ipOnly = mergeScan([], [phoneRecord({ ip: '10.0.0.7', mac: null, firmware: '6.4.0.136' })], scan(1)).devices;
  assert.equal(ipOnly[0]!.record.key, 'ip:10.0.0.7');
  const withMac = mergeScan(ipOnly, [phoneRecord({ ip: '10.0.0.7', mac: A, firmware: null })], scan(2));
  assert.equal(withMac.devices.length, 1);
  assert.equal(withMac.devices[0]!.record.key, `mac:${A}`);
  assert.equal(
    withMac.devices[0]!.record.firmware?.value,
    '6.4.0.136',
    'a field this scan did not read keeps its earlier value and source',
  );
  assert.equal(withMac.summary.counts.new, 0);
  const again = mergeScan(
    withMac.devices,
    [phoneRecord({ ip: '10.0.0.7', mac: null, firmware: '6.5.0.224' })],
    scan(3),
  );
  assert.equal(again.devices.length, 1);
  assert.equal(again.devices[0]!.record.mac?.value, A);
  assert.deepEqual(
    again.devices[0]!.changes.map((c) => c.kind),
    ['firmware'],
  );
});

test('firmware spelled differently but equal is not a change', () => {
  const base = mergeScan([], [phoneRecord({ ip: '10.0.0.1', mac: A, firmware: '6.5.0.224' })], scan(1)).devices;
  const next = mergeScan(
    base,
    [phoneRecord({ ip: '10.0.0.1', mac: A, firmware: 'V6.5.0.224-SIP', model: 'Mitel 6867i' })],
    scan(2),
  );
  assert.deepEqual(next.devices[0]!.changes, []);
});

test('passive sightings (covering nothing) add and update devices but never mark any gone', () => {
  const { devices } = mergeScan(first(), [phoneRecord({ ip: '10.0.0.50', mac: '00:08:5D:00:00:FF' })], {
    ...scan(2),
    ranges: [],
    covers: () => false,
  });
  assert.equal(devices.length, 4);
  assert.ok(devices.every((d) => d.state === 'present'));
});
