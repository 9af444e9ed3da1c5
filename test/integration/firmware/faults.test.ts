// Faults during a firmware run on the simulator: a canary that never comes back halts the run and waits;
// a corrupt image fails cleanly with no retry storm; power lost mid-flash; the silent re-upgrade trap.
import { test, after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { makeFirmwarePlan } from '../../../electron/core/firmware/plan';
import { readLibrary, readLibraryImage } from '../../../electron/core/firmware/library';
import { setConfigurationServer } from '../../../electron/core/phone';
import { firmwareStatus } from '../../../electron/core/firmware/results';
import { editServedPin } from '../../../electron/core/firmware/pins';
import { Journal } from '../../../electron/core/jobs/journal';
import { startBench, waitForDecision, FAST } from './fixture';
import type { Bench } from './fixture';

const twoModels = (a: string, b: string) => [
  { count: 6, model: '6867i' as const, versions: ['6.5.0.224'], macStart: a },
  { count: 6, model: '6865i' as const, versions: ['6.5.0.224'], macStart: b },
];

describe('a canary failure halts the run', () => {
  let b: Bench;
  before(async () => {
    b = await startBench({
      name: 'fw-canary',
      loopbackBase: '127.62.0.0',
      groups: twoModels('00:08:5D:63:00:01', '00:08:5D:64:00:01'),
    });
    await b.addImage('6867i', '5.0.0.1018');
    await b.addImage('6865i', '5.0.0.1018');
  });
  after(() => b.close());

  test('the canary never comes back: the run waits for the technician, and "stop" leaves the others untouched', async () => {
    const canaryMac = b.lab.phones[0]!.mac;
    await b.lab.setFaults(canaryMac, { neverComesBack: true });
    const plan = await makeFirmwarePlan(b.planDeps(), {
      targets: [
        { model: '6867i', version: '5.0.0.1018' },
        { model: '6865i', version: '5.0.0.1018' },
      ],
      options: { ...FAST, flashTimeoutMs: 2500 },
    });
    const job = await b.jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken! });
    const decision = await waitForDecision(b.jobs, job.id);
    assert.match(decision.question, /canary: 1 of 2 phone\(s\) failed/);
    assert.match(decision.question, /did not come back/);
    assert.deepEqual(decision.options, ['continue', 'stop', 'retry failed']);
    const waiting = b.updates.filter((u) => u.id === job.id).at(-1)!;
    assert.equal(waiting.state, 'waiting');
    b.jobs.answer(job.id, 'stop');
    const info = await b.jobs.wait(job.id);
    assert.equal(info.state, 'stopped', 'a run stopped at a halt is "stopped", never "succeeded"');
    assert.match(info.note ?? '', /Stopped by the technician after canary: 10 phone\(s\) were not started/);
    const status = await firmwareStatus(b.site, job.id);
    assert.equal(status.outcome, 'stopped');
    assert.equal(status.note, info.note);
    assert.equal(status.counts['not-started'], 10);
    assert.equal(status.counts.verified, 1, 'the other canary');
    assert.equal(status.counts.failed, 1);
    for (const p of b.lab.phones.slice(1, 6))
      assert.equal(b.lab.phone(p.mac).history.filter((e) => e.type === 'boot-started').length, 1, 'not restarted');
    const failed = status.phones.find((p) => p.state === 'failed')!;
    assert.equal(failed.mac, canaryMac.replace(/:/g, ''));
    assert.match(
      failed.pointedAt ?? '',
      /fw\/6867i-5\.0\.0\.1018/,
      'a dark phone keeps its pin: it fetches the target when it comes back',
    );
    const served = Buffer.from((await b.home.read(`${canaryMac.replace(/:/g, '')}.cfg`))!).toString('utf8');
    assert.match(served, /firmware server: "http:\/\/127\.0\.0\.1:\d+\/prov\/fw\/6867i-5\.0\.0\.1018"/);
  });
});

describe('a corrupt image', () => {
  let b: Bench;
  before(async () => {
    b = await startBench({
      name: 'fw-corrupt',
      loopbackBase: '127.63.0.0',
      groups: twoModels('00:08:5D:65:00:01', '00:08:5D:66:00:01'),
    });
    await b.addImage('6865i', '5.0.0.1018', { corrupt: true });
  });
  after(() => b.close());

  test('fails cleanly: "rejected the image", pointed home, no second attempt even when the phone reboots again', async () => {
    const plan = await makeFirmwarePlan(b.planDeps(), {
      selection: { models: ['6865i'] },
      targets: [{ model: '6865i', version: '5.0.0.1018' }],
      options: FAST,
    });
    const job = await b.jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken! });
    await waitForDecision(b.jobs, job.id);
    b.jobs.answer(job.id, 'stop');
    await b.jobs.wait(job.id);
    const status = await firmwareStatus(b.site, job.id);
    const failed = status.phones.filter((p) => p.state === 'failed');
    assert.equal(failed.length, 1);
    assert.match(
      failed[0]!.reason ?? '',
      /the phone rejected the image: it came back on 6\.5\.0\.224\. Not retried automatically/,
    );
    const sim = b.lab.phone(b.lab.phones.find((p) => p.mac.replace(/:/g, '') === failed[0]!.mac)!.mac);
    assert.equal(sim.history.filter((e) => e.type === 'flash-started').length, 1);
    assert.equal(sim.setting('http path'), 'prov', 'it never left its home configuration server');
    assert.doesNotMatch(
      Buffer.from((await b.home.read(`${failed[0]!.mac}.cfg`))!).toString('utf8'),
      /firmware server/,
      'its pin is removed, away from the bad image',
    );
    const seq = sim.lastSeq;
    await sim.powerCycle();
    assert.equal(
      sim.history.filter((e) => e.seq > seq && e.type === 'flash-started').length,
      0,
      'a later reboot does not try the bad image again',
    );
    assert.equal(sim.firmware, '6.5.0.224');
  });
});

describe('power lost mid-flash', () => {
  let b: Bench;
  before(async () => {
    b = await startBench({
      name: 'fw-power',
      loopbackBase: '127.64.0.0',
      groups: twoModels('00:08:5D:67:00:01', '00:08:5D:68:00:01'),
    });
    await b.addImage('6867i', '5.0.0.1018');
  });
  after(() => b.close());

  test('the phone comes back on its old firmware, fetches the image again at power-on, and is verified once', async () => {
    const victim = b.lab.phones[3]!.mac;
    await b.lab.setFaults(victim, { powerLossMidFlash: true });
    const plan = await makeFirmwarePlan(b.planDeps(), {
      selection: { models: ['6867i'] },
      targets: [{ model: '6867i', version: '5.0.0.1018' }],
      options: FAST,
    });
    const job = await b.jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken! });
    const info = await b.jobs.wait(job.id);
    assert.equal(info.state, 'succeeded', info.error);
    assert.equal(info.counters.verified, 6);
    const sim = b.lab.phone(victim);
    assert.equal(sim.history.filter((e) => e.type === 'power-lost').length, 1);
    assert.equal(sim.history.filter((e) => e.type === 'flash-done').length, 1);
    assert.equal(sim.firmware, '5.0.0.1018');
  });
});

describe('the silent re-upgrade trap', () => {
  let b: Bench;
  const day = Date.UTC(2026, 0, 5, 12, 0, 0);
  before(async () => {
    b = await startBench({
      name: 'fw-trap',
      loopbackBase: '127.65.0.0',
      clockStartMs: day,
      groups: twoModels('00:08:5D:69:00:01', '00:08:5D:6A:00:01'),
    });
    await b.addImage('6867i', '6.5.0.224');
    await b.addImage('6867i', '5.0.0.1018');
    // Home serves 6867i.st 6.5.0.224 (the site's normal firmware), and the phones resync firmware nightly.
    const entry = (await readLibrary(b.site)).find((e) => e.id === '6867i-6.5.0.224')!;
    await b.home.write('6867i.st', await readLibraryImage(b.site, entry), { expectSha256: null, backup: false });
    for (const p of b.lab.phones)
      await setConfigurationServer(
        { host: p.address, timeoutMs: 2000 },
        { password: '22222' },
        { autoResyncMode: '3', autoResyncTime: '02:00' },
      );
  });
  after(() => b.close());

  test('is flagged in the plan, and the firmware pin keeps the phones on the fallback at night', async () => {
    const plan = await makeFirmwarePlan(b.planDeps(), {
      selection: { models: ['6867i'] },
      targets: [{ model: '6867i', version: '5.0.0.1018' }],
      options: FAST,
    });
    const rail = plan.guardRails.find((r) => r.id === 'nightly-re-upgrade');
    assert.ok(rail, 'flagged');
    assert.equal(rail.macs.length, 6);
    assert.match(rail.message, /silently flash it back at night/);
    assert.match(rail.fix ?? '', /firmware pin/);
    assert.ok(
      plan.phones
        .filter((p) => p.action === 'flash')
        .every((p) => p.homeFirmware === '6.5.0.224' && p.afterwards === 'stay-pointed'),
    );

    const job = await b.jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken! });
    const info = await b.jobs.wait(job.id);
    assert.equal(info.state, 'succeeded', info.error);
    assert.match(info.note ?? '', /6 phone\(s\) keep a firmware pin/);
    const localBefore = new Map(b.lab.phones.map((p) => [p.mac, b.lab.phone(p.mac).inspect().settings.local]));
    for (const p of b.lab.phones.slice(0, 6)) assert.equal(b.lab.phone(p.mac).firmware, '5.0.0.1018');
    // Control: one phone loses its pin; the trap is real.
    const first = b.lab.phones[0]!;
    await editServedPin(b.home, first.mac.replace(/:/g, ''), null);
    await b.lab.setClock(day + 15 * 3600_000); // 03:00 next day
    await b.lab.phone(first.mac).waitForEvent('online', { afterSeq: b.lab.phone(first.mac).lastSeq, timeoutMs: 8000 });
    assert.equal(b.lab.phone(first.mac).firmware, '6.5.0.224', 'without its pin it flashed back at night');
    for (const p of b.lab.phones.slice(1, 6)) {
      const sim = b.lab.phone(p.mac);
      assert.ok(
        sim.history.some((e) => e.type === 'auto-resync'),
        `${p.mac} checked at night`,
      );
      assert.equal(sim.firmware, '5.0.0.1018', `${p.mac} stayed on the fallback`);
      assert.equal(sim.history.filter((e) => e.type === 'flash-done').length, 1);
      assert.deepEqual(sim.inspect().settings.local, localBefore.get(p.mac), 'the run set nothing locally');
    }
  });
});

describe('cancel mid-wave', () => {
  let b: Bench;
  before(async () => {
    b = await startBench({
      name: 'fw-cancel',
      loopbackBase: '127.70.0.0',
      bootMs: 400,
      flashMs: 1200,
      groups: twoModels('00:08:5D:6E:10:01', '00:08:5D:6F:10:01'),
    });
    await b.addImage('6867i', '5.0.0.1018');
    await b.addImage('6865i', '5.0.0.1018');
  });
  after(() => b.close());

  test('leaves every phone in a known state, and resume finishes without flashing any phone twice', async () => {
    const plan = await makeFirmwarePlan(b.planDeps(), {
      targets: [
        { model: '6867i', version: '5.0.0.1018' },
        { model: '6865i', version: '5.0.0.1018' },
      ],
      options: { ...FAST, waveSize: 5, concurrency: 5 },
    });
    const job = await b.jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken! });
    for (;;) {
      const s = await firmwareStatus(b.site, job.id);
      if (s.phones.some((p) => p.wave === 'wave 1' && (p.state === 'flashing' || p.state === 'rebooting'))) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    b.jobs.cancel(job.id);
    const info = await b.jobs.wait(job.id);
    assert.equal(info.state, 'cancelled');
    assert.match(info.note ?? '', /may still be flashing/);
    assert.match(info.note ?? '', /Resume reads each unfinished phone's version before doing anything else/);
    assert.equal((await firmwareStatus(b.site, job.id)).outcome, 'cancelled');
    const { entries } = await Journal.read(b.site.path('journal', `${job.id}.jsonl`));
    const cancelled = entries.find((e) => e.type === 'firmware-cancelled');
    assert.ok(cancelled, 'the journal lists each unfinished phone and its state');
    assert.ok((cancelled.phones as unknown[]).length > 0);
    await b.jobs.resume(job.id);
    const resumed = await b.jobs.wait(job.id);
    assert.equal(resumed.state, 'succeeded', resumed.error);
    const status = await firmwareStatus(b.site, job.id);
    assert.equal(status.counts.verified, 12, JSON.stringify(status.counts));
    for (const p of b.lab.phones) assert.equal(b.flashes(p.mac), 1, `${p.mac} flashed once`);
  });
});
