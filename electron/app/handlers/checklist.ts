import { answerItem, checklistStatus, completeRun, startRun } from '../../core/checklist/checklist-runs';
import { listReportFiles, readReportFile, saveChecklistReport } from '../../core/checklist/report-files';
import { FieldkitError } from '../../core/util/errors';
import type { checklistCalls } from '../../api/calls/checklist';
import type { Handlers } from '../../api/dispatcher';
import type { AppContext } from '../app-context';
import type { Platform } from '../platform';

export function checklistHandlers(
  app: Pick<AppContext, 'currentSite' | 'platform'>,
): Pick<Handlers, keyof typeof checklistCalls> {
  const options = () => ({ secrets: app.platform.secrets });
  return {
    'checklist.status': async () => checklistStatus(app.currentSite(), options()),
    'checklist.start': async (input) => {
      const site = app.currentSite();
      const run = await startRun(site, input, options());
      return (await checklistStatus(site, options())).history.find((r) => r.id === run.id)!;
    },
    'checklist.answer': async (input) => answerItem(app.currentSite(), input, options()),
    'checklist.complete': async ({ runId }) => completeRun(app.currentSite(), runId, options()),
    'checklist.report': async ({ pdf, runId }) =>
      saveChecklistReport(app.currentSite(), {
        ...options(),
        fieldkitVersion: app.platform.version,
        ...(runId ? { runId } : {}),
        // The platform renders PDFs: Electron's printToPDF in the app, the system Chromium elsewhere.
        ...(pdf ? { pdf: pdfRenderer(app.platform) } : {}),
      }),
    'reports.list': async () => listReportFiles(app.currentSite()),
    'reports.file': async ({ path }) => readReportFile(app.currentSite(), path),
  };
}

function pdfRenderer(platform: Platform): (html: string) => Promise<Uint8Array> {
  const print = platform.printToPdf;
  if (!print)
    throw new FieldkitError('unavailable', 'This Fieldkit cannot render PDF reports; save the HTML report instead.');
  return (html) => print.call(platform, html);
}
