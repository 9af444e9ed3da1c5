// mDNS/DNS-SD browse: reports what the LAN advertises. Real 6800 phones show no evidence of mDNS (phone-facts §5), so
// an
// mDNS-only device stays 'unknown' unless another method fingerprints it. Bind to an interface in tests
// ({ interface: '127.0.0.1', bind: '0.0.0.0' }) so nothing leaves the machine.
import { isIPv4 } from 'node:net';
import { Bonjour } from 'bonjour-service';
import type { Service, ServiceConfig } from 'bonjour-service';
import type { Observation } from './observation';

export interface MdnsOptions {
  /** Interface address for the multicast socket (multicast-dns `interface`). */
  interface?: string;
  /** Address to bind (multicast-dns `bind`), e.g. '0.0.0.0'. */
  bind?: string;
  /** Listen this long. Default 2000 ms. */
  durationMs?: number;
  /** Service types to query besides the `_services._dns-sd._udp` wildcard. */
  types?: readonly { type: string; protocol: 'tcp' | 'udp' }[];
}

export interface MdnsService {
  name: string;
  /** e.g. `_http._tcp`. */
  serviceType: string;
  host: string;
  port: number;
  addresses: string[];
  txt: Record<string, string>;
}

const COMMON_TYPES = [
  { type: 'http', protocol: 'tcp' },
  { type: 'https', protocol: 'tcp' },
  { type: 'sip', protocol: 'udp' },
  { type: 'sip', protocol: 'tcp' },
] as const;

const MAX_SERVICES = 5000;
const MAX_TEXT = 255;

function toService(s: Service): MdnsService {
  const txt: Record<string, string> = {};
  if (s.txt && typeof s.txt === 'object') {
    for (const [k, v] of Object.entries(s.txt as Record<string, unknown>).slice(0, 32))
      txt[k.slice(0, 64)] = String(v).slice(0, MAX_TEXT);
  }
  return {
    name: String(s.name).slice(0, MAX_TEXT),
    serviceType: `_${s.type}._${s.protocol}`,
    host: String(s.host ?? '').slice(0, MAX_TEXT),
    port: s.port,
    addresses: (s.addresses ?? []).filter((a) => isIPv4(a)).slice(0, 8),
    txt,
  };
}

/** Browses for `durationMs` (or until the signal aborts) and returns every service seen. */
export async function browseMdns(options: MdnsOptions = {}, signal?: AbortSignal): Promise<MdnsService[]> {
  const socketOptions: Record<string, string> = {};
  if (options.interface) socketOptions.interface = options.interface;
  if (options.bind) socketOptions.bind = options.bind;
  let socketError: Error | null = null;
  // The socket options go to multicast-dns; bonjour-service's typings only list service fields.
  const bonjour = new Bonjour(socketOptions as unknown as Partial<ServiceConfig>, (err: Error) => (socketError = err));
  const found = new Map<string, MdnsService>();
  const onUp = (s: Service): void => {
    if (found.size < MAX_SERVICES) found.set(`${s.fqdn}|${(s.addresses ?? []).join(',')}`, toService(s));
  };
  const browsers = [
    bonjour.find(null, onUp),
    ...(options.types ?? COMMON_TYPES).map((t) => bonjour.find({ type: t.type, protocol: t.protocol }, onUp)),
  ];
  try {
    await new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(resolve, options.durationMs ?? 2000);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  } finally {
    for (const b of browsers) b.stop();
    await new Promise<void>((resolve) => bonjour.destroy(() => resolve()));
  }
  if (socketError && found.size === 0) {
    throw new Error(
      `mDNS browse failed: ${(socketError as Error).message}. Check that the interface ${options.interface ?? '(default)'} is up.`,
    );
  }
  return [...found.values()];
}

/** One observation per advertised IPv4 address. */
export function mdnsObservations(services: readonly MdnsService[], at: string): Observation[] {
  const out: Observation[] = [];
  for (const s of services) {
    for (const ip of s.addresses) {
      out.push({ method: 'mdns', ip, at, hostname: s.host || null, services: [s.serviceType] });
    }
  }
  return out;
}
