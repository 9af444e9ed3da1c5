import { checklistStatus, type ChecklistStatus } from '../core/checklist/checklist-runs';
import { saveChecklistReport } from '../core/checklist/report-files';
import { OUTCOME_LABELS } from '../core/checklist/checklist-engine';
import { printJson, UsageError, type CliCommand } from './command';

function statusText(s: ChecklistStatus): string {
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
      `  ${OUTCOME_LABELS[i.outcome].padEnd(17)} ${i.title}  [${i.source}]${i.auto ? `\n  ${''.padEnd(17)} ${i.auto.summary}` : ''}`,
    );
  }
  return lines.join('\n');
}

export const checklistCommand: CliCommand = {
  name: 'checklist',
  summary: 'Show the security checklist of a site, or write its customer report.',
  usage:
    'fieldkit checklist status --site DIR [--json]\n       fieldkit checklist report [--pdf] [--run RUN-ID] --site DIR [--json]',
  async run(ctx) {
    const [action, ...rest] = ctx.args;
    if (action !== 'status' && action !== 'report')
      throw new UsageError('Say "checklist status" or "checklist report".');
    const app = await ctx.app();
    const site = app.currentSite();
    const options = { secrets: app.platform.secrets };
    if (action === 'status') {
      const status = await checklistStatus(site, options);
      if (ctx.json) printJson(ctx.io, status);
      else ctx.io.out(statusText(status));
      return 0;
    }
    const unknown = rest.filter((a, i) => a !== '--pdf' && a !== '--run' && rest[i - 1] !== '--run');
    if (unknown.length) throw new UsageError(`Unknown option ${unknown[0]}.`);
    const runAt = rest.indexOf('--run');
    const runId = runAt >= 0 ? rest[runAt + 1] : undefined;
    if (runAt >= 0 && !runId) throw new UsageError('Give the run id after --run.');
    const saved = await saveChecklistReport(site, {
      ...options,
      fieldkitVersion: app.platform.version,
      ...(runId ? { runId } : {}),
      ...(rest.includes('--pdf') && app.platform.printToPdf ? { pdf: app.platform.printToPdf } : {}),
    });
    if (ctx.json) printJson(ctx.io, saved);
    else {
      ctx.io.out(`Report written: ${site.path(saved.html)}${saved.draft ? ' (draft: the run is not completed)' : ''}`);
      if (saved.pdf) ctx.io.out(`PDF written:    ${site.path(saved.pdf)}`);
    }
    if (saved.pdfError) {
      ctx.io.err(`PDF not written: ${saved.pdfError}`);
      return 1;
    }
    return 0;
  },
};
