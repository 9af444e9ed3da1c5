// Words for the firmware views: plan actions and flags, phone states in a run, and how runs are told apart.
import { formatWhen } from '../../lib/format';
import { STATE_BADGES, type JobInfo } from '../../lib/job-labels';
import type { BadgeTone } from '../../lib/badges';
import type { CallOutput } from '$api/contract';

export type Plan = CallOutput<'firmware.plan'>;
export type PlannedPhone = Plan['phones'][number];
export type RunStatus = CallOutput<'firmware.status'>;

export const ACTION_LABELS: Record<PlannedPhone['action'], string> = {
  flash: 'Flash',
  skip: 'Skip',
  exclude: 'Leave out',
};

export const FLAG_LABELS: Record<string, string> = {
  'below-osv-minimum': 'goes below 6.5.0.224',
  'nightly-re-upgrade': 'its nightly resync would fetch another firmware',
  'flip-back-on-reboot': 'its usual server has another firmware: it would change back on a restart',
  'factory-default-password': 'still has the factory password 22222',
};

export const AFTERWARDS_LABELS: Record<NonNullable<PlannedPhone['afterwards']>, string> = {
  home: 'back to its usual server',
  'stay-pointed': 'stays on the firmware folder',
  'home-config-only': 'back to its usual server, nightly resync of configuration only',
};

const STATES: Record<string, { label: string; tone: BadgeTone }> = {
  pending: { label: 'Waiting', tone: 'neutral' },
  staged: { label: 'Staged', tone: 'info' },
  rebooting: { label: 'Restarting', tone: 'info' },
  flashing: { label: 'Flashing', tone: 'info' },
  'password-rejected': { label: 'Up, rejects the admin password', tone: 'bad' },
  verified: { label: 'Verified', tone: 'ok' },
  failed: { label: 'Failed', tone: 'bad' },
  skipped: { label: 'Skipped', tone: 'neutral' },
  'not-started': { label: 'Not started', tone: 'neutral' },
};

/** A phone's state in a run; states added later read as their own name. */
export function phoneState(state: string): { label: string; tone: BadgeTone } {
  return STATES[state] ?? { label: state.charAt(0).toUpperCase() + state.slice(1).replace(/-/g, ' '), tone: 'warn' };
}

export const COUNTER_STATES = ['pending', 'staged', 'rebooting', 'flashing', 'verified', 'failed'] as const;

/** What the plan says about a phone, in words: the reason, where it is left, and what to watch. */
export function planNote(p: PlannedPhone): string {
  const parts = [p.reason, p.afterwards ? AFTERWARDS_LABELS[p.afterwards] : null].filter(Boolean);
  const flags = p.flags.map((f) => FLAG_LABELS[f] ?? f.replace(/-/g, ' '));
  return [...parts, ...flags].join('; ');
}

/** Texts from a run keep no empty brackets ("pointed home ()" when the phone had no home path). */
export const cleanText = (text: string | null | undefined): string => (text ?? '').replace(/\s*\(\)/g, '');

/** "29 Nov 2026, 22:47 · Done": tells runs apart without their ids. */
export function runLabel(job: Pick<JobInfo, 'startedAt' | 'state'>): string {
  return `Started ${formatWhen(job.startedAt)} · ${STATE_BADGES[job.state].label}`;
}
