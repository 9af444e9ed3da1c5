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

export interface WaveFigures {
  wave: string;
  phones: number;
  wallMs: number;
  /** Fieldkit's part of the wave: its wall time outside the phones' busy stretches. */
  fieldkitMs: number;
  /** From the wave's first journal entry to the first of its phones going down (point, restart). */
  beforeMs: number;
  /** From the wave's last phone online again to its last verdict in the journal (noticing, pointing home). */
  afterMs: number;
}

/**
 * Per wave of a firmware run, from the journal's phone-state entries (a wave starts at its first entry and ends at
 * its last) and the phones' own histories (MAC without colons -> events).
 */
export function waveFigures(
  states: { mac: string; state: string; wave: string; at: number }[],
  histories: Map<string, PhoneHistoryEvent[]>,
  busy: [number, number][],
): WaveFigures[] {
  const waves = new Map<string, { macs: Set<string>; start: number; end: number }>();
  for (const e of states) {
    const w = waves.get(e.wave) ?? { macs: new Set<string>(), start: e.at, end: e.at };
    w.macs.add(e.mac);
    w.start = Math.min(w.start, e.at);
    w.end = Math.max(w.end, e.at);
    waves.set(e.wave, w);
  }
  return [...waves.entries()]
    .sort((a, b) => a[1].start - b[1].start)
    .map(([wave, w]) => {
      const inWave = [...w.macs].flatMap((mac) =>
        (histories.get(mac) ?? []).filter((e) => e.at >= w.start && e.at <= w.end),
      );
      const firstDown = Math.min(...inWave.filter((e) => e.type === 'boot-started').map((e) => e.at));
      const lastOnline = Math.max(...inWave.filter((e) => e.type === 'online').map((e) => e.at));
      const wallMs = w.end - w.start;
      return {
        wave,
        phones: w.macs.size,
        wallMs,
        fieldkitMs: wallMs - coveredMs(busy, w.start, w.end),
        beforeMs: Number.isFinite(firstDown) ? firstDown - w.start : wallMs,
        afterMs: Number.isFinite(lastOnline) ? w.end - lastOnline : 0,
      };
    });
}

/**
 * How many times each phone began a boot within [from, to], as counts -> number of phones. A phone that boots more
 * often than the step asked would hide Fieldkit's fault in the phones' time, so the bench prints it.
 */
export function bootsPerPhone(histories: PhoneHistoryEvent[][], from: number, to: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const history of histories) {
    const boots = history.filter((e) => e.type === 'boot-started' && e.at >= from && e.at <= to).length;
    if (boots > 0) counts.set(boots, (counts.get(boots) ?? 0) + 1);
  }
  return counts;
}
