// The pure part of the checklist: item outcomes from automatic results and the technician's answers,
// progress, and whether a new run is due (guide §2.2: after the first installation and after every major
// or minor upgrade).
import { z } from 'zod';
import { isMajorOrMinorChange, type FirmwareChange } from '../firmware/firmware-changes';
import { autoChecks, type AutoResult } from './auto-checks';
import type { ChecklistDefinition, ChecklistItem } from './checklist.v1';
import type { ChecklistInputs } from './checklist-inputs';
import type { DueState, Progress } from './checklist-schemas';

export const AnswerStatusSchema = z.enum(['pass', 'fail', 'deviation', 'not-applicable', 'noted']);
export type AnswerStatus = z.infer<typeof AnswerStatusSchema>;

export const AnswerSchema = z.object({
  status: AnswerStatusSchema,
  note: z.string().trim().max(4000).default(''),
  /** Why the deviation from the standard setting is accepted (deviations only). */
  reason: z.string().trim().max(4000).default(''),
  /** The customer's contact person who agreed to the deviation (deviations only). */
  agreedWith: z.string().trim().max(200).default(''),
  at: z.string(),
  by: z.string().max(120),
});
export type Answer = z.output<typeof AnswerSchema>;

export type Outcome = 'pass' | 'warn' | 'fail' | 'deviation' | 'not-applicable' | 'noted' | 'open';

export const OUTCOME_LABELS: Record<Outcome, string> = {
  pass: 'Passed',
  warn: 'Passed with notes',
  fail: 'Failed',
  deviation: 'Deviation',
  'not-applicable': 'Not applicable',
  noted: 'Noted',
  open: 'Open',
};

/** Answers each kind of item takes. Automatic items take a deviation, or a manual result while there is no data. */
export function allowedAnswers(item: ChecklistItem, auto: AutoResult | undefined): AnswerStatus[] {
  if (item.kind === 'info') return ['noted'];
  if (item.kind === 'confirm') return ['pass', 'fail', 'deviation', 'not-applicable'];
  if (auto?.status === 'unknown') return ['pass', 'fail', 'deviation', 'not-applicable'];
  if (auto?.status === 'fail' || auto?.status === 'warn') return ['deviation'];
  return [];
}

export function outcome(item: ChecklistItem, auto: AutoResult | undefined, answer: Answer | undefined): Outcome {
  if (item.kind === 'info') return answer?.status === 'noted' ? 'noted' : 'open';
  if (item.kind === 'confirm') return answer && answer.status !== 'noted' ? answer.status : 'open';
  if (!auto || auto.status === 'unknown') return answer && answer.status !== 'noted' ? answer.status : 'open';
  // A deviation stays only while the check still fails; once the data is fixed the check's own result counts.
  if (auto.status !== 'pass' && answer?.status === 'deviation') return 'deviation';
  return auto.status;
}

/** Refuses answers the item does not take, and deviations without reason or contact person. */
export function validateAnswer(
  item: ChecklistItem,
  auto: AutoResult | undefined,
  answer: Pick<Answer, 'status' | 'reason' | 'agreedWith'>,
): string | null {
  const allowed = allowedAnswers(item, auto);
  if (!allowed.includes(answer.status)) {
    if (allowed.length === 0) return `"${item.title}" is checked automatically and passes; there is nothing to record.`;
    return `"${item.title}" takes ${allowed.map((a) => `"${a}"`).join(' or ')}, not "${answer.status}".`;
  }
  if (answer.status === 'deviation') {
    if (answer.reason.trim() === '')
      return `A deviation needs its reason: say why "${item.title}" differs from the standard setting (guide §2.2).`;
    if (answer.agreedWith.trim() === '')
      return "A deviation needs the customer's contact person who agreed to it (guide §2.2).";
  }
  return null;
}

export function evaluateAll(
  definition: ChecklistDefinition,
  inputs: ChecklistInputs,
  since: string | null,
): Record<string, AutoResult> {
  const out: Record<string, AutoResult> = {};
  for (const item of definition.items) {
    if (item.kind === 'automatic' && item.check) out[item.id] = autoChecks[item.check](inputs, { since });
  }
  return out;
}

export type { DueState, Progress };

export function progressOf(outcomes: readonly Outcome[]): Progress {
  const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
  return {
    total: outcomes.length,
    done: outcomes.length - count('open'),
    open: count('open'),
    failed: count('fail'),
    deviations: count('deviation'),
    warnings: count('warn'),
  };
}

function describeChanges(changes: readonly FirmwareChange[]): string[] {
  const groups = new Map<string, { n: number; last: string }>();
  for (const c of changes) {
    const key = `${c.from} → ${c.to}`;
    const g = groups.get(key) ?? { n: 0, last: c.at };
    groups.set(key, { n: g.n + 1, last: c.at > g.last ? c.at : g.last });
  }
  return [...groups].map(([k, g]) => `${k} on ${g.n} phone${g.n === 1 ? '' : 's'} (${g.last.slice(0, 10)})`);
}

/**
 * Due after the first installation (no completed run yet) and after every major or minor firmware change since the last
 * completed run.
 */
export function dueState(completedAt: readonly string[], changes: readonly FirmwareChange[]): DueState {
  const last = [...completedAt].sort().at(-1) ?? null;
  if (last === null) {
    return {
      due: true,
      reasons: ['First installation: no security checklist has been completed for this site yet (guide §2.2).'],
      notDue: [],
      lastCompletedAt: null,
    };
  }
  const after = changes.filter((c) => c.at > last);
  const significant = after.filter((c) => isMajorOrMinorChange(c.from, c.to));
  const minor = after.filter((c) => !isMajorOrMinorChange(c.from, c.to));
  return {
    due: significant.length > 0,
    reasons: significant.length
      ? describeChanges(significant).map((d) => `Major or minor firmware change by Fieldkit: ${d} (guide §2.2).`)
      : [],
    notDue: describeChanges(minor).map((d) => `Patch/build change only: ${d}; the checklist is not due for it.`),
    lastCompletedAt: last,
  };
}
