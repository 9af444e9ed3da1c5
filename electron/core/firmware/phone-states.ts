// The states a phone moves through in a firmware run, and the per-phone picture rebuilt from a job's
// journal (so status, the UI and resume all read the same facts).
import type { JournalEntry } from '../jobs/journal';

export const PHONE_STATES = [
  'pending',
  'staged',
  'rebooting',
  'flashing',
  /** Up again, but it refuses the admin password Fieldkit has (not "flashing" until the timeout). */
  'password-rejected',
  'verified',
  'failed',
  'skipped',
  'not-started',
] as const;
export type PhoneState = (typeof PHONE_STATES)[number];

export interface PhoneStatus {
  mac: string;
  model: string | null;
  ip: string | null;
  location: string;
  before: string | null;
  target: string | null;
  after: string | null;
  state: PhoneState;
  /** Plain words: why it failed, or what was done. */
  reason: string | null;
  wave: string | null;
  method: string | null;
  /** Where the phone takes its firmware from afterwards: its pin's folder, or null (its configuration path). */
  pointedAt: string | null;
  /** When the phone entered its current state. */
  at: string | null;
  /** How long the phone may stay in this state before Fieldkit gives up on it (rebooting, flashing); else null. */
  timeoutMs: number | null;
}

export interface PhoneStateRecord {
  mac: string;
  state: PhoneState;
  reason?: string | null;
  after?: string | null;
  wave?: string | null;
  method?: string | null;
  pointedAt?: string | null;
  timeoutMs?: number | null;
}

/** Applies the journal's `phone-state` entries, in order, on top of the plan's starting picture. */
export function statusFromJournal(start: PhoneStatus[], entries: readonly JournalEntry[]): PhoneStatus[] {
  const byMac = new Map(start.map((p) => [p.mac, { ...p }]));
  for (const e of entries) {
    if (e.type !== 'phone-state' || typeof e.mac !== 'string') continue;
    const p = byMac.get(e.mac);
    if (!p) continue;
    p.state = e.state as PhoneState;
    p.at = e.at;
    p.timeoutMs = typeof e.timeoutMs === 'number' ? e.timeoutMs : null;
    for (const key of ['reason', 'after', 'wave', 'method', 'pointedAt'] as const) {
      if (e[key] !== undefined) p[key] = (e[key] as string | null) ?? null;
    }
  }
  return [...byMac.values()];
}
