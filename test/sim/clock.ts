// Time source for auto resync. Tests inject a ManualClock; nothing in the simulator reads wall time for resync.
export interface SimClock {
  now(): number;
  /** Calls listener whenever time may have moved; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export class ManualClock implements SimClock {
  private listeners = new Set<() => void>();
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(ms: number): void {
    this.current = ms;
    for (const l of [...this.listeners]) l();
  }
  advance(ms: number): void {
    this.set(this.current + ms);
  }
}

export class SystemClock implements SimClock {
  private listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly tickMs = 20_000) {}
  now(): number {
    return Date.now();
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => {
        for (const l of [...this.listeners]) l();
      }, this.tickMs);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }
}

/** Parses `hh:mm` or the French/Spanish `00h00` form (6800i RN-001039-00 p.56) into minutes after midnight. */
export function parseResyncTime(value: string): number | null {
  const m = /^(\d{1,2})[:h](\d{2})$/.exec(value.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

const DAY_MS = 86_400_000;

/** True if the daily time-of-day (UTC minutes) falls in (from, to]. */
export function crossedTimeOfDay(from: number, to: number, minutes: number): boolean {
  if (to <= from) return false;
  const offset = minutes * 60_000;
  const latestAtOrBeforeFrom = Math.floor((from - offset) / DAY_MS) * DAY_MS + offset;
  return latestAtOrBeforeFrom + DAY_MS <= to;
}
