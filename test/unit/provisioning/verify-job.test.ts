// Verify checks what the last reboot restarted: a phone it did not restart is skipped with its reason, never failed
// with "did not fetch anything" (walkthrough defect 13). Reboot and verify hold their phones: one run per phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import {
  createRebootJob,
  planReboot,
  PROVISIONING_DIR,
  RebootReportSchema,
} from '../../../electron/core/provisioning/reboot-job';
import {
  createVerifyJob,
  latestVerifyReport,
  VerifyReportSchema,
} from '../../../electron/core/provisioning/verify-job';
import { startLab } from '../../sim/lab';
import { tempDir } from '../../helpers/temp-dir';
import { writeLabPhones } from './lab-site';
import type { FieldkitError } from '../../../electron/core/util/errors';

test(
  'verify skips a phone the last reboot did not restart; reboot and verify refuse to share a phone',
  { timeout: 60_000 },
  async (t) => {
    const lab = await startLab(
      {
        name: 'verify-job',
        loopbackBase: '127.87.0.0',
        bootMs: 300,
        groups: [
          { kind: 'mitel-6800', count: 3, macStart: '00:08:5D:96:00:01', model: '6865i', versions: ['6.5.0.224'] },
        ],
      },
      { mode: 'loopback' },
    );
    t.after(() => lab.stop());
    const site = await SiteWorkspace.create(join(await tempDir(t), 'site'), { name: 'Verify job' });
    const at = '2026-03-01T10:00:00.000Z';
    const macs = lab.phones.map((p) => p.mac.replace(/:/g, ''));
    await writeLabPhones(site, lab.phones, at);
    // The last reboot restarted the first two phones; the third answered nothing.
    await site.writeJson(`${PROVISIONING_DIR}/reboot-20260301-100000-reboot-aaaaaa.json`, RebootReportSchema, {
      format: 'fieldkit-reboot',
      jobId: '20260301-100000-reboot-aaaaaa',
      startedAt: at,
      finishedAt: at,
      fastReboot: false,
      // The second phone's restart was interrupted (Fieldkit stopped mid-step): it may have restarted.
      results: macs.map((mac, i) => ({
        mac,
        ip: lab.phones[i]!.address,
        ok: i === 0,
        method: i === 0 ? 'sip-notify' : null,
        message: [
          'restarting',
          `Fieldkit stopped while restarting ${mac}; it was not restarted again so as not to restart it twice.`,
          `Phone ${mac} could not be restarted remotely.`,
        ][i]!,
        ...(i === 1 ? { interrupted: true } : {}),
        at,
        attempts: [],
      })),
      notReady: [],
    });
    const secrets = new MemorySecretStore({ 'phone-admin-password': '22222' });
    const jobs = new JobManager(() => site.path('journal'), { onUpdate: () => undefined, onLog: () => undefined });
    jobs.register(createVerifyJob({ site: () => site, secrets, builtinFetches: async () => [] }));
    jobs.register(createRebootJob({ site: () => site, secrets }));

    const job = await jobs.start('verify', { bootTimeoutMs: 2000, pollMs: 100 });
    assert.deepEqual(job.holds, [macs[0], macs[1]], 'verify holds the phones it checks');
    const plan = await planReboot(site, { phones: [macs[1]!] });
    await assert.rejects(
      jobs.start('reboot', { phones: [macs[1]!], planToken: plan.token }),
      (e: FieldkitError) => e.code === 'conflict' && e.message.includes(macs[1]!) && /Verify/.test(e.message),
    );
    const done = await jobs.wait(job.id);
    assert.equal(done.state, 'succeeded', done.error);
    const report = (await site.readJson(`${PROVISIONING_DIR}/verify-${job.id}.json`, VerifyReportSchema))!;
    assert.ok(await latestVerifyReport(site));
    assert.deepEqual(
      report.results.map((r) => r.mac),
      [macs[0], macs[1]],
    );
    assert.deepEqual(
      report.skipped.map((s) => s.mac),
      [macs[2]],
    );
    assert.match(report.skipped[0]!.reason, /not restarted by the last reboot/);
    const interrupted = report.results[1]!.checks.find((c) => c.id === 'fetched');
    assert.doesNotMatch(interrupted?.detail ?? '', /did not restart this phone/, 'its fetches are checked as usual');

    // Named explicitly, the not-restarted phone is checked, but its fetches are not held against it.
    const named = await jobs.start('verify', { phones: [macs[2]!], bootTimeoutMs: 2000, pollMs: 100 });
    await jobs.wait(named.id);
    const one = (await site.readJson(`${PROVISIONING_DIR}/verify-${named.id}.json`, VerifyReportSchema))!.results[0]!;
    const fetched = one.checks.find((c) => c.id === 'fetched')!;
    assert.equal(fetched.ok, null);
    assert.match(fetched.detail, /did not restart this phone/);
    assert.doesNotMatch(fetched.detail, /did not fetch anything/);

    // Afterwards the phones are free again.
    const again = await jobs.start('reboot', { phones: [macs[1]!], planToken: plan.token, confirmDownMs: 3000 });
    assert.equal((await jobs.wait(again.id)).state, 'succeeded');
  },
);
