// The site500 bench's arithmetic: which part of each step's wall time belongs to the phones and which to Fieldkit.
// A phone's own time is from each `boot-started` in its history to the `online` (or `dead`) that ends it: restarting,
// fetching its files, flashing, booting again. Where at least one phone is in such a stretch, the time is the
// phones'; the rest of a step (process start, reading and writing the site, probing, staging, noticing that a
// phone is back) is Fieldkit's. For a wave that is the slowest phone's time, as in firmware.bench.ts.
import type { Site500Step } from './site500-driver';

export interface PhoneHistoryEvent {
  at: number;
  type: string;
}

export interface StepFigures {
  name: string;
  wallMs: number;
  phonesMs: number;
  fieldkitMs: number;
  cpuMs: number;
  peakRssMiB: number;
  confirmations: number;
}

/** Sorted, non-overlapping [start, end] stretches (epoch ms) in which at least one phone was busy on its own. */
export function phoneBusyIntervals(histories: PhoneHistoryEvent[][], now = Date.now()): [number, number][] {
  const raw: [number, number][] = [];
  for (const history of histories) {
    let since: number | null = null;
    for (const e of history) {
      if (e.type === 'boot-started') since ??= e.at;
      else if ((e.type === 'online' || e.type === 'dead') && since !== null) {
        raw.push([since, e.at]);
        since = null;
      }
    }
    if (since !== null) raw.push([since, now]);
  }
  raw.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of raw) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** How much of [from, to] the intervals cover. */
export function coveredMs(intervals: [number, number][], from: number, to: number): number {
  let sum = 0;
  for (const [start, end] of intervals) sum += Math.max(0, Math.min(end, to) - Math.max(start, from));
  return sum;
}

export function summariseSteps(steps: Site500Step[], busy: [number, number][]): StepFigures[] {
  return steps.map((st) => {
    const wallMs = st.endedAt - st.startedAt;
    const phonesMs = coveredMs(busy, st.startedAt, st.endedAt);
    return {
      name: st.name,
      wallMs,
      phonesMs,
      fieldkitMs: wallMs - phonesMs,
      cpuMs: st.cpuMs,
      peakRssMiB: st.peakRssMiB,
      confirmations: st.confirmations,
    };
  });
}
