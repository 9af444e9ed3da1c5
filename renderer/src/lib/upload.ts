// A file the technician chose in the browser, handed to the browser host (which saves it and answers with its path).
// The desktop app has no need: there the system's file dialog (dialog.pickFile) names a file Fieldkit reads in place.
import { HTTP_UPLOAD_PREFIX, TOKEN_HEADER } from '$api/transport';
import { ApiError } from './api';

const token = (): string | undefined =>
  window.fieldkit ? undefined : document.querySelector<HTMLMetaElement>('meta[name="fieldkit-token"]')?.content;

/** Whether files can be sent from the page (the browser host). */
export const canUpload = (): boolean => token() !== undefined;

/** Sends the file's bytes; resolves to the path the host saved it under. */
export async function uploadFile(file: File): Promise<string> {
  const t = token();
  if (!t)
    throw new ApiError(
      'unavailable',
      'Files can be sent from the page only in the browser; in the desktop app use "Choose file…".',
    );
  let res: Response;
  try {
    res = await fetch(`${HTTP_UPLOAD_PREFIX}${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', [TOKEN_HEADER]: t },
      body: file,
    });
  } catch (e) {
    throw new ApiError('unavailable', `The file could not be sent to Fieldkit (${(e as Error).message}).`);
  }
  const result = (await res.json().catch(() => null)) as
    { ok: true; value: { path: string } } | { ok: false; error: { code: string; message: string } } | null;
  if (!result) throw new ApiError('unavailable', `Fieldkit answered the upload with ${res.status}.`);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value.path;
}
