// Opening a report the site keeps (checklist PDF/HTML, result tables): its bytes come over the contract and open
// in a new tab, or are saved as a download.
import { api } from './api';
import { downloadBlob } from './download';

async function blobOf(path: string): Promise<{ blob: Blob; name: string }> {
  const file = await api.call('reports.file', { path });
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  return { blob: new Blob([bytes], { type: file.contentType }), name: file.name };
}

/** Opens the report in a new tab (the browser's PDF viewer for a PDF). */
export async function openReport(path: string): Promise<void> {
  const { blob } = await blobOf(path);
  const url = URL.createObjectURL(blob);
  const opened = window.open(url, '_blank');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  if (opened) opened.opener = null;
  // A blocked pop-up (or a shell that opens no windows) still gets the file.
  else await saveReport(path);
}

/** Saves a copy where the browser saves downloads. */
export async function saveReport(path: string): Promise<void> {
  const { blob, name } = await blobOf(path);
  downloadBlob(blob, name);
}
