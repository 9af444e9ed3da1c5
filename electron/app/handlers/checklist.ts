import type { Handlers } from '../../api/dispatcher';
import type { checklistCalls } from '../../api/calls/checklist';
import { answerItem, checklistStatus, completeRun, startRun } from '../../core/checklist/checklist-runs';
import { saveChecklistReport } from '../../core/checklist/report-files';
import { chromiumPrintToPdf } from '../../core/checklist/chromium-pdf';
import type { FieldkitApp } from '../fieldkit-app';

export function checklistHandlers(app: FieldkitApp): Pick<Handlers, keyof typeof checklistCalls> {
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
        // Electron's printToPDF in the app; the system Chromium in the browser host and the CLI.
        ...(pdf
          ? {
              pdf: app.platform.printToPdf
                ? (html: string) => app.platform.printToPdf!(html)
                : (html: string) => chromiumPrintToPdf(html),
            }
          : {}),
      }),
  };
}
