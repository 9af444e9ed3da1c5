// Minimal, bounded SIP message parsing and response building for the simulator.
// Written independently of electron/core/phone so each can catch the other's mistakes.

export const MAX_SIP_MESSAGE_BYTES = 16 * 1024;

export interface SipRequest {
  method: string;
  uri: string;
  /** Header lines in order, names normalised to their long lowercase form. */
  headers: Array<{ name: string; value: string }>;
  body: string;
}

const COMPACT_NAMES: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  o: 'event',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
};

const REQUEST_LINE = /^([A-Za-z]{1,32}) (\S{1,1024}) SIP\/2\.0$/;
const REQUIRED_HEADERS = ['via', 'from', 'to', 'call-id', 'cseq'];

/** Parses one SIP request. Returns null for responses, garbage or anything a UA would drop. */
export function parseSipRequest(raw: Buffer | string): SipRequest | null {
  const text = typeof raw === 'string' ? raw : raw.subarray(0, MAX_SIP_MESSAGE_BYTES).toString('utf8');
  if (text.length > MAX_SIP_MESSAGE_BYTES) return null;
  const headerEnd = text.indexOf('\r\n\r\n');
  const head = headerEnd >= 0 ? text.slice(0, headerEnd) : text.replace(/\r\n$/, '');
  const lines = head.split('\r\n');
  const start = REQUEST_LINE.exec(lines[0] ?? '');
  if (!start) return null;
  const headers: SipRequest['headers'] = [];
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1]!;
      last.value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const rawName = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT_NAMES[rawName] ?? rawName;
    const value = line.slice(colon + 1).trim();
    // Via may carry several comma-separated hops in one line.
    if (name === 'via') for (const hop of value.split(/,(?=\s*SIP\/)/i)) headers.push({ name, value: hop.trim() });
    else headers.push({ name, value });
  }
  if (REQUIRED_HEADERS.some((h) => !headers.some((x) => x.name === h))) return null;
  const cseq = header({ headers } as SipRequest, 'cseq') ?? '';
  if (!/^\d{1,10}\s+[A-Za-z]+$/.test(cseq)) return null;
  const body = headerEnd >= 0 ? text.slice(headerEnd + 4) : '';
  return { method: start[1]!.toUpperCase(), uri: start[2]!, headers, body };
}

export function header(req: SipRequest, name: string): string | undefined {
  return req.headers.find((h) => h.name === name)?.value;
}

/** Returns true if a complete message (headers + Content-Length body) is at the start of buf; used for TCP framing. */
export function sipFrameLength(buf: string): number | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const len = /\r\n(?:content-length|l)\s*:\s*(\d+)/i.exec(buf.slice(0, end + 2));
  const bodyLength = len ? Number(len[1]) : 0;
  const total = end + 4 + bodyLength;
  return buf.length >= total ? total : null;
}

export interface ViaHop {
  transport: string;
  host: string;
  port: number | null;
  params: Map<string, string | null>;
}

export function parseVia(value: string): ViaHop | null {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^;\s]+)(.*)$/i.exec(value);
  if (!m) return null;
  const sentBy = m[2]!;
  const hp = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(sentBy);
  if (!hp) return null;
  const params = new Map<string, string | null>();
  for (const part of m[3]!.split(';').slice(1)) {
    const eq = part.indexOf('=');
    if (eq < 0) params.set(part.trim().toLowerCase(), null);
    else params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return { transport: m[1]!.toUpperCase(), host: hp[1]!, port: hp[2] ? Number(hp[2]) : null, params };
}

function formatVia(hop: ViaHop): string {
  const sentBy = hop.port === null ? hop.host : `${hop.host}:${hop.port}`;
  const params = [...hop.params].map(([k, v]) => (v === null ? `;${k}` : `;${k}=${v}`)).join('');
  return `SIP/2.0/${hop.transport} ${sentBy}${params}`;
}

export interface ResponseRoute {
  host: string;
  port: number;
}

/**
 * Where a UDP response goes (RFC 3261 18.2.2 + RFC 3581): to the source address; to the source port when
 * the top Via asked for rport, else to the sent-by port (default 5060).
 */
export function responseRoute(req: SipRequest, source: ResponseRoute): ResponseRoute {
  const top = parseVia(header(req, 'via') ?? '');
  if (!top) return source;
  if (top.params.has('rport')) return source;
  return { host: source.host, port: top.port ?? 5060 };
}

export interface ResponseOptions {
  status: number;
  reason: string;
  source: ResponseRoute;
  toTag: string;
  extraHeaders: Array<[string, string]>;
}

export function buildSipResponse(req: SipRequest, opts: ResponseOptions): string {
  const lines = [`SIP/2.0 ${opts.status} ${opts.reason}`];
  let first = true;
  for (const h of req.headers) {
    if (h.name !== 'via') continue;
    const hop = parseVia(h.value);
    if (first && hop) {
      if (hop.host !== opts.source.host) hop.params.set('received', opts.source.host);
      if (hop.params.has('rport')) {
        hop.params.set('rport', String(opts.source.port));
        hop.params.set('received', opts.source.host);
      }
      lines.push(`Via: ${formatVia(hop)}`);
    } else {
      lines.push(`Via: ${h.value}`);
    }
    first = false;
  }
  lines.push(`From: ${header(req, 'from')}`);
  const to = header(req, 'to') ?? '';
  lines.push(`To: ${/;\s*tag=/i.test(to) || opts.status === 100 ? to : `${to};tag=${opts.toTag}`}`);
  lines.push(`Call-ID: ${header(req, 'call-id')}`);
  lines.push(`CSeq: ${header(req, 'cseq')}`);
  for (const [name, value] of opts.extraHeaders) lines.push(`${name}: ${value}`);
  lines.push('Content-Length: 0');
  return lines.join('\r\n') + '\r\n\r\n';
}
