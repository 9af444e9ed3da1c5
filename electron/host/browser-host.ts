// Serves the built renderer and the API contract on loopback, for development and for the end-to-end
// tests in Chromium. Every request must carry the per-start token; Host and Origin are checked so a
// web page elsewhere (DNS rebinding, CSRF) can neither read nor call anything.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  HTTP_CALL_PREFIX,
  HTTP_UPLOAD_PREFIX,
  TOKEN_HEADER,
  WS_EVENTS_PATH,
  WS_TOKEN_PROTOCOL_PREFIX,
} from '../api/transport';
import { UploadError, UploadFolder } from './uploads';
import type { AddressInfo } from 'node:net';
import type { Dispatch } from '../api/dispatcher';
import type { EventBus } from '../app/event-bus';

export const SESSION_COOKIE = 'fk_session';
/** Large enough for a 5 MB CSV sheet import once JSON-escaped. */
const MAX_BODY_BYTES = 12 * 1024 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface BrowserHostOptions {
  dispatch: Dispatch;
  events: EventBus;
  /** Folder with the built renderer (index.html). */
  staticDir: string;
  port?: number;
  /** Only loopback addresses are accepted. */
  bindAddress?: string;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

export interface BrowserHost {
  readonly port: number;
  readonly token: string;
  /** The address to open: it carries the token once and is exchanged for a session cookie. */
  readonly url: string;
  close(): Promise<void>;
}

function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function isLoopbackAddress(address: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address === '::1';
}

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  if (!isLoopbackAddress(bindAddress)) {
    throw new Error(`The browser host only listens on loopback; ${bindAddress} is not a loopback address.`);
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  const staticRoot = resolve(options.staticDir);
  let port = 0;

  const allowedHosts = () => new Set([...LOOPBACK_HOSTS].map((h) => `${h}:${port}`).concat(`${bindAddress}:${port}`));
  const allowedOrigins = () => new Set([...allowedHosts()].map((h) => `http://${h}`));
  const csp = () =>
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${[...allowedHosts()].map((h) => `ws://${h}`).join(' ')}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');

  /** Returns a reason to refuse, or undefined when the request comes from our own page. */
  function refuseReason(req: IncomingMessage): string | undefined {
    if (!allowedHosts().has(req.headers.host ?? '')) return 'unexpected Host header';
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return 'cross-origin request';
    if (req.headers['sec-fetch-site'] === 'cross-site') return 'cross-site request';
    return undefined;
  }

  function send(
    res: ServerResponse,
    status: number,
    body: string | Buffer,
    type = 'text/plain; charset=utf-8',
    extra: Record<string, string> = {},
  ) {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-security-policy': csp(), ...extra });
    res.end(body);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new Error('body too large');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function serveCall(req: IncomingMessage, res: ServerResponse, name: string) {
    if (req.method !== 'POST') return send(res, 405, 'Use POST.');
    if (!sameSecret(req.headers[TOKEN_HEADER] as string | undefined, token))
      return send(res, 401, 'Missing or wrong token.');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'Send JSON.');
    let input: unknown;
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      send(res, 413, `The request is larger than ${MAX_BODY_BYTES} bytes.`, 'text/plain; charset=utf-8', {
        connection: 'close',
      });
      res.on('finish', () => req.destroy());
      return;
    }
    try {
      input = raw === '' ? {} : JSON.parse(raw);
    } catch (e) {
      return send(
        res,
        400,
        JSON.stringify({
          ok: false,
          error: { code: 'invalid-input', message: `The request body is not valid JSON (${(e as Error).message}).` },
        }),
        'application/json',
      );
    }
    const result = await options.dispatch(name, input);
    send(res, 200, JSON.stringify(result), 'application/json');
  }

  const uploads = new UploadFolder();
  async function serveUpload(req: IncomingMessage, res: ServerResponse, encodedName: string) {
    if (req.method !== 'POST') return send(res, 405, 'Use POST.');
    if (!sameSecret(req.headers[TOKEN_HEADER] as string | undefined, token))
      return send(res, 401, 'Missing or wrong token.');
    const answer = (status: number, result: unknown) => send(res, status, JSON.stringify(result), 'application/json');
    try {
      const path = await uploads.save(req, decodeURIComponent(encodedName));
      answer(200, { ok: true, value: { path } });
    } catch (e) {
      const status = e instanceof UploadError ? e.status : 400;
      const message = e instanceof UploadError ? e.message : 'The file name in the address is broken.';
      answer(status, { ok: false, error: { code: 'invalid-input', message } });
      if (status === 413) res.on('finish', () => req.destroy());
    }
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed.');
    let rel: string;
    try {
      rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    } catch {
      return send(res, 400, 'Bad request: the address has a broken % escape.');
    }
    const full = normalize(join(staticRoot, rel));
    if (!full.startsWith(staticRoot + sep)) return send(res, 404, 'Not found.');
    let body: Buffer;
    try {
      body = await readFile(full);
    } catch {
      return send(
        res,
        404,
        rel === 'index.html' ? 'The renderer is not built. Run "npm run build:renderer" first.' : 'Not found.',
      );
    }
    const ext = extname(full);
    if (rel === 'index.html') {
      const html = body
        .toString('utf8')
        .replace('<head>', `<head>\n    <meta name="fieldkit-token" content="${token}">`);
      return send(res, 200, html, CONTENT_TYPES['.html']);
    }
    send(res, 200, body, CONTENT_TYPES[ext] ?? 'application/octet-stream');
  }

  const server = createServer((req, res) => {
    const reason = refuseReason(req);
    if (reason) return send(res, 403, `Refused: ${reason}.`);
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (!sameSecret(offered, token))
        return send(res, 401, 'Wrong token. Use the address Fieldkit printed when it started.');
      return send(res, 303, '', 'text/plain', {
        location: '/',
        'set-cookie': `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    if (url.pathname.startsWith(HTTP_UPLOAD_PREFIX)) {
      return void serveUpload(req, res, url.pathname.slice(HTTP_UPLOAD_PREFIX.length)).catch(() =>
        send(res, 500, 'Internal error.'),
      );
    }
    if (url.pathname.startsWith(HTTP_CALL_PREFIX)) {
      return void serveCall(req, res, url.pathname.slice(HTTP_CALL_PREFIX.length)).catch(() =>
        send(res, 500, 'Internal error.'),
      );
    }
    if (!sameSecret(cookieValue(req, SESSION_COOKIE), token)) {
      return send(res, 401, 'Open Fieldkit with the address it printed when it started (it carries a one-time token).');
    }
    void serveStatic(req, res, url.pathname).catch(() => send(res, 500, 'Internal error.'));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    const offered = protocols
      .find((p) => p.startsWith(WS_TOKEN_PROTOCOL_PREFIX))
      ?.slice(WS_TOKEN_PROTOCOL_PREFIX.length);
    const reason = refuseReason(req) ?? (req.headers.origin === undefined ? 'missing Origin' : undefined);
    if (reason || url.pathname !== WS_EVENTS_PATH || !sameSecret(offered, token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', () => ws.close(1003, 'events only'));
    });
  });
  wss.on('headers', () => undefined);
  const unsubscribe = options.events.subscribe((name, payload) => {
    const frame = JSON.stringify({ name, payload });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindAddress, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://${bindAddress}:${port}/?token=${token}`,
    async close() {
      unsubscribe();
      await uploads.removeAll();
      for (const ws of clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((r) => server.close(() => r()));
      // close() waits for every connection to end; a browser keeps some open (keep-alive, a request in flight).
      server.closeAllConnections();
      await closed;
    },
  };
}
