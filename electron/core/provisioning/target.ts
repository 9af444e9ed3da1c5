// One interface for every place Fieldkit publishes configuration files to: an SFTP server the phones
// fetch from, or Fieldkit's own built-in provisioning server. Names are flat file names; a sub-folder
// (e.g. a firmware staging folder `fw/6867i-5.1.0.2051`) is a target of its own, made with subTarget().
import { FieldkitError } from '../util/errors';

export interface RemoteFileState {
  name: string;
  exists: boolean;
  size?: number;
  /** sha256 (hex) of the file's bytes as they are on the target now. */
  sha256?: string;
}

export interface WriteOptions {
  /** The content the caller saw on the target (sha256 hex); null: the file must not exist yet. */
  expectSha256: string | null;
  /** Keep a copy of the file being replaced. */
  backup: boolean;
}

export interface WriteResult {
  /** sha256 of what is now on the target (read back after writing). */
  sha256: string;
  /** Where the replaced file was kept, relative to the target's folder. */
  backupName?: string;
}

export interface PublishTarget {
  /** e.g. `sftp://tech@10.0.0.5:22/srv/prov` or `built-in server http://0.0.0.0:8080/`. */
  describe(): string;
  connect(): Promise<void>;
  close(): Promise<void>;
  stat(names: readonly string[]): Promise<RemoteFileState[]>;
  /** The file's bytes, or null when it does not exist. */
  read(name: string): Promise<Uint8Array | null>;
  /**
   * Replaces `name` atomically: readers see the old or the new content, never a part. Fails with a
   * `conflict` error, writing nothing, when the file is not what `expectSha256` says.
   */
  write(name: string, bytes: Uint8Array, options: WriteOptions): Promise<WriteResult>;
  /** Names of the published files (no temporaries, no backups, no sub-folders). */
  list(): Promise<string[]>;
  /**
   * The sub-folder `path` (checked by assertFolderPath) as a target with the same write rules. It is not
   * connected: connect() it (which creates the folder where the target needs that) and close() it.
   */
  folder?(path: string): PublishTarget;
  /**
   * Removes Fieldkit temporary files left by interrupted runs (they hold whole configuration files): every
   * tag in `deadTags`, and any other tag but `keepTag` older than `olderThanMs`. Returns how many.
   */
  sweepTemporaries?(options: { keepTag: string; deadTags: ReadonlySet<string>; olderThanMs: number }): Promise<number>;
}

/** Names a target accepts: what the generator and the firmware library produce. */
export const PUBLISHABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function assertPublishableName(name: string): void {
  if (!PUBLISHABLE_NAME.test(name) || name.includes('..')) {
    throw new FieldkitError(
      'invalid-input',
      `"${name}" is not a file name Fieldkit publishes (letters, digits, dot, dash, underscore; no folders).`,
    );
  }
}

const MAX_FOLDER_DEPTH = 4;

/**
 * A relative folder path (`fw/6867i-5.1.0.2051`): every part a publishable, non-hidden name; no `..`, no leading `/`.
 */
export function assertFolderPath(path: string): string {
  const parts = path.split('/');
  if (parts.length > MAX_FOLDER_DEPTH || parts.some((p) => !PUBLISHABLE_NAME.test(p) || p.includes('..'))) {
    throw new FieldkitError(
      'invalid-input',
      `"${path}" is not a folder Fieldkit publishes to: up to ${MAX_FOLDER_DEPTH} names of letters, digits, dot, dash or underscore separated by "/", inside the target's folder (no "..", no leading "/").`,
    );
  }
  return path;
}

/** The sub-folder `path` of `target` as a target (not connected yet). */
export function subTarget(target: PublishTarget, path: string): PublishTarget {
  assertFolderPath(path);
  if (!target.folder) throw new FieldkitError('invalid-input', `${target.describe()} cannot hold folders.`);
  return target.folder(path);
}

export function conflictError(
  name: string,
  target: string,
  expected: string | null,
  found: string | null,
): FieldkitError {
  const what =
    expected === null
      ? `${name} appeared on ${target} after the preview (it did not exist then)`
      : found === null
        ? `${name} was removed from ${target} after the preview`
        : `${name} on ${target} was changed by someone else after the preview`;
  return new FieldkitError(
    'conflict',
    `${what}. Fieldkit did not overwrite it. Run the preview again to see the change, then publish.`,
    {
      file: name,
      expectedSha256: expected,
      foundSha256: found,
    },
  );
}
