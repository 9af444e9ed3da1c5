// The built-in server driven through the app's API, serving simulated phones on loopback: preview,
// confirmed publish job, server start, phones boot and fetch startup.cfg, <model>.cfg and <MAC>.cfg;
// the fetch log and passive discovery see model, MAC and firmware from the User-Agent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { SimPhone } from '../../sim/phone';
import { tempDir } from '../../helpers/temp-dir';
import { siteWithConfigs } from '../../unit/provisioning/publish-fixture';
import { phoneRecord } from '../../unit/inventory/records';
import { freePort } from '../../helpers/free-port';
import type { CallName, CallOutput } from '../../../electron/api/contract';

function caller(app: FieldkitApp) {
  return async <N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>> => {
    const result = await app.dispatch(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
    return result.value as CallOutput<N>;
  };
}

async function allText(dir: string): Promise<string> {
  let out = '';
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out += entry.isDirectory() ? await allText(path) : await readFile(path, 'utf8');
  }
  return out;
}

test('20 simulated phones boot from the built-in server after a confirmed publish; fetches are logged and feed discovery', async (t) => {
  const dir = await tempDir(t);
  const port = await freePort();
  const fx = await siteWithConfigs(dir, 20, { server: '127.0.0.1', port, path: 'prov' });
  // the inventory holds each phone at its address (a phone's own file goes only there)
  const at = new Date().toISOString();
  await writeFile(
    fx.site.path('inventory', 'devices.json'),
    JSON.stringify({
      format: 'fieldkit-inventory',
      formatVersion: 1,
      updatedAt: at,
      devices: fx.macs.map((mac, i) => ({
        record: phoneRecord({
          ip: `127.61.0.${i + 1}`,
          mac: mac.match(/../g)!.join(':'),
          model: i % 2 ? '6865i' : '6867i',
          at,
        }),
        state: 'present',
        changes: [],
        changedAt: null,
        goneSince: null,
        previousIps: [],
      })),
    }),
  );
  const app = new FieldkitApp(nodePlatform({ appDataDir: join(dir, 'appdata'), secrets: fx.secrets }));
  t.after(() => app.shutdown());
  await app.openSite(fx.site.root);
  const call = caller(app);

  const targets = await call('provisioning.targets', {});
  assert.deepEqual(
    targets.map((x) => x.id),
    ['builtin'],
    'the built-in server is the default target',
  );
  const started = await call('provisioning.server.start', {
    config: { address: '127.0.0.1', port, pathPrefix: 'prov' },
  });
  assert.match(
    started.url,
    new RegExp(`^http://127\\.0\\.0\\.1:${port}/prov/[A-Za-z0-9]{22}/$`),
    'served under its key',
  );
  t.after(async () => {
    await app.dispatch('provisioning.server.stop', {});
  });

  const preview = await call('provisioning.preview', { targetId: 'builtin' });
  assert.equal(preview.counts.new, preview.files.length);
  const job = await call('jobs.start', {
    kind: 'publish',
    params: { targetId: 'builtin', previewToken: preview.token },
  });
  const finished = await app.jobManager().wait(job.id);
  assert.equal(finished.state, 'succeeded', finished.error);
  const status = await call('provisioning.server.status', {});
  assert.equal(status.running, true);
  assert.equal(status.files.length, preview.files.length);
  assert.equal(status.summary, `running, serving ${preview.files.length} files`);

  const phones = fx.macs.map(
    (mac, i) =>
      new SimPhone({
        model: i % 2 ? '6865i' : '6867i',
        mac,
        firmware: '6.5.0.224',
        address: `127.61.0.${i + 1}`,
        bannerPrefix: i % 3 === 0 ? 'Aastra' : 'Mitel',
        sipPort: null,
        httpPort: null,
        httpsPort: null,
        provisioningUrl: started.url,
        bootMs: 10,
        globalCfgMode: 'startup-then-aastra',
      }),
  );
  t.after(() => Promise.all(phones.map((p) => p.stop())).then(() => undefined));
  await Promise.all(phones.map((p) => p.start()));
  for (const [i, p] of phones.entries()) {
    const applied = p.history.find((e) => e.type === 'config-applied');
    assert.deepEqual(applied?.detail.files, ['startup.cfg', `${p.model}.cfg`, `${p.mac}.cfg`], p.mac);
    assert.equal(p.setting('sip line1 auth name'), String(2108180000 + i), 'the phone took its own file');
    assert.equal(
      p.setting('sip line1 password'),
      fx.secretValues[i + 1],
      'with its SIP password from the credential store',
    );
  }

  const log = await call('provisioning.fetchLog', { limit: 1000 });
  for (const p of phones) {
    const mine = log.filter((e) => e.ip === p.address && e.status === 200).map((e) => e.file);
    assert.deepEqual(mine, ['startup.cfg', `${p.model}.cfg`, `${p.mac}.cfg`], p.mac);
    assert.ok(
      // by path: the fixture's files were generated before the server had its key, so after its first boot the
      // phone asks outside the keyed folder, where the server names no file
      log.some((e) => e.ip === p.address && e.path.endsWith(`/${p.model}.st`) && e.status === 404),
      'the firmware request is logged too',
    );
  }
  const seen = app.passive.observations();
  for (const p of phones) {
    const o = seen.find((x) => x.mac?.replace(/:/g, '') === p.mac);
    assert.ok(o, `discovery saw ${p.mac}`);
    assert.equal(o.model, p.model);
    assert.equal(o.firmware, '6.5.0.224');
    assert.equal(o.ip, p.address);
  }
  const siteText = await allText(fx.site.root);
  for (const secret of fx.secretValues) assert.ok(!siteText.includes(secret), 'no secret in the site folder');

  // A restarted server serves the same published set again, rebuilt from the credential store.
  await call('provisioning.server.stop', {});
  const restarted = await call('provisioning.server.start', {
    config: { address: '127.0.0.1', port, pathPrefix: 'prov' },
  });
  assert.equal(restarted.files.length, preview.files.length);
  assert.deepEqual(restarted.stale, []);
  const again = await call('provisioning.preview', { targetId: 'builtin' });
  assert.equal(again.counts.unchanged, again.files.length);
});
