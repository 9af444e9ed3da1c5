// Calling the contract from a test the way the UI does, failing loudly on an error result.
import assert from 'node:assert/strict';
import type { FieldkitApp } from '../../electron/app/fieldkit-app';
import type { CallName, CallOutput } from '../../electron/api/contract';
import type { JobInfo } from '../../electron/core/jobs/job-types';

export function callsOf(app: FieldkitApp) {
  const ok = async <N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>> => {
    const result = await app.dispatch(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
    return result.value as CallOutput<N>;
  };
  /** Starts a job through the contract and waits until it succeeded. */
  const runJob = async (kind: string, params: unknown): Promise<JobInfo> => {
    const job = await ok('jobs.start', { kind, params });
    const done = await app.jobManager().wait(job.id);
    assert.equal(done.state, 'succeeded', `${kind}: ${done.error}`);
    return done;
  };
  return { ok, runJob };
}
