// Helpers for the simulator's own tests: a tiny provisioning server and raw SIP/HTTP clients on loopback.
import dgram from 'node:dgram';
import http from 'node:http';
import https from 'node:https';
import { bindUdp, listenTcp } from './listen';
import type { AddressInfo } from 'node:net';

export interface ProvisioningServer {
  url: string;
  files: Map<string, string | Buffer>;
  requests: Array<{ path: string; userAgent: string; from: string }>;
  close(): Promise<void>;
}

/** Serves `files` (keys are paths under the root, e.g. `prov/startup.cfg`) and records every request. */
export async function startProvisioningServer(
  address = '127.0.0.1',
  opts: { tls?: { key: string; cert: string } } = {},
): Promise<ProvisioningServer> {
  const files = new Map<string, string | Buffer>();
  const requests: ProvisioningServer['requests'] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!.replace(/^\/+/, ''));
    requests.push({ path, userAgent: req.headers['user-agent'] ?? '', from: req.socket.remoteAddress ?? '' });
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(body);
  };
  const server = opts.tls ? https.createServer(opts.tls, handler) : http.createServer(handler);
  await listenTcp(server, 0, address);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${address}:${port}/prov/`,
    files,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SipRequestOptions {
  method: string;
  to: { host: string; port: number };
  from?: string;
  extraHeaders?: string[];
  viaRport?: boolean;
  tcp?: boolean;
  body?: string;
  timeoutMs?: number;
  raw?: string;
  /** Send from this local address (default 127.0.0.1). */
  localAddress?: string;
}

/** Sends one SIP request over UDP and resolves with the first response text, or null on timeout. */
export async function sendSip(opts: SipRequestOptions): Promise<string | null> {
  const sock = dgram.createSocket('udp4');
  await bindUdp(sock, 0, opts.localAddress ?? '127.0.0.1');
  const local = sock.address();
  const body = opts.body ?? '';
  const text =
    opts.raw ??
    [
      `${opts.method} sip:${opts.to.host}:${opts.to.port} SIP/2.0`,
      `Via: SIP/2.0/UDP ${local.address}:${local.port};branch=z9hG4bK${Math.random().toString(16).slice(2)}${opts.viaRport ? ';rport' : ''}`,
      `From: <sip:tester@${local.address}>;tag=abc123`,
      `To: <sip:${opts.to.host}>`,
      `Call-ID: ${Math.random().toString(16).slice(2)}@test`,
      `CSeq: 1 ${opts.method}`,
      'Max-Forwards: 70',
      ...(opts.extraHeaders ?? []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sock.close();
      resolve(null);
    }, opts.timeoutMs ?? 1000);
    sock.on('message', (msg) => {
      clearTimeout(timer);
      sock.close();
      resolve(msg.toString('utf8'));
    });
    sock.send(text, opts.to.port, opts.to.host);
  });
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function httpRequest(
  url: string,
  opts: {
    method?: string;
    auth?: string;
    body?: string;
    localAddress?: string;
    contentType?: string;
    timeoutMs?: number;
  } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.request(
      u,
      {
        method: opts.method ?? 'GET',
        agent: false,
        rejectUnauthorized: false,
        localAddress: opts.localAddress,
        headers: {
          ...(opts.auth ? { Authorization: `Basic ${Buffer.from(opts.auth).toString('base64')}` } : {}),
          ...(opts.body !== undefined
            ? {
                'Content-Type': opts.contentType ?? 'application/x-www-form-urlencoded',
                'Content-Length': Buffer.byteLength(opts.body),
              }
            : {}),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('latin1')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.setTimeout(opts.timeoutMs ?? 3000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

export function headerOf(response: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(response);
  return m?.[1]?.trim();
}
