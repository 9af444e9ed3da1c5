// The inventory calls through FieldkitApp.dispatch, as the UI and the browser host use them, including a
// discovery job against simulated phones on loopback whose result lands in the site's inventory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { startLab } from '../../sim/lab';
import { tempDir } from '../../helpers/temp-dir';
import { callsOf } from '../../helpers/app-calls';

async function openApp(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  // The simulated phones keep the firmware's default admin password, so discovery can read /sysinfo.html (MAC).
  const secrets = new MemorySecretStore({ 'phone-admin-password': '22222' });
  const app = new FieldkitApp(
    nodePlatform({ appDataDir: join(dir, 'data'), defaultSitesRoot: join(dir, 'sites'), secrets }),
  );
  t.after(() => app.shutdown());
  const { ok } = callsOf(app);
  await ok('site.create', { dir: join(dir, 'sites', 'api'), name: 'API site' });
  return { app, ok };
}

test('import, list, get and export through the dispatcher; bad input is refused at the boundary', async (t) => {
  const { app, ok } = await openApp(t);
  const events: string[] = [];
  app.events.subscribe((name) => events.push(name));
  const imported = await ok('inventory.importCsv', {
    text: 'MAC;DN;Name\n00085D000001;100;=cmd()\n00085D000002;x1;Ben\nbad;1;x\n',
    fileName: 'plan.csv',
  });
  assert.deepEqual(
    [imported.imported, imported.errors.map((e) => e.row), imported.warnings.map((w) => w.row)],
    [2, [4], [3]],
  );
  assert.equal(imported.separator, ';');
  assert.ok(events.includes('inventory.changed'));

  const list = await ok('inventory.list', {});
  assert.equal(list.rows.length, 2);
  assert.ok(list.rows.every((r) => r.presence === 'expected'));
  assert.equal(list.lastScan, null);

  const detail = await ok('inventory.get', { key: list.rows[0]!.key });
  assert.equal(detail.fields.find((f) => f.name === 'displayName')!.source, 'sheet');

  const exported = await ok('inventory.exportCsv', {});
  assert.match(exported.fileName, /^inventory-API-site-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.ok(exported.csv.includes(",'=cmd(),"), 'a formula cell is guarded');
  assert.ok(exported.csv.startsWith('MAC,IP,Model'));
  const reimported = await ok('inventory.importCsv', { text: exported.csv, fileName: exported.fileName });
  assert.deepEqual(
    [reimported.imported, reimported.updated, reimported.unchanged, reimported.errors.length],
    [0, 0, 2, 0],
    'the export imports back unchanged',
  );

  const tooBig = await app.dispatch('inventory.importCsv', { text: 'x'.repeat(5 * 1024 * 1024 + 1) });
  assert.equal(tooBig.ok, false);
  const noMac = await app.dispatch('inventory.importCsv', { text: 'Name\nDana\n' });
  assert.ok(!noMac.ok && noMac.error.code === 'invalid-input' && /No MAC column/.test(noMac.error.message));
  const unknown = await app.dispatch('inventory.get', { key: 'mac:00:00:00:00:00:01' });
  assert.ok(!unknown.ok && unknown.error.code === 'not-found');
});

test("range proposals and checks: the laptop's subnets, sizes, and a /16+ needing confirmation", async (t) => {
  const { ok } = await openApp(t);
  const { subnets, lastUsed } = await ok('discovery.proposeRanges', {});
  for (const s of subnets) assert.match(s.cidr, /^\d+\.\d+\.\d+\.\d+\/\d+$/);
  assert.equal(lastUsed, null, 'a new site has no scan of its own to propose');
  assert.deepEqual(await ok('discovery.checkRanges', { ranges: '192.168.10.0/24' }), {
    total: 254,
    large: false,
    warnings: [],
    error: null,
  });
  const big = await ok('discovery.checkRanges', { ranges: '10.0.0.0/15' });
  assert.equal(big.large, true);
  assert.match(big.error ?? '', /more than a \/16.*confirm/);
  assert.equal((await ok('discovery.checkRanges', { ranges: '10.0.0.0/15', confirmLarge: true })).error, null);
  assert.match((await ok('discovery.checkRanges', { ranges: '192.168.1.300' })).error ?? '', /not an IPv4 address/);
});

test('a discovery job against loopback phones fills the inventory; a re-scan marks an unreachable phone gone', async (t) => {
  const lab = await startLab(
    {
      name: 'inv-api',
      loopbackBase: '127.66.0.0',
      bootMs: 0,
      groups: [
        {
          kind: 'mitel-6800',
          count: 2,
          model: '6867i',
          versions: ['6.5.0.224', '5.1.0.2051'],
          macStart: '00:08:5D:66:00:01',
          ports: { sip: 15060, http: 18080, https: null },
        },
        {
          kind: 'mitel-6800',
          count: 1,
          model: '6865i',
          versions: ['6.4.0.140'],
          macStart: '00:08:5D:66:00:10',
          ports: { sip: 15060, http: 18080, https: null },
        },
      ],
    },
    { mode: 'loopback' },
  );
  t.after(() => lab.stop());
  const { app, ok } = await openApp(t);
  await ok('inventory.importCsv', { text: 'MAC,DN,Name\n00085D660001,2001,Reception\n', fileName: 'plan.csv' });
  const params = {
    ranges: ['127.66.0.1-127.66.0.3'],
    sipPorts: [15060],
    httpPorts: [18080],
    onlyListedPorts: true,
    methods: { mdns: false, neighbour: false, passive: false },
  };

  const job = await ok('jobs.start', { kind: 'discovery', params });
  const done = await app.jobManager().wait(job.id);
  assert.equal(done.state, 'succeeded', done.error);
  const list = await ok('inventory.list', {});
  const present = list.rows.filter((r) => r.presence === 'present');
  assert.equal(present.length, 3, JSON.stringify(list.rows));
  assert.deepEqual(present.map((r) => [r.ip, r.model, r.firmware]).sort(), [
    ['127.66.0.1', '6867i', '6.5.0.224'],
    ['127.66.0.2', '6867i', '5.1.0.2051'],
    ['127.66.0.3', '6865i', '6.4.0.140'],
  ]);
  // The phone the sheet named was expected: seen for the first time, not "new"; the other two are new.
  assert.deepEqual(present.map((r) => [r.ip, r.changes]).sort(), [
    ['127.66.0.1', ['seen']],
    ['127.66.0.2', ['new']],
    ['127.66.0.3', ['new']],
  ]);
  assert.equal(list.lastScan?.counts.seen, 1);
  assert.equal(list.lastScan?.id, job.id);
  const reception = present.find((r) => r.ip === '127.66.0.1')!;
  assert.equal(reception.displayName, 'Reception', 'the sheet row joins the discovered phone by MAC');

  await lab.setFaults(lab.phones[2]!.mac, { unreachable: true });
  const again = await ok('jobs.start', { kind: 'discovery', params });
  assert.equal((await app.jobManager().wait(again.id)).state, 'succeeded');
  const changes = await ok('inventory.lastChanges', {});
  assert.equal(changes?.counts.gone, 1);
  assert.equal(changes?.counts.unchanged, 2);
  const rows = (await ok('inventory.list', {})).rows;
  assert.equal(rows.find((r) => r.ip === '127.66.0.3')!.presence, 'gone');
  const journal = await ok('jobs.journal', { id: again.id });
  assert.ok(journal.some((e) => e.type === 'inventory-updated'));
  const { lastUsed } = await ok('discovery.proposeRanges', {});
  assert.deepEqual(
    lastUsed && {
      ranges: lastUsed.ranges,
      sip: lastUsed.sipPorts,
      http: lastUsed.httpPorts,
      only: lastUsed.onlyListedPorts,
    },
    { ranges: ['127.66.0.1-127.66.0.3'], sip: [15060], http: [18080], only: true },
    'the next scan proposes how this site was scanned',
  );
});
