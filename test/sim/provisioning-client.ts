// How a simulated phone downloads files from its configuration server: plain HTTP(S) GET with the phone's
// User-Agent (phone-facts §3 "Passive version source"), bounded size and time.
import http from 'node:http';
import https from 'node:https';
import { judgeServer, type HttpsPolicy } from './trust';
import type { TLSSocket } from 'node:tls';

export type FetchResult =
  | { status: 'ok'; body: Buffer; url: string }
  | { status: 'missing'; code: number; url: string }
  | { status: 'error'; error: string; url: string };

export interface FetchOptions {
  userAgent: string;
  localAddress?: string;
  timeoutMs: number;
  maxBytes: number;
  /** How the phone checks an HTTPS server's certificate (trust.ts); absent: not checked. */
  https?: HttpsPolicy;
}

export function fetchFile(url: string, opts: FetchOptions): Promise<FetchResult> {
  return new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      resolve({ status: 'error', error: `bad URL ${url}`, url });
      return;
    }
    const lib = parsed.protocol === 'https:' ? https : http;
    const req = lib.get(
      parsed,
      {
        headers: { 'User-Agent': opts.userAgent, Connection: 'close' },
        localAddress: opts.localAddress,
        // checked below against the phone's own trust store (trust.ts), not Node's
        rejectUnauthorized: false,
        ...(opts.https?.validate ? { ca: opts.https.ca } : {}),
        agent: false,
      },
      (res) => {
        const refused =
          parsed.protocol === 'https:' && opts.https
            ? judgeServer(res.socket as TLSSocket, parsed.hostname.replace(/^\[|\]$/g, ''), opts.https)
            : undefined;
        if (refused) {
          res.resume();
          resolve({ status: 'error', error: refused, url });
          return;
        }
        const code = res.statusCode ?? 0;
        if (code !== 200) {
          res.resume();
          resolve({ status: 'missing', code, url });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > opts.maxBytes) {
            req.destroy();
            resolve({ status: 'error', error: `file larger than ${opts.maxBytes} bytes`, url });
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: 'ok', body: Buffer.concat(chunks), url }));
        res.on('error', (e) => resolve({ status: 'error', error: e.message, url }));
      },
    );
    req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`timeout after ${opts.timeoutMs} ms`)));
    req.on('error', (e) => resolve({ status: 'error', error: e.message, url }));
  });
}

/** `http path` may be empty, `Aastra`, `/Aastra/`: the file always lands under it. */
export function fileUrl(
  protocol: 'http' | 'https',
  server: string,
  port: string | undefined,
  path: string | undefined,
  file: string,
): string {
  const dir = (path ?? '').replace(/^\/+|\/+$/g, '');
  const host = server.includes(':') && !server.startsWith('[') && /^[0-9a-f:]+$/i.test(server) ? `[${server}]` : server;
  const portPart = port && port !== '' ? `:${port}` : '';
  return `${protocol}://${host}${portPart}/${dir === '' ? '' : dir + '/'}${file}`;
}
