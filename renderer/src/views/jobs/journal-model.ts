// A job's journal as the technician reads it: what happened, in words, with errors and decisions, instead of
// the step-begin/step-done stream the journal keeps for resuming. The raw entries stay one click away.
import { KIND_LABELS } from '../../lib/job-labels';
import { count } from '../../lib/format';

export type Entry = Record<string, unknown>;

export interface JournalLine {
  at: string;
  level: 'info' | 'warn' | 'error' | 'milestone';
  text: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Words for the result of a step that did something to a phone; null for internal steps. */
function stepText(result: unknown): { text: string; level: JournalLine['level'] } | null {
  if (!result || typeof result !== 'object') return null;
  const r = result as Record<string, unknown>;
  if (typeof r.message === 'string' && typeof r.mac === 'string')
    return { text: r.message, level: r.ok === false ? 'error' : 'info' };
  return null;
}

export function describeEntry(e: Entry): JournalLine | null {
  const at = str(e.at);
  const line = (level: JournalLine['level'], text: string): JournalLine => ({ at, level, text });
  switch (e.type) {
    case 'job-started':
      return line('milestone', `${KIND_LABELS[str(e.kind)] ?? str(e.kind)} started`);
    case 'job-resumed':
      return line('milestone', 'Resumed: steps already done are not repeated');
    case 'job-succeeded':
      return line('milestone', 'Finished');
    case 'job-failed':
      return line('error', `Failed${e.error ? `: ${str(e.error)}` : ''}`);
    case 'job-cancelled':
      return line('warn', 'Cancelled by the technician');
    case 'log':
      return line(e.level === 'error' ? 'error' : e.level === 'warn' ? 'warn' : 'info', str(e.message));
    case 'step-failed':
      return line('error', str(e.error) || 'A step failed');
    case 'step-done': {
      const s = stepText(e.result);
      return s ? line(s.level, s.text) : null;
    }
    case 'decision-asked':
      return line('warn', `Asked: ${str(e.question)}`);
    case 'decision-made':
      return line('milestone', `Answered: ${str(e.answer)}`);
    case 'firmware-plan':
      return line('info', `Plan: ${str(e.summary)}`);
    case 'discovery-start':
      return line('info', `Scanning ${count(Number(e.addresses ?? 0), 'address', 'addresses')}`);
    default:
      return null;
  }
}

/** Readable lines, oldest first; a line journaled twice in a row (step result and its log line) once. */
export function readableJournal(entries: readonly Entry[]): JournalLine[] {
  const out: JournalLine[] = [];
  for (const e of entries) {
    const l = describeEntry(e);
    if (!l || !l.text) continue;
    const prev = out.at(-1);
    if (prev && prev.text === l.text) continue;
    out.push(l);
  }
  return out;
}

/** One raw entry as a line for support: time, type, key and message. */
export function rawLine(e: Entry): string {
  const extra = ['key', 'message', 'error', 'question', 'answer'].map((k) => str(e[k])).filter(Boolean);
  return [str(e.type), ...extra].join(' · ');
}
