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
//
// Access (issue 13 §2: one GET of startup.cfg used to give the site's admin password, and guessing MAC names
// harvested 300 SIP passwords in one second):
//   - with `pathKey`, files exist only under `<prefix>/<key>/`: phones take any http path, a guesser does
//     not know the key;
//   - a `<MAC>.cfg` (the only files with passwords) goes only to a request whose User-Agent names that MAC
//     and that `authorizeMacFile` accepts (the service checks the address the inventory holds for it);
//     anything else gets the same 404 as a missing file, and a `warning` event the UI shows;
//   - bursts of misses from one client are throttled (429) and reported (ServerGuard), each client holds
//     a bounded number of connections, the server as a whole `maxConnections`, and the header timeout is
//     enforced every second (Node checks only every 30 s by default);
//   - optionally every request needs HTTP digest credentials (http-digest.ts).
import { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createReadStream } from 'node:fs';
import { readFile, stat as statFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sha256Hex } from '../util/hash';
import { FieldkitError } from '../util/errors';
import { parseProvisioningUserAgent } from '../phone/banner';
import { macFileStem } from '../phone/mac';
import { ServerGuard, type GuardOptions, type ThrottleEvent } from './server-guard';
import { DigestAuth, FACTORY_DIGEST } from './http-digest';
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

export type ServerWarningKind = 'mac-file-refused' | 'throttled' | 'digest-failed' | 'connections';

/** Something the technician should see: a client asked for what it may not have, or flooded the server. */
export interface ServerWarning {
  at: string;
  ip: string;
  kind: ServerWarningKind;
  message: string;
}

/** Whether a client may have a phone's own file; `reason` says why not (for the warning, never sent). */
export type MacFileVerdict = { allowed: true } | { allowed: false; reason: string };

export interface DigestOptions {
  /** The password a phone's digest user name must answer with (undefined: unknown user). */
  passwordFor(user: string): Promise<{ password: string; mac: string } | undefined>;
  /** Accept the phones' factory default login (aastra/aastra) for the global files and a phone's own file. */
  factoryLogin: boolean;
}

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
  /** Random key: files are served only under `<pathPrefix>/<pathKey>/`. */
  pathKey?: string;
  /** Who may have a `<MAC>.cfg` (after the User-Agent check); default: anyone whose User-Agent names the MAC. */
  authorizeMacFile?: (request: { mac: string; ip: string; userAgent: string | undefined }) => Promise<MacFileVerdict>;
  /** Require HTTP digest credentials from every client. */
  digest?: DigestOptions;
  guard?: Partial<GuardOptions>;
  /** Connections at once, all clients together. */
  maxConnections?: number;
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
const MAX_WARNINGS = 200;
const DEFAULT_MAX_CONNECTIONS = 256;

export interface BuiltinServerEvents {
  fetch: [FetchEntry];
  warning: [ServerWarning];
}

export class BuiltinServer extends EventEmitter<BuiltinServerEvents> implements PublishTarget {
  /** Keyed by keyOf(folder, name). */
  private readonly files = new Map<string, ServedFile>();
  /** sha256 of firmware images served from disk, keyed by path, size and mtime (images are large). */
  private readonly firmwareHashes = new Map<string, string>();
  private readonly previous = new Map<string, ServedFile & { backupName: string }>();
  private readonly recent: FetchEntry[] = [];
  private readonly recentWarnings: ServerWarning[] = [];
  private server: Server | undefined;
  private boundPort: number | undefined;
  private readonly prefix: string;
  private readonly guard: ServerGuard;
  private readonly digestAuth = new DigestAuth();
  /** MACs that authenticated with their own digest credentials: the factory login no longer works for them. */
  private readonly ownDigest = new Set<string>();
  private refusedCount = 0;

  constructor(private readonly options: BuiltinServerOptions) {
    super();
    const prefix = (options.pathPrefix ?? '').replace(/^\/+|\/+$/g, '');
    if (prefix.split('/').some((p) => p === '..' || p === '.') || /[^A-Za-z0-9._/-]/.test(prefix)) {
      throw new FieldkitError(
        'invalid-input',
        `"${options.pathPrefix}" is not a usable path for the provisioning server: use letters, digits, dot, dash and slash, e.g. "prov".`,
      );
    }
    if (options.pathKey !== undefined && !/^[A-Za-z0-9]{16,64}$/.test(options.pathKey))
      throw new FieldkitError('invalid-input', 'The provisioning server key must be 16-64 letters and digits.');
    this.prefix = [prefix, options.pathKey ?? ''].filter(Boolean).join('/');
    this.guard = new ServerGuard(options.guard, (e) => this.onThrottle(e));
  }

  private onThrottle(e: ThrottleEvent): void {
    this.warn(
      e.ip,
      'throttled',
      `${e.ip} asked for ${e.misses} files it may not have or that do not exist within ${Math.round(e.windowMs / 1000)} s (the pattern of guessing phone file names); it gets nothing for ${Math.round(e.blockedForMs / 1000)} s. If it is not a phone, find out what it is.`,
    );
  }

  private warn(ip: string, kind: ServerWarningKind, message: string): void {
    const w: ServerWarning = { at: new Date().toISOString(), ip, kind, message };
    this.recentWarnings.push(w);
    if (this.recentWarnings.length > MAX_WARNINGS) this.recentWarnings.shift();
    this.emit('warning', w);
  }

  /** The newest warnings (at most 200), oldest first. */
  warnings(): ServerWarning[] {
    return [...this.recentWarnings];
  }

  /** Requests for files withheld from their client since the server object was made. */
  get refused(): number {
    return this.refusedCount;
  }

  /** Clients getting only 429 now. */
  throttledClients(): ReturnType<ServerGuard['throttled']> {
    return this.guard.throttled();
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
    // connectionsCheckingInterval: the header and request timeouts are checked every second, so a client
    // sending its headers slowly is cut at 10 s, not at Node's 30-second check (D13).
    const timing = { headersTimeout: 10_000, requestTimeout: 15_000, connectionsCheckingInterval: 1_000 };
    const server = this.options.tls
      ? createHttpsServer({ key: this.options.tls.key, cert: this.options.tls.cert, ...timing }, handler)
      : createHttpServer(timing, handler);
    server.keepAliveTimeout = 2_000;
    server.maxHeadersCount = 50;
    server.maxConnections = this.options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    // 'connection' is the TCP socket for HTTP and HTTPS alike (before any TLS work)
    server.on('connection', (socket) => {
      const ip = (socket.remoteAddress ?? '').replace(/^::ffff:/i, '');
      if (!this.guard.connectionOpened(ip)) {
        socket.destroy();
        return;
      }
      socket.once('close', () => this.guard.connectionClosed(ip));
    });
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
    const finish = (status: number, file: string | null, bytes: number, refused?: string) => {
      const entry: FetchEntry = {
        at,
        ip,
        method: req.method ?? '',
        path: printable(rawPath),
        file,
        status,
        bytes,
        userAgent: userAgent === undefined ? null : printable(userAgent),
        ...(refused ? { refused } : {}),
      };
      this.recent.push(entry);
      if (this.recent.length > MAX_RECENT) this.recent.shift();
      this.options.log?.(entry);
      this.emit('fetch', entry);
    };
    const verdict = this.guard.check(ip);
    if (!verdict.allowed) {
      res.writeHead(429, { 'Retry-After': String(verdict.retryAfterSeconds), 'Content-Length': 0 }).end();
      finish(429, null, 0, 'throttled');
      return;
    }
    const miss = (status: number, file: string | null, refused?: string) => {
      this.guard.miss(ip);
      res.writeHead(status, { 'Content-Length': 0 }).end();
      finish(status, file, 0, refused);
    };
    try {
      this.options.onRequest?.({ ip, userAgent, path: rawPath.slice(0, 300), at });
    } catch {
      // discovery must never break serving
    }
    if (req.method !== 'GET') {
      this.guard.miss(ip);
      res.writeHead(405, { Allow: 'GET', 'Content-Length': 0 }).end();
      finish(405, null, 0);
      return;
    }
    const asked = this.fileOf(rawPath);
    if (asked === null) return miss(404, null);
    const { folder, name } = asked;
    const macFile = CFG_MAC.test(name) ? macFileStem(name.slice(0, 12)) : null;
    const served =
      this.files.has(keyOf(folder, name)) || !macFile ? keyOf(folder, name) : keyOf(folder, `${macFile}.cfg`);
    if (this.options.digest) {
      const auth = await this.checkDigest(req, rawPath, macFile);
      if (auth !== 'ok') {
        if (auth === 'refused') {
          this.refusedCount++;
          return miss(404, served, 'digest');
        }
        this.guard.miss(ip);
        res
          .writeHead(401, { 'WWW-Authenticate': this.digestAuth.challenge(auth === 'stale'), 'Content-Length': 0 })
          .end();
        finish(401, served, 0, auth === 'missing' ? undefined : 'digest');
        return;
      }
    }
    if (macFile && this.files.has(served)) {
      const why = await this.macFileRefusal(macFile, ip, userAgent);
      if (why) {
        this.refusedCount++;
        this.warn(ip, 'mac-file-refused', `${served} was not given to ${ip}: ${why}.`);
        return miss(404, served, why);
      }
    }
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
    miss(404, keyOf(folder, name));
  }

  /** Why `ip` may not have phone `mac`'s file, or undefined when it may. */
  private async macFileRefusal(mac: string, ip: string, userAgent: string | undefined): Promise<string | undefined> {
    const ua = userAgent === undefined ? null : parseProvisioningUserAgent(userAgent);
    const uaMac = ua?.mac ? macFileStem(ua.mac) : null;
    if (uaMac !== mac)
      return uaMac
        ? `its User-Agent names phone ${uaMac}, not ${mac}`
        : "its User-Agent is not a Mitel phone's (a phone names its MAC there)";
    const verdict = await this.options
      .authorizeMacFile?.({ mac, ip, userAgent })
      .catch((e: unknown): MacFileVerdict => ({
        allowed: false,
        reason: `the check failed (${(e as Error).message})`,
      }));
    return verdict && !verdict.allowed ? verdict.reason : undefined;
  }

  /** 'ok', or why not: no credentials yet (challenge), a stale nonce, or refused credentials. */
  private async checkDigest(
    req: IncomingMessage,
    uri: string,
    macFile: string | null,
  ): Promise<'ok' | 'missing' | 'stale' | 'refused'> {
    const digest = this.options.digest!;
    const header = req.headers.authorization;
    const answer = this.digestAuth.parse(header, req.method ?? 'GET', uri);
    if (answer === undefined) return header ? 'refused' : 'missing';
    if ('stale' in answer) return 'stale';
    const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/i, '');
    if (answer.username === FACTORY_DIGEST.user) {
      // a factory-new phone: only to learn its own credentials, and only while the site allows it
      const uaHeader = req.headers['user-agent'];
      const ua = uaHeader === undefined ? null : parseProvisioningUserAgent(uaHeader);
      const uaMac = ua?.mac ? macFileStem(ua.mac) : null;
      const mayUse =
        digest.factoryLogin && uaMac !== null && !this.ownDigest.has(uaMac) && (macFile === null || macFile === uaMac);
      if (mayUse && this.digestAuth.verify(answer, FACTORY_DIGEST.password)) return 'ok';
      this.warn(
        ip,
        'digest-failed',
        `${ip} tried the factory digest login ${mayUse ? 'with a wrong password' : 'where it is not allowed'}.`,
      );
      return 'refused';
    }
    const known = await digest.passwordFor(answer.username).catch(() => undefined);
    if (known && (macFile === null || macFile === known.mac) && this.digestAuth.verify(answer, known.password)) {
      this.ownDigest.add(known.mac);
      return 'ok';
    }
    this.warn(
      ip,
      'digest-failed',
      `${ip} sent digest credentials that are not valid for ${macFile ? `${macFile}.cfg` : 'this server'}.`,
    );
    return 'refused';
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
