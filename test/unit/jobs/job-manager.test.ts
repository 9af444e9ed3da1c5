import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { z } from 'zod';
import { JobManager, type JobDefinition } from '../../../electron/core/jobs/job-manager';
import { Journal } from '../../../electron/core/jobs/journal';
import { selfTestJob } from '../../../electron/core/jobs/self-test-job';
import { FieldkitError } from '../../../electron/core/util/errors';
import { tempDir } from '../../helpers/temp-dir';
import type { JobInfo } from '../../../electron/core/jobs/job-types';

function manager(dir: string, updates: JobInfo[] = []) {
  const jobs = new JobManager(() => dir, { onUpdate: (i) => updates.push(i), onLog: () => undefined });
  jobs.register(selfTestJob);
  return jobs;
}

test('start returns an id at once; progress streams; the job ends succeeded with its journal complete', async (t) => {
  const dir = await tempDir(t);
  const updates: JobInfo[] = [];
  const jobs = manager(dir, updates);
  const before = Date.now();
  const info = await jobs.start('self-test', { steps: 5, stepMs: 30 });
  assert.ok(Date.now() - before < 100, 'start does not wait for the work');
  assert.equal(info.state, 'running');
  const final = await jobs.wait(info.id);
  assert.equal(final.state, 'succeeded');
  assert.equal(final.done, 5);
  assert.equal(final.counters.steps, 5);
  assert.ok(
    updates.some((u) => u.id === info.id && u.done > 0 && u.done < 5),
    'intermediate progress was sent',
  );
  assert.equal(updates.at(-1)!.state, 'succeeded');
  const { entries } = await Journal.read(join(dir, `${info.id}.jsonl`));
  assert.equal(entries[0]!.type, 'job-started');
  assert.equal(entries.filter((e) => e.type === 'step-done').length, 5);
  assert.equal(entries.at(-1)!.type, 'job-succeeded');
});

test('invalid parameters and unknown kinds are refused with a clear message', async (t) => {
  const jobs = manager(await tempDir(t));
  await assert.rejects(
    jobs.start('self-test', { steps: -1 }),
    (e: FieldkitError) => e.code === 'invalid-input' && /steps/.test(e.message),
  );
  await assert.rejects(
    jobs.start('teleport', {}),
    (e: FieldkitError) => e.code === 'invalid-input' && /self-test/.test(e.message),
  );
});

test('cancel stops a job, which ends cancelled and journals it', async (t) => {
  const dir = await tempDir(t);
  const jobs = manager(dir);
  const info = await jobs.start('self-test', { steps: 100, stepMs: 20 });
  await new Promise((r) => setTimeout(r, 70));
  jobs.cancel(info.id);
  const final = await jobs.wait(info.id);
  assert.equal(final.state, 'cancelled');
  assert.ok(final.done < 100);
  const { entries } = await Journal.read(join(dir, `${info.id}.jsonl`));
  assert.equal(entries.at(-1)!.type, 'job-cancelled');
});

test('an interrupted job is listed as such and resume skips the steps already done', async (t) => {
  const dir = await tempDir(t);
  const ran: string[] = [];
  const countingJob: JobDefinition<{ n: number }> = {
    kind: 'counting',
    params: z.object({ n: z.number() }),
    resumable: true,
    title: (p) => `count to ${p.n}`,
    async run(ctx, p) {
      for (let i = 1; i <= p.n; i++) {
        await ctx.step(`s${i}`, async () => {
          ran.push(`s${i}`);
          return i * 10;
        });
      }
    },
  };
  // Fake a crash: a journal with a start and two finished steps and no end.
  const journal = await Journal.open(join(dir, 'crashed-job.jsonl'));
  await journal.append('job-started', { kind: 'counting', params: { n: 4 } });
  await journal.append('step-begin', { key: 's1' });
  await journal.append('step-done', { key: 's1', result: 10 });
  await journal.append('step-begin', { key: 's2' });
  await journal.append('step-done', { key: 's2', result: 20 });
  await journal.append('step-begin', { key: 's3' });
  await journal.close();

  const jobs = new JobManager(() => dir, { onUpdate: () => undefined, onLog: () => undefined });
  jobs.register(countingJob);
  const listed = (await jobs.list()).find((j) => j.id === 'crashed-job')!;
  assert.equal(listed.state, 'interrupted');
  assert.equal(listed.resumable, true);
  await jobs.resume('crashed-job');
  assert.equal((await jobs.wait('crashed-job')).state, 'succeeded');
  assert.deepEqual(ran, ['s3', 's4']);
  const { entries } = await Journal.read(join(dir, 'crashed-job.jsonl'));
  assert.ok(entries.some((e) => e.type === 'job-resumed'));
  await assert.rejects(jobs.resume('crashed-job'), (e: FieldkitError) => e.code === 'conflict');
});

test('a job can stop and wait for the technician, and continues with the answer', async (t) => {
  const dir = await tempDir(t);
  const updates: JobInfo[] = [];
  const jobs = new JobManager(() => dir, { onUpdate: (u) => updates.push(u), onLog: () => undefined });
  let answer = '';
  jobs.register({
    kind: 'asking',
    params: z.object({}),
    resumable: false,
    title: () => 'asking',
    async run(ctx) {
      answer = await ctx.ask('Two phones failed. Continue?', ['continue', 'stop']);
    },
  });
  const info = await jobs.start('asking', {});
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(updates.at(-1)!.state, 'waiting');
  assert.throws(
    () => jobs.answer(info.id, 'maybe'),
    (e: FieldkitError) => e.code === 'invalid-input',
  );
  jobs.answer(info.id, 'stop');
  assert.equal((await jobs.wait(info.id)).state, 'succeeded');
  assert.equal(answer, 'stop');
});

test('a failing job ends failed with the reason, in the journal too', async (t) => {
  const dir = await tempDir(t);
  const jobs = new JobManager(() => dir, { onUpdate: () => undefined, onLog: () => undefined });
  jobs.register({
    kind: 'boom',
    params: z.object({}),
    resumable: false,
    title: () => 'boom',
    async run() {
      throw new FieldkitError('unavailable', 'The SFTP server did not answer.');
    },
  });
  const info = await jobs.start('boom', {});
  const final = await jobs.wait(info.id);
  assert.equal(final.state, 'failed');
  assert.equal(final.error, 'The SFTP server did not answer.');
  const { entries } = await Journal.read(join(dir, `${info.id}.jsonl`));
  assert.equal(entries.at(-1)!.type, 'job-failed');
});

test('a job that waits on its signal for 100 phones at once prints no MaxListenersExceededWarning', async (t) => {
  const dir = await tempDir(t);
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  t.after(() => process.off('warning', onWarning));
  const jobs = new JobManager(() => dir, { onUpdate: () => undefined, onLog: () => undefined });
  const wide: JobDefinition<{ phones: number }> = {
    kind: 'wide',
    params: z.object({ phones: z.number() }),
    title: () => 'wide',
    resumable: false,
    run: async (ctx, { phones }) => {
      await Promise.all(Array.from({ length: phones }, () => sleepOn(ctx.signal, 20)));
    },
  };
  jobs.register(wide);
  t.after(() => jobs.shutdown());
  const info = await jobs.start('wide', { phones: 100 });
  assert.equal((await jobs.wait(info.id)).state, 'succeeded');
  await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
  assert.deepEqual(warnings, []);
});

function sleepOn(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

test("a job's ended hook runs after its end is journaled, with the state; a failing hook is logged", async (t) => {
  const dir = await tempDir(t);
  const seen: { state: string; lastEntry: string }[] = [];
  const logs: string[] = [];
  const jobs = new JobManager(() => dir, { onUpdate: () => undefined, onLog: (l) => logs.push(l.message) });
  jobs.register({
    kind: 'hooked',
    params: z.object({ fail: z.boolean() }),
    title: () => 'hooked',
    resumable: false,
    run: async (_ctx, { fail }) => {
      if (fail) throw new Error('broke');
    },
    ended: async (id, state) => {
      const { entries } = await Journal.read(join(dir, `${id}.jsonl`));
      seen.push({ state, lastEntry: entries.at(-1)!.type });
      if (state === 'failed') throw new Error('the hook broke too');
    },
  });
  await jobs.wait((await jobs.start('hooked', { fail: false })).id);
  await jobs.wait((await jobs.start('hooked', { fail: true })).id);
  assert.deepEqual(seen, [
    { state: 'succeeded', lastEntry: 'job-succeeded' },
    { state: 'failed', lastEntry: 'job-failed' },
  ]);
  assert.ok(logs.some((m) => /the hook broke too/.test(m)));
});
