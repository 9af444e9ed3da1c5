// One run per phone: what running jobs hold (jobs.list `holds`: MACs and `target:<id>`), so a control that would
// start work on held phones or a held publishing target is off and says which job holds them.
import { formatClock } from './format';
import { isActive, jobTitle, type JobInfo } from './job-labels';
import { macKey } from './phone-label';

export interface Wanted {
  /** Phones the control would work on; empty or absent: it would work on any phone of the site. */
  macs?: readonly string[] | null;
  /** A publishing target id. */
  target?: string | null;
  /** A whole-site action (e.g. verify without a phone list) is held by any job that holds phones. */
  anyPhone?: boolean;
}

export interface Held {
  job: JobInfo;
  /** How many of the wanted phones it holds (0 when only the target is held). */
  phones: number;
  target: boolean;
}

/** The first running job (other than `except`) that holds something the control wants, or null. */
export function heldBy(jobs: readonly JobInfo[], wanted: Wanted, except: string | null = null): Held | null {
  const macs = new Set((wanted.macs ?? []).map(macKey).filter(Boolean));
  for (const job of jobs) {
    if (job.id === except || !isActive(job.state) || !job.holds?.length) continue;
    const held = job.holds;
    const phones = wanted.anyPhone
      ? held.filter((r) => !r.startsWith('target:')).length
      : held.filter((r) => macs.has(r)).length;
    const target = wanted.target ? held.includes(`target:${wanted.target}`) : false;
    if (phones > 0 || target) return { job, phones, target };
  }
  return null;
}

/** "2 of these phones are in use by the running Firmware run (started 04:12:09): wait for it to end or cancel it." */
export function heldText(held: Held | null): string | null {
  if (!held) return null;
  const parts = [
    held.phones ? `${held.phones} of these phones` : '',
    held.target ? 'the publishing target' : '',
  ].filter(Boolean);
  const verb = parts.length > 1 || held.phones > 1 ? 'are' : 'is';
  const waiting = held.job.waitingUntil ? `, waiting until ${formatClock(held.job.waitingUntil).slice(0, 5)}` : '';
  const what = parts.join(' and ');
  return `${what.charAt(0).toUpperCase()}${what.slice(1)} ${verb} in use by the running ${jobTitle(held.job)} (started ${formatClock(held.job.startedAt)}${waiting}). One run per phone: wait for it to end, or cancel it in Jobs.`;
}
