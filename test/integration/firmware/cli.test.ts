// `fieldkit firmware import|library|plan|run|status` end to end through runCli, on the app's own built-in
// server and a small lab: the configuration is generated and published first (a run refuses to stage without it),
// nothing runs without --yes; with it the phones are flashed and the table saved.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { runCli } from '../../../electron/cli';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { saveServerConfig } from '../../../electron/core/provisioning/targets-config';
import { DEVICES_FILE, DevicesFileSchema } from '../../../electron/core/inventory/inventory-files';
import { startLab } from '../../sim/lab';
import { buildFirmwareImage } from '../../sim/firmware-image';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { testCa } from '../../helpers/test-ca';
import { assertCliJson } from '../../helpers/cli';
import { deviceFor } from './fixture';
import type { LabHandle } from '../../sim/lab';

let dir: string;
let lab: LabHandle;
const ADMIN = '4711';
const KEY = 'FirmwareCliKey000000001';
const savedEnv = { ...process.env };
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-fwcli-'));
  const site = await SiteWorkspace.create(join(dir, 'site'), { name: 'cli' });
  const port = await freePort();
  // the built-in server serves only under its random key; the phones' network-given URL names it (DHCP option 66)
  await saveServerConfig(site, { address: '127.0.0.1', port, pathPrefix: 'prov', pathKey: KEY });
  lab = await startLab(
    {
      name: 'fw-cli',
      loopbackBase: '127.67.0.0',
      bootMs: 300,
      flashMs: 400,
      groups: [
        {
          kind: 'mitel-6800',
          count: 4,
          model: '6865i',
          versions: ['6.4.0.140'],
          macStart: '00:08:5D:6D:00:01',
          ports: { sip: 5060, http: 80, https: null },
          adminPassword: ADMIN,
        },
      ],
    },
    { mode: 'loopback', provisioningUrl: `http://127.0.0.1:${port}/prov/${KEY}/` },
  );
  const at = new Date().toISOString();
  await site.writeJson(DEVICES_FILE, DevicesFileSchema, {
    format: 'fieldkit-inventory',
    formatVersion: 1,
    updatedAt: at,
    devices: lab.phones.map((p) => deviceFor({ ...p, firmware: p.firmware }, at)),
  });
  await writeFile(join(dir, '58015373REV036500224SP16865i.zip'), Buffer.alloc(0));

  // The site's configuration, generated and published to the built-in server as a technician does before a run.
  process.env.FIELDKIT_DATA_DIR = join(dir, 'data');
  process.env.FIELDKIT_ADMIN_PASSWORD = ADMIN;
  // the site's secret, from which each phone's own admin password is derived (the CLI's store keeps nothing)
  process.env.FIELDKIT_ADMIN_SECRET = 'c0ffee'.repeat(10) + 'c0de';
  const macs = lab.phones.map((ph) => ph.mac.replace(/:/g, ''));
  for (const m of macs) process.env[`FIELDKIT_SECRET_SIP_PASSWORD_${m}`] = `pw-${m}`;
  const app = new FieldkitApp(nodePlatform({ appDataDir: join(dir, 'data') }));
  await app.openSite(join(dir, 'site'));
  const call = async (name: string, input: unknown) => {
    const r = await app.dispatch(name, input);
    assert.ok(r.ok, JSON.stringify(r));
  };
  await call('inventory.importCsv', { text: ['MAC,DN', ...macs.map((m, i) => `${m},${700 + i}`)].join('\n') });
  await call('config.settings.save', {
    settings: {
      osv: { proxy: { host: '10.0.0.1' }, trustedCaFile: 'ca.pem' },
      ntp: { server1: '10.0.0.2' },
      provisioning: { protocol: 'HTTP', server: '127.0.0.1', port, path: 'prov' },
    },
  });
  await call('ca.import', { pem: (await testCa()).certPem }); // TLS (the default) needs the customer's CA
  await app.shutdown();
  const generated = await cli('generate');
  assert.equal(generated.code, 0, generated.out + generated.err);
  const pushed = await cli('push', '--target', 'builtin', '--yes', '--serve-seconds', '0');
  assert.equal(pushed.code, 0, pushed.out + pushed.err);
});
after(async () => {
  process.env = savedEnv;
  await lab.stop();
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli([...args, '--site', join(dir, 'site')], {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
  });
  return { code, out, err };
}

test('import, plan, run without and with --yes, status', async () => {
  const st = join(dir, '6865i-6.5.0.224.st');
  await writeFile(st, buildFirmwareImage({ model: '6865i', version: '6.5.0.224', sizeBytes: 2048 }));
  const imported = await cli('firmware', 'import', st, '--json');
  assert.equal(imported.code, 0, imported.out + imported.err);
  assert.equal(JSON.parse(imported.out).entries[0].id, '6865i-6.5.0.224');
  const bad = await cli('firmware', 'import', join(dir, '58015373REV036500224SP16865i.zip'));
  assert.equal(bad.code, 1);
  assert.match(bad.err, /not a readable ZIP package/);

  const plan = await cli(
    'firmware',
    'plan',
    '--target',
    '6865i=6.5.0.224',
    '--canary',
    '1',
    '--wave-size',
    '2',
    '--json',
  );
  assert.equal(plan.code, 0, plan.out + plan.err);
  const p = JSON.parse(plan.out);
  assert.equal(p.summary.flash, 4);

  const dry = await cli('firmware', 'run', '--plan', p.id);
  assert.equal(dry.code, 3);
  assert.match(dry.out, /Flash 4 phone\(s\): 4 6865i to 6\.5\.0\.224/);
  assert.match(dry.out, /Nothing was changed/);
  assert.ok(lab.phones.every((ph) => lab.phone(ph.mac).firmware === '6.4.0.140'));

  const run = await cli('firmware', 'run', '--plan', p.id, '--yes', '--json');
  assert.equal(run.code, 0, run.out + run.err);
  const r = assertCliJson<{ job: { id: string }; result: { counts: Record<string, number> } }>('firmware', {
    ...run,
    json: JSON.parse(run.out),
  });
  assert.equal(r.result.counts.verified, 4);
  // The result printed is the one the run's table was saved from: the journal is read once after the job, not again.
  assert.deepEqual(
    r.result,
    JSON.parse(await readFile(join(dir, 'site', 'reports', `firmware-${r.job.id}.json`), 'utf8')),
  );
  assert.ok(lab.phones.every((ph) => lab.phone(ph.mac).firmware === '6.5.0.224'));
  const status = await cli('firmware', 'status', r.job.id);
  assert.match(status.out, /4 verified/);
  assert.match(
    await readFile(join(dir, 'site', 'reports', `firmware-${r.job.id}.csv`), 'utf8'),
    /6\.4\.0\.140,6\.5\.0\.224,6\.5\.0\.224,verified/,
  );
});

test('plan --publish-target stages on that target of the site, fetched over --server-url', async () => {
  const r = await cli(
    'firmware',
    'plan',
    '--target',
    '6865i=6.5.0.224',
    '--publish-target',
    'osv-prov',
    '--server-url',
    'http://127.0.0.1:9/prov/',
  );
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, /osv-prov/, 'the plan looked for the named target, not the built-in server');
  const missingUrl = await cli('firmware', 'plan', '--target', '6865i=6.5.0.224', '--publish-target', 'osv-prov');
  assert.equal(missingUrl.code, 1);
  assert.match(missingUrl.err, /Say where the phones fetch the files of target "osv-prov"/);
});
