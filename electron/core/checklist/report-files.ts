// Saves the customer report into the site's reports/ folder: HTML always, PDF when a renderer is given.
// File names carry the time so that every report handed over stays on record.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FieldkitError } from '../util/errors';
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

/** A file in the site's reports/ folder the technician can open again: a checklist report or a result table. */
export const ReportFileSchema = z.object({
  /** Relative to the site folder, e.g. reports/checklist-report-20261129-225915Z-draft.pdf */
  path: z.string(),
  name: z.string(),
  kind: z.enum(['pdf', 'html', 'csv']),
  size: z.number().int(),
  modifiedAt: z.string(),
});
export type ReportFile = z.infer<typeof ReportFileSchema>;

const REPORT_NAME = /^[A-Za-z0-9][\w.-]*\.(pdf|html|csv)$/;
const CONTENT_TYPES = {
  pdf: 'application/pdf',
  html: 'text/html;charset=utf-8',
  csv: 'text/csv;charset=utf-8',
} as const;
/** Larger files are not handed over the contract; the technician finds them in the site folder. */
export const MAX_REPORT_BYTES = 50 * 1024 * 1024;

export async function listReportFiles(site: SiteWorkspace, limit = 200): Promise<ReportFile[]> {
  const names = (await readdir(site.path('reports')).catch(() => [] as string[])).filter((n) => REPORT_NAME.test(n));
  const files = await Promise.all(
    names.map(async (name) => {
      const info = await lstat(site.path('reports', name)).catch(() => null);
      if (!info?.isFile()) return null;
      return {
        path: `reports/${name}`,
        name,
        kind: name.slice(name.lastIndexOf('.') + 1) as ReportFile['kind'],
        size: info.size,
        modifiedAt: info.mtime.toISOString(),
      };
    }),
  );
  return files
    .filter((f): f is ReportFile => f !== null)
    .sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || b.name.localeCompare(a.name))
    .slice(0, limit);
}

/** The bytes of one file in reports/ (not a link), for the UI to open or save; nothing outside it is readable. */
export async function readReportFile(
  site: SiteWorkspace,
  path: string,
): Promise<{ name: string; contentType: string; base64: string }> {
  const name = path.startsWith('reports/') ? path.slice('reports/'.length) : '';
  const match = REPORT_NAME.exec(name);
  if (!match)
    throw new FieldkitError(
      'invalid-input',
      `"${path}" is not a report of this site; reports are files in its reports/ folder (.pdf, .html or .csv).`,
    );
  const full = site.path('reports', name);
  const info = await lstat(full).catch(() => null);
  if (!info?.isFile()) throw new FieldkitError('not-found', `The report ${path} is not in the site folder any more.`);
  if (info.size > MAX_REPORT_BYTES)
    throw new FieldkitError('invalid-input', `${path} is larger than 50 MB; open it from the site folder.`);
  const kind = match[1] as keyof typeof CONTENT_TYPES;
  return { name, contentType: CONTENT_TYPES[kind], base64: (await readFile(full)).toString('base64') };
}
