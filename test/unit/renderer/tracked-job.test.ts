// TrackedJob, the one place views start and follow jobs: it refuses a second start while its job runs, picks up
// a running job, reports the end once, and keeps refusals as its error. Loaded with Svelte's compiler (runes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importRunes } from './runes';
import type { JobInfo } from '../../../renderer/src/lib/job-labels';
import type * as Tracked from '../../../renderer/src/lib/tracked-job.svelte';
import type * as ActionModule from '../../../renderer/src/lib/action.svelte';
import type * as ToastModule from '../../../renderer/src/lib/toasts.svelte';

const { TrackedJob } = await importRunes<typeof Tracked>(
  new URL('../../../renderer/src/lib/tracked-job.svelte.ts', import.meta.url),
);
const { Action } = await importRunes<typeof ActionModule>(
  new URL('../../../renderer/src/lib/action.svelte.ts', import.meta.url),
);
const { toasts } = await importRunes<typeof ToastModule>(
  new URL('../../../renderer/src/lib/toasts.svelte.ts', import.meta.url),
);

function info(id: string, kind: string, state: JobInfo['state']): JobInfo {
  return {
    id,
    kind,
    title: kind,
    state,
    done: 0,
    total: 0,
    message: '',
    counters: {},
    startedAt: '2026-11-29T22:47:00.000Z',
    resumable: true,
    journal: `journal/${id}.jsonl`,
  };
}

/** A stand-in for the app's jobs: a list, job events, and calls that can be made to fail. */
function fakeSource(initial: JobInfo[] = []) {
  const jobs = [...initial];
  const listeners = new Set<(j: JobInfo) => void>();
  let next = 1;
  const calls: string[] = [];
  const source: Tracked.JobSource = {
    jobs: () => jobs,
    async start({ kind }) {
      calls.push(`start ${kind}`);
      if (kind === 'firmware-wave') throw new Error('Another run holds these phones.');
      const job = info(`job-${next++}`, kind, 'running');
      jobs.unshift(job);
      return job;
    },
    async cancel(id) {
      calls.push(`cancel ${id}`);
    },
    async resume(id) {
      calls.push(`resume ${id}`);
      return info(id, 'x', 'running');
    },
    onUpdate(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const emit = (job: JobInfo) => {
    const i = jobs.findIndex((j) => j.id === job.id);
    if (i >= 0) jobs[i] = job;
    else jobs.unshift(job);
    for (const l of listeners) l(job);
  };
  return { source, emit, calls, listeners };
}

test('start, follow to the end once, and no second start while it runs', async () => {
  const { source, emit, calls } = fakeSource();
  const ended: string[] = [];
  const t = new TrackedJob(source, { onFinish: (j) => ended.push(`${j.id} ${j.state}`) });
  assert.equal(t.job, null);
  const job = await t.start('self-test', {});
  assert.equal(job?.id, 'job-1');
  assert.equal(t.running, true);
  assert.equal(t.busy, true);
  assert.equal(await t.start('self-test', {}), null, 'a second start while the first runs is refused');
  assert.deepEqual(calls, ['start self-test']);
  emit({ ...job!, state: 'waiting' });
  assert.equal(t.running, true);
  emit({ ...job!, state: 'succeeded' });
  emit({ ...job!, state: 'succeeded' });
  emit(info('other', 'reboot', 'failed'));
  assert.deepEqual(ended, ['job-1 succeeded']);
  assert.equal(t.finished, true);
  assert.equal(t.busy, false);
  // After it ended, a new one can start; resuming a cancelled one reports its end again.
  await t.start('self-test', {});
  emit({ ...t.job!, state: 'cancelled' });
  await t.resume();
  emit({ ...t.job!, state: 'running' });
  emit({ ...t.job!, state: 'succeeded' });
  assert.deepEqual(ended, ['job-1 succeeded', 'job-2 cancelled', 'job-2 succeeded']);
});

test('a refused start keeps the reason; a running job of its kind is picked up; dispose stops listening', async () => {
  const { source, listeners } = fakeSource([
    info('old', 'discovery', 'succeeded'),
    info('live', 'discovery', 'running'),
  ]);
  const refused = new TrackedJob(source);
  assert.equal(await refused.start('firmware-wave', { planId: 'p', confirm: 'c' }), null);
  assert.equal(refused.error, 'Another run holds these phones.');
  assert.equal(refused.starting, false);

  const adopted = new TrackedJob(source, { kind: 'discovery', adopt: 'running' });
  assert.equal(adopted.id, 'live');
  const latest = new TrackedJob(source, { kind: 'discovery', adopt: 'latest' });
  assert.equal(latest.id, 'old');
  assert.equal(listeners.size, 3);
  for (const t of [refused, adopted, latest]) t.dispose();
  assert.equal(listeners.size, 0);
});

test('an Action keeps its error for the control and confirms success with a toast', async () => {
  toasts.clear();
  const ok = new Action(async (n: number) => n * 2, { ok: (v) => `Got ${v}.` });
  assert.equal(await ok.run(21), 42);
  assert.equal(ok.error, null);
  assert.deepEqual(
    toasts.items.map((t) => t.text),
    ['Got 42.'],
  );
  const bad = new Action(async () => {
    throw new Error('admin password must be digits only');
  });
  assert.equal(await bad.run(), undefined);
  assert.equal(bad.error, 'admin password must be digits only');
  assert.equal(bad.busy, false);
  toasts.push('error', 'Something');
  toasts.push('error', 'Something');
  assert.equal(toasts.items.filter((t) => t.text === 'Something').length, 1, 'the same words twice are one message');
  toasts.clear();
  assert.deepEqual(toasts.items, []);
});
