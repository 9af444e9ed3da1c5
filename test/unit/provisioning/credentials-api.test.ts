// Every credential the messages ask for can be set through the contract (issue 14 §5): the password the
// phone has now and the one Fieldkit sets, per phone; targets are checked before they are used; and one
// missing credential no longer blocks every phone ("publish the ready phones, skip 1").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { callsOf } from '../../helpers/app-calls';
import { tempDir } from '../../helpers/temp-dir';
import { freePort } from '../../integration/harden/harden-kit';

const MACS = ['00085D300001', '00085D300002', '00085D300003'];

async function site(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  const secrets = new MemorySecretStore();
  const app = new FieldkitApp(nodePlatform({ appDataDir: join(dir, 'data'), defaultSitesRoot: dir, secrets }));
  t.after(() => app.shutdown());
  const calls = callsOf(app);
  await calls.ok('site.create', { dir: join(dir, 'site'), name: 'Creds' });
  const port = await freePort();
  await calls.ok('config.settings.save', {
    settings: {
      osv: { proxy: { host: '10.0.0.1' }, transport: 'udp' },
      ntp: { server1: '10.0.0.2' },
      provisioning: { protocol: 'HTTP', server: '127.0.0.1', port, path: 'prov' },
    },
  });
  await calls.ok('inventory.importCsv', {
    text: ['MAC;DN;Model', ...MACS.map((m, i) => `${m};${2108181000 + i};6867i`)].join('\n'),
  });
  return { app, secrets, port, ...calls };
}

test('per phone: the password it has now and the one Fieldkit sets; the status says which without values', async (t) => {
  const { app, ok } = await site(t);
  const set = (key: string, value: string) => app.dispatch('credentials.set', { key, value });
  assert.ok((await set(`phone-current-admin-password:${MACS[0]}`, '13579')).ok);
  assert.ok(
    (await set(`phone-current-admin-password:${MACS[0]}`, '22222')).ok,
    "the phone's current one may be the default",
  );
  const def = await set(`phone-admin-password:${MACS[1]}`, '22222');
  assert.ok(!def.ok && /factory default 22222/.test(def.error.message), 'Fieldkit never sets 22222');
  const big = await set(`phone-admin-password:${MACS[1]}`, '5000000000');
  assert.ok(!big.ok && /above 4294967295/.test(big.error.message));
  assert.ok((await set(`phone-admin-password:${MACS[1]}`, '2718281828')).ok);
  const siteWide = await set('phone-admin-password', '22222');
  assert.ok(
    !siteWide.ok && /tries it by itself on first contact/.test(siteWide.error.message),
    'no contradiction about 22222',
  );
  const weakSecret = await set('admin-secret:whatever', 'short');
  assert.ok(!weakSecret.ok && /at least 16 characters/.test(weakSecret.error.message));
  await ok('config.generate', {});
  const status = await ok('credentials.status', {});
  assert.ok(status.siteSecret.stored);
  assert.deepEqual(
    status.phones.map((p) => [p.mac, p.adminSource, p.currentAdminPassword]),
    [
      [MACS[0], 'derived', true],
      [MACS[1], 'explicit', false],
      [MACS[2], 'derived', false],
    ],
  );
  const text = JSON.stringify(status);
  for (const v of ['13579', '2718281828']) assert.ok(!text.includes(v));
});

test('publish the ready phones, skip the one missing its SIP password; nothing of it is published', async (t) => {
  const { app, ok, runJob, port } = await site(t);
  for (const m of MACS.slice(0, 2)) await ok('credentials.set', { key: `sip-password:${m}`, value: `Sip-${m}-x9` });
  const report = await ok('config.generate', {});
  assert.equal(report.readyToPublish, false);
  assert.deepEqual(report.credentials, { readyPhones: 2, incompletePhones: [MACS[2]], siteWideMissing: false });
  const refused = await app.dispatch('provisioning.preview', { targetId: 'builtin' });
  assert.ok(!refused.ok && /skip phones that miss credentials/.test(refused.error.message), 'it says how to go on');
  await ok('provisioning.server.start', { config: { address: '127.0.0.1', port, pathPrefix: 'prov' } });
  const preview = await ok('provisioning.preview', { targetId: 'builtin', skipIncomplete: true });
  assert.deepEqual(
    preview.skipped.map((s) => s.name),
    [`${MACS[2]}.cfg`],
  );
  assert.match(preview.skipped[0]!.missing.join(), /No SIP password stored for phone 00085D300003/);
  assert.ok(!preview.files.some((f) => f.name === `${MACS[2]}.cfg`));
  await runJob('publish', { targetId: 'builtin', previewToken: preview.token });
  const served = (await ok('provisioning.server.status', {})).files;
  assert.ok(served.includes(`${MACS[0]}.cfg`) && served.includes(`${MACS[1]}.cfg`));
  assert.ok(!served.includes(`${MACS[2]}.cfg`), 'no secret-less file for the skipped phone');
  const journal = await ok('jobs.journal', { id: (await ok('jobs.list', {}))[0]!.id });
  assert.ok(JSON.stringify(journal).includes('left out because credentials are missing: 00085D300003.cfg'));
});

test('a target is checked before it is used: no credential, nothing listening, then the built-in server', async (t) => {
  const { ok, port } = await site(t);
  await ok('provisioning.saveTarget', {
    target: { id: 'cust', kind: 'sftp', url: `sftp://prov@127.0.0.1:${await freePort()}/srv/prov`, auth: 'password' },
  });
  assert.deepEqual(
    (({ ok: o, state }) => ({ ok: o, state }))(await ok('provisioning.checkTarget', { targetId: 'cust' })),
    { ok: false, state: 'no-credential' },
  );
  await ok('provisioning.setTargetCredential', { targetId: 'cust', password: 'pw' });
  const closed = await ok('provisioning.checkTarget', { targetId: 'cust' });
  assert.deepEqual([closed.ok, closed.state], [false, 'unreachable']);
  assert.match(closed.message, /connection refused/);
  // the target can be edited (same id) and removed
  await ok('provisioning.saveTarget', {
    target: { id: 'cust', kind: 'sftp', url: 'sftp://other@127.0.0.1:2222/srv/x', auth: 'key', backups: 2 },
  });
  assert.equal((await ok('provisioning.targets', {})).find((x) => x.id === 'cust')?.kind, 'sftp');
  await ok('provisioning.removeTarget', { targetId: 'cust' });
  assert.ok(!(await ok('provisioning.targets', {})).some((x) => x.id === 'cust'));
  const idle = await ok('provisioning.checkTarget', { targetId: 'builtin' });
  assert.equal(idle.ok, false);
  await ok('provisioning.server.start', { config: { address: '127.0.0.1', port, pathPrefix: 'prov' } });
  assert.equal((await ok('provisioning.checkTarget', { targetId: 'builtin' })).ok, true);
  const wrong = await ok('provisioning.server.status', {});
  assert.match(wrong.summary, /^running, serving 0 files \(nothing published/);
});

test('the built-in server binds only an address of this laptop, never all of them', async (t) => {
  const { app } = await site(t);
  for (const address of ['0.0.0.0', '192.0.2.55', '::']) {
    const r = await app.dispatch('provisioning.server.start', { config: { address, port: 18999 } });
    assert.ok(!r.ok && /is not an address of this laptop/.test(r.error.message), address);
  }
  const unset = await app.dispatch('provisioning.server.start', {});
  assert.ok(!unset.ok && /Choose the address/.test(unset.error.message));
});
