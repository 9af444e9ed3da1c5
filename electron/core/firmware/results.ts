// The before/after table of a firmware run: stored in the site (reports/) for the customer report,
// exported as CSV for the customer, rebuilt from the plan and the job's journal at any time.
import { z } from 'zod';
import { toCsv } from '../inventory/csv';
import { Journal } from '../jobs/journal';
import { writeFileAtomic } from '../workspace/atomic-file';
import { loadPlan } from './plan';
import { PHONE_STATES, statusFromJournal } from './phone-states';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { FirmwarePlan } from './plan-types';
import type { PhoneStatus } from './phone-states';

export const PhoneStatusSchema = z.object({
  mac: z.string(),
  model: z.string().nullable(),
  ip: z.string().nullable(),
  location: z.string(),
  before: z.string().nullable(),
  target: z.string().nullable(),
  after: z.string().nullable(),
  state: z.enum(PHONE_STATES),
  reason: z.string().nullable(),
  wave: z.string().nullable(),
  method: z.string().nullable(),
  pointedAt: z.string().nullable(),
  at: z.string().nullable(),
  /** The current state's time limit (rebooting, flashing); older results have none. */
  timeoutMs: z.number().int().nullable().default(null),
});

/**
 * How the run ended: `stopped` when the technician stopped it at a halt (never "succeeded"), `unfinished` while it
 * runs or after Fieldkit stopped mid-run (resume continues it).
 */
export const RUN_OUTCOMES = ['unfinished', 'succeeded', 'stopped', 'failed', 'cancelled'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export const FirmwareResultSchema = z.object({
  format: z.literal('fieldkit-firmware-result'),
  formatVersion: z.literal(1),
  jobId: z.string(),
  planId: z.string(),
  updatedAt: z.string(),
  counts: z.record(z.string(), z.number().int()),
  phones: z.array(PhoneStatusSchema),
  outcome: z.enum(RUN_OUTCOMES).default('unfinished'),
  /** What the outcome means for the phones, e.g. which may still be flashing after a cancel and what resume does. */
  note: z.string().nullable().default(null),
  /** Set while the run waits for its start time (maintenance window). */
  waitingUntil: z.string().nullable().default(null),
});
export type FirmwareResult = z.infer<typeof FirmwareResultSchema>;

export function resultPaths(jobId: string): { json: string; csv: string } {
  return { json: `reports/firmware-${jobId}.json`, csv: `reports/firmware-${jobId}.csv` };
}

export function startingStatus(plan: FirmwarePlan): PhoneStatus[] {
  return plan.phones.map((p) => ({
    mac: p.mac,
    model: p.model,
    ip: p.ip,
    location: p.location,
    before: p.current,
    target: p.target,
    after: p.action === 'skip' ? p.current : null,
    state: p.action === 'flash' ? 'pending' : 'skipped',
    reason: p.reason,
    wave: null,
    method: null,
    pointedAt: null,
    at: null,
    timeoutMs: null,
  }));
}

export async function firmwareStatus(site: SiteWorkspace, jobId: string): Promise<FirmwareResult> {
  const { entries } = await Journal.read(site.path('journal', `${jobId}.jsonl`));
  const started = entries.find((e) => e.type === 'job-started');
  const planId = (started?.params as { planId?: unknown } | undefined)?.planId;
  if (typeof planId !== 'string') throw new Error(`Job ${jobId} is not a firmware run of this site.`);
  const plan = await loadPlan(site, planId);
  const phones = statusFromJournal(startingStatus(plan), entries);
  const counts: Record<string, number> = {};
  for (const p of phones) counts[p.state] = (counts[p.state] ?? 0) + 1;
  const end = entries.findLast((e) => /^job-(succeeded|stopped|failed|cancelled|resumed)$/.test(e.type));
  const outcome: RunOutcome =
    !end || end.type === 'job-resumed' ? 'unfinished' : (end.type.slice('job-'.length) as RunOutcome);
  const lastWait = entries.findLast(
    (e) => e.type === 'wait-started' || e.type === 'wait-ended' || e.type.startsWith('job-'),
  );
  return {
    format: 'fieldkit-firmware-result',
    formatVersion: 1,
    jobId,
    planId,
    updatedAt: new Date().toISOString(),
    counts,
    phones,
    outcome,
    note: end && typeof end.note === 'string' ? end.note : null,
    waitingUntil: lastWait?.type === 'wait-started' && typeof lastWait.until === 'string' ? lastWait.until : null,
  };
}

export function resultCsv(result: FirmwareResult): string {
  const header = [
    'MAC',
    'Model',
    'Location',
    'IP',
    'Before',
    'Target',
    'After',
    'Result',
    'Reason',
    'Pointed at',
    'Wave',
    'Reboot method',
    'Time',
  ];
  const rows = result.phones.map((p) => [
    p.mac,
    p.model ?? '',
    p.location,
    p.ip ?? '',
    p.before ?? '',
    p.target ?? '',
    p.after ?? '',
    p.state,
    p.reason ?? '',
    p.pointedAt ?? '',
    p.wave ?? '',
    p.method ?? '',
    p.at ?? '',
  ]);
  return toCsv([header, ...rows]);
}

/** Writes reports/firmware-<job>.json and .csv; returns their paths relative to the site. */
export async function saveResult(
  site: SiteWorkspace,
  jobId: string,
): Promise<{ json: string; csv: string; result: FirmwareResult }> {
  const result = await firmwareStatus(site, jobId);
  const paths = resultPaths(jobId);
  await site.writeJson(paths.json, FirmwareResultSchema, result);
  await writeFileAtomic(site.path(paths.csv), resultCsv(result));
  return { ...paths, result };
}
