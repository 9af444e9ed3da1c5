// One run per phone, enforced by the job manager; a stopped job is "stopped"; a job can wait for a start time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { z } from 'zod';
import { JobManager, STOPPED, type JobDefinition } from '../../../electron/core/jobs/job-manager';
import { Journal } from '../../../electron/core/jobs/journal';
import { type FieldkitError } from '../../../electron/core/util/errors';
import { tempDir } from '../../helpers/temp-dir';
import type { JobInfo } from '../../../electron/core/jobs/job-types';

const Params = z.object({ phones: z.array(z.string()), ms: z.number().default(200), fail: z.boolean().default(false) });
type P = z.output<typeof Params>;

function kindOf(kind: string, extra: Partial<JobDefinition<P>> = {}): JobDefinition<P> {
  return {
    kind,
    params: Params,
    resumable: true,
    title: (p) => `${kind} of ${p.phones.join(', ')}`,
    // slow on purpose: two starts in the same tick both await this before either claims
    holds: async (p) => {
      await new Promise((r) => setTimeout(r, 20));
      return p.phones;
    },
    async run(ctx, p) {
      await ctx.step('work', async () => {
        await new Promise((r) => setTimeout(r, p.ms));
        ctx.throwIfCancelled();
        if (p.fail) throw new Error('it broke');
      });
    },
    ...extra,
  };
}

function manager(dir: string, updates: JobInfo[] = []) {
  const jobs = new JobManager(() => dir, { onUpdate: (u) => updates.push(u), onLog: () => undefined });
  jobs.register(kindOf('firmware-wave'));
  jobs.register(kindOf('reboot'));
  jobs.register(kindOf('verify'));
  return jobs;
}

test('two quick starts on the same phone: exactly one runs, the other is a conflict naming the phone and the job', async (t) => {
  const jobs = manager(await tempDir(t));
  const results = await Promise.allSettled([
    jobs.start('firmware-wave', { phones: ['00085D000001', '00085D000002'] }),
    jobs.start('firmware-wave', { phones: ['00085D000002', '00085D000003'] }),
  ]);
  const ok = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<JobInfo>[];
  const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
  assert.equal(ok.length, 1);
  assert.equal(refused.length, 1);
  const e = refused[0]!.reason as FieldkitError;
  assert.equal(e.code, 'conflict');
  assert.match(
    e.message,
    /Phone 00085D000002 is in use by the running job "firmware-wave of .*" \(.*firmware-wave.*\)/,
  );
  assert.deepEqual(e.details?.phones, ['00085D000002']);
  assert.equal(e.details?.jobId, ok[0]!.value.id);
  assert.deepEqual(ok[0]!.value.holds, ['00085D000001', '00085D000002']);
  assert.deepEqual(
    jobs.held().map((h) => [h.resource, h.jobId]),
    [
      ['00085D000001', ok[0]!.value.id],
      ['00085D000002', ok[0]!.value.id],
    ],
  );
  await jobs.wait(ok[0]!.value.id);
  assert.deepEqual(jobs.held(), [], 'released when the job ends');
});

test('firmware, reboot and verify alike; other phones may run at the same time', async (t) => {
  const jobs = manager(await tempDir(t));
  const fw = await jobs.start('firmware-wave', { phones: ['A1'], ms: 400 });
  for (const kind of ['reboot', 'verify', 'firmware-wave'])
    await assert.rejects(jobs.start(kind, { phones: ['A1'] }), (e: FieldkitError) => e.code === 'conflict');
  const other = await jobs.start('reboot', { phones: ['B2'] });
  assert.equal((await jobs.wait(other.id)).state, 'succeeded');
  await jobs.wait(fw.id);
  assert.equal((await jobs.wait((await jobs.start('verify', { phones: ['A1'] })).id)).state, 'succeeded');
});

test('released when a job fails or is cancelled; an interrupted job re-takes its phones on resume', async (t) => {
  const dir = await tempDir(t);
  const jobs = manager(dir);
  const failing = await jobs.start('reboot', { phones: ['C3'], fail: true, ms: 10 });
  assert.equal((await jobs.wait(failing.id)).state, 'failed');
  const cancelled = await jobs.start('reboot', { phones: ['C3'], ms: 2000 });
  jobs.cancel(cancelled.id);
  assert.equal((await jobs.wait(cancelled.id)).state, 'cancelled');
  assert.deepEqual(jobs.held(), []);

  // An interrupted job (Fieldkit died): nothing is held until it is resumed, then it holds its phones again.
  const journal = await Journal.open(join(dir, 'crashed.jsonl'));
  await journal.append('job-started', { kind: 'firmware-wave', params: { phones: ['D4'], ms: 300, fail: false } });
  await journal.close();
  const fresh = manager(dir);
  const meanwhile = await fresh.start('reboot', { phones: ['D4'], ms: 300 });
  await assert.rejects(fresh.resume('crashed'), (e: FieldkitError) => e.code === 'conflict' && /D4/.test(e.message));
  await fresh.wait(meanwhile.id);
  const resumed = await fresh.resume('crashed');
  assert.deepEqual(resumed.holds, ['D4']);
  await assert.rejects(fresh.start('verify', { phones: ['D4'] }), (e: FieldkitError) => e.code === 'conflict');
  assert.equal((await fresh.wait('crashed')).state, 'succeeded');
});

test('a job that was stopped on purpose ends "stopped", never succeeded, and cannot be resumed into the same stop', async (t) => {
  const dir = await tempDir(t);
  const updates: JobInfo[] = [];
  const jobs = new JobManager(() => dir, { onUpdate: (u) => updates.push(u), onLog: () => undefined });
  jobs.register(
    kindOf('firmware-wave', {
      async run(ctx) {
        ctx.setNote('2 phones were not started and keep their firmware.');
        return STOPPED;
      },
    }),
  );
  const info = await jobs.start('firmware-wave', { phones: ['E5'] });
  const final = await jobs.wait(info.id);
  assert.equal(final.state, 'stopped');
  assert.equal(final.message, 'Stopped by the technician');
  assert.equal(final.note, '2 phones were not started and keep their firmware.');
  assert.ok(!updates.some((u) => u.id === info.id && u.state === 'succeeded'));
  const listed = (await new JobManager(() => dir, { onUpdate: () => undefined, onLog: () => undefined }).list())[0]!;
  assert.equal(listed.state, 'stopped', 'also when read back from the journal');
  assert.equal(listed.note, '2 phones were not started and keep their firmware.');
  await assert.rejects(jobs.resume(info.id), (e: FieldkitError) => e.code === 'conflict' && /stopped/.test(e.message));
});

test('waitUntil: the wait shows in the job info, is cancellable, and a resumed job waits again while the time is ahead', async (t) => {
  const dir = await tempDir(t);
  const updates: JobInfo[] = [];
  const jobs = new JobManager(() => dir, { onUpdate: (u) => updates.push(u), onLog: () => undefined });
  const Waiting = z.object({ at: z.string() });
  let ran = 0;
  jobs.register({
    kind: 'windowed',
    params: Waiting,
    resumable: true,
    title: () => 'windowed',
    async run(ctx, p) {
      await ctx.waitUntil(new Date(p.at), `Waiting until ${p.at}`);
      ran++;
    },
  });
  const at = new Date(Date.now() + 60_000).toISOString();
  const info = await jobs.start('windowed', { at });
  await new Promise((r) => setTimeout(r, 50));
  const waiting = updates.filter((u) => u.id === info.id).at(-1)!;
  assert.equal(waiting.state, 'running');
  assert.equal(waiting.waitingUntil, at);
  assert.equal(waiting.message, `Waiting until ${at}`);
  jobs.cancel(info.id);
  const cancelled = await jobs.wait(info.id);
  assert.equal(cancelled.state, 'cancelled');
  assert.equal(ran, 0, 'the work never started');
  assert.equal(cancelled.waitingUntil, undefined);

  // Resumed with the time still ahead: it waits again.
  await jobs.resume(info.id);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(updates.filter((u) => u.id === info.id).at(-1)!.waitingUntil, at);
  jobs.cancel(info.id);
  await jobs.wait(info.id);
  assert.equal(ran, 0);

  // A time already past does not wait.
  const soon = await jobs.start('windowed', { at: new Date(Date.now() - 1000).toISOString() });
  assert.equal((await jobs.wait(soon.id)).state, 'succeeded');
  assert.equal(ran, 1);
});
