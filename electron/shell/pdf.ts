// Turns a report's HTML into a PDF with Chromium's printer: a hidden window with JavaScript off, in
// its own in-memory session that may load nothing but the report itself and inline data.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSecureWindow, type SecureWebPreferences } from './security';

export const PDF_PARTITION = 'fieldkit-pdf';
const PDF_TIMEOUT_MS = 60_000;

export interface PdfWindowLike {
  loadFile(path: string): Promise<void>;
  readonly webContents: {
    printToPDF(options: {
      pageSize: 'A4';
      printBackground: boolean;
      generateDocumentOutline: boolean;
      preferCSSPageSize: boolean;
    }): Promise<Buffer>;
  };
  isDestroyed(): boolean;
  destroy(): void;
}

export type PdfWindowOptions = { show: boolean; width: number; height: number; webPreferences: SecureWebPreferences };
export type PdfWindowClass = new (options: PdfWindowOptions) => PdfWindowLike;

/** The request filter for the PDF session: inline data, and report files inside reportsRoot. */
export function isPdfSourceRequest(reportsRoot: string, url: string): boolean {
  if (url.startsWith('data:')) return true;
  if (!url.startsWith('file:')) return false;
  try {
    return fileURLToPath(url).startsWith(resolve(reportsRoot) + sep);
  } catch {
    return false;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Rendering the PDF took longer than ${ms / 1000} s and was stopped.`)),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Renders self-contained HTML (images inlined as data: URLs) to an A4 PDF. The HTML goes through a
 * temporary file under reportsRoot rather than a data: URL, which Chromium caps at 2 MB.
 */
export async function renderHtmlToPdf(
  html: string,
  BrowserWindow: PdfWindowClass,
  reportsRoot: string,
  timeoutMs = PDF_TIMEOUT_MS,
): Promise<Buffer> {
  const dir = await mkdtemp(join(reportsRoot, 'report-'));
  const window = createSecureWindow(BrowserWindow, {
    window: { show: false, width: 1024, height: 1400 },
    devTools: false,
    javascript: false,
    partition: PDF_PARTITION,
  });
  try {
    const file = join(dir, 'report.html');
    await writeFile(file, html, 'utf8');
    return await withTimeout(
      (async () => {
        await window.loadFile(file);
        return window.webContents.printToPDF({
          pageSize: 'A4',
          printBackground: true,
          generateDocumentOutline: true,
          preferCSSPageSize: true,
        });
      })(),
      timeoutMs,
    );
  } finally {
    if (!window.isDestroyed()) window.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
