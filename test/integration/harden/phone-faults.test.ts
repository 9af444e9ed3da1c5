// Faults of the phones and the network on a 12-phone loopback lab booting from the built-in server,
// driven through FieldkitApp.dispatch like the UI: SIP packet loss during discovery and reboot, a phone
// that never comes back, phones on the wrong version, and SIGKILL of Fieldkit during reboot and verify.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { envNameFor } from '../../../electron/core/secrets/env-secret-store';
import { Journal } from '../../../electron/core/jobs/journal';
import { startLab, type LabHandle } from '../../sim/lab';
import { testCa } from '../../helpers/test-ca';
import { freePort, startAndKill, stepsDoneTwice } from './harden-kit';
import type { SecretKey } from '../../../electron/core/secrets/secret-store';
import type { CallName, CallOutput } from '../../../electron/api/contract';

const ADMIN = '3566778899';
/** The site's admin secret (admin passwords are derived from it), given to child processes as the CLI gets it. */
const SITE_SECRET = 'f0'.repeat(32);
const KEY = 'FaultsTestKey0000000001';
const PHONES = 12;

describe('phone and network faults on a 12-phone lab', () => {
  let lab: LabHandle;
  let app: FieldkitApp;
  let dir: string;
  let siteDir: string;
  let appDataDir: string;
  let macs: string[];
  const secretValues: Record<string, string> = { 'phone-admin-password': ADMIN };
  const ok = async <N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>> => {
    const r = await app.dispatch(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
    return r.value as CallOutput<N>;
  };
  const runJob = async (kind: string, params: unknown) =>
    app.jobManager().wait((await ok('jobs.start', { kind, params })).id);
  const childEnv = () => ({
    ...Object.fromEntries(Object.entries(secretValues).map(([k, v]) => [envNameFor(k as SecretKey), v])),
    FIELDKIT_ADMIN_SECRET: SITE_SECRET,
  });
  const restarts = (mac: string, sinceSeq: number) =>
    lab.phone(mac).history.filter((e) => e.seq > sinceSeq && e.type === 'boot-started').length;
  const seqs = () => new Map(lab.phones.map((p) => [p.mac, lab.phone(p.mac).lastSeq]));
  const mac12 = (mac: string) => mac.replace(/:/g, '');

  before(async () => {
    const port = await freePort();
    lab = await startLab(
      {
        name: 'harden-faults',
        loopbackBase: '127.96.0.0',
        bootMs: 300,
        groups: [
          {
            kind: 'mitel-6800',
            count: PHONES / 2,
            model: '6867i',
            versions: ['6.5.0.224'],
            macStart: '00:08:5D:96:00:01',
            adminPassword: ADMIN,
          },
          {
            kind: 'mitel-6800',
            count: PHONES / 2,
            model: '6865i',
            versions: ['6.5.0.224'],
            macStart: '00:08:5D:96:01:01',
            adminPassword: ADMIN,
          },
        ],
      },
      { mode: 'loopback', provisioningUrl: `http://127.0.0.1:${port}/prov/${KEY}/` },
    );
    macs = lab.phones.map((p) => mac12(p.mac));
    for (const m of macs) secretValues[`sip-password:${m}`] = `f-${m.slice(-4)}`;
    dir = await mkdtemp(join(tmpdir(), 'fk-faults-'));
    siteDir = join(dir, 'site');
    appDataDir = join(dir, 'data');
    app = new FieldkitApp(
      nodePlatform({
        appDataDir,
        defaultSitesRoot: dir,
        secrets: new MemorySecretStore(secretValues as Partial<Record<SecretKey, string>>),
      }),
    );
    await ok('site.create', { dir: siteDir, name: 'Faults' });
    await ok('credentials.set', { key: `admin-secret:${(await ok('site.current', {}))!.id}`, value: SITE_SECRET });
    await ok('ca.import', { pem: (await testCa()).certPem });
    await ok('inventory.importCsv', {
      text: ['MAC;DN;Name', ...macs.map((m, i) => `${m};${3100 + i};U${i}`)].join('\n'),
    });
    await ok('config.settings.save', {
      settings: {
        siteName: 'Faults',
        osv: { proxy: { host: '10.0.0.1' }, transport: 'tls', trustedCaFile: 'osv-ca.pem' },
        ntp: { server1: '10.0.0.1' },
        provisioning: { protocol: 'HTTP', server: '127.0.0.1', port, path: 'prov' },
        fieldkitHost: '127.0.0.1',
      },
    });
    await ok('provisioning.server.start', { config: { address: '127.0.0.1', port, pathPrefix: 'prov', pathKey: KEY } });
  });
  after(async () => {
    await app?.shutdown();
    await lab?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('SIP packet loss (30 %, every phone): discovery still finds every phone with model, MAC and firmware, and the configs publish', async () => {
    for (const [i, p] of lab.phones.entries()) await lab.setFaults(p.mac, { sipLossRate: 0.3, sipLossSeed: 100 + i });
    const job = await runJob('discovery', {
      ranges: [`${lab.phones[0]!.address}-${lab.phones.at(-1)!.address}`],
      methods: { mdns: false, neighbour: false, passive: false },
    });
    for (const p of lab.phones) await lab.setFaults(p.mac, {});
    assert.equal(job.state, 'succeeded', job.error);
    const rows = (await ok('inventory.list', {})).rows.filter((r) => r.presence === 'present');
    assert.equal(rows.length, PHONES, 'every phone found despite the loss');
    assert.equal(rows.filter((r) => r.model && r.mac && r.firmware).length, PHONES);
    const generated = await ok('config.generate', {});
    assert.equal(
      generated.readyToPublish,
      true,
      JSON.stringify(generated.findings.filter((f) => f.severity === 'error')).slice(0, 500),
    );
    const preview = await ok('provisioning.preview', { targetId: 'builtin' });
    assert.equal((await runJob('publish', { targetId: 'builtin', previewToken: preview.token })).state, 'succeeded');
  });

  test('a phone never comes back after its reboot: reported in plain words, the others are verified', async () => {
    const dark = lab.phones[3]!;
    await lab.setFaults(dark.mac, { neverComesBack: true });
    const plan = await ok('phones.rebootPlan', { all: true });
    const reboot = await runJob('reboot', {
      all: true,
      planToken: plan.token,
      confirmDownMs: 4000,
      requestTimeoutMs: 1000,
    });
    assert.equal(reboot.state, 'succeeded', reboot.error);
    const verify = await runJob('verify', { bootTimeoutMs: 4000, pollMs: 200 });
    assert.equal(verify.state, 'succeeded', verify.error);
    const report = (await ok('phones.lastVerify', {}))!;
    assert.deepEqual(report.summary, { verified: PHONES - 1, failed: 1 });
    const failed = report.results.find((r) => r.verdict === 'failed')!;
    assert.equal(failed.mac, mac12(dark.mac));
    assert.match(failed.reasons.join(' '), /did not answer again within 4 s/);
    lab.phone(dark.mac).powerCycle();
    await lab.setFaults(dark.mac, {});
    await lab.phone(dark.mac).waitForEvent('online', { timeoutMs: 10_000 });
  });

  test('phones on the wrong version: verify names the version found and the one expected; the others pass', async () => {
    await runJob('verify', {
      bootTimeoutMs: 4000,
      pollMs: 200,
      expectedFirmware: { '6867i': '6.5.0.230', '6865i': '6.5.0.224' },
    });
    const report = (await ok('phones.lastVerify', {}))!;
    assert.deepEqual(report.summary, { verified: PHONES / 2, failed: PHONES / 2 });
    for (const r of report.results.filter((x) => x.verdict === 'failed')) {
      assert.ok(lab.phones.find((p) => mac12(p.mac) === r.mac)!.model === '6867i');
      assert.match(
        r.reasons.join(' '),
        /Firmware is .*6\.5\.0\.224.*expected 6\.5\.0\.230.*did not take the new firmware/,
      );
    }
  });

  test('SIGKILL during reboot, resume: every phone restarted, none twice; the one in flight is reported, not restarted again', async () => {
    const plan = await ok('phones.rebootPlan', { all: true });
    const marks = seqs();
    await app.closeSite();
    const killed = await startAndKill({
      appDataDir,
      siteDir,
      env: childEnv(),
      kind: 'reboot',
      params: { all: true, planToken: plan.token, concurrency: 1, confirmDownMs: 4000, requestTimeoutMs: 1000 },
      killWhen: (e) => e.filter((x) => x.type === 'step-done' && String(x.key).startsWith('reboot:')).length >= 3,
    });
    const doneBefore = killed.entries
      .filter((e) => e.type === 'step-done' && String(e.key).startsWith('reboot:'))
      .map((e) => String(e.key).slice(7));
    const inFlight = killed.entries
      .filter(
        (e) =>
          e.type === 'step-begin' &&
          String(e.key).startsWith('reboot:') &&
          !doneBefore.includes(String(e.key).slice(7)),
      )
      .map((e) => String(e.key).slice(7));
    await app.openSite(siteDir);
    assert.equal((await app.jobManager().list()).find((j) => j.id === killed.id)?.state, 'interrupted');
    const resumed = await ok('jobs.resume', { id: killed.id });
    const done = await app.jobManager().wait(resumed.id);
    assert.equal(done.state, 'succeeded', done.error);
    const { entries } = await Journal.read(join(siteDir, 'journal', `${killed.id}.jsonl`));
    assert.deepEqual(stepsDoneTwice(entries), []);
    for (const p of lab.phones) {
      const m = mac12(p.mac);
      if (inFlight.includes(m))
        assert.ok(
          entries.some((e) => e.type === 'reboot-skipped' && e.mac === m),
          `${m} in flight: journaled as skipped`,
        );
      else
        assert.equal(
          restarts(p.mac, marks.get(p.mac)!),
          1,
          `${m} restarted exactly once (done before the kill: ${doneBefore.includes(m)})`,
        );
    }
    for (const m of inFlight)
      assert.ok(
        restarts(
          lab.phones.find((p) => mac12(p.mac) === m)!.mac,
          marks.get(lab.phones.find((p) => mac12(p.mac) === m)!.mac)!,
        ) <= 1,
      );
    const report = (await ok('phones.lastReboot', {}))!;
    assert.equal(report.results.length, PHONES, 'no phone forgotten');
  });

  test('SIGKILL during verify, resume: every phone verified once, no step twice', async () => {
    await app.closeSite();
    const killed = await startAndKill({
      appDataDir,
      siteDir,
      env: childEnv(),
      kind: 'verify',
      params: { bootTimeoutMs: 8000, pollMs: 200, concurrency: 1 },
      killWhen: (e) => e.filter((x) => x.type === 'step-done').length >= 2,
    });
    await app.openSite(siteDir);
    const resumed = await ok('jobs.resume', { id: killed.id });
    const done = await app.jobManager().wait(resumed.id);
    assert.equal(done.state, 'succeeded', done.error);
    const { entries } = await Journal.read(join(siteDir, 'journal', `${killed.id}.jsonl`));
    assert.deepEqual(stepsDoneTwice(entries), []);
    const report = (await ok('phones.lastVerify', {}))!;
    assert.equal(report.jobId, killed.id);
    // the phone the killed reboot left in flight may have restarted: verify checks it too
    const lastReboot = (await ok('phones.lastReboot', {}))!;
    assert.ok(
      lastReboot.results.every((r) => r.ok || r.interrupted),
      JSON.stringify(lastReboot.results.filter((r) => !r.ok)),
    );
    assert.deepEqual(report.skipped, []);
    assert.equal(new Set(entries.filter((e) => e.type === 'step-done').map((e) => e.key)).size, PHONES);
    assert.equal(report.results.length, PHONES);
  });
});
