// The whole provisioning loop on 20 simulated phones on loopback, through the same API the UI uses:
// discover -> sheet -> settings + credentials -> generate -> preview -> publish -> reboot -> verify,
// once over the built-in server and once over a real sshd (the phones fetch the sshd's folder through a
// tiny static HTTP server, as they would fetch from the site's own web server). One phone is down at
// reboot: it is reported in plain words and the other 19 go on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { startLab } from '../../sim/lab';
import { tempDir } from '../../helpers/temp-dir';
import { startSshd, sshdUnavailableReason } from '../../helpers/sshd';
import { callsOf } from '../../helpers/app-calls';
import { testCa } from '../../helpers/test-ca';
import { freePort } from '../../helpers/free-port';
import type { AddressInfo } from 'node:net';

/** What the phones have before Fieldkit provisions them (entered as the site's current admin password). */
const ADMIN = '3391548260';
/** The built-in server's key, as the site's DHCP option 66 names it. */
const KEY = 'LoopTestKey000000000001';
const PHONES = 20;
const sipPassword = (mac: string) => `Sip-${mac.slice(-4)}-pw`;

async function setUp(t: Parameters<typeof tempDir>[0], base: string, provisioningUrl: string) {
  const lab = await startLab(
    {
      name: `loop-${base}`,
      loopbackBase: base,
      bootMs: 800,
      flashMs: 100,
      groups: [
        {
          kind: 'mitel-6800',
          count: PHONES / 2,
          model: '6867i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:93:00:01',
          adminPassword: ADMIN,
          bannerPrefix: 'alternate',
        },
        {
          kind: 'mitel-6800',
          count: PHONES / 2,
          model: '6865i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:93:01:01',
          adminPassword: ADMIN,
        },
      ],
    },
    { mode: 'loopback', provisioningUrl },
  );
  t.after(() => lab.stop());
  const dir = await tempDir(t);
  const secrets = new MemorySecretStore();
  const app = new FieldkitApp(
    nodePlatform({ appDataDir: join(dir, 'data'), defaultSitesRoot: join(dir, 'sites'), secrets }),
  );
  t.after(() => app.shutdown());
  const { ok, runJob } = callsOf(app);
  await ok('site.create', { dir: join(dir, 'sites', 'loop'), name: 'Loop site' });
  return { lab, app, ok, runJob, secrets };
}

type Env = Awaited<ReturnType<typeof setUp>>;

/** discover -> sheet -> settings -> credentials -> generate; returns the MACs in the sheet. */
async function discoverAndGenerate(
  { lab, ok, runJob }: Env,
  provisioning: { server: string; port: number; path: string },
  beforeGenerate: () => Promise<unknown> = async () => undefined,
) {
  const last = lab.phones.at(-1)!.address;
  // the phones' admin password first: discovery reads each phone's MAC from /sysinfo.html with it
  await ok('credentials.set', { key: 'phone-admin-password', value: ADMIN });
  await runJob('discovery', {
    ranges: [`${lab.phones[0]!.address}-${last}`],
    methods: { mdns: false, neighbour: false, passive: false },
  });
  const inventory = await ok('inventory.list', {});
  assert.equal(
    inventory.rows.filter((r) => r.presence === 'present' && r.model && r.mac).length,
    PHONES,
    'discovery found every phone with its MAC and model',
  );

  const macs = lab.phones.map((p) => p.mac.replace(/:/g, ''));
  const sheet = [
    'MAC;DN;Name;Location',
    ...macs.map((m, i) => `${m};${2108189700 + i};User ${i + 1};Floor ${1 + (i % 3)}`),
  ].join('\n');
  assert.equal((await ok('inventory.importCsv', { text: sheet })).errors.length, 0);
  await ok('config.settings.save', {
    settings: {
      siteName: 'Loop site',
      osv: {
        proxy: { host: '10.20.30.40' },
        transport: 'tls',
        trustedCaFile: 'osv-ca.pem',
        centralizedConference: 'server',
        srtp: 'preferred',
      },
      ntp: { server1: '10.20.30.1' },
      provisioning: { protocol: 'HTTP', ...provisioning },
      fieldkitHost: '127.0.0.1',
    },
  });
  await ok('ca.import', { pem: (await testCa()).certPem });
  await beforeGenerate();
  const first = await ok('config.generate', {});
  assert.equal(first.publishable, true, JSON.stringify(first.findings.filter((f) => f.severity === 'error')));
  assert.equal(first.readyToPublish, false);
  assert.equal(first.missingCredentials.length, PHONES, 'one SIP password per phone is missing');
  for (const mac of macs) await ok('credentials.set', { key: `sip-password:${mac}`, value: sipPassword(mac) });
  const report = await ok('config.generate', {});
  assert.equal(report.readyToPublish, true);
  assert.equal(report.files.length, 4 + PHONES + 1, 'with the CA bundle');
  return macs;
}

async function publish({ ok, runJob }: Env, targetId: string) {
  const preview = await ok('provisioning.preview', { targetId });
  assert.equal(preview.counts.new, 4 + PHONES + 1);
  assert.ok(
    preview.files.every((f) => !f.diffVsTarget.includes(ADMIN)),
    'the preview hides secrets',
  );
  await runJob('publish', { targetId, previewToken: preview.token });
}

/** Reboot with one phone down, then verify; checks what the phones took. */
async function rebootAndVerify(env: Env, macs: string[], builtin: boolean) {
  const { lab, ok, runJob } = env;
  const down = lab.phones[7]!;
  await lab.setFaults(down.mac, { unreachable: true });
  const plan = await ok('phones.rebootPlan', { all: true });
  assert.equal(plan.phones.length, PHONES);
  // The site signals over TLS: the phones answer no NOTIFY on UDP 5060, so the web UI goes first (phone-facts §10).
  assert.deepEqual(plan.methods, ['web UI restart', 'XML push Command: Reset', 'SIP NOTIFY check-sync']);
  assert.match(plan.methodReason ?? '', /TLS only/);
  const refused = await env.app.dispatch('jobs.start', { kind: 'reboot', params: { all: true } });
  assert.ok(!refused.ok && /planToken/.test(refused.error.message), 'no reboot without a confirmed plan');

  const started = Date.now();
  const rebootJob = await runJob('reboot', {
    all: true,
    planToken: plan.token,
    confirmDownMs: 5000,
    requestTimeoutMs: 1000,
  });
  const rebootMs = Date.now() - started;
  assert.deepEqual(rebootJob.counters, { restarted: PHONES - 1, failed: 1 });
  const reboot = (await ok('phones.lastReboot', {}))!;
  const failed = reboot.results.filter((r) => !r.ok);
  assert.deepEqual(
    failed.map((r) => r.mac),
    [down.mac.replace(/:/g, '')],
  );
  assert.match(failed[0]!.message, /did not answer: it may be switched off, unplugged or at another address/);
  assert.ok(reboot.results.filter((r) => r.ok).every((r) => r.method === 'web-restart'));

  const verifyJob = await runJob('verify', { bootTimeoutMs: 6000, pollMs: 250 });
  const verify = (await ok('phones.lastVerify', {}))!;
  assert.equal(verify.builtinServer, builtin);
  // the phone that was down was not restarted: it is not verified, and says why (walkthrough defect 13)
  assert.deepEqual(
    verify.skipped.map((s) => s.mac),
    [down.mac.replace(/:/g, '')],
  );
  assert.deepEqual(
    verify.summary,
    { verified: PHONES - 1, failed: 0 },
    JSON.stringify(
      verify.results.filter((r) => r.verdict === 'failed' && r.mac !== down.mac.replace(/:/g, '')),
      null,
      1,
    ),
  );
  assert.equal(verifyJob.counters.verified, PHONES - 1);
  // named explicitly, the down phone is checked and fails in plain words
  await runJob('verify', { phones: [down.mac], bootTimeoutMs: 6000, pollMs: 250 });
  const bad = (await ok('phones.lastVerify', {}))!.results.find((r) => r.mac === down.mac.replace(/:/g, ''))!;
  assert.equal(bad.verdict, 'failed');
  assert.match(bad.reasons[0]!, /did not answer again within 6 s/);
  const good = verify.results.find((r) => r.verdict === 'verified')!;
  const ids = Object.fromEntries(good.checks.map((c) => [c.id, c.ok]));
  assert.deepEqual(ids, {
    'came-back': true,
    fetched: builtin ? true : null,
    firmware: true,
    line: true,
    settings: true,
  });

  // what the phones actually took
  for (const [i, info] of lab.phones.entries()) {
    if (info.mac === down.mac) continue;
    const phone = lab.phone(info.mac);
    assert.equal(phone.setting('openscape enable'), '1');
    assert.equal(phone.setting('sip line1 auth name'), String(2108189700 + i));
    assert.equal(phone.setting('sip line1 password'), sipPassword(macs[i]!));
    assert.equal(phone.setting('sip centralized conf'), '1');
    assert.equal(phone.setting('contact rcs'), '0');
  }
  await lab.setFaults(down.mac, {});
  return { rebootMs };
}

test('the whole loop over the built-in server: 20 phones, one down at reboot', { timeout: 120_000 }, async (t) => {
  const port = await freePort();
  const env = await setUp(t, '127.93.0.0', `http://127.0.0.1:${port}/prov/${KEY}/`);
  const macs = await discoverAndGenerate(env, { server: '127.0.0.1', port, path: 'prov' }, () =>
    env.ok('provisioning.server.start', { config: { address: '127.0.0.1', port, pathPrefix: 'prov', pathKey: KEY } }),
  );
  await publish(env, 'builtin');
  const { rebootMs } = await rebootAndVerify(env, macs, true);
  t.diagnostic(`reboot of ${PHONES} phones (one down) took ${rebootMs} ms`);
  const log = await env.ok('provisioning.fetchLog', { limit: 1000 });
  assert.ok(log.filter((e) => e.file?.endsWith('.cfg') && e.status === 200).length >= (PHONES - 1) * 3);
});

const noSshd = sshdUnavailableReason();
test(
  'the whole loop over SFTP to a real sshd, phones fetching its folder over HTTP',
  { timeout: 180_000, skip: noSshd ?? false },
  async (t) => {
    const sshd = await startSshd();
    t.after(() => sshd.cleanup());
    const folder = join(sshd.home, 'prov');
    const fetched: string[] = [];
    const web = createServer((req, res) => {
      const name = decodeURIComponent((req.url ?? '/').split('?')[0]!).replace(/^\/prov\//, '');
      fetched.push(name);
      if (!/^[\w.-]+$/.test(name)) return void res.writeHead(404).end();
      readFile(normalize(join(folder, name))).then(
        (body) => res.writeHead(200).end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    t.after(
      () =>
        new Promise<void>((resolve) => {
          web.closeAllConnections();
          web.close(() => resolve());
        }),
    );
    const port = (web.address() as AddressInfo).port;

    const env = await setUp(t, '127.94.0.0', `http://127.0.0.1:${port}/prov/`);
    const macs = await discoverAndGenerate(env, { server: '127.0.0.1', port, path: 'prov' });
    const { mkdir, chown, stat } = await import('node:fs/promises');
    await mkdir(folder, { recursive: true });
    const home = await stat(sshd.home);
    await chown(folder, home.uid, home.gid);
    await env.ok('provisioning.saveTarget', {
      target: {
        id: 'site-sftp',
        kind: 'sftp',
        url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${folder}`,
        auth: 'password',
      },
    });
    await env.ok('provisioning.setTargetCredential', { targetId: 'site-sftp', password: sshd.password });
    const key = await env.ok('provisioning.hostKey', { targetId: 'site-sftp' });
    assert.equal(key.state, 'unknown');
    assert.equal(key.fingerprint, await sshd.hostKeyFingerprint());
    await env.ok('provisioning.trustHostKey', { targetId: 'site-sftp', fingerprint: key.fingerprint });
    await publish(env, 'site-sftp');
    assert.match(
      await readFile(join(folder, `${macs[0]}.cfg`), 'utf8'),
      new RegExp(`sip line1 password: ${sipPassword(macs[0]!)}`),
    );
    await rebootAndVerify(env, macs, false);
    assert.ok(fetched.includes(`${macs[0]}.cfg`));
  },
);
