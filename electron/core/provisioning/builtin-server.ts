// Fieldkit's own provisioning server on the technician's laptop (the default when the site has no
// server): HTTP, or HTTPS with a given certificate. It serves the published set from memory only (the
// materialized files hold SIP passwords, so they never touch the disk in clear) and firmware images
// (<model>.st) from the site's firmware folder. GET only; every other method is refused.
//
// Names: phones ask for startup.cfg/aastra.cfg, <model>.cfg, <MAC>.cfg and <model>.st (phone-facts §1, §2).
// MAC file names are published in uppercase (phone-facts §1). A request for the same MAC in lowercase or
// mixed case is served the uppercase file too: a MAC names one phone whatever its case, so this can
// never hand one phone another's file, and it keeps a phone or proxy that lowercases names working.
// Every other name must match exactly.
//
// Sub-folders (folder(): firmware staging folders `fw/<model>-<version>/`) are served at
// `/<prefix>/<folder>/<name>` the same way: files written there from memory, `<model>.st` from the folder
// `folderImagesDir` names on disk (the site's firmware library). Every path component is checked.
//
// Every request is logged (ip, path, status, User-Agent, time; never file contents), emitted as a
// `fetch` event (verification watches it) and handed to `onRequest` (passive discovery).
import { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createReadStream } from 'node:fs';
import { readFile, stat as statFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sha256Hex } from '../util/hash';
import { FieldkitError } from '../util/errors';
import {
  assertFolderPath,
  assertPublishableName,
  conflictError,
  type PublishTarget,
  type RemoteFileState,
  type WriteOptions,
  type WriteResult,
} from './target';
import type { AddressInfo } from 'node:net';
import type { FetchEntry } from './publishing-schemas';

export type { FetchEntry };

export interface ProvisioningRequestInfo {
  ip: string;
  userAgent: string | undefined;
  path: string;
  at: string;
}

export interface BuiltinServerOptions {
  address: string;
  port: number;
  /** Serve HTTPS with this certificate instead of HTTP. */
  tls?: { key: string; cert: string };
  /** Folder the phones' `http path` points to, e.g. "prov" (files at /prov/<name>); default: the root. */
  pathPrefix?: string;
  /** Folder holding <model>.st firmware images (the site's firmware library), if any. */
  firmwareDir?: string;
  /** Where the `<model>.st` images of a sub-folder (e.g. `fw/6867i-5.1.0.2051`) are on disk, if anywhere. */
  folderImagesDir?: (folder: string) => string | undefined;
  /** Passive discovery hook: called for every request with the phone's User-Agent. */
  onRequest?: (request: ProvisioningRequestInfo) => void;
  /** Persistent log (e.g. the site's provisioning/fetch-log.jsonl). */
  log?: (entry: FetchEntry) => void;
}

interface ServedFile {
  bytes: Uint8Array;
  sha256: string;
  publishedAt: string;
}

const CFG_MAC = /^[0-9A-Fa-f]{12}\.cfg$/;
const FIRMWARE_NAME = /^68\d\di\.st$/;
const PATH_PART = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;
const MAX_FOLDER_PARTS = 4;

/** The key of a file in the served set: its name, or `<folder>/<name>`. */
function keyOf(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}
const MAX_RECENT = 5000;

export interface BuiltinServerEvents {
  fetch: [FetchEntry];
}

export class BuiltinServer extends EventEmitter<BuiltinServerEvents> implements PublishTarget {
  /** Keyed by keyOf(folder, name). */
  private readonly files = new Map<string, ServedFile>();
  /** sha256 of firmware images served from disk, keyed by path, size and mtime (images are large). */
  private readonly firmwareHashes = new Map<string, string>();
  private readonly previous = new Map<string, ServedFile & { backupName: string }>();
  private readonly recent: FetchEntry[] = [];
  private server: Server | undefined;
  private boundPort: number | undefined;
  private readonly prefix: string;

  constructor(private readonly options: BuiltinServerOptions) {
    super();
    this.prefix = (options.pathPrefix ?? '').replace(/^\/+|\/+$/g, '');
    if (this.prefix.split('/').some((p) => p === '..' || p === '.') || /[^A-Za-z0-9._/-]/.test(this.prefix)) {
      throw new FieldkitError(
        'invalid-input',
        `"${options.pathPrefix}" is not a usable path for the provisioning server: use letters, digits, dot, dash and slash, e.g. "prov".`,
      );
    }
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** The URL phones use as their configuration server (http path included). */
  url(): string {
    const scheme = this.options.tls ? 'https' : 'http';
    const host = this.options.address.includes(':') ? `[${this.options.address}]` : this.options.address;
    return `${scheme}://${host}:${this.boundPort ?? this.options.port}/${this.prefix === '' ? '' : `${this.prefix}/`}`;
  }

  describe(): string {
    return `built-in server ${this.url()}`;
  }

  async start(): Promise<string> {
    if (this.server) return this.url();
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    };
    const server = this.options.tls
      ? createHttpsServer({ key: this.options.tls.key, cert: this.options.tls.cert }, handler)
      : createHttpServer(handler);
    server.headersTimeout = 10_000;
    server.requestTimeout = 15_000;
    server.keepAliveTimeout = 2_000;
    server.maxHeadersCount = 50;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        reject(
          e.code === 'EADDRINUSE'
            ? new FieldkitError(
                'conflict',
                `Port ${this.options.port} on ${this.options.address} is already in use. Stop the other server or choose another port for the provisioning server.`,
              )
            : e.code === 'EADDRNOTAVAIL'
              ? new FieldkitError(
                  'invalid-input',
                  `${this.options.address} is not an address of this laptop. Choose the address of the network card the phones are on.`,
                )
              : new FieldkitError(
                  'unavailable',
                  `The provisioning server could not listen on ${this.options.address}:${this.options.port}: ${e.message}`,
                ),
        );
      });
      server.listen(this.options.port, this.options.address, () => resolve());
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
    return this.url();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ---- PublishTarget: the published set lives in memory; a write swaps one file at once ----------

  async connect(): Promise<void> {}
  async close(): Promise<void> {}

  stat(names: readonly string[]): Promise<RemoteFileState[]> {
    return this.statIn('', names);
  }

  read(name: string): Promise<Uint8Array | null> {
    return this.readIn('', name);
  }

  write(name: string, bytes: Uint8Array, options: WriteOptions): Promise<WriteResult> {
    return this.writeIn('', name, bytes, options);
  }

  async list(): Promise<string[]> {
    return this.listIn('');
  }

  /** A sub-folder served at `<prefix>/<path>/`, kept in memory like the published set. */
  folder(path: string): PublishTarget {
    const folder = assertFolderPath(path);
    return {
      describe: () => `${this.describe()}${folder}/`,
      connect: async () => undefined,
      close: async () => undefined,
      stat: (names) => this.statIn(folder, names),
      read: (name) => this.readIn(folder, name),
      write: (name, bytes, options) => this.writeIn(folder, name, bytes, options),
      list: async () => this.listIn(folder),
      folder: (sub) => this.folder(`${folder}/${sub}`),
    };
  }

  private async statIn(folder: string, names: readonly string[]): Promise<RemoteFileState[]> {
    return Promise.all(
      names.map(async (name): Promise<RemoteFileState> => {
        const f = this.files.get(keyOf(folder, name));
        if (f) return { name, exists: true, size: f.bytes.length, sha256: f.sha256 };
        const image = await this.firmwareImage(folder, name);
        return image
          ? {
              name,
              exists: true,
              size: image.size,
              sha256: await this.firmwareSha256(image.path, image.size, image.mtimeMs),
            }
          : { name, exists: false };
      }),
    );
  }

  private async readIn(folder: string, name: string): Promise<Uint8Array | null> {
    const published = this.files.get(keyOf(folder, name))?.bytes;
    if (published) return published;
    const image = await this.firmwareImage(folder, name);
    return image ? new Uint8Array(await readFile(image.path)) : null;
  }

  /** A `<model>.st` the server hands out from disk: what stat/read see is what phones get. */
  private async firmwareImage(
    folder: string,
    name: string,
  ): Promise<{ path: string; size: number; mtimeMs: number } | undefined> {
    const dir = folder === '' ? this.options.firmwareDir : this.options.folderImagesDir?.(folder);
    if (!FIRMWARE_NAME.test(name) || !dir) return undefined;
    const path = join(dir, name);
    const info = await statFile(path).catch(() => undefined);
    return info?.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  }

  private async firmwareSha256(path: string, size: number, mtimeMs: number): Promise<string> {
    const key = `${path}:${size}:${mtimeMs}`;
    const known = this.firmwareHashes.get(key);
    if (known) return known;
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    const hex = hash.digest('hex');
    this.firmwareHashes.set(key, hex);
    return hex;
  }

  private async writeIn(folder: string, name: string, bytes: Uint8Array, options: WriteOptions): Promise<WriteResult> {
    assertPublishableName(name);
    const key = keyOf(folder, name);
    const sha256 = sha256Hex(bytes);
    const current = this.files.get(key);
    const found = current?.sha256 ?? null;
    if (found !== options.expectSha256) {
      if (found === sha256) return { sha256 };
      throw conflictError(name, `${this.describe()}${folder === '' ? '' : `${folder}/`}`, options.expectSha256, found);
    }
    const now = new Date().toISOString();
    let backupName: string | undefined;
    if (current && options.backup) {
      backupName = `${name}@${current.publishedAt}`;
      this.previous.set(key, { ...current, backupName });
    }
    this.files.set(key, { bytes: Uint8Array.from(bytes), sha256, publishedAt: now });
    return backupName ? { sha256, backupName } : { sha256 };
  }

  private listIn(folder: string): string[] {
    const start = folder === '' ? '' : `${folder}/`;
    return [...this.files.keys()]
      .filter((k) => k.startsWith(start) && !k.slice(start.length).includes('/'))
      .map((k) => k.slice(start.length))
      .sort();
  }

  /** The version a write replaced (kept in memory only), if any. */
  previousVersion(name: string): { backupName: string; bytes: Uint8Array } | undefined {
    const p = this.previous.get(name);
    return p ? { backupName: p.backupName, bytes: p.bytes } : undefined;
  }

  /** Fetches seen since this server object was created (newest last, bounded). */
  fetches(since?: Date): FetchEntry[] {
    if (!since) return [...this.recent];
    const iso = since.toISOString();
    return this.recent.filter((e) => e.at >= iso);
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = new Date().toISOString();
    const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/i, '');
    const rawPath = req.url ?? '';
    const userAgentHeader = req.headers['user-agent'];
    const userAgent = typeof userAgentHeader === 'string' ? userAgentHeader.slice(0, 300) : undefined;
    const finish = (status: number, file: string | null, bytes: number) => {
      const entry: FetchEntry = {
        at,
        ip,
        method: req.method ?? '',
        path: printable(rawPath),
        file,
        status,
        bytes,
        userAgent: userAgent === undefined ? null : printable(userAgent),
      };
      this.recent.push(entry);
      if (this.recent.length > MAX_RECENT) this.recent.shift();
      this.options.log?.(entry);
      this.emit('fetch', entry);
    };
    try {
      this.options.onRequest?.({ ip, userAgent, path: rawPath.slice(0, 300), at });
    } catch {
      // discovery must never break serving
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { Allow: 'GET', 'Content-Length': 0 }).end();
      finish(405, null, 0);
      return;
    }
    const asked = this.fileOf(rawPath);
    if (asked === null) {
      res.writeHead(404, { 'Content-Length': 0 }).end();
      finish(404, null, 0);
      return;
    }
    const { folder, name } = asked;
    const served =
      this.files.has(keyOf(folder, name)) || !CFG_MAC.test(name)
        ? keyOf(folder, name)
        : keyOf(folder, name.slice(0, 12).toUpperCase() + '.cfg');
    const published = this.files.get(served);
    if (published) {
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': published.bytes.length,
        'Cache-Control': 'no-store',
      });
      res.end(published.bytes);
      finish(200, served, published.bytes.length);
      return;
    }
    const image = await this.firmwareImage(folder, name);
    if (image) {
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': image.size,
        'Cache-Control': 'no-store',
      });
      const stream = createReadStream(image.path);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      await new Promise<void>((resolve) => res.on('close', () => resolve()));
      finish(200, keyOf(folder, name), image.size);
      return;
    }
    res.writeHead(404, { 'Content-Length': 0 }).end();
    finish(404, keyOf(folder, name), 0);
  }

  /** The file a request path asks for under the prefix (in a sub-folder or not), or null for anything else. */
  private fileOf(rawPath: string): { folder: string; name: string } | null {
    if (rawPath.length > 512) return null;
    const path = rawPath.split('?')[0]!;
    if (path.includes('%') || path.includes('\\') || path.includes('\0')) return null;
    const parts = path.split('/').filter((p) => p !== '');
    const prefixParts = this.prefix === '' ? [] : this.prefix.split('/');
    const rest = parts.length - prefixParts.length;
    if (rest < 1 || rest > MAX_FOLDER_PARTS + 1) return null;
    if (prefixParts.some((p, i) => p !== parts[i])) return null;
    const own = parts.slice(prefixParts.length);
    // no hidden names, so no `.` or `..` either
    if (own.some((p) => !PATH_PART.test(p))) return null;
    return { folder: own.slice(0, -1).join('/'), name: own.at(-1)! };
  }
}

function printable(text: string): string {
  return text
    .slice(0, 300)
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
