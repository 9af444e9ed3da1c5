// Saves the customer report into the site's reports/ folder: HTML always, PDF when a renderer is given.
// File names carry the time so that every report handed over stays on record.
import { writeFileAtomic } from '../workspace/atomic-file';
import { buildReportModel, type ReportOptions } from './report-model';
import { renderReportHtml } from './report-html';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { SavedReport } from './checklist-schemas';

/** Turns the report's HTML into PDF bytes; the platform provides it (Electron printToPDF, or Chromium). */
export type PdfRenderer = (html: string) => Promise<Uint8Array>;

export type { SavedReport };

export function reportBaseName(createdAt: string, draft: boolean): string {
  return `checklist-report-${createdAt
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-')}${draft ? '-draft' : ''}`;
}

export async function saveChecklistReport(
  site: SiteWorkspace,
  options: ReportOptions & { pdf?: PdfRenderer },
): Promise<SavedReport> {
  const model = await buildReportModel(site, options);
  const html = renderReportHtml(model);
  const base = `reports/${reportBaseName(model.createdAt, model.draft)}`;
  await writeFileAtomic(site.path(`${base}.html`), html);
  let pdf: string | null = null;
  let pdfError: string | null = null;
  if (options.pdf) {
    try {
      await writeFileAtomic(site.path(`${base}.pdf`), await options.pdf(html));
      pdf = `${base}.pdf`;
    } catch (e) {
      pdfError = (e as Error).message;
    }
  }
  return {
    html: `${base}.html`,
    pdf,
    pdfError,
    draft: model.draft,
    runId: model.run?.id ?? null,
    createdAt: model.createdAt,
    progress: model.progress,
  };
}
