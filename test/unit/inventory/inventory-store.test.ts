import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { InventoryStore } from '../../../electron/core/inventory/inventory-store';
import { type FieldkitError } from '../../../electron/core/util/errors';
import { tempDir } from '../../helpers/temp-dir';
import { phoneRecord, inSubnet } from './records';

async function site(t: Parameters<typeof tempDir>[0]) {
  const ws = await SiteWorkspace.create(join(await tempDir(t), 'site'), { name: 'Store test' });
  return { ws, store: InventoryStore.for(ws) };
}

const MAC_A = '00:08:5D:00:00:0A';
const MAC_B = '00:08:5D:00:00:0B';
const scan = (n: number) => ({
  id: `scan-${n}`,
  at: `2026-03-0${n}T10:00:00.000Z`,
  ranges: ['10.0.0.0/24'],
  covers: inSubnet('10.0.0.'),
});

test('scans are persisted with firstSeen/lastSeen, changes and a scan history; gone devices are kept', async (t) => {
  const { ws, store } = await site(t);
  await store.applyScan(
    [
      phoneRecord({ ip: '10.0.0.1', mac: MAC_A, firmware: '6.4.0.136', at: scan(1).at }),
      phoneRecord({ ip: '10.0.0.2', mac: MAC_B, at: scan(1).at }),
    ],
    scan(1),
  );
  const second = await store.applyScan(
    [phoneRecord({ ip: '10.0.0.5', mac: MAC_A, firmware: '6.5.0.224', at: scan(2).at })],
    scan(2),
  );
  assert.deepEqual(second.counts, {
    new: 0,
    seen: 0,
    gone: 1,
    returned: 0,
    moved: 1,
    firmware: 1,
    model: 0,
    unchanged: 0,
    noAnswer: 0,
  });

  const reopened = InventoryStore.for(await SiteWorkspace.open(ws.root));
  const devices = await reopened.devices();
  assert.equal(devices.length, 2);
  const a = devices.find((d) => d.record.key === `mac:${MAC_A}`)!;
  assert.equal(a.record.firstSeen, scan(1).at);
  assert.equal(a.record.lastSeen, scan(2).at);
  assert.equal(devices.find((d) => d.record.key === `mac:${MAC_B}`)!.state, 'gone');
  assert.deepEqual(
    (await reopened.scans()).map((s) => s.id),
    ['scan-1', 'scan-2'],
  );
  assert.equal((await reopened.lastScan())!.id, 'scan-2');
  const onDisk = JSON.parse(await readFile(join(ws.root, 'inventory', 'devices.json'), 'utf8'));
  assert.equal(onDisk.format, 'fieldkit-inventory');
});

test('a corrupt inventory file is a clear error, and neither it nor anything else is overwritten', async (t) => {
  const { ws, store } = await site(t);
  await store.importSheet('MAC,DN\n00085D00000A,100\n', 'sheet.csv');
  const file = join(ws.root, 'inventory', 'devices.json');
  await writeFile(file, '{"format":"fieldkit-inventory", truncated');
  await assert.rejects(
    store.applyScan([phoneRecord({ ip: '10.0.0.1', mac: MAC_A })], scan(1)),
    (e: FieldkitError) =>
      e.code === 'workspace-corrupt' && e.message.includes('devices.json') && /did not change it/.test(e.message),
  );
  assert.equal(await readFile(file, 'utf8'), '{"format":"fieldkit-inventory", truncated');
  await assert.rejects(store.rows(), /workspace-corrupt|damaged/);
  assert.ok(
    (await readdir(join(ws.root, 'inventory'))).some((n) => n.startsWith('devices.json.corrupt-')),
    'a dated copy is kept',
  );
  assert.equal((await store.sheet()).length, 1, 'the sheet is untouched');

  await writeFile(
    join(ws.root, 'inventory', 'sheet.json'),
    JSON.stringify({ format: 'fieldkit-sheet', formatVersion: 1, updatedAt: 'x', rows: [{ mac: 1 }] }),
  );
  await assert.rejects(
    store.importSheet('MAC\n00085D00000B\n', 'b.csv'),
    (e: FieldkitError) =>
      e.code === 'workspace-corrupt' && /sheet\.json does not have the expected content/.test(e.message),
  );
});

test('importing the sheet adds and updates by MAC, keeps phones not in the file, and reports row errors', async (t) => {
  const { store } = await site(t);
  const first = await store.importSheet(
    'MAC;DN;Name;Location\n00085D00000A;100;Anna;Lobby\n00085D00000B;101;Ben;Lab\n',
    'first.csv',
    new Date('2026-03-01T09:00:00Z'),
  );
  assert.deepEqual([first.imported, first.updated, first.unchanged, first.errors.length], [2, 0, 0, 0]);
  // Second file: only MAC and Location columns; one update, one unchanged-by-content row, one bad row, one new.
  const second = await store.importSheet(
    'mac,room\n00-08-5d-00-00-0a,Reception\n00085D00000B,Lab\nzz,Nowhere\n00085D00000C,Cellar\n',
    'second.csv',
  );
  assert.deepEqual([second.imported, second.updated, second.unchanged], [1, 1, 1]);
  assert.deepEqual(
    second.errors.map((e) => e.row),
    [4],
  );
  const sheet = await store.sheet();
  const anna = sheet.find((r) => r.mac === MAC_A)!;
  assert.equal(anna.location, 'Reception');
  assert.equal(anna.directoryNumber, '100', 'a column the file does not have keeps its value');
  assert.equal(anna.displayName, 'Anna');
  assert.equal(anna.sourceFile, 'second.csv');
  assert.equal(sheet.find((r) => r.mac === MAC_B)!.sourceFile, 'first.csv', 'an unchanged row keeps its origin');
  assert.equal(sheet.length, 3);
});

test('rows join devices and the sheet by MAC; sheet phones not yet seen are "expected"; detail names every source', async (t) => {
  const { store } = await site(t);
  await store.importSheet(
    'MAC,DN,Name,Location,Model\n00085D00000A,100,Anna,Lobby,6865i\n00085D00000C,abc,Cleo,Lab,6867i\n',
    'plan.csv',
    new Date('2026-03-01T08:00:00Z'),
  );
  await store.applyScan(
    [
      phoneRecord({ ip: '10.0.0.1', mac: MAC_A, firmware: '5.1.0.2051', model: '6867i', at: scan(1).at }),
      phoneRecord({ ip: '10.0.0.2', mac: MAC_B, at: scan(1).at }),
    ],
    scan(1),
  );
  const rows = await store.rows();
  assert.equal(rows.length, 3);
  const a = rows.find((r) => r.mac === MAC_A)!;
  assert.equal(a.presence, 'present');
  assert.equal(a.directoryNumber, '100');
  assert.equal(a.model, '6867i');
  assert.equal(a.flags.modelMismatch, true);
  assert.equal(a.flags.belowOsvMinimum, true);
  const expected = rows.find((r) => r.mac === '00:08:5D:00:00:0C')!;
  assert.equal(expected.presence, 'expected');
  assert.equal(expected.key, 'sheet:00:08:5D:00:00:0C');
  assert.equal(expected.flags.dnNotNumeric, true);

  const detail = await store.detail(a.key);
  const field = (name: string) => detail.fields.find((f) => f.name === name)!;
  assert.deepEqual(
    [field('firmware').value, field('firmware').source, field('firmware').at],
    ['5.1.0.2051', 'sip', scan(1).at],
  );
  assert.deepEqual([field('mac').source], ['neighbour']);
  assert.deepEqual(
    [field('directoryNumber').value, field('directoryNumber').source, field('directoryNumber').detail],
    ['100', 'sheet', 'plan.csv'],
  );
  assert.equal(field('sheetModel').value, '6865i');
  assert.equal((await store.detail(expected.key)).row.presence, 'expected');
  await assert.rejects(store.detail('mac:00:00:00:00:00:00'), (e: FieldkitError) => e.code === 'not-found');
});

test('a scan and a sheet import at the same moment both land', async (t) => {
  const { store } = await site(t);
  await Promise.all([
    store.applyScan([phoneRecord({ ip: '10.0.0.1', mac: MAC_A })], scan(1)),
    store.importSheet('MAC,DN\n00085D00000B,101\n', 'x.csv'),
    store.applyScan([phoneRecord({ ip: '10.0.0.2', mac: MAC_B })], { ...scan(2), covers: () => false }),
  ]);
  assert.equal((await store.devices()).length, 2);
  assert.equal((await store.sheet()).length, 1);
  assert.equal((await store.scans()).length, 2);
});
