// What the scan form checks in the browser before the core does: ranges typed with spaces around the dash,
// public addresses (not the customer's LAN), how long a large scan takes, and the port lists.
import { count, formatDuration } from '../../lib/format';

/** "127.77.0.1 - 127.77.0.24" is one range: the spaces around the dash go. */
export function normaliseRanges(text: string): string {
  return text.replace(/(\d)[ \t]*[-–][ \t]*(\d)/g, '$1-$2');
}

const IPV4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;

/** Private, loopback, link-local, shared and test networks: where a customer's phones can be. */
function isLocal([a, b]: number[]): boolean {
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 192 && b === 0) ||
    (a === 198 && b === 51) ||
    (a === 203 && b === 0)
  );
}

/** Public internet addresses in what was typed (never a customer's phone network). */
export function publicAddresses(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(IPV4)) {
    const parts = m.slice(1, 5).map(Number);
    if (parts.some((p) => p > 255)) continue;
    if (!isLocal(parts)) out.add(m[0]);
  }
  return [...out];
}

/** Addresses a scan gets through per second on a typical laptop (measured: a /16 in under 3 minutes). */
export const ADDRESSES_PER_SECOND = 400;
/** Scans above this size get a time estimate. */
export const ESTIMATE_FROM = 1024;

export function scanEstimate(total: number): string | null {
  if (total < ESTIMATE_FROM) return null;
  return `A scan of ${count(total, 'address', 'addresses')} takes about ${formatDuration(Math.max(2, total / ADDRESSES_PER_SECOND) * 1000)}.`;
}

export function publicWarning(text: string): string | null {
  const found = publicAddresses(text);
  if (found.length === 0) return null;
  const list = found.slice(0, 3).join(', ') + (found.length > 3 ? ', …' : '');
  return `${list} ${found.length === 1 ? 'is a public internet address' : 'are public internet addresses'}, not a customer's phone network. Scan only networks you are allowed to scan.`;
}

export function parsePorts(label: string, text: string): { ports: number[]; error: string | null } {
  const items = text.split(/[\s,;]+/).filter(Boolean);
  const bad = items.find((p) => !/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535);
  if (bad) return { ports: [], error: `${label}: "${bad}" is not a port number (1–65535).` };
  if (items.length > 64) return { ports: [], error: `${label}: at most 64 ports.` };
  return { ports: [...new Set(items.map(Number))], error: null };
}

/** The answer timeout field: seconds, 0.2–30. */
export function parseTimeout(text: string): { ms: number | null; error: string | null } {
  const t = text.trim().replace(',', '.');
  if (t === '') return { ms: null, error: null };
  const s = Number(t);
  if (!Number.isFinite(s) || s < 0.2 || s > 30)
    return { ms: null, error: 'Answer timeout: give seconds between 0.2 and 30, e.g. 3.' };
  return { ms: Math.round(s * 1000), error: null };
}
