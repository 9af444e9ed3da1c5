// Files the technician hands to the browser host from the page (a firmware package picked with the browser's file
// chooser: a browser has no OS dialog that gives a path). The body is streamed to a fresh folder of this host's own
// temporary directory under the file's own name (the firmware library reads the version from it), never kept in
// memory, capped in size, and everything is removed when the host closes. The answer is the saved file's path,
// which the page passes to the call that takes a file (firmware.import).
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { IncomingMessage } from 'node:http';

/** Mitel firmware packages are tens of megabytes; nothing the library takes is near this. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The name as the library will read it: its last path part, other characters than letters, digits, dot, dash and
 * underscore as "_" (a browser's "6867i (1).st" keeps its model and version), at most 128 characters.
 */
export function safeUploadName(raw: string): string | null {
  const base = (raw.split(/[\\/]/).pop() ?? '').replace(/[^A-Za-z0-9._-]+/g, '_');
  if (base === '' || base.length > 128 || /^[._]+$/.test(base)) return null;
  return base;
}

export class UploadFolder {
  private root: Promise<string> | null = null;

  /** Streams the request body to <temp>/<random>/<name>; resolves to that path. */
  async save(req: IncomingMessage, rawName: string): Promise<string> {
    const name = safeUploadName(rawName);
    if (!name)
      throw new UploadError(
        400,
        'The file name is empty or longer than 128 characters; rename the file and choose it again.',
      );
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > MAX_UPLOAD_BYTES) throw new UploadError(413, `The file is larger than ${MAX_UPLOAD_BYTES} bytes.`);
    this.root ??= mkdtemp(join(tmpdir(), 'fieldkit-uploads-'));
    const dir = await mkdtemp(join(await this.root, 'u-'));
    const path = join(dir, name);
    let size = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > MAX_UPLOAD_BYTES) done(new UploadError(413, `The file is larger than ${MAX_UPLOAD_BYTES} bytes.`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(req, cap, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e instanceof UploadError
        ? e
        : new UploadError(400, 'The upload did not arrive whole; choose the file again.');
    }
    if (size === 0) {
      await rm(dir, { recursive: true, force: true });
      throw new UploadError(400, 'The file is empty.');
    }
    return path;
  }

  async removeAll(): Promise<void> {
    if (this.root) await rm(await this.root, { recursive: true, force: true }).catch(() => undefined);
    this.root = null;
  }
}
