// Scan targets: CIDRs, address ranges and host lists, validated, merged and iterated lazily (a /16 is never
// materialised). IPv4 only: phones on a site are found by IPv4 sweeps; IPv6 is refused with a clear message.
import os from 'node:os';
import { FieldkitError } from '../util/errors';
import type { LocalSubnet } from './ranges-schemas';

export interface AddressRange {
  /** Inclusive bounds as unsigned 32-bit integers. */
  first: number;
  last: number;
}

export interface ParsedTargets {
  ranges: AddressRange[];
  /** Number of addresses that will be probed. */
  total: number;
  warnings: string[];
}

/** Above this many addresses (a /16) the technician must confirm the scan. */
export const LARGE_SCAN_ADDRESSES = 65_536;
/** Hard ceiling even with confirmation (a /8): anything larger is surely a typo. */
export const MAX_SCAN_ADDRESSES = 16_777_216;
const MAX_TARGET_TEXT = 100_000;
const MAX_TARGET_ITEMS = 10_000;

const invalid = (message: string): FieldkitError => new FieldkitError('invalid-input', message);

export function ipv4ToInt(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return null;
  return ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
}

export function intToIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function requireIpv4(text: string, item: string): number {
  const n = ipv4ToInt(text);
  if (n === null)
    throw invalid(`"${item}": "${text}" is not an IPv4 address (four numbers 0-255, e.g. 192.168.10.25).`);
  return n;
}

const mask = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

function parseItem(item: string, warnings: string[]): AddressRange {
  if (item.includes(':')) {
    throw invalid(
      `"${item}" looks like an IPv6 address. Fieldkit scans IPv4 only; give the phones' IPv4 subnet, e.g. 192.168.10.0/24.`,
    );
  }
  const cidr = /^([^/]+)\/(\d{1,2})$/.exec(item);
  if (cidr) {
    const base = requireIpv4(cidr[1]!, item);
    const prefix = Number(cidr[2]);
    if (prefix > 32) throw invalid(`"${item}": prefix /${prefix} is larger than 32.`);
    const network = (base & mask(prefix)) >>> 0;
    if (network !== base)
      warnings.push(`"${item}" has host bits set; scanning the whole network ${intToIpv4(network)}/${prefix}.`);
    const broadcast = (network | (~mask(prefix) >>> 0)) >>> 0;
    // /31 and /32 have no network or broadcast address (RFC 3021).
    if (prefix <= 30) return { first: network + 1, last: broadcast - 1 };
    return { first: network, last: broadcast };
  }
  if (item.includes('/')) throw invalid(`"${item}" is not a CIDR: write it as address/prefix, e.g. 192.168.10.0/24.`);
  const dash = item.indexOf('-');
  if (dash >= 0) {
    const from = item.slice(0, dash).trim();
    const to = item.slice(dash + 1).trim();
    const first = requireIpv4(from, item);
    let last: number;
    if (/^\d{1,3}$/.test(to)) {
      if (Number(to) > 255) throw invalid(`"${item}": the last octet ${to} is larger than 255.`);
      last = ((first & 0xffffff00) | Number(to)) >>> 0;
    } else {
      last = requireIpv4(to, item);
    }
    if (last < first) throw invalid(`"${item}": the range ends before it starts; write the lower address first.`);
    return { first, last };
  }
  const host = requireIpv4(item, item);
  return { first: host, last: host };
}

function checkUsable(range: AddressRange, item: string): void {
  const touches = (lo: number, hi: number): boolean => range.first <= hi && range.last >= lo;
  if (touches(0, 0x00ffffff))
    throw invalid(`"${item}" includes 0.0.0.0/8, which holds no devices. Give the phones' subnet.`);
  if (touches(0xe0000000, 0xffffffff)) {
    throw invalid(
      `"${item}" includes multicast or reserved addresses (224.0.0.0 and above), which hold no devices. Give the phones' subnet.`,
    );
  }
}

/** Splits a technician's text into items: commas, spaces and new lines separate them. */
function splitItems(specs: readonly string[]): string[] {
  const text = specs.join(',');
  if (text.length > MAX_TARGET_TEXT)
    throw invalid(`The target list is too long (${text.length} characters); give subnets instead of single hosts.`);
  // "127.77.0.1 - 127.77.0.24" is one range: the spaces around its dash do not separate items.
  const items = text
    .replace(/(\d)[ \t]*[-\u2013][ \t]*(?=\d)/g, '$1-')
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length > MAX_TARGET_ITEMS)
    throw invalid(`Too many targets (${items.length}); give at most ${MAX_TARGET_ITEMS} items, e.g. as subnets.`);
  return items;
}

/**
 * Parses CIDRs (`192.168.10.0/24`), ranges (`192.168.10.20-192.168.10.80`, `192.168.10.20-80`) and single hosts,
 * separated by commas or spaces. Overlapping items are merged with a warning. More than a /16 needs confirmLarge.
 */
export function parseTargets(specs: readonly string[], opts: { confirmLarge?: boolean } = {}): ParsedTargets {
  const warnings: string[] = [];
  const items = splitItems(specs);
  if (items.length === 0)
    throw invalid('No addresses to scan: give a subnet (192.168.10.0/24), a range (192.168.10.20-80) or hosts.');
  const tagged = items.map((item) => {
    const range = parseItem(item, warnings);
    checkUsable(range, item);
    return { item, range };
  });
  tagged.sort((a, b) => a.range.first - b.range.first || a.range.last - b.range.last);
  const ranges: AddressRange[] = [];
  let lastItem = '';
  for (const { item, range } of tagged) {
    const prev = ranges[ranges.length - 1];
    if (prev && range.first <= prev.last) {
      warnings.push(`"${item}" overlaps "${lastItem}"; each address is scanned once.`);
      prev.last = Math.max(prev.last, range.last);
    } else if (prev && range.first === prev.last + 1) {
      prev.last = range.last;
    } else {
      ranges.push({ ...range });
    }
    lastItem = item;
  }
  const total = ranges.reduce((n, r) => n + (r.last - r.first + 1), 0);
  if (total > MAX_SCAN_ADDRESSES) {
    throw invalid(
      `The targets hold ${total.toLocaleString('en')} addresses, more than Fieldkit scans at once (${MAX_SCAN_ADDRESSES.toLocaleString('en')}, a /8). Give smaller subnets.`,
    );
  }
  if (total > LARGE_SCAN_ADDRESSES && !opts.confirmLarge) {
    throw invalid(
      `The targets hold ${total.toLocaleString('en')} addresses, more than a /16 (${LARGE_SCAN_ADDRESSES.toLocaleString('en')}). ` +
        'Such a scan takes long and sends a lot of traffic: confirm it with --confirm-large (CLI) or confirmLarge: true, or give smaller subnets.',
    );
  }
  return { ranges, total, warnings };
}

/** Yields every address of the ranges in order without building a list. */
export function* iterateAddresses(ranges: readonly AddressRange[]): Generator<string> {
  for (const r of ranges) for (let n = r.first; n <= r.last; n++) yield intToIpv4(n);
}

export function rangesContain(ranges: readonly AddressRange[], ip: string): boolean {
  const n = ipv4ToInt(ip);
  return n !== null && ranges.some((r) => n >= r.first && n <= r.last);
}

export type { LocalSubnet };

/**
 * The laptop's own IPv4 subnets, for the UI to propose (never scanned without the technician's confirmation).
 * Loopback and link-local (169.254/16) are left out.
 */
export function localSubnets(
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): LocalSubnet[] {
  const out: LocalSubnet[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family !== 'IPv4' || info.internal || info.address.startsWith('169.254.')) continue;
      const address = ipv4ToInt(info.address);
      const netmask = ipv4ToInt(info.netmask);
      if (address === null || netmask === null) continue;
      const prefix = Math.clz32(~netmask >>> 0); // leading one bits of the netmask
      const cidr = `${intToIpv4((address & mask(prefix)) >>> 0)}/${prefix}`;
      const size = prefix >= 31 ? 2 ** (32 - prefix) : 2 ** (32 - prefix) - 2;
      if (!out.some((s) => s.cidr === cidr))
        out.push({ interface: name, address: info.address, cidr, size, large: size > LARGE_SCAN_ADDRESSES });
    }
  }
  return out;
}
