// One way to write dates, durations and counts everywhere in the UI ("29 Nov 2026, 22:47", "2 min 5 s", "1 address").

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const TIME = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const valid = (iso: string | null | undefined): Date | null => {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** "29 Nov 2026, 22:47" in local time; "—" when there is no date. */
export function formatWhen(iso: string | null | undefined): string {
  const d = valid(iso);
  return d ? DATE_TIME.format(d) : '—';
}

const CLOCK = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "10:32" when it was today (local time), else "29 Nov 2026, 10:32"; "—" when there is no date. */
export function formatRecent(iso: string | null | undefined, now = new Date()): string {
  const d = valid(iso);
  if (!d) return '—';
  return d.toDateString() === now.toDateString() ? CLOCK.format(d) : DATE_TIME.format(d);
}

/** "22:47:16": for log lines within one run. */
export function formatClock(iso: string | null | undefined): string {
  const d = valid(iso);
  return d ? TIME.format(d) : '';
}

/** "45 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** The word for a count: plural(1, 'address', 'addresses') is "address". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** "1 address", "1,024 addresses". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${plural(n, one, many)}`;
}
