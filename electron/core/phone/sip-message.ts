// SIP message text (RFC 3261 §7): build requests/responses and parse what comes off the wire.
// Parsing is bounded (size and header-count caps) and never throws: garbage gives an error result.

import { Buffer } from 'node:buffer';

export const MAX_SIP_MESSAGE_BYTES = 32 * 1024;
export const MAX_SIP_HEADERS = 128;

export interface SipHeader {
  /** Long form with conventional capitalisation when known (`Call-ID`, `CSeq`), else as received. */
  name: string;
  value: string;
}

interface SipMessageBase {
  headers: SipHeader[];
  body: string;
}

export interface SipRequest extends SipMessageBase {
  kind: 'request';
  method: string;
  uri: string;
}

export interface SipResponse extends SipMessageBase {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

export type SipParseResult = { ok: true; message: SipMessage } | { ok: false; error: string };

// RFC 3261 §7.3.3 and later RFCs' compact forms.
const COMPACT: Record<string, string> = {
  i: 'Call-ID',
  m: 'Contact',
  e: 'Content-Encoding',
  l: 'Content-Length',
  c: 'Content-Type',
  f: 'From',
  s: 'Subject',
  k: 'Supported',
  t: 'To',
  v: 'Via',
  o: 'Event',
  u: 'Allow-Events',
  r: 'Refer-To',
  b: 'Referred-By',
  x: 'Session-Expires',
  a: 'Accept-Contact',
  j: 'Reject-Contact',
  d: 'Request-Disposition',
  y: 'Identity',
  n: 'Identity-Info',
};

const CANONICAL = new Map(
  [
    'Via',
    'From',
    'To',
    'Call-ID',
    'CSeq',
    'Contact',
    'Max-Forwards',
    'Content-Length',
    'Content-Type',
    'Content-Encoding',
    'Server',
    'User-Agent',
    'Allow',
    'Accept',
    'Accept-Encoding',
    'Accept-Language',
    'Supported',
    'Event',
    'Subscription-State',
    'Allow-Events',
    'WWW-Authenticate',
    'Proxy-Authenticate',
    'Authorization',
    'Record-Route',
    'Route',
    'Expires',
    'Subject',
    'Refer-To',
    'Referred-By',
    'Session-Expires',
  ].map((n) => [n.toLowerCase(), n]),
);

export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? CANONICAL.get(lower) ?? name;
}

const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;

function fail(error: string): SipParseResult {
  return { ok: false, error };
}

/** Parses one SIP message (one UDP datagram, or one framed TCP message). Never throws. */
export function parseSipMessage(input: string | Uint8Array): SipParseResult {
  const bytes =
    typeof input === 'string'
      ? Buffer.from(input, 'utf8')
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length > MAX_SIP_MESSAGE_BYTES)
    return fail(`message is ${bytes.length} bytes, over the ${MAX_SIP_MESSAGE_BYTES}-byte limit`);
  if (bytes.length === 0) return fail('empty message');

  let headEnd = bytes.indexOf('\r\n\r\n');
  let sepLength = 4;
  if (headEnd === -1) {
    headEnd = bytes.indexOf('\n\n');
    sepLength = 2;
  }
  const head = (headEnd === -1 ? bytes : bytes.subarray(0, headEnd)).toString('utf8');
  const bodyBytes = headEnd === -1 ? Buffer.alloc(0) : bytes.subarray(headEnd + sepLength);

  const lines = head.split(/\r?\n/);
  const startLine = lines[0]!.trim();
  const headers: SipHeader[] = [];
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line === '') continue;
    if (line[0] === ' ' || line[0] === '\t') {
      const last = headers[headers.length - 1];
      if (!last) return fail('continuation line before any header');
      last.value = `${last.value} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return fail(`malformed header line ${k + 1}`);
    const rawName = line.slice(0, colon).trim();
    if (!TOKEN.test(rawName)) return fail(`invalid header name on line ${k + 1}`);
    if (headers.length >= MAX_SIP_HEADERS) return fail(`more than ${MAX_SIP_HEADERS} headers`);
    headers.push({ name: canonicalHeaderName(rawName), value: line.slice(colon + 1).trim() });
  }

  let body = bodyBytes;
  const lengthHeader = headers.find((h) => h.name === 'Content-Length');
  if (lengthHeader) {
    if (!/^\d{1,9}$/.test(lengthHeader.value)) return fail('invalid Content-Length');
    const length = Number(lengthHeader.value);
    if (length > bodyBytes.length)
      return fail(`Content-Length ${length} is larger than the ${bodyBytes.length}-byte body`);
    body = bodyBytes.subarray(0, length);
  }
  const bodyText = body.toString('utf8');

  const status = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/i.exec(startLine);
  if (status) {
    return {
      ok: true,
      message: { kind: 'response', status: Number(status[1]), reason: status[2] ?? '', headers, body: bodyText },
    };
  }
  const request = /^(\S+) (\S+) SIP\/2\.0$/i.exec(startLine);
  if (request && TOKEN.test(request[1]!)) {
    return { ok: true, message: { kind: 'request', method: request[1]!, uri: request[2]!, headers, body: bodyText } };
  }
  return fail('first line is neither a SIP request line nor a SIP status line');
}

export function getHeader(message: SipMessageBase, name: string): string | undefined {
  const wanted = canonicalHeaderName(name).toLowerCase();
  return message.headers.find((h) => h.name.toLowerCase() === wanted)?.value;
}

export function getHeaders(message: SipMessageBase, name: string): string[] {
  const wanted = canonicalHeaderName(name).toLowerCase();
  return message.headers.filter((h) => h.name.toLowerCase() === wanted).map((h) => h.value);
}

/** First Via of a header value that may list several (`Via: a, b`). */
export function topVia(message: SipMessageBase): string | undefined {
  const first = getHeader(message, 'Via');
  return first?.split(',')[0]?.trim();
}

/** Value of a `;name=value` parameter in a header value (e.g. `branch` in Via, `tag` in From/To). */
export function headerParam(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  const wanted = name.toLowerCase();
  for (const part of value.split(';').slice(1)) {
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (key === wanted)
      return eq === -1
        ? ''
        : part
            .slice(eq + 1)
            .trim()
            .replace(/^"|"$/g, '');
  }
  return undefined;
}

export function parseCSeq(value: string | undefined): { seq: number; method: string } | undefined {
  const m = value ? /^(\d{1,10})\s+(\S+)$/.exec(value.trim()) : null;
  return m ? { seq: Number(m[1]), method: m[2]! } : undefined;
}

function assertSafe(what: string, text: string): void {
  if (/[\r\n\0]/.test(text))
    throw new Error(`SIP ${what} contains a line break or NUL: ${JSON.stringify(text.slice(0, 80))}`);
}

function serialise(startLine: string, headers: readonly (readonly [string, string])[], body: string): string {
  assertSafe('start line', startLine);
  const lines = [startLine];
  for (const [name, value] of headers) {
    if (!TOKEN.test(name)) throw new Error(`invalid SIP header name ${JSON.stringify(name)}`);
    if (canonicalHeaderName(name) === 'Content-Length') continue;
    assertSafe(`header ${name}`, value);
    lines.push(`${name}: ${value}`);
  }
  lines.push(`Content-Length: ${Buffer.byteLength(body, 'utf8')}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Builds a request. Content-Length is always computed from the body (bytes). */
export function buildSipRequest(
  method: string,
  uri: string,
  headers: readonly (readonly [string, string])[],
  body = '',
): string {
  if (!TOKEN.test(method)) throw new Error(`invalid SIP method ${JSON.stringify(method)}`);
  return serialise(`${method} ${uri} SIP/2.0`, headers, body);
}

export function buildSipResponse(
  status: number,
  reason: string,
  headers: readonly (readonly [string, string])[],
  body = '',
): string {
  if (!Number.isInteger(status) || status < 100 || status > 699) throw new Error(`invalid SIP status ${status}`);
  return serialise(`SIP/2.0 ${status} ${reason}`, headers, body);
}
