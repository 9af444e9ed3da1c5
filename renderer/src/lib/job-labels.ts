// How jobs are named on screen: by what they do and when, never by an internal id ("Firmware run · 29 Nov, 22:47"
// instead of "Firmware run (plan 20261129-230417-6557c0)").
import { formatDuration, formatWhen } from './format';
import type { BadgeTone } from './badges';
import type { EventPayload } from '$api/contract';

export type JobInfo = EventPayload<'job.updated'>;
export type JobState = JobInfo['state'];

export const KIND_LABELS: Record<string, string> = {
  discovery: 'Scan',
  publish: 'Publish',
  reboot: 'Reboot',
  verify: 'Verify',
  'firmware-wave': 'Firmware run',
  'self-test': 'Self-test',
};

export const STATE_BADGES: Record<JobState, { tone: BadgeTone; label: string }> = {
  running: { tone: 'info', label: 'Running' },
  waiting: { tone: 'warn', label: 'Needs decision' },
  succeeded: { tone: 'ok', label: 'Done' },
  // The technician chose to stop a run (the safe choice when a wave halts): never "Done".
  stopped: { tone: 'warn', label: 'Stopped' },
  failed: { tone: 'bad', label: 'Failed' },
  cancelled: { tone: 'neutral', label: 'Cancelled' },
  interrupted: { tone: 'warn', label: 'Interrupted' },
};

export const isActive = (state: JobState | undefined): boolean => state === 'running' || state === 'waiting';
export const isFinished = (state: JobState | undefined): boolean =>
  state === 'succeeded' || state === 'stopped' || state === 'failed' || state === 'cancelled';

/** What the job does, in words: the core's title without ids or internal target names. */
export function jobTitle(job: Pick<JobInfo, 'kind' | 'title'>): string {
  switch (job.kind) {
    case 'discovery':
      return job.title.replace(/^Discover phones in /, 'Scan ');
    case 'publish': {
      const target = /to (.+)$/.exec(job.title)?.[1];
      return target === undefined || target === 'builtin' ? 'Publish to the built-in server' : `Publish to ${target}`;
    }
    case 'firmware-wave':
      return 'Firmware run';
    case 'self-test':
      return 'Self-test';
    default:
      return job.title.replace(/\s*\((plan|job) [\w.-]+\)/g, '');
  }
}

/** "started 29 Nov 2026, 22:47 · took 2 min 5 s" (or "running for …"). */
export function jobTiming(job: Pick<JobInfo, 'startedAt' | 'finishedAt' | 'state'>, now = Date.now()): string {
  const started = new Date(job.startedAt).getTime();
  const parts = [`started ${formatWhen(job.startedAt)}`];
  if (job.finishedAt) parts.push(`took ${formatDuration(new Date(job.finishedAt).getTime() - started)}`);
  else if (isActive(job.state)) parts.push(`running for ${formatDuration(now - started)}`);
  return parts.join(' · ');
}

/** The job's last words for the technician: its error, its message, or its state. */
export function jobSummary(
  job: Pick<JobInfo, 'state' | 'message' | 'error'> & Partial<Pick<JobInfo, 'kind' | 'counters' | 'waitingUntil'>>,
): string {
  if (job.error) return job.error;
  // the core's message names the start time in ISO; the UI has one date format
  if (job.waitingUntil && isActive(job.state))
    return `Waiting for the maintenance window: starts ${formatWhen(job.waitingUntil)}. Keep Fieldkit open.`;
  // A publish's last message names only its last file; what counts is how many went out.
  if (job.kind === 'publish' && job.state === 'succeeded' && job.counters) {
    const files = (job.counters.new ?? 0) + (job.counters.changed ?? 0);
    return `${files} ${files === 1 ? 'file' : 'files'} published`;
  }
  if (job.message && job.message !== 'Done') return job.message;
  return STATE_BADGES[job.state].label;
}
