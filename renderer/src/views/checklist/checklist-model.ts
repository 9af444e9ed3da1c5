// View helpers for the checklist walkthrough: labels, which item comes next, what an answer needs.
import type { BadgeTone } from '../../lib/badges';
import type { CallOutput } from '$api/contract';

export type Status = CallOutput<'checklist.status'>;
export type Item = Status['items'][number];
export type Outcome = Item['outcome'];
export type AnswerStatus = Item['allowed'][number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  pass: 'Passed',
  warn: 'Passed with notes',
  fail: 'Failed',
  deviation: 'Deviation',
  'not-applicable': 'Not applicable',
  noted: 'Noted',
  open: 'Open',
};

export const OUTCOME_TONES: Record<Outcome, BadgeTone> = {
  pass: 'ok',
  noted: 'ok',
  warn: 'warn',
  deviation: 'warn',
  fail: 'bad',
  'not-applicable': 'neutral',
  open: 'neutral',
};

export const ANSWER_LABELS: Record<AnswerStatus, string> = {
  pass: 'Passed',
  fail: 'Failed',
  deviation: 'Deviation (agreed with the customer)',
  'not-applicable': 'Not applicable',
  noted: 'Noted',
};

export const KIND_LABELS: Record<Item['kind'], string> = {
  automatic: 'Checked by Fieldkit',
  confirm: 'You confirm',
  info: 'Information',
};

/** Items that still need the technician: open ones, and failed ones that have no deviation. */
export const needsAttention = (i: Item): boolean => i.outcome === 'open' || i.outcome === 'fail';

/** The next item after `from` (wrapping) that matches. */
export function nextMatching(items: readonly Item[], from: number, match: (i: Item) => boolean): number | null {
  for (let step = 1; step <= items.length; step++) {
    const k = (from + step) % items.length;
    if (match(items[k]!)) return k;
  }
  return null;
}

export function answerProblem(status: AnswerStatus | null, reason: string, agreedWith: string): string | null {
  if (!status) return 'Choose a result.';
  if (status === 'deviation' && reason.trim() === '') return 'A deviation needs its reason (guide §2.2).';
  if (status === 'deviation' && agreedWith.trim() === '')
    return "A deviation needs the customer's contact person who agreed to it.";
  return null;
}
