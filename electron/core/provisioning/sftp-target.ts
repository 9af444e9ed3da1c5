// Publishing to an SFTP server (ssh2-sftp-client for the session, its SFTP channel for pipelined file
// operations). Every write goes to a temporary name in the same folder (mode 0600 until it is complete,
// so one left by a crash shows its passwords to nobody but the owner), is read back and hashed, and only
// then takes the final name (mode 0644) with one atomic rename, so a phone never fetches half a file.
//   new file      -> plain SFTP rename: OpenSSH links it into place and fails if the name exists, so a
//                    file someone else created meanwhile is never replaced.
//   replace file  -> the current file is read and compared with the preview's, copied (mode 0600) into the
//                    backup folder unless its newest backup already holds the same bytes (a resumed run
//                    makes no duplicate), then posix-rename over it. The backup folder is outside the
//                    served folder when the server lets Fieldkit create one beside it
//                    (`<parent>/.fieldkit-backup/<folder>/`), else `.fieldkit-backup/` inside it; it keeps
//                    the newest `backups` versions of each file (default 5): old passwords do not pile up.
// Many files go through one session at once (bounded), which is what makes 1,000 files fast.
// A target for a sub-folder (folder()) is its own session; connect() creates the folder (mkdir -p inside
// the target's folder), and the same rules apply there.
import { connect as tcpConnect, type Socket } from 'node:net';
import SftpClient from 'ssh2-sftp-client';
import { sha256Hex } from '../util/hash';
import { mapBounded } from '../util/map-bounded';
import { FieldkitError } from '../util/errors';
import { hostKeyId, sshFingerprint, type KnownHosts } from './known-hosts';
import { formatSftpUrl, type SftpLocation } from './target-url';
import {
  assertFolderPath,
  assertPublishableName,
  conflictError,
  type PublishTarget,
  type RemoteFileState,
  type WriteOptions,
  type WriteResult,
} from './target';
import type { SFTPWrapper } from 'ssh2';

export const BACKUP_DIR = '.fieldkit-backup';
const TEMP_SUFFIX = '.fieldkit-tmp';
/** Configuration files are small; anything bigger on the server is not ours to hash in memory. */
const MAX_READ_BYTES = 8 * 1024 * 1024;
/** Firmware images (`<model>.st`) staged by firmware runs are read back whole. */
const MAX_IMAGE_READ_BYTES = 256 * 1024 * 1024;
const SFTP_NO_SUCH_FILE = 2;

export type SftpAuth = { password: string } | { privateKey: string; passphrase?: string };

export const DEFAULT_BACKUPS = 5;

export interface SftpTargetOptions {
  location: SftpLocation;
  auth: SftpAuth;
  knownHosts: KnownHosts;
  /** Distinguishes this publisher's temporary files: a resumed job reuses (overwrites) its own. */
  tempTag: string;
  /** A sub-folder of `location.path` to publish into (see assertFolderPath); created by connect(). */
  folder?: string;
  /** Files in flight at once on the session. */
  parallel?: number;
  /** Versions of each replaced file kept in the backup folder (0: none). Default DEFAULT_BACKUPS. */
  backups?: number;
  connectTimeoutMs?: number;
  now?: () => Date;
}

export type HostKeyProblem = 'host-key-unknown' | 'host-key-changed';

/** The server's host key is not (or no longer) the pinned one. `fingerprint` is what the server showed. */
export class HostKeyError extends FieldkitError {
  constructor(
    readonly problem: HostKeyProblem,
    readonly hostPort: string,
    readonly fingerprint: string,
    readonly pinned?: string,
  ) {
    super(
      'unauthorized',
      problem === 'host-key-unknown'
        ? `Fieldkit has never connected to ${hostPort}. Its host key fingerprint is ${fingerprint}. Compare it with the one the server's administrator gives you (on the server: ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub), then trust it (CLI: --trust-host-key ${fingerprint}).`
        : `STOP: the host key of ${hostPort} changed. Pinned: ${pinned}. Now offered: ${fingerprint}. This is what a machine pretending to be the server looks like. Nothing was sent. Ask the server's administrator whether the key was replaced; Fieldkit never accepts a changed key by itself.`,
      { reason: problem, hostPort, fingerprint, ...(pinned ? { pinned } : {}) },
    );
    this.name = 'HostKeyError';
  }
}

type Handle = Buffer;

export class SftpTarget implements PublishTarget {
  private client: SftpClient | undefined;
  private sftp: SFTPWrapper | undefined;
  private lost: string | undefined;
  /** The backup folder, once found or made, with the backups it holds per file name (oldest first). */
  private backups: Promise<{ dir: string; byName: Map<string, string[]> }> | undefined;
  private readonly parallel: number;
  /** The folder files go to: the location's folder, or the sub-folder inside it. */
  private readonly dir: string;
  private tempTag: string;

  constructor(private readonly options: SftpTargetOptions) {
    this.tempTag = options.tempTag;
    this.parallel = Math.max(1, Math.min(64, options.parallel ?? 32));
    const { path } = options.location;
    this.dir =
      options.folder === undefined
        ? path
        : path === '.'
          ? assertFolderPath(options.folder)
          : `${path}/${assertFolderPath(options.folder)}`;
  }

  describe(): string {
    return formatSftpUrl({ ...this.options.location, path: this.dir });
  }

  folder(path: string): SftpTarget {
    return new SftpTarget({
      ...this.options,
      tempTag: this.tempTag,
      folder: this.options.folder === undefined ? path : `${this.options.folder}/${path}`,
    });
  }

  get parallelism(): number {
    return this.parallel;
  }

  /** Connected, and the connection not lost since (a warm session is handed on only then: warm-targets.ts). */
  get alive(): boolean {
    return this.sftp !== undefined && this.lost === undefined;
  }

  /** The tag of this run's temporary files from now on (a preview's session reused by the publish). */
  retag(tempTag: string): void {
    this.tempTag = tempTag;
  }

  async connect(): Promise<void> {
    const { location, auth, knownHosts } = this.options;
    const id = hostKeyId(location.host, location.port);
    const pinned = await knownHosts.lookup(location.host, location.port);
    let offered: string | undefined;
    const client = new SftpClient('fieldkit', {
      error: (e: unknown) => {
        this.lost ??= (e as Error)?.message ?? String(e);
      },
      end: () => {
        this.lost ??= 'the server ended the session';
      },
      close: () => {
        this.lost ??= 'the connection closed';
      },
    });
    // Our own socket, with Nagle's algorithm off: many requests are in flight at once, and with it on each
    // small request waits behind the previous one's ACK, which the server delays (40 ms on Linux). The
    // profile of a 1,004-file publish showed the client idle 90 % of the time, waiting on exactly that.
    // (ssh2's `sock` option: a custom socket instead of the one it would open.)
    const sock = tcpConnect({ host: location.host, port: location.port, noDelay: true });
    sock.on('error', () => undefined); // ssh2 reports it; this only keeps an early one from being unheard
    writeOncePerTick(sock);
    let sftp: SFTPWrapper;
    try {
      // connect() resolves to the session's SFTP channel (ssh2-sftp-client's declared API); requests go on it directly.
      sftp = await client.connect({
        host: location.host,
        port: location.port,
        sock,
        username: location.user,
        ...('password' in auth
          ? { password: auth.password }
          : { privateKey: auth.privateKey, ...(auth.passphrase ? { passphrase: auth.passphrase } : {}) }),
        readyTimeout: this.options.connectTimeoutMs ?? 15_000,
        keepaliveInterval: 5_000,
        keepaliveCountMax: 3,
        tryKeyboard: false,
        hostVerifier: (key: Buffer) => {
          offered = sshFingerprint(key);
          return pinned !== undefined && offered === pinned;
        },
      });
    } catch (e) {
      await endWithin(client, 2000);
      sock.destroy();
      if (offered !== undefined && offered !== pinned)
        throw new HostKeyError(pinned === undefined ? 'host-key-unknown' : 'host-key-changed', id, offered, pinned);
      throw describeConnectError(e, this.describe(), 'password' in auth);
    }
    this.client = client;
    this.sftp = sftp;
    this.lost = undefined;
    // Requests sent on a dead channel are never answered: from the moment the connection goes, fail fast. The
    // socket is our own (above), so its end is heard without reaching into the library.
    const gone = (why: string) => (e?: unknown) => {
      this.lost ??= e instanceof Error ? e.message : why;
      this.sftp = undefined;
    };
    sock.on('close', gone('the connection closed'));
    sock.on('error', gone('connection error'));
    sftp.on('close', gone('the SFTP channel closed'));
    // ssh2 emits 'error' on the channel for a malformed packet from the server; unheard, it would end the process.
    sftp.on('error', gone('the server sent a malformed SFTP packet'));
    const dir = await this.op<{ isDirectory(): boolean }>('check the folder', location.path, (cb) =>
      this.channel().stat(location.path, cb),
    ).catch((e: unknown) => {
      throw (e as { sftpCode?: number }).sftpCode === SFTP_NO_SUCH_FILE
        ? new FieldkitError(
            'not-found',
            `The folder ${location.path} does not exist on ${id}. Create it on the server (the folder the phones fetch from), or correct the target URL.`,
          )
        : e;
    });
    if (!dir.isDirectory())
      throw new FieldkitError(
        'invalid-input',
        `${location.path} on ${id} is a file, not a folder. Correct the target URL.`,
      );
    if (this.options.folder !== undefined) await this.makeFolders(location.path, this.options.folder.split('/'));
  }

  /** mkdir -p of the sub-folder, one level at a time inside the target's folder. */
  private async makeFolders(root: string, parts: string[]): Promise<void> {
    let dir = root;
    for (const part of parts) {
      dir = dir === '.' ? part : `${dir}/${part}`;
      const at = dir;
      await this.op('create the folder', at, (cb) => this.channel().mkdir(at, cb)).catch(async (e: unknown) => {
        const st = await this.op<{ isDirectory(): boolean }>('check the folder', at, (cb) =>
          this.channel().stat(at, cb),
        ).catch(() => undefined);
        if (!st) throw e;
        if (!st.isDirectory())
          throw new FieldkitError(
            'conflict',
            `${at} on ${this.describe()} is a file, not a folder: Fieldkit cannot create the folder there. Rename or remove that file on the server.`,
          );
      });
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.sftp = undefined;
    if (!client) return;
    await endWithin(client, 2000);
  }

  private channel(): SFTPWrapper {
    if (!this.sftp) throw this.lostError('use the server');
    return this.sftp;
  }

  private lostError(doing: string): FieldkitError {
    return new FieldkitError(
      'unavailable',
      `Lost the connection to ${this.describe()} while trying to ${doing}${this.lost ? ` (${this.lost})` : ''}. No file is half-written under its final name. When the server is reachable again, resume the job: files already published are not sent again.`,
    );
  }

  /** Wraps one SFTP request; a dropped connection becomes one clear error. */
  private op<T>(
    doing: string,
    path: string,
    run: (cb: (err: Error | undefined | null, value?: T) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.sftp) {
        reject(this.lostError(`${doing} ${path}`));
        return;
      }
      run((err, value) => {
        if (!err) {
          resolve(value as T);
          return;
        }
        const code = (err as { code?: unknown }).code;
        if (typeof code !== 'number' || this.lost !== undefined || !this.client) {
          reject(this.lostError(`${doing} ${path}`));
          return;
        }
        const error = new FieldkitError(
          code === 3 ? 'unauthorized' : 'io-error',
          `Could not ${doing} ${path} on ${this.describe()}: ${err.message}${code === 3 ? " (the server refused: check the user's rights on the folder)" : ''}.`,
        );
        (error as FieldkitError & { sftpCode?: number }).sftpCode = code;
        reject(error);
      });
    });
  }

  private remote(name: string): string {
    return `${this.dir}/${name}`;
  }

  private async readPath(path: string): Promise<Buffer | null> {
    // a firmware image, its backup (`<model>.st.<time>`) included
    const max = /\.st(\.[^/]*)?$/.test(path) ? MAX_IMAGE_READ_BYTES : MAX_READ_BYTES;
    let handle: Handle;
    try {
      handle = await this.op<Handle>('open', path, (cb) => this.channel().open(path, 'r', cb));
    } catch (e) {
      if ((e as { sftpCode?: number }).sftpCode === SFTP_NO_SUCH_FILE) return null;
      throw e;
    }
    try {
      return await this.readHandle(handle, path, max);
    } finally {
      await this.op('close', path, (cb) => this.channel().close(handle, cb)).catch(() => undefined);
    }
  }

  private async readHandle(handle: Handle, path: string, max: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let position = 0;
    for (;;) {
      const want = Math.min(64 * 1024, max + 1 - position);
      const buffer = Buffer.allocUnsafe(want);
      const got = await this.op<number>('read', path, (cb) =>
        this.channel().read(handle, buffer, 0, want, position, (err, bytesRead) => cb(err, bytesRead)),
      ).catch((e: unknown) => {
        // ssh2 reports end of file as an error with code 1 (EOF) on some servers
        if ((e as { sftpCode?: number }).sftpCode === 1) return 0;
        throw e;
      });
      if (got === 0) break;
      chunks.push(buffer.subarray(0, got));
      position += got;
      if (position > max)
        throw new FieldkitError(
          'io-error',
          `${path} on ${this.describe()} is larger than ${max} bytes; Fieldkit only publishes configuration files and firmware images there.`,
        );
    }
    return Buffer.concat(chunks);
  }

  async read(name: string): Promise<Uint8Array | null> {
    assertPublishableName(name);
    return this.readPath(this.remote(name));
  }

  async stat(names: readonly string[]): Promise<RemoteFileState[]> {
    return mapBounded(names, this.parallel, async (name) => {
      const bytes = await this.read(name);
      return bytes === null
        ? { name, exists: false }
        : { name, exists: true, size: bytes.length, sha256: sha256Hex(bytes) };
    });
  }

  async list(): Promise<string[]> {
    const path = this.dir;
    const entries = await this.op<{ filename: string; longname: string }[]>('list', path, (cb) =>
      this.channel().readdir(path, cb),
    );
    return entries
      .filter((e) => e.longname.startsWith('-') && !e.filename.startsWith('.'))
      .map((e) => e.filename)
      .sort();
  }

  async write(name: string, bytes: Uint8Array, options: WriteOptions): Promise<WriteResult> {
    assertPublishableName(name);
    const final = this.remote(name);
    const temp = this.remote(`.${name}.${this.tempTag}${TEMP_SUFFIX}`);
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const sha256 = sha256Hex(data);
    const closing = await this.upload(temp, data, sha256);
    try {
      if (options.expectSha256 === null) return await this.placeNew(name, temp, final, sha256);
      return await this.replace(name, temp, final, sha256, options.expectSha256, options.backup);
    } catch (e) {
      await this.op('remove', temp, (cb) => this.channel().unlink(temp, cb)).catch(() => undefined);
      throw e;
    } finally {
      await closing;
    }
  }

  /**
   * Writes the temporary file (truncating one left by an interrupted run) and checks it by reading it
   * back. Write and read go out together (a server handles requests on one handle in order), and the
   * close is not waited for: the rename that follows is queued behind it. Returns the pending close.
   */
  private async upload(temp: string, data: Buffer, sha256: string, finalMode = 0o644): Promise<Promise<unknown>> {
    const handle = await this.op<Handle>('create', temp, (cb) => this.channel().open(temp, 'w+', { mode: 0o600 }, cb));
    let back: Buffer;
    try {
      const writing =
        data.length > 0
          ? this.op('write', temp, (cb) => this.channel().write(handle, data, 0, data.length, 0, cb))
          : Promise.resolve();
      // One read of one byte more than was written: a longer file shows as a mismatch.
      const buffer = Buffer.allocUnsafe(data.length + 1);
      const reading = this.op<number>('read back', temp, (cb) =>
        this.channel().read(handle, buffer, 0, buffer.length, 0, (err, n) => cb(err, n)),
      ).catch((e: unknown) => {
        if ((e as { sftpCode?: number }).sftpCode === 1) return 0;
        throw e;
      });
      const [, got] = await Promise.all([writing, reading]);
      back = buffer.subarray(0, got);
    } catch (e) {
      await this.op('close', temp, (cb) => this.channel().close(handle, cb)).catch(() => undefined);
      throw e;
    }
    // The complete file gets its final mode now; mode, close and the rename that follows go out in this
    // order on the one channel, which the server handles in order.
    if (finalMode !== 0o600)
      void this.op('set the mode of', temp, (cb) => this.channel().fsetstat(handle, { mode: finalMode }, cb)).catch(
        () => undefined,
      );
    const closing = this.op('close', temp, (cb) => this.channel().close(handle, cb)).catch(() => undefined);
    if (sha256Hex(back) !== sha256) {
      await closing;
      await this.op('remove', temp, (cb) => this.channel().unlink(temp, cb)).catch(() => undefined);
      throw new FieldkitError(
        'io-error',
        `Read-back check failed for ${temp} on ${this.describe()}: the server stored ${back.length} bytes that differ from the ${data.length} sent. Nothing was renamed into place. Check the server's disk and try again.`,
      );
    }
    return closing;
  }

  private async placeNew(name: string, temp: string, final: string, sha256: string): Promise<WriteResult> {
    try {
      await this.op('rename into place', final, (cb) => this.channel().rename(temp, final, cb));
      return { sha256 };
    } catch (e) {
      if (this.lost !== undefined) throw e;
      const current = await this.readPath(final);
      if (current === null) throw e;
      await this.op('remove', temp, (cb) => this.channel().unlink(temp, cb)).catch(() => undefined);
      const found = sha256Hex(current);
      if (found === sha256) return { sha256 }; // already there: an interrupted run got this far
      throw conflictError(name, this.describe(), null, found);
    }
  }

  private async replace(
    name: string,
    temp: string,
    final: string,
    sha256: string,
    expected: string,
    backup: boolean,
  ): Promise<WriteResult> {
    const current = await this.readPath(final);
    const found = current === null ? null : sha256Hex(current);
    if (found !== expected) {
      if (found === sha256) {
        await this.op('remove', temp, (cb) => this.channel().unlink(temp, cb)).catch(() => undefined);
        return { sha256 };
      }
      throw conflictError(name, this.describe(), expected, found);
    }
    const keep = this.options.backups ?? DEFAULT_BACKUPS;
    const backupName = backup && keep > 0 ? await this.keepBackup(name, current!, keep) : undefined;
    await this.op('rename into place', final, (cb) => this.channel().ext_openssh_rename(temp, final, cb));
    return backupName ? { sha256, backupName } : { sha256 };
  }

  /** Where backups go: beside the served folder when the server allows, else inside it. Made once. */
  private backupFolder(): Promise<{ dir: string; byName: Map<string, string[]> }> {
    this.backups ??= (async () => {
      const served = this.dir;
      const slash = served.lastIndexOf('/');
      const outside =
        slash > 0 && served !== '.' ? `${served.slice(0, slash)}/${BACKUP_DIR}/${served.slice(slash + 1)}` : null;
      const candidates = [...(outside ? [outside] : []), this.remote(BACKUP_DIR)];
      for (const dir of candidates) {
        if (await this.makeDirectory(dir, dir === outside ? 2 : 1)) {
          const entries = await this.op<{ filename: string }[]>('list', dir, (cb) => this.channel().readdir(dir, cb));
          const byName = new Map<string, string[]>();
          for (const e of entries.map((x) => x.filename).sort()) {
            const m = /^(.+)\.(\d{8}T\d{6}-\d{3}Z)$/.exec(e);
            if (m) byName.set(m[1]!, [...(byName.get(m[1]!) ?? []), e]);
          }
          return { dir, byName };
        }
      }
      throw new FieldkitError('io-error', `Could not create a backup folder on ${this.describe()}.`);
    })().catch((e: unknown) => {
      this.backups = undefined;
      throw e;
    });
    return this.backups;
  }

  /** mkdir of the last `levels` components of `dir` (mode 0700); true when the folder exists afterwards. */
  private async makeDirectory(dir: string, levels: number): Promise<boolean> {
    const parts = dir.split('/');
    for (let i = parts.length - levels; i < parts.length; i++) {
      const at = parts.slice(0, i + 1).join('/');
      await this.op('create the backup folder', at, (cb) => this.channel().mkdir(at, { mode: 0o700 }, cb)).catch(
        () => undefined,
      );
    }
    const st = await this.op<{ isDirectory(): boolean }>('check', dir, (cb) => this.channel().stat(dir, cb)).catch(
      () => undefined,
    );
    return st?.isDirectory() ?? false;
  }

  /**
   * Copies the file being replaced into the backup folder (mode 0600), unless its newest backup holds the
   * same bytes, and removes all but the newest `keep`. Returns the backup's path relative to the folder.
   */
  private async keepBackup(name: string, bytes: Buffer, keep: number): Promise<string | undefined> {
    const { dir, byName } = await this.backupFolder();
    const relative = (file: string) =>
      dir.startsWith(`${this.dir}/`) ? `${dir.slice(this.dir.length + 1)}/${file}` : `${dir}/${file}`;
    const existing = byName.get(name) ?? [];
    const newest = existing.at(-1);
    if (newest !== undefined) {
      const same = await this.readPath(`${dir}/${newest}`).catch(() => null);
      if (same !== null && same.equals(bytes)) return relative(newest);
    }
    const file = `${name}.${timestamp(this.options.now?.() ?? new Date())}`;
    await await this.upload(`${dir}/${file}`, bytes, sha256Hex(bytes), 0o600);
    const all = [...existing, file];
    byName.set(name, all.slice(-keep));
    for (const old of all.slice(0, Math.max(0, all.length - keep)))
      await this.op('remove an old backup', old, (cb) => this.channel().unlink(`${dir}/${old}`, cb)).catch(
        () => undefined,
      );
    return relative(file);
  }

  async sweepTemporaries(options: {
    keepTag: string;
    deadTags: ReadonlySet<string>;
    olderThanMs: number;
  }): Promise<number> {
    const path = this.dir;
    const entries = await this.op<{ filename: string; attrs: { mtime?: number } }[]>('list', path, (cb) =>
      this.channel().readdir(path, cb),
    );
    const now = (this.options.now?.() ?? new Date()).getTime();
    const stale = entries.filter((e) => {
      if (!e.filename.startsWith('.') || !e.filename.endsWith(TEMP_SUFFIX)) return false;
      const tag = e.filename.slice(0, -TEMP_SUFFIX.length).split('.').at(-1) ?? '';
      if (tag === options.keepTag) return false;
      return options.deadTags.has(tag) || now - (e.attrs.mtime ?? 0) * 1000 > options.olderThanMs;
    });
    await mapBounded(stale, this.parallel, (e) =>
      this.op('remove', e.filename, (cb) => this.channel().unlink(this.remote(e.filename), cb)).catch(() => undefined),
    );
    return stale.length;
  }

  /** Removes temporary files this publisher (same tempTag) left behind. */
  async removeOwnTemporaries(): Promise<number> {
    const path = this.dir;
    const entries = await this.op<{ filename: string }[]>('list', path, (cb) => this.channel().readdir(path, cb));
    const mine = entries
      .map((e) => e.filename)
      .filter((f) => f.startsWith('.') && f.endsWith(`.${this.tempTag}${TEMP_SUFFIX}`));
    await mapBounded(mine, this.parallel, (f) =>
      this.op('remove', f, (cb) => this.channel().unlink(this.remote(f), cb)),
    );
    return mine.length;
  }
}

/**
 * ssh2 writes every SSH packet to the socket at once: one system call (and, Nagle off, one TCP segment and one
 * wake-up of the server) per request. A profile of a 1,004-file publish showed writeBuffer as the largest
 * self time of the client. Corked until the end of the current tick, the packets of all the requests issued
 * in one turn of the event loop leave together in one writev; none waits longer than that turn.
 */
function writeOncePerTick(sock: Socket): void {
  const write = sock.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    sock.uncork();
  };
  sock.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      sock.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}

/** end() waits for a close event that a connection already gone (or never made) may never send. */
async function endWithin(client: SftpClient, ms: number): Promise<void> {
  await Promise.race([client.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('.', '-');
}

function describeConnectError(e: unknown, target: string, usedPassword: boolean): FieldkitError {
  const message = (e as Error)?.message ?? String(e);
  // ssh2 reads the key before it connects: a key it cannot open is the technician's to fix, not the server's
  if (!usedPassword && /Cannot parse privateKey|passphrase/i.test(message)) {
    return new FieldkitError(
      'unauthorized',
      /no passphrase given/i.test(message)
        ? `The private key stored for ${target} is protected by a passphrase, and none is stored. Enter the key again with its passphrase.`
        : /bad passphrase|decrypt/i.test(message)
          ? `The passphrase stored for the private key of ${target} does not open it. Enter the key again with the right passphrase.`
          : `The private key stored for ${target} cannot be used (${message}). Paste the private key itself (not the .pub file), in OpenSSH or PEM format.`,
      { reason: 'private-key' },
    );
  }
  if (/authentication|All configured authentication methods failed/i.test(message)) {
    return new FieldkitError(
      'unauthorized',
      `${target} refused the login (${usedPassword ? 'password' : 'private key'}). Check the user name in the URL and the ${usedPassword ? 'password' : 'key'} stored for this target.`,
    );
  }
  if (/ECONNREFUSED/.test(message))
    return new FieldkitError(
      'unavailable',
      `Nothing answers SSH at ${target} (connection refused). Check the host and port, and that the SFTP server runs.`,
    );
  if (/timed out|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/i.test(message))
    return new FieldkitError(
      'unavailable',
      `${target} did not answer (${message}). Check the address and that this laptop can reach it.`,
    );
  return new FieldkitError('unavailable', `Could not open an SFTP session to ${target}: ${message}`);
}
