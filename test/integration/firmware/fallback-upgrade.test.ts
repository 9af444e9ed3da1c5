// A fallback (6867i 6.5.0.224 -> 5.0.0.1018) and an upgrade (6865i 6.4.0.140 -> 6.5.0.224) on 32 simulated
// phones of both models and mixed versions: plan, confirm, canary, waves, verify, result, checklist hook.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { makeFirmwarePlan } from '../../../electron/core/firmware/plan';
import { readFirmwareChanges } from '../../../electron/core/firmware/firmware-changes';
import { readPins } from '../../../electron/core/firmware/pins';
import { Journal } from '../../../electron/core/jobs/journal';
import { DEVICES_FILE, DevicesFileSchema } from '../../../electron/core/inventory/inventory-files';
import { startBench, FAST } from './fixture';
import type { Bench } from './fixture';

let b: Bench;
before(async () => {
  b = await startBench({
    name: 'fw-fallback',
    loopbackBase: '127.61.0.0',
    groups: [
      { count: 18, model: '6867i', versions: ['6.5.0.224', '6.5.0.224', '5.0.0.1018'], macStart: '00:08:5D:61:00:01' },
      { count: 14, model: '6865i', versions: ['6.4.0.140', '5.0.0.1018'], macStart: '00:08:5D:62:00:01' },
    ],
  });
  await b.addImage('6867i', '5.0.0.1018');
  await b.addImage('6865i', '6.5.0.224');
});
after(() => b.close());

test('fallback and upgrade on 32 phones: every phone verified on its target, flashed exactly once', async () => {
  const plan = await makeFirmwarePlan(b.planDeps(), {
    targets: [
      { model: '6867i', version: '5.0.0.1018' },
      { model: '6865i', version: '6.5.0.224' },
    ],
    options: FAST,
  });
  assert.equal(plan.phones.length, 32);
  assert.equal(plan.summary.skip, 6, 'the 6867i already on 5.0.0.1018 are skipped');
  assert.equal(plan.summary.flash, 26);
  assert.ok(plan.confirmToken);
  assert.match(plan.summary.text, /12 6867i to 5\.0\.0\.1018, 14 6865i to 6\.5\.0\.224/);
  const osv = plan.guardRails.find((r) => r.id === 'below-osv-minimum');
  assert.ok(osv, 'going below 6.5.0.224 is flagged');
  assert.equal(osv.macs.length, 12);

  await assert.rejects(
    b.jobs
      .start('firmware-wave', { planId: plan.id, confirm: 'wrong' })
      .then((j) => b.jobs.wait(j.id))
      .then((i) => {
        if (i.state === 'failed') throw new Error(i.error);
      }),
    /confirmation does not match/,
  );

  const job = await b.jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken });
  const info = await b.jobs.wait(job.id);
  assert.equal(info.state, 'succeeded', info.error);
  // The inventory is written per wave while the next wave runs: when the job ends, every phone's outcome is there
  // (read at once: nothing may still be on its way).
  const devices = (await b.site.readJson(DEVICES_FILE, DevicesFileSchema))!.devices;
  const ran = devices.filter((d) => d.reports?.some((r) => r.by === 'firmware-run' && r.jobId === job.id));
  assert.equal(ran.length, 26, 'each flashed phone has the run in its inventory record');
  for (const d of ran) {
    const r = d.reports!.findLast((x) => x.by === 'firmware-run')!;
    const target = d.record.model?.value === '6867i' ? '5.0.0.1018' : '6.5.0.224';
    assert.equal(r.firmware, target, `${d.record.mac?.value}: the inventory says it runs ${target}`);
  }
  assert.equal(info.counters.verified, 26);
  assert.equal(info.counters.failed, 0);

  for (const p of b.lab.phones) {
    const target = p.model === '6867i' ? '5.0.0.1018' : '6.5.0.224';
    const phone = b.lab.phone(p.mac);
    assert.equal(phone.firmware, target, `${p.mac} runs ${target}`);
    assert.equal(
      b.flashes(p.mac),
      p.firmware === target ? 0 : 1,
      `${p.mac} flashed ${p.firmware === target ? 'never' : 'once'}`,
    );
    assert.notEqual(phone.setting('http path'), undefined);
    assert.equal(phone.setting('http path'), 'prov', `${p.mac} stayed on its home configuration server`);
    assert.deepEqual(
      Object.keys(phone.inspect().settings.local),
      [],
      `${p.mac}: nothing Fieldkit set is local on the phone (phone-facts §8)`,
    );
    const served = Buffer.from((await b.home.read(`${p.mac.replace(/:/g, '')}.cfg`))!).toString('utf8');
    assert.doesNotMatch(served, /firmware server/, `${p.mac}: its pin was removed again (home serves no .st)`);
    const fetched = phone.history
      .filter((e) => e.type === 'file-fetched' && e.detail.result === 'ok')
      .map((e) => String(e.detail.file));
    if (p.firmware !== target) {
      assert.ok(
        fetched.includes(`${p.mac.replace(/:/g, '')}.cfg`),
        'it read its own config file in the staging folder',
      );
      // Staged in a sub-folder of the site's own server; its fetch log names the folder and the phone.
      const folder = `fw/${p.model}-${target}`;
      const mine = b.home.fetches().filter((e) => e.ip === p.address && e.status === 200);
      assert.ok(
        mine.some((e) => e.file === `${folder}/${p.model}.st` && e.userAgent?.includes(p.model!)),
        `${p.mac} fetched ${folder}/${p.model}.st from the site's server`,
      );
      assert.ok(
        mine.some((e) => e.file === `${p.mac.replace(/:/g, '')}.cfg`),
        `${p.mac} kept fetching its configuration from home`,
      );
      assert.ok(
        !mine.some((e) => e.file === `${folder}/${p.mac.replace(/:/g, '')}.cfg`),
        'no config copy in the folder',
      );
    }
  }
  assert.ok(
    (await b.home.list()).every((n) => !n.includes('/')),
    'home lists no staged file',
  );
  assert.ok(
    b.home.folder && (await b.home.folder('fw/6867i-5.0.0.1018').list()).includes('6867i.st'),
    'the staged image stays on the server after the job',
  );
  const result = await readFile(b.site.path(`reports/firmware-${job.id}.csv`), 'utf8');
  assert.match(result, /^MAC,Model,Location,IP,Before,Target,After,Result/);
  assert.equal(result.trim().split('\r\n').length, 33);
  assert.equal((result.match(/,verified,/g) ?? []).length, 26);
  const saved = JSON.parse(await readFile(b.site.path(`reports/firmware-${job.id}.json`), 'utf8')) as {
    outcome: string;
  };
  assert.equal(saved.outcome, 'succeeded', 'the saved result names how the run ended, not "unfinished"');

  assert.deepEqual(await readPins(b.site), {}, 'no pin left behind');
  const changes = await readFirmwareChanges(b.site);
  assert.equal(changes.length, 26, 'each verified change is handed to the checklist');
  const { entries } = await Journal.read(b.site.path('journal', `${job.id}.jsonl`));
  const canary = entries.filter((e) => e.type === 'phone-state' && e.state === 'verified' && e.wave === 'canary');
  assert.equal(canary.length, 2, 'one canary per model');
  const firstWave = entries.findIndex((e) => e.type === 'phone-state' && e.wave === 'wave 1');
  const lastCanary = entries.findLastIndex((e) => e.type === 'phone-state' && e.wave === 'canary');
  assert.ok(lastCanary < firstWave, 'the canary finished before the first wave began');
});
