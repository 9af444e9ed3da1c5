// Everything Fieldkit did to one phone, newest first: what scans saw change, when the sheet named it, what jobs
// did to it (from their journals: each step on the phone and each log line naming it) and what they found.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { Journal, type JournalEntry } from '../jobs/journal';
import { parseMac } from '../phone';
import { InventoryStore } from './inventory-store';
import type { Change } from './inventory-files';
import type { SiteWorkspace } from '../workspace/site-workspace';

export const TimelineEventSchema = z.object({
  at: z.string(),
  /** Where it comes from: a scan, the technician's sheet, or a job (with its id and kind). */
  origin: z.enum(['scan', 'sheet', 'job']),
  level: z.enum(['info', 'warn', 'error']),
  text: z.string(),
  jobId: z.string().nullable(),
  jobKind: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

export interface TimelineOptions {
  /** Journals read, newest first. */
  maxJobs?: number;
  maxEvents?: number;
}

const CHANGE_TEXT: Record<Change['kind'], (c: Change) => string> = {
  new: (c) => `Found by a scan${c.to ? ` at ${c.to}` : ''}`,
  seen: (c) => `Seen on the network for the first time${c.to ? ` at ${c.to}` : ''}`,
  gone: () => 'Not found by a scan of its address: gone',
  returned: (c) => `Back on the network${c.to ? ` at ${c.to}` : ''}`,
  moved: (c) => `Moved from ${c.from ?? '?'} to ${c.to ?? '?'}`,
  firmware: (c) => `A scan read firmware ${c.to ?? '?'} (was ${c.from ?? '?'})`,
  model: (c) => `A scan read model ${c.to ?? '?'} (was ${c.from ?? '?'})`,
};

/** The spellings a journal may use for one MAC: 00085D1A2B3C, 00:08:5D:1A:2B:3C, 00-08-5D-1A-2B-3C. */
function spellings(mac: string): string[] {
  const hex = mac.replace(/:/g, '');
  return [hex, mac, mac.replace(/:/g, '-')];
}

const mentions = (text: string, names: string[]): boolean => {
  const upper = text.toUpperCase();
  return names.some((n) => upper.includes(n));
};

/** A human line for a step a job did on the phone, from the result it journaled; null for internal steps. */
function describeStep(result: unknown): { text: string; level: TimelineEvent['level'] } | null {
  if (!result || typeof result !== 'object') return null;
  const r = result as Record<string, unknown>;
  if (typeof r.message === 'string') return { text: r.message, level: r.ok === false ? 'error' : 'info' };
  if (r.verdict === 'verified')
    return { text: `Verified${typeof r.firmware === 'string' ? ` on ${r.firmware}` : ''}`, level: 'info' };
  if (r.verdict === 'failed') {
    const reasons = Array.isArray(r.reasons) ? r.reasons.filter((x) => typeof x === 'string').join(' ') : '';
    return { text: `Verify failed${reasons ? `: ${reasons}` : ''}`, level: 'error' };
  }
  if (typeof r.state === 'string' && typeof r.reason === 'string')
    return { text: `${r.state}: ${r.reason}`, level: r.state === 'failed' ? 'error' : 'info' };
  return null;
}

function jobEvents(entries: JournalEntry[], jobId: string, names: string[]): TimelineEvent[] {
  const started = entries.find((e) => e.type === 'job-started');
  const jobKind = started ? String(started.kind) : null;
  const out: TimelineEvent[] = [];
  const add = (at: string, level: TimelineEvent['level'], text: string) =>
    out.push({ at, origin: 'job', level, text, jobId, jobKind });
  for (const e of entries) {
    const key = typeof e.key === 'string' ? e.key : '';
    if (e.type === 'step-done' && mentions(key, names)) {
      const step = describeStep(e.result);
      if (step) add(e.at, step.level, step.text);
    } else if (e.type === 'step-failed' && mentions(key, names) && typeof e.error === 'string') {
      add(e.at, 'error', e.error);
    } else if (e.type === 'log' && typeof e.message === 'string' && mentions(e.message, names)) {
      const level = e.level === 'error' || e.level === 'warn' ? e.level : 'info';
      add(e.at, level, e.message);
    }
  }
  // The same words journaled twice (a step's result and the log line saying it) are one event.
  const seen = new Set<string>();
  return out.filter((ev) => {
    const id = ev.text.trim();
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Timeline of the phone with this inventory key (or `sheet:<MAC>`). */
export async function phoneTimeline(
  site: SiteWorkspace,
  key: string,
  options: TimelineOptions = {},
): Promise<TimelineEvent[]> {
  const store = InventoryStore.for(site);
  const detail = await store.detail(key);
  const mac = detail.row.mac ? parseMac(detail.row.mac) : null;
  const events: TimelineEvent[] = [];
  const plain = (at: string, origin: TimelineEvent['origin'], text: string, level: TimelineEvent['level'] = 'info') =>
    events.push({ at, origin, level, text, jobId: null, jobKind: null });

  if (detail.sheet)
    plain(
      detail.sheet.importedAt,
      'sheet',
      `Named in the technician's sheet${detail.sheet.sourceFile ? ` (${detail.sheet.sourceFile})` : ''}`,
    );
  for (const scan of await store.scans()) {
    for (const c of scan.changes) {
      if (c.key !== key && (mac === null || c.mac === null || parseMac(c.mac) !== mac)) continue;
      plain(scan.at, 'scan', CHANGE_TEXT[c.kind](c), c.kind === 'gone' ? 'warn' : 'info');
    }
  }
  if (mac) {
    const names = spellings(mac);
    const dir = site.path('journal');
    const files = (await readdir(dir).catch(() => [] as string[]))
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .reverse()
      .slice(0, options.maxJobs ?? 300);
    for (const file of files) {
      const { entries } = await Journal.read(join(dir, file)).catch(() => ({ entries: [] as JournalEntry[] }));
      events.push(...jobEvents(entries, file.slice(0, -'.jsonl'.length), names));
    }
  }
  // Newest first; entries of the same moment in the reverse of the order they were written.
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.at.localeCompare(a.e.at) || b.i - a.i)
    .map(({ e }) => e)
    .slice(0, options.maxEvents ?? 500);
}
