// Errors a technician reads. `code` is stable for programs; `message` says what is wrong and how to fix it.

export type FieldkitErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'not-a-workspace'
  | 'workspace-corrupt'
  | 'workspace-exists'
  | 'no-site-open'
  | 'disk-full'
  | 'io-error'
  | 'conflict'
  | 'cancelled'
  | 'unauthorized'
  | 'unavailable'
  | 'internal';

export class FieldkitError extends Error {
  constructor(
    readonly code: FieldkitErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'FieldkitError';
  }
}

export function isFieldkitError(e: unknown): e is FieldkitError {
  return e instanceof FieldkitError;
}

/** Turns a Node file-system error into words a technician understands. */
export function describeFsError(e: unknown, what: string, path: string): FieldkitError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new FieldkitError(
        'disk-full',
        `The disk is full: could not write ${what} (${path}). Free some space and try again; nothing already saved was changed.`,
        { path },
      );
    case 'EACCES':
    case 'EPERM':
      return new FieldkitError(
        'io-error',
        `No permission to write ${what} (${path}). Choose a folder you can write to.`,
        { path },
      );
    case 'ENOENT':
      return new FieldkitError('not-found', `${what} not found at ${path}.`, { path });
    case 'EROFS':
      return new FieldkitError('io-error', `The disk holding ${path} is read-only. Choose another folder.`, { path });
    default:
      return new FieldkitError(
        'io-error',
        `Could not access ${what} (${path}): ${(e as Error)?.message ?? String(e)}`,
        { path },
      );
  }
}
