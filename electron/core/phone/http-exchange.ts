// One HTTP/1.1 request to a phone's web server on a fresh TCP/TLS connection.
// Written by hand rather than with node:http because the phones need the whole request
// (headers and body) in one write: "the 6739i hangs unless POST headers and body arrive in one
// TCP segment" (phone-facts §3 "Scraping quirks", ELX). Bounded: one overall deadline (a server that
// trickles bytes cannot hold us), header and body size caps, no connection reuse.

import { Buffer } from 'node:buffer';
import net from 'node:net';
import tls from 'node:tls';
import { PhoneError } from './phone-error';

export type Scheme = 'http' | 'https';

export interface HttpExchangeRequest {
  host: string;
  port: number;
  scheme: Scheme;
  method: 'GET' | 'POST';
  path: string;
  /**
   * Extra headers; Host, Connection and Content-Length are set here. Built after connecting so they can name the local
   * address.
   */
  headers?: (localAddress: string) => readonly (readonly [string, string])[];
  body?: string;
  timeoutMs: number;
  maxBodyBytes: number;
  /** 'truncate': stop reading at the cap and return what arrived; 'fail': throw too-large. */
  onOversize: 'truncate' | 'fail';
  localAddress?: string;
  /** Aborting destroys the connection and rejects with code 'cancelled'. */
  signal?: AbortSignal;
}

export interface HttpExchangeResponse {
  status: number;
  reason: string;
  /** Lowercased names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: Buffer;
  truncated: boolean;
  /** SHA-256 fingerprint of the server certificate (https only). */
  certFingerprint256: string | null;
}

const MAX_HEADER_BYTES = 16 * 1024;

function hostHeader(host: string, port: number, scheme: Scheme): string {
  const name = net.isIPv6(host) ? `[${host}]` : host;
  return (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443) ? name : `${name}:${port}`;
}

function assertHeaderSafe(text: string): void {
  if (/[\r\n\0]/.test(text)) throw new Error('HTTP header contains a line break');
}

export function buildHttpRequest(req: HttpExchangeRequest, localAddress: string): Buffer {
  if (!/^\/[\x21-\x7e]*$/.test(req.path)) throw new Error(`invalid HTTP path ${JSON.stringify(req.path)}`);
  const body = req.body ?? '';
  const lines = [
    `${req.method} ${req.path} HTTP/1.1`,
    `Host: ${hostHeader(req.host, req.port, req.scheme)}`,
    'Connection: close',
    'Accept-Encoding: identity',
  ];
  for (const [name, value] of req.headers?.(localAddress) ?? []) {
    assertHeaderSafe(name);
    assertHeaderSafe(value);
    lines.push(`${name}: ${value}`);
  }
  if (req.method === 'POST' || body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

type BodyMode = { kind: 'none' } | { kind: 'length'; remaining: number } | { kind: 'close' } | { kind: 'chunked' };

/** Incremental chunked-transfer decoder (RFC 9112 §7.1). */
class ChunkedDecoder {
  #pending: Buffer = Buffer.alloc(0);
  #remaining = -1; // -1: expecting a size line; >0: data bytes left; 0: expecting CRLF after data
  done = false;
  error: string | null = null;

  push(data: Buffer, out: (chunk: Buffer) => void): void {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, data]) : data;
    while (!this.done && !this.error) {
      if (this.#remaining === -1) {
        const eol = this.#pending.indexOf('\r\n');
        if (eol === -1) {
          if (this.#pending.length > 1024) this.error = 'chunk size line too long';
          return;
        }
        const sizeText = this.#pending.subarray(0, eol).toString('latin1').split(';')[0]!.trim();
        if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) {
          this.error = 'invalid chunk size';
          return;
        }
        this.#pending = this.#pending.subarray(eol + 2);
        const size = parseInt(sizeText, 16);
        if (size === 0) {
          this.done = true; // trailers are ignored
          return;
        }
        this.#remaining = size;
      } else if (this.#remaining > 0) {
        if (this.#pending.length === 0) return;
        const take = Math.min(this.#remaining, this.#pending.length);
        out(this.#pending.subarray(0, take));
        this.#pending = this.#pending.subarray(take);
        this.#remaining -= take;
      } else {
        if (this.#pending.length < 2) return;
        this.#pending = this.#pending.subarray(2);
        this.#remaining = -1;
      }
    }
  }
}

function connectError(host: string, port: number, err: NodeJS.ErrnoException): PhoneError {
  switch (err.code) {
    case 'ECONNREFUSED':
      return new PhoneError(
        'unreachable',
        host,
        `Nothing answers on ${host} port ${port} (connection refused). Check the address, the port, and that the phone's web server is enabled.`,
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return new PhoneError(
        'unreachable',
        host,
        `${host} cannot be reached from this laptop (${err.code}). Check the cable, VLAN and IP address.`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new PhoneError('unreachable', host, `The name ${host} could not be resolved. Use the phone's IP address.`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new PhoneError('closed-without-answer', host, `${host}:${port} closed the connection without an answer.`);
    default:
      return new PhoneError('unreachable', host, `Could not talk to ${host}:${port}: ${err.code ?? err.message}.`);
  }
}

let sharedTlsContext: tls.SecureContext | null = null;

/**
 * One TLS context for every phone connection: building it per connection cost about 1 ms of CPU each (measured on a
 * 500-phone sweep). Older phone firmware may only speak old TLS versions.
 */
function phoneTlsContext(): tls.SecureContext {
  sharedTlsContext ??= tls.createSecureContext({ minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
  return sharedTlsContext;
}

/** Performs one request. Rejects with PhoneError only. */
export function httpExchange(req: HttpExchangeRequest): Promise<HttpExchangeResponse> {
  const { host, port, signal } = req;
  if (signal?.aborted)
    return Promise.reject(new PhoneError('cancelled', host, `The request to ${host}:${port} was cancelled.`));
  return new Promise((resolve, reject) => {
    let settled = false;
    let requestSent = false;
    let head: Buffer = Buffer.alloc(0);
    let parsed: { status: number; reason: string; headers: Record<string, string>; mode: BodyMode } | null = null;
    const bodyChunks: Buffer[] = [];
    let bodyBytes = 0;
    let truncated = false;
    let certFingerprint256: string | null = null;
    const chunked = new ChunkedDecoder();

    const socket: net.Socket =
      req.scheme === 'https'
        ? tls.connect({
            socket: net.connect({ host, port, localAddress: req.localAddress }),
            // Phones carry self-signed certificates; identity is recorded via the fingerprint instead.
            rejectUnauthorized: false,
            servername: net.isIP(host) ? undefined : host,
            secureContext: phoneTlsContext(),
          })
        : net.connect({ host, port, localAddress: req.localAddress });

    const finish = (error: PhoneError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) return reject(error);
      if (!parsed)
        return reject(
          new PhoneError(
            'closed-without-answer',
            host,
            `${host}:${port} closed the connection without an HTTP answer.`,
          ),
        );
      resolve({
        status: parsed.status,
        reason: parsed.reason,
        headers: parsed.headers,
        body: Buffer.concat(bodyChunks),
        truncated,
        certFingerprint256,
      });
    };

    const deadline = setTimeout(() => {
      finish(
        new PhoneError(
          'timeout',
          host,
          `${host}:${port} did not answer within ${req.timeoutMs} ms${parsed ? ' (it started answering but never finished)' : ''}. Check that the phone is powered and reachable.`,
        ),
      );
    }, req.timeoutMs);
    const onAbort = (): void =>
      finish(new PhoneError('cancelled', host, `The request to ${host}:${port} was cancelled.`));
    signal?.addEventListener('abort', onAbort, { once: true });

    const addBody = (chunk: Buffer): void => {
      if (truncated) return;
      const room = req.maxBodyBytes - bodyBytes;
      if (chunk.length > room) {
        if (req.onOversize === 'fail') {
          finish(
            new PhoneError(
              'too-large',
              host,
              `${host}:${port} sent more than ${req.maxBodyBytes} bytes; this does not look like a phone page.`,
            ),
          );
          return;
        }
        bodyChunks.push(chunk.subarray(0, room));
        bodyBytes += room;
        truncated = true;
        finish(null);
        return;
      }
      bodyChunks.push(chunk);
      bodyBytes += chunk.length;
    };

    const onBodyData = (data: Buffer): void => {
      const mode = parsed!.mode;
      if (mode.kind === 'chunked') {
        chunked.push(data, addBody);
        if (chunked.error)
          finish(
            new PhoneError('protocol', host, `${host}:${port} sent a malformed chunked answer (${chunked.error}).`),
          );
        else if (chunked.done) finish(null);
      } else if (mode.kind === 'length') {
        const take = data.subarray(0, mode.remaining);
        mode.remaining -= take.length;
        addBody(take);
        if (mode.remaining === 0) finish(null);
      } else if (mode.kind === 'close') {
        addBody(data);
      }
    };

    const onHeadData = (data: Buffer): void => {
      head = head.length ? Buffer.concat([head, data]) : data;
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > MAX_HEADER_BYTES)
          finish(
            new PhoneError(
              'protocol',
              host,
              `${host}:${port} sent over ${MAX_HEADER_BYTES} bytes of HTTP headers; this does not look like a phone.`,
            ),
          );
        return;
      }
      if (end > MAX_HEADER_BYTES)
        return finish(
          new PhoneError(
            'protocol',
            host,
            `${host}:${port} sent over ${MAX_HEADER_BYTES} bytes of HTTP headers; this does not look like a phone.`,
          ),
        );
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]!);
      if (!status) return finish(new PhoneError('not-a-phone', host, `${host}:${port} does not speak HTTP.`));
      const headers: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
      }
      const code = Number(status[1]);
      let mode: BodyMode;
      if (code === 204 || code === 304 || code < 200) mode = { kind: 'none' };
      else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) mode = { kind: 'chunked' };
      else if (headers['content-length'] !== undefined) {
        if (!/^\d{1,12}$/.test(headers['content-length']))
          return finish(new PhoneError('protocol', host, `${host}:${port} sent an invalid Content-Length.`));
        mode = { kind: 'length', remaining: Number(headers['content-length']) };
      } else mode = { kind: 'close' };
      parsed = { status: code, reason: status[2] ?? '', headers, mode };
      const rest = head.subarray(end + 4);
      head = Buffer.alloc(0);
      if (mode.kind === 'none' || (mode.kind === 'length' && mode.remaining === 0)) return finish(null);
      if (rest.length) onBodyData(rest);
    };

    socket.on(req.scheme === 'https' ? 'secureConnect' : 'connect', () => {
      if (socket instanceof tls.TLSSocket) certFingerprint256 = socket.getPeerX509Certificate()?.fingerprint256 ?? null;
      let payload: Buffer;
      try {
        payload = buildHttpRequest(req, socket.localAddress ?? '');
      } catch (err) {
        return finish(new PhoneError('bad-input', host, (err as Error).message));
      }
      socket.write(payload); // one write: headers and body together
      requestSent = true;
    });
    socket.on('data', (data: Buffer) => {
      if (settled) return;
      if (parsed) onBodyData(data);
      else onHeadData(data);
    });
    socket.on('end', () => {
      if (parsed?.mode.kind === 'close') return finish(null);
      if (parsed)
        return finish(
          new PhoneError('protocol', host, `${host}:${port} closed the connection in the middle of its answer.`),
        );
      finish(
        new PhoneError(
          'closed-without-answer',
          host,
          `${host}:${port} closed the connection ${requestSent ? 'after our request' : 'before our request'} without an HTTP answer.`,
        ),
      );
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (parsed?.mode.kind === 'close' && err.code === 'ECONNRESET') return finish(null);
      finish(
        req.scheme === 'https' && !err.code?.startsWith('E')
          ? new PhoneError('protocol', host, `TLS with ${host}:${port} failed: ${err.message}`)
          : connectError(host, port, err),
      );
    });
  });
}
