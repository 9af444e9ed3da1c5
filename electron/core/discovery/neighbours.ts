// The operating system's neighbour (ARP) table: IP -> MAC for hosts on the local segment, read without sending
// anything. Linux `ip -j neigh` (fallback `ip neigh` text), macOS/BSD and Windows `arp -a`.
import { execFile } from 'node:child_process';
import { isIPv4 } from 'node:net';
import { lookupOui, parseMac } from '../phone';
import type { CanonicalMac } from '../phone';
import type { Observation } from './observation';

export interface NeighbourEntry {
  ip: string;
  mac: CanonicalMac;
  interface: string | null;
  /** Kernel state where the OS says (`REACHABLE`, `STALE`, `dynamic` …), else null. */
  state: string | null;
}

export type NeighbourReader = () => Promise<NeighbourEntry[]>;

const MAX_TABLE_TEXT = 8 * 1024 * 1024;
const MAX_ENTRIES = 200_000;

/** Unicast, non-zero MACs only: broadcast and multicast entries (Windows lists them) say nothing about a device. */
function usableMac(text: string | undefined): CanonicalMac | null {
  const mac = text ? parseMac(text) : null;
  if (mac === null || mac === '00:00:00:00:00:00') return null;
  return (parseInt(mac.slice(0, 2), 16) & 1) === 0 ? mac : null;
}

function push(
  out: NeighbourEntry[],
  ip: string,
  macText: string | undefined,
  iface: string | null,
  state: string | null,
): void {
  const mac = usableMac(macText);
  if (mac !== null && isIPv4(ip) && out.length < MAX_ENTRIES) out.push({ ip, mac, interface: iface, state });
}

// Entries in these states have no confirmed link-layer address.
const DEAD_STATES = new Set(['FAILED', 'INCOMPLETE', 'NONE']);

/** `ip -j neigh` output. */
export function parseIpNeighJson(text: string): NeighbourEntry[] {
  if (text.length > MAX_TABLE_TEXT) return [];
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return [];
  }
  const out: NeighbourEntry[] = [];
  if (!Array.isArray(rows)) return out;
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const r = row as { dst?: unknown; dev?: unknown; lladdr?: unknown; state?: unknown };
    const states = Array.isArray(r.state) ? r.state.filter((s): s is string => typeof s === 'string') : [];
    if (states.some((s) => DEAD_STATES.has(s))) continue;
    if (typeof r.dst !== 'string' || typeof r.lladdr !== 'string') continue;
    push(out, r.dst, r.lladdr, typeof r.dev === 'string' ? r.dev : null, states.join(',') || null);
  }
  return out;
}

/** `ip neigh` text: `192.168.1.7 dev eth0 lladdr 00:08:5d:1a:2b:3c REACHABLE`. */
export function parseIpNeighText(text: string): NeighbourEntry[] {
  const out: NeighbourEntry[] = [];
  for (const line of text.slice(0, MAX_TABLE_TEXT).split('\n')) {
    const m = /^(\S+)\s+dev\s+(\S+)\s+lladdr\s+(\S+)(?:\s+router)?(?:\s+(\S+))?/.exec(line.trim());
    if (!m || (m[4] && DEAD_STATES.has(m[4]))) continue;
    push(out, m[1]!, m[3], m[2]!, m[4] ?? null);
  }
  return out;
}

/**
 * `arp -a` on macOS/BSD/Linux net-tools: `? (192.168.1.7) at 0:8:5d:1a:2b:3c on en0 ifscope [ethernet]`
 * and on Windows: an `Interface: 192.168.1.10 --- 0xb` header, then `  192.168.1.7   00-08-5d-1a-2b-3c   dynamic`.
 */
export function parseArpA(text: string): NeighbourEntry[] {
  const out: NeighbourEntry[] = [];
  let windowsInterface: string | null = null;
  for (const raw of text.slice(0, MAX_TABLE_TEXT).split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^Interface:\s+(\S+)/i.exec(line);
    if (header) {
      windowsInterface = header[1]!;
      continue;
    }
    const bsd = /^\S+\s+\(([\d.]+)\)\s+at\s+(\S+)(?:\s+\[\w+\])?(?:\s+on\s+(\S+))?/.exec(line);
    if (bsd) {
      push(out, bsd[1]!, bsd[2], bsd[3] ?? null, null);
      continue;
    }
    const win = /^([\d.]+)\s+([0-9a-f]{2}(?:-[0-9a-f]{2}){5})\s+(\w+)/i.exec(line);
    if (win) push(out, win[1]!, win[2], windowsInterface, win[3]!.toLowerCase());
  }
  return out;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 5000, maxBuffer: MAX_TABLE_TEXT, windowsHide: true }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

/** Reads this machine's table with the platform's tool. Resolves to [] when no tool works (the table is a bonus). */
export function systemNeighbourReader(platform: NodeJS.Platform = process.platform): NeighbourReader {
  return async () => {
    if (platform === 'linux') {
      // Live states only: after a sweep of a large subnet the kernel table holds thousands of FAILED entries.
      const live = ['nud', 'reachable', 'nud', 'stale', 'nud', 'delay', 'nud', 'probe', 'nud', 'permanent'];
      try {
        return parseIpNeighJson(await run('ip', ['-4', '-j', 'neigh', 'show', ...live]));
      } catch {
        try {
          return parseIpNeighText(await run('ip', ['-4', 'neigh', 'show', ...live]));
        } catch {
          // fall through to arp -a (net-tools)
        }
      }
    }
    try {
      return parseArpA(await run('arp', platform === 'win32' ? ['-a'] : ['-an']));
    } catch {
      return [];
    }
  };
}

export function neighbourObservation(entry: NeighbourEntry, at: string): Observation {
  const oui = lookupOui(entry.mac);
  return { method: 'neighbour', ip: entry.ip, at, mac: entry.mac, vendor: oui?.vendor ?? null };
}
