// A firmware run that is safe to operate on a real site: pre-flight before anything touches a phone (walkthrough
// defect 2), one run per phone, a phone that rejects the password is its own state with elapsed time against its
// timeout, a start time (maintenance window), and `firmware server` from the site's files known to the plan.
import { test, after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { makeFirmwarePlan } from '../../../electron/core/firmware/plan';
import { firmwareStatus } from '../../../electron/core/firmware/results';
import { readPins } from '../../../electron/core/firmware/pins';
import { Journal } from '../../../electron/core/jobs/journal';
import { sha256Hex } from '../../../electron/core/util/hash';
import { BuiltinServer } from '../../../electron/core/provisioning/builtin-server';
import { firmwareServerOn, locationFromUrl } from '../../../electron/core/firmware/firmware-server';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { startBench, FAST } from './fixture';
import type { Bench } from './fixture';
import type { FieldkitError } from '../../../electron/core/util/errors';

const group = (macStart: string, count = 3) => [{ count, model: '6867i' as const, versions: ['6.5.0.224'], macStart }];
const TARGET = [{ model: '6867i', version: '5.0.0.1018' }];

async function appendHome(b: Bench, name: string, line: string): Promise<void> {
  const bytes = (await b.home.read(name))!;
  await b.home.write(name, Buffer.concat([Buffer.from(bytes), Buffer.from(line)]), {
    expectSha256: sha256Hex(bytes),
    backup: false,
  });
}

describe(
  'pre-flight: nothing is staged and no phone touched when home has no configuration or a password is missing',
  { timeout: 60_000 },
  () => {
    let b: Bench;
    before(async () => {
      b = await startBench({ name: 'fw-preflight', loopbackBase: '127.72.0.0', groups: group('00:08:5D:72:00:01') });
      await b.addImage('6867i', '5.0.0.1018');
    });
    after(() => b.close());

    test('credentials missing: refused with what to do', async () => {
      // The CLI's case: a store that keeps nothing (the environment) and no FIELDKIT_ADMIN_SECRET, so Fieldkit
      // cannot derive the admin password the phones get from their configuration (and must not invent one).
      const forgetful = Object.assign(new MemorySecretStore({ 'phone-admin-password': '22222' }), {
        persistent: false,
      });
      const plan = await makeFirmwarePlan({ ...b.planDeps(), secrets: forgetful }, { targets: TARGET, options: FAST });
      const rail = plan.guardRails.find((r) => r.id === 'credentials-missing');
      assert.equal(rail?.severity, 'refuse', JSON.stringify(plan.guardRails));
      assert.equal(rail?.macs.length, 3);
      assert.match(rail?.fix ?? '', /Credentials/);
      assert.equal(plan.confirmToken, null);
      // with the site's secret the same plan can run
      const ok = await makeFirmwarePlan(b.planDeps(), { targets: TARGET, options: FAST });
      assert.equal(
        ok.guardRails.find((r) => r.id === 'credentials-missing'),
        undefined,
      );
    });

    test('home lost its files (the built-in server restarted empty): the plan refuses, and a run of an earlier plan refuses before staging', async () => {
      const plan = await makeFirmwarePlan(b.planDeps(), { targets: TARGET, options: FAST });
      assert.ok(plan.confirmToken, 'home serves startup.cfg and every <MAC>.cfg: the plan can run');
      // The walkthrough's defect 2: the built-in server came back serving nothing, at the same address.
      const location = locationFromUrl(b.home.url());
      await b.home.stop();
      const empty = new BuiltinServer({ address: location.host, port: location.port, pathPrefix: location.path });
      await empty.start();
      b.jobDeps.server = async () => firmwareServerOn(empty, location);
      try {
        const again = await makeFirmwarePlan(
          { site: b.site, secrets: b.secrets, server: firmwareServerOn(empty, location) },
          { targets: TARGET, options: FAST },
        );
        const rail = again.guardRails.find((r) => r.id === 'home-without-configuration');
        assert.equal(rail?.severity, 'refuse', JSON.stringify(again.guardRails));
        assert.equal(again.confirmToken, null);
        assert.ok(
          again.phones.every((p) => p.action === 'exclude' && /publish the configuration first/.test(p.reason ?? '')),
        );

        const job = await b.jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken! });
        const info = await b.jobs.wait(job.id);
        assert.equal(info.state, 'failed');
        assert.match(
          info.error ?? '',
          /Nothing was staged and no phone was touched: .*serves no startup\.cfg or aastra\.cfg/,
        );
        assert.match(info.error ?? '', /have no <MAC>\.cfg there/);
        assert.match(info.error ?? '', /Publish the configuration/);
        for (const p of b.lab.phones)
          assert.equal(b.lab.phone(p.mac).history.filter((e) => e.type === 'boot-started').length, 1, 'not restarted');
        assert.deepEqual(await empty.folder('fw/6867i-5.0.0.1018').list(), [], 'nothing staged');
      } finally {
        await empty.stop();
      }
    });
  },
);

describe(
  'one run per phone, elapsed time against the timeout, a phone that rejects the password',
  { timeout: 60_000 },
  () => {
    let b: Bench;
    before(async () => {
      b = await startBench({
        name: 'fw-states',
        loopbackBase: '127.73.0.0',
        bootMs: 300,
        flashMs: 600,
        groups: group('00:08:5D:73:00:01', 4),
      });
      await b.addImage('6867i', '5.0.0.1018');
      // One phone's own file gives it an admin password Fieldkit does not have: after its reboot it refuses ours.
      const victim = b.lab.phones[2]!.mac.replace(/:/g, '');
      await appendHome(b, `${victim}.cfg`, 'admin password: 13579\n');
    });
    after(() => b.close());

    test('a second start on the same phones is refused by the core; the rejected password is its own state, found fast', async () => {
      const plan = await makeFirmwarePlan(b.planDeps(), {
        targets: TARGET,
        options: { ...FAST, canaryPerModel: 0, haltWhenFailuresExceed: 1, flashTimeoutMs: 30_000 },
      });
      const job = await b.jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken! });
      assert.equal(job.holds?.length, 4);
      await assert.rejects(
        b.jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken! }),
        (e: FieldkitError) => e.code === 'conflict' && /in use by the running job "Firmware run/.test(e.message),
      );
      const started = Date.now();
      const info = await b.jobs.wait(job.id);
      const took = Date.now() - started;
      assert.ok(
        took < 20_000,
        `the run did not wait out the 30 s flash timeout for the phone that rejects (${took} ms)`,
      );
      assert.equal(info.counters['password-rejected'], 0, 'the counter is back at 0 once it is judged');
      const { entries } = await Journal.read(b.site.path('journal', `${job.id}.jsonl`));
      const states = entries.filter((e) => e.type === 'phone-state');
      const victim = b.lab.phones[2]!.mac.replace(/:/g, '');
      const rejected = states.find((e) => e.mac === victim && e.state === 'password-rejected');
      assert.ok(rejected, 'its own state');
      assert.match(String(rejected.reason), /refuses the admin password/);
      const flashing = states.find((e) => e.state === 'flashing')!;
      assert.equal(flashing.timeoutMs, 30_000, 'flashing carries its timeout');
      assert.equal(states.find((e) => e.state === 'rebooting')!.timeoutMs, FAST.rebootStartTimeoutMs);
      const status = await firmwareStatus(b.site, job.id);
      const failed = status.phones.find((p) => p.mac === victim)!;
      assert.equal(failed.state, 'failed');
      assert.match(failed.reason ?? '', /refuses the admin password/);
      assert.ok(failed.at, 'each state carries when it was entered');
      assert.equal(status.counts.verified, 3);
      assert.equal(status.outcome, 'succeeded');
      // free again afterwards
      assert.deepEqual(b.jobs.held(), []);
    });
  },
);

describe('a start time and firmware server in the site files', { timeout: 60_000 }, () => {
  let b: Bench;
  before(async () => {
    b = await startBench({ name: 'fw-window', loopbackBase: '127.74.0.0', groups: group('00:08:5D:74:00:01', 2) });
    await b.addImage('6867i', '5.0.0.1018');
    // An MX-ONE style site file names a firmware server (2ASTRA startup.cfg): a folder of the site's server that
    // serves no .st.
    await appendHome(b, 'startup.cfg', `firmware server: "${b.home.url().replace(/\/$/, '')}/firmware"\n`);
    for (const p of b.lab.phones) await b.lab.powerCycle(p.mac);
  });
  after(() => b.close());

  test('the plan explains firmware server; the run waits for its start time, then the pin (read last) wins', async () => {
    const plan = await makeFirmwarePlan(b.planDeps(), { targets: TARGET, options: FAST });
    const rail = plan.guardRails.find((r) => r.id === 'firmware-server-set');
    assert.ok(rail, JSON.stringify(plan.guardRails));
    assert.match(rail.message, /firmware server/);
    assert.ok(plan.phones.every((p) => p.firmwareServer?.endsWith('/prov/firmware')));
    assert.ok(
      plan.phones.every((p) => p.homeFirmware === null && p.afterwards === 'home'),
      'that folder serves no .st',
    );

    const startAt = new Date(Date.now() + 1500).toISOString();
    const job = await b.jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken!, startAt });
    await new Promise((r) => setTimeout(r, 300));
    const waiting = b.updates.filter((u) => u.id === job.id).at(-1)!;
    assert.equal(waiting.waitingUntil, new Date(startAt).toISOString());
    assert.match(waiting.message, /maintenance window/);
    assert.equal((await firmwareStatus(b.site, job.id)).waitingUntil, new Date(startAt).toISOString());
    for (const p of b.lab.phones)
      assert.ok(!b.lab.phone(p.mac).history.some((e) => e.type === 'web-reset' || e.type === 'sip-check-sync'));
    const info = await b.jobs.wait(job.id);
    assert.equal(info.state, 'succeeded', info.error);
    assert.equal(info.counters.verified, 2);
    for (const p of b.lab.phones) {
      const sim = b.lab.phone(p.mac);
      assert.equal(sim.firmware, '5.0.0.1018');
      const flash = sim.history.find((e) => e.type === 'flash-started')!;
      assert.ok(flash.at >= Date.parse(startAt), 'nothing flashed before the start time');
    }
    assert.deepEqual(await readPins(b.site), {}, 'pins removed: the site firmware server offers no other version');
  });
});
