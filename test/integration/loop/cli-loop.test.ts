// The CLI faces of the loop: `fieldkit generate --json`, `fieldkit reboot` (plan only without --yes,
// restart with --yes) and `fieldkit verify --json`, on a site prepared through the API, secrets from the environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../../../electron/cli';
import { startLab } from '../../sim/lab';
import { tempDir } from '../../helpers/temp-dir';
import { makeTestCa, testCa } from '../../helpers/test-ca';

const ADMIN = '3391548260';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('generate, reboot (plan, then --yes) and verify from the command line', { timeout: 60_000 }, async (t) => {
  const lab = await startLab(
    {
      name: 'cli-loop',
      loopbackBase: '127.97.0.0',
      bootMs: 500,
      groups: [
        {
          kind: 'mitel-6800',
          count: 3,
          model: '6867i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:97:00:01',
          adminPassword: ADMIN,
        },
      ],
    },
    { mode: 'loopback' },
  );
  t.after(() => lab.stop());
  const dir = await tempDir(t);
  const site = join(dir, 'site');
  const macs = lab.phones.map((p) => p.mac.replace(/:/g, ''));
  const saved = { ...process.env };
  t.after(() => {
    process.env = saved;
  });
  process.env.FIELDKIT_DATA_DIR = join(dir, 'data');
  process.env.FIELDKIT_SITES_DIR = dir;
  process.env.FIELDKIT_ADMIN_PASSWORD = ADMIN;
  // the command line keeps no secret: the site's admin secret comes from the environment
  process.env.FIELDKIT_ADMIN_SECRET = '9c'.repeat(32);

  assert.equal((await cli(['site', 'create', site, '--name', 'CLI site'])).code, 0);
  const { FieldkitApp } = await import('../../../electron/app/fieldkit-app');
  const { nodePlatform } = await import('../../../electron/app/node-platform');
  const app = new FieldkitApp(nodePlatform({ appDataDir: join(dir, 'data') }));
  await app.openSite(site);
  const call = async (name: string, input: unknown) => {
    const r = await app.dispatch(name, input);
    assert.ok(r.ok, JSON.stringify(r));
    return r.value;
  };
  const job = (await call('jobs.start', {
    kind: 'discovery',
    params: { ranges: lab.phones.map((p) => p.address), methods: { mdns: false, neighbour: false, passive: false } },
  })) as { id: string };
  assert.equal((await app.jobManager().wait(job.id)).state, 'succeeded');
  await call('inventory.importCsv', { text: ['MAC,DN', ...macs.map((m, i) => `${m},${500 + i}`)].join('\n') });
  await call('config.settings.save', {
    settings: {
      osv: { proxy: { host: '10.0.0.1' }, trustedCaFile: 'ca.pem' },
      ntp: { server1: '10.0.0.2' },
      provisioning: { server: '10.0.0.3' },
    },
  });
  await app.shutdown();

  // TLS without the customer's CA: generate says what to do; `fieldkit ca import` does it
  const noCa = await cli(['generate', '--json', '--site', site]);
  assert.match(noCa.out, /fieldkit ca import <file\.pem>/);
  const { writeFile } = await import('node:fs/promises');
  const expired = await makeTestCa({ name: 'Expired CA', notBefore: new Date(Date.now() - 90 * 86_400_000), days: 30 });
  await writeFile(join(dir, 'expired.pem'), expired.certPem);
  const refused = await cli(['ca', 'import', join(dir, 'expired.pem'), '--site', site]);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /expired on/);
  await writeFile(join(dir, 'ca.pem'), (await testCa()).certPem);
  const imported = await cli(['ca', 'import', join(dir, 'ca.pem'), '--site', site, '--json']);
  assert.equal(imported.code, 0, imported.out + imported.err);
  assert.deepEqual((({ imported: i, publishedAs }) => ({ i, publishedAs }))(JSON.parse(imported.out)), {
    i: true,
    publishedAs: 'ca.pem',
  });
  const shown = await cli(['ca', 'show', '--site', site]);
  assert.equal(shown.code, 0);
  assert.match(shown.out, /Test Customer Root CA[\s\S]*valid until \d{4}-\d\d-\d\d \(\d+ days left\)/);

  const missing = await cli(['generate', '--json', '--site', site]);
  assert.equal(missing.code, 1, 'not ready: SIP passwords missing');
  assert.deepEqual(
    JSON.parse(missing.out)
      .missingCredentials.map((m: { key: string }) => m.key)
      .sort(),
    macs.map((m) => `sip-password:${m}`).sort(),
  );
  for (const m of macs) process.env[`FIELDKIT_SECRET_SIP_PASSWORD_${m}`] = `pw-${m}`;
  const ready = await cli(['generate', '--site', site]);
  assert.equal(ready.code, 0, ready.out + ready.err);
  assert.match(ready.out, /Ready to publish/);

  const planOnly = await cli(['reboot', '--all', '--site', site]);
  assert.equal(planOnly.code, 3);
  assert.match(planOnly.out, /Would restart 3 phone\(s\).*Nothing was restarted/s);
  assert.ok(
    lab.phones.every((p) => !lab.phone(p.mac).history.some((e) => e.type === 'sip-check-sync')),
    'nothing restarted without --yes',
  );
  assert.ok(
    lab.phones.every((p) => !lab.phone(p.mac).history.some((e) => e.type === 'web-reset')),
    'nothing restarted without --yes (web UI either)',
  );

  const rebooted = await cli(['reboot', '--phones', macs.slice(0, 2).join(','), '--yes', '--json', '--site', site]);
  assert.equal(rebooted.code, 0, rebooted.out + rebooted.err);
  // a TLS site: the web UI restart goes first (the phones would not answer NOTIFY on UDP once provisioned)
  assert.deepEqual(
    JSON.parse(rebooted.out).report.results.map((r: { method: string }) => r.method),
    ['web-restart', 'web-restart'],
  );

  const verified = await cli(['verify', '--json', '--boot-timeout', '10', '--site', site]);
  const report = JSON.parse(verified.out).report;
  assert.deepEqual(
    report.results.map((r: { mac: string }) => r.mac),
    macs.slice(0, 2),
  );
  // nothing was published (this test has no server), so the phones still show no configuration server: verify says so
  assert.equal(verified.code, 1);
  assert.match(report.results[0].reasons.join(' '), /server "" instead of "10\.0\.0\.3"/);
});
