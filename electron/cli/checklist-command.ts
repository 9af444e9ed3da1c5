// `fieldkit checklist status|start|answer|complete|report`: the security checklist of a site, answered from
// the command line as in the app (a deviation needs its reason and the contact person who agreed).
import { join } from 'node:path';
import { EXIT, parseOptions, printJson, UsageError, type CliCommand, type CliContext } from './command';
import type { CallInput, CallOutput } from '../api/contract';

type ChecklistStatus = CallOutput<'checklist.status'>;
type Item = ChecklistStatus['items'][number];

/** --outcome as the technician says it, and the answer it records. */
const CLI_OUTCOMES = ['confirmed', 'failed', 'deviation', 'not-applicable'] as const;

/** The outcome names the app shows; loaded with the contract when a command runs, not at every start. */
const outcomeLabels = async () => (await import('../api/calls/checklist')).OUTCOME_LABELS;

function statusText(s: ChecklistStatus, OUTCOME_LABELS: Record<Item['outcome'], string>): string {
  const lines = [
    `${s.checklist.title} (version ${s.checklist.version})`,
    s.due.due
      ? `DUE: ${s.due.reasons.join(' ')}`
      : `Not due. Last completed ${s.due.lastCompletedAt?.slice(0, 10) ?? 'never'}.`,
    ...s.due.notDue,
    s.run
      ? `Run in progress: ${s.run.id}, started ${s.run.startedAt.slice(0, 16).replace('T', ' ')} by ${s.run.technician} with ${s.run.contactPerson}.`
      : 'No run in progress.',
    `Progress: ${s.progress.done}/${s.progress.total} answered, ${s.progress.failed} failed, ${s.progress.deviations} deviations, ${s.progress.open} open.`,
    '',
  ];
  for (const i of s.items) {
    lines.push(
      `  ${OUTCOME_LABELS[i.outcome].padEnd(17)} ${i.id.padEnd(24)} ${i.title}  [${i.source}]${i.auto ? `\n  ${''.padEnd(42)} ${i.auto.summary}` : ''}`,
    );
  }
  return lines.join('\n');
}

async function openRun(
  ctx: CliContext,
): Promise<{ status: ChecklistStatus; run: NonNullable<ChecklistStatus['run']> }> {
  const status = await ctx.call('checklist.status', {});
  if (!status.run)
    throw new UsageError(
      'No checklist run is in progress: start one with "fieldkit checklist start --technician T --contact C".',
    );
  return { status, run: status.run };
}

function answerFor(
  item: Item,
  outcome: (typeof CLI_OUTCOMES)[number],
  note: string,
  agreedWith: string,
): Pick<CallInput<'checklist.answer'>, 'status' | 'note' | 'reason' | 'agreedWith'> {
  if (outcome === 'deviation') return { status: 'deviation', note: '', reason: note, agreedWith };
  if (outcome === 'confirmed')
    return { status: item.allowed.includes('noted') ? 'noted' : 'pass', note, reason: '', agreedWith: '' };
  return { status: outcome === 'failed' ? 'fail' : 'not-applicable', note, reason: '', agreedWith: '' };
}

export const checklistCommand: CliCommand = {
  name: 'checklist',
  summary: 'The security checklist of a site: status, start a run, answer items, complete it, write the report.',
  usage: [
    'fieldkit checklist status --site DIR [--json]',
    '       fieldkit checklist start --technician NAME --contact NAME --site DIR [--json]',
    '       fieldkit checklist answer ITEM --outcome confirmed|failed|deviation|not-applicable [--note TEXT]',
    '                                [--agreed-by NAME] --site DIR [--json]',
    '       fieldkit checklist complete --site DIR [--json]',
    '       fieldkit checklist report [--pdf] [--run RUN-ID] --site DIR [--json]',
    '  ITEM is an item id as "checklist status" lists it. A deviation needs --note (its reason); --agreed-by',
    "  defaults to the run's contact person.",
  ].join('\n'),
  async run(ctx) {
    const [action, ...rest] = ctx.args;
    switch (action) {
      case 'status': {
        parseOptions(rest, {});
        const status = await ctx.call('checklist.status', {});
        if (ctx.json) printJson(ctx.io, status);
        else ctx.io.out(statusText(status, await outcomeLabels()));
        return EXIT.ok;
      }
      case 'start': {
        const { values } = parseOptions(rest, { technician: { type: 'string' }, contact: { type: 'string' } });
        if (!values.technician || !values.contact)
          throw new UsageError(
            "Give the technician's name (--technician) and the customer's contact person (--contact).",
          );
        const run = await ctx.call('checklist.start', { technician: values.technician, contactPerson: values.contact });
        if (ctx.json) printJson(ctx.io, run);
        else
          ctx.io.out(
            `Run ${run.id}: ${run.progress.done} of ${run.progress.total} answered, ${run.progress.open} open (started ${run.startedAt.slice(0, 16).replace('T', ' ')}).`,
          );
        return EXIT.ok;
      }
      case 'answer': {
        const { values, positionals } = parseOptions(
          rest,
          { outcome: { type: 'string' }, note: { type: 'string' }, 'agreed-by': { type: 'string' } },
          { positionals: 1 },
        );
        const itemId = positionals[0];
        if (!itemId) throw new UsageError('Give the item: fieldkit checklist answer ITEM --outcome ….');
        const outcome = values.outcome as (typeof CLI_OUTCOMES)[number] | undefined;
        if (!outcome || !CLI_OUTCOMES.includes(outcome))
          throw new UsageError(`--outcome must be one of ${CLI_OUTCOMES.join(', ')}.`);
        const { status, run } = await openRun(ctx);
        const item = status.items.find((i) => i.id === itemId);
        if (!item)
          throw new UsageError(
            `The checklist has no item "${itemId}". The items: ${status.items.map((i) => i.id).join(', ')}.`,
          );
        const answer = answerFor(item, outcome, values.note ?? '', values['agreed-by'] ?? run.contactPerson);
        const view = await ctx.call('checklist.answer', { runId: run.id, itemId, ...answer });
        if (ctx.json) printJson(ctx.io, view);
        else ctx.io.out(`${(await outcomeLabels())[view.outcome]}: ${view.title}`);
        return EXIT.ok;
      }
      case 'complete': {
        parseOptions(rest, {});
        const { run } = await openRun(ctx);
        const done = await ctx.call('checklist.complete', { runId: run.id });
        if (ctx.json) printJson(ctx.io, done);
        else
          ctx.io.out(
            `Run ${done.id} completed: ${done.progress.failed} failed, ${done.progress.deviations} deviations. Write the report with "fieldkit checklist report".`,
          );
        return EXIT.ok;
      }
      case 'report': {
        const { values } = parseOptions(rest, { pdf: { type: 'boolean' }, run: { type: 'string' } });
        const saved = await ctx.call('checklist.report', {
          pdf: values.pdf === true,
          ...(values.run ? { runId: values.run } : {}),
        });
        if (ctx.json) printJson(ctx.io, saved);
        else {
          const inSite = (file: string) => join(ctx.site ?? '', file);
          ctx.io.out(`Report written: ${inSite(saved.html)}${saved.draft ? ' (draft: the run is not completed)' : ''}`);
          if (saved.pdf) ctx.io.out(`PDF written:    ${inSite(saved.pdf)}`);
        }
        if (saved.pdfError) {
          ctx.io.err(`PDF not written: ${saved.pdfError}`);
          return EXIT.failed;
        }
        return EXIT.ok;
      }
      default:
        throw new UsageError(
          'Say "checklist status" or "checklist report" (or "checklist start", "checklist answer ITEM", "checklist complete").',
        );
    }
  },
};
