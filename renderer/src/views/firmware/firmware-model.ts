// Words for the firmware views: plan actions and flags, phone states in a run, and how runs are told apart.
import { formatClock, formatDuration, formatWhen } from '../../lib/format';
import { STATE_BADGES, type JobInfo } from '../../lib/job-labels';
import type { BadgeTone } from '../../lib/badges';
import type { CallInput, CallOutput } from '$api/contract';

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
  'factory-default-password': 'factory default 22222, replaced at provisioning',
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

/** The guard rails that keep a plan from running, each with what to do. */
export const refusals = (plan: Pick<Plan, 'guardRails'>): Plan['guardRails'] =>
  plan.guardRails.filter((r) => r.severity === 'refuse');

/** A datetime-local value ("2026-11-30T22:00") as an ISO time, or null when it is empty, invalid or past. */
export function startTime(local: string, now = Date.now()): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) || d.getTime() <= now ? null : d.toISOString();
}

/** Now as a datetime-local value, in local time to the minute. */
export function localNow(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

/** "14:05" for a waiting run's start time, "30 Nov 2026, 14:05" when it is not today. */
export function untilText(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay ? formatClock(iso).slice(0, 5) : formatWhen(iso);
}

const TIMED_STATES = new Set(['staged', 'rebooting', 'flashing']);

/** "4 min 10 s of 15 min" for a phone restarting or flashing; null when its state has no time limit. */
export function elapsedText(
  p: Pick<RunStatus['phones'][number], 'at' | 'timeoutMs' | 'state'>,
  now: number,
): string | null {
  if (!p.at || p.timeoutMs === null || !TIMED_STATES.has(p.state)) return null;
  return `${formatDuration(now - new Date(p.at).getTime())} of ${formatDuration(p.timeoutMs)}`;
}

/** The files the library imports: a .st image or a Mitel .zip package (the extensions without their dot). */
export const FIRMWARE_EXTENSIONS = ['st', 'zip'] as const;
/** What the browser's file chooser accepts. */
export const FIRMWARE_ACCEPT = FIRMWARE_EXTENSIONS.map((e) => `.${e}`).join(',');
/** What the desktop app's file dialog offers: firmware first; any file too, for a package saved under another name. */
export const FIRMWARE_DIALOG_FILTERS: CallInput<'dialog.pickFile'>['filters'] = [
  { name: 'Mitel firmware (.st, .zip)', extensions: [...FIRMWARE_EXTENSIONS] },
  { name: 'All files', extensions: ['*'] },
];

/**
 * How the technician hands Fieldkit a firmware file: the desktop app's own file dialog, the browser's chooser (the
 * file is then sent to the browser host), or a typed path where neither exists.
 */
export type ImportMethod = 'dialog' | 'upload' | 'path';
export function importMethod(can: { pickFiles: boolean; upload: boolean }): ImportMethod {
  if (can.pickFiles) return 'dialog';
  return can.upload ? 'upload' : 'path';
}

/** The file's own name in a path of either platform ("C:\\Downloads\\x.zip" or "/home/tech/x.zip"). */
export const fileNameOf = (path: string): string => path.split(/[\\/]/).pop() || path;
