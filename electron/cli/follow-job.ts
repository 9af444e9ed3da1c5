// Follows a job through the contract's events until it ends: progress on stderr when it is a terminal, the
// job's warnings and errors always, decisions answered by the command (e.g. --on-halt), Ctrl+C cancels.
import { CallError, type CliContext } from './command';
import type { CallOutput, EventPayload } from '../api/contract';

type JobInfo = CallOutput<'jobs.start'>;
type Decision = NonNullable<CallOutput<'jobs.get'>['decision']>;

export interface FollowOptions {
  /** Picks the answer when the job waits for a decision; without it the job is cancelled. */
  decide?(decision: Decision): string;
}

const ENDED = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

/** Starts (or resumes) a job with `start` and resolves with its final state. */
export async function followJob(
  ctx: CliContext,
  start: () => Promise<JobInfo>,
  options: FollowOptions = {},
): Promise<JobInfo> {
  let id: string | undefined;
  const early: EventPayload<'job.updated'>[] = [];
  let settle: (info: JobInfo) => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  const ended = new Promise<JobInfo>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  let answering = false;
  let drawn = false;

  const onUpdate = (info: JobInfo) => {
    if (ctx.terminal.progress && !ctx.json && info.state === 'running') {
      const counts = info.total > 0 ? `${info.done}/${info.total} ` : '';
      process.stderr.write(`\r${counts}${info.message}`.slice(0, 200).padEnd(60));
      drawn = true;
    }
    if (info.state === 'waiting' && !answering) {
      answering = true;
      void answer(info.id).finally(() => (answering = false));
    }
    if (ENDED.has(info.state)) settle(info);
  };
  const answer = async (jobId: string) => {
    try {
      const { decision } = await ctx.call('jobs.get', { id: jobId });
      if (!decision) return;
      const choice = options.decide?.(decision);
      if (choice === undefined) {
        ctx.io.err(
          `The job asks: ${decision.question} (${decision.options.join(', ')}). Nobody can answer here: cancelled.`,
        );
        await ctx.call('jobs.cancel', { id: jobId });
      } else await ctx.call('jobs.answer', { id: jobId, choice });
    } catch (e) {
      fail(e);
    }
  };
  const unsubscribe = ctx.onEvent((name, payload) => {
    if (name === 'job.updated') {
      const info = payload as JobInfo;
      if (id === undefined) early.push(info);
      else if (info.id === id) onUpdate(info);
    } else if (name === 'job.log') {
      const log = payload as EventPayload<'job.log'>;
      if (log.jobId !== (id ?? log.jobId) || log.level === 'info') return;
      ctx.io.err(`${drawn ? '\n' : ''}${log.level === 'warn' ? 'warning' : 'error'}: ${log.message}`);
      drawn = false;
    }
  });
  const cancel = () => {
    if (id !== undefined) void ctx.call('jobs.cancel', { id }).catch(() => undefined);
  };
  ctx.signal.addEventListener('abort', cancel, { once: true });
  try {
    const started = await start();
    id = started.id;
    for (const info of early.splice(0)) if (info.id === id) onUpdate(info);
    onUpdate(started);
    // The job may have ended between its last event and now only if an event said so; ask once to be sure.
    const now = await ctx.call('jobs.get', { id }).catch((e: unknown) => {
      if (e instanceof CallError && e.code === 'not-found') return null;
      throw e;
    });
    if (now) onUpdate(now.job);
    return await ended;
  } finally {
    if (drawn) process.stderr.write('\n');
    ctx.signal.removeEventListener('abort', cancel);
    unsubscribe();
  }
}
