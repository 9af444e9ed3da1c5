// The reboot job: confirmed plan only, one journaled step per phone, and a resumed job that never
// restarts a phone twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { createRebootJob, planReboot, latestRebootReport } from '../../../electron/core/provisioning/reboot-job';
import { startLab } from '../../sim/lab';
import { tempDir } from '../../helpers/temp-dir';
import { writeLabPhones } from './lab-site';

test(
  'cancelled half-way and resumed: every phone restarted exactly once, the report lists all',
  { timeout: 60_000 },
  async (t) => {
    const lab = await startLab(
      {
        name: 'reboot-job',
        loopbackBase: '127.95.0.0',
        bootMs: 400,
        groups: [
          { kind: 'mitel-6800', count: 4, macStart: '00:08:5D:95:00:01', model: '6865i', versions: ['6.5.0.224'] },
        ],
      },
      { mode: 'loopback' },
    );
    t.after(() => lab.stop());
    const site = await SiteWorkspace.create(join(await tempDir(t), 'site'), { name: 'Reboot job' });
    const at = '2026-03-01T10:00:00.000Z';
    await writeLabPhones(site, lab.phones, at);
    const updates: { done: number; state: string }[] = [];
    const jobs = new JobManager(() => site.path('journal'), {
      onUpdate: (i) => updates.push({ done: i.done, state: i.state }),
      onLog: () => undefined,
    });
    jobs.register(createRebootJob({ site: () => site, secrets: new MemorySecretStore() }));

    const plan = await planReboot(site, { all: true });
    assert.equal(plan.phones.length, 4);
    const stale = await planReboot(site, { phones: [lab.phones[0]!.mac] });
    await assert.rejects(jobs.start('reboot', { all: true }), /planToken/);
    const wrong = await jobs.start('reboot', { all: true, planToken: stale.token });
    assert.match((await jobs.wait(wrong.id)).error ?? '', /changed since the reboot plan was shown/);

    const job = await jobs.start('reboot', { all: true, planToken: plan.token, concurrency: 1, confirmDownMs: 3000 });
    while (!updates.some((u) => u.done >= 2)) await new Promise((r) => setTimeout(r, 20));
    jobs.cancel(job.id);
    assert.equal((await jobs.wait(job.id)).state, 'cancelled');
    await new Promise((r) => setTimeout(r, 1200)); // let the phones come back
    await jobs.resume(job.id);
    const done = await jobs.wait(job.id);
    assert.equal(done.state, 'succeeded', done.error);
    const restarts = lab.phones.map(
      (p) =>
        lab.phone(p.mac).history.filter((e) => e.type === 'boot-started' && e.detail.reason === 'sip check-sync')
          .length,
    );
    assert.deepEqual(restarts, [1, 1, 1, 1]);
    const report = (await latestRebootReport(site))!;
    assert.equal(report.results.length, 4);
    // the phone whose step was under way at the cancel is reported, never restarted a second time
    assert.ok(
      report.results.every((r) => (r.ok && r.method === 'sip-notify') || /not restarted again/.test(r.message)),
      JSON.stringify(report.results),
    );
    assert.ok(report.results.filter((r) => r.ok).length >= 3);
  },
);

test('"all phones" with an empty sheet says to import the sheet instead of planning nothing', async (t) => {
  const site = await SiteWorkspace.create(join(await tempDir(t), 'site'), { name: 'No sheet' });
  await assert.rejects(planReboot(site, { all: true }), (e: Error) => {
    assert.match(e.message, /The sheet has no phones.*Import the sheet.*fieldkit inventory import FILE.*by MAC/s);
    return true;
  });
});
