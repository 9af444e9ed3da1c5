// One discovery run: validates the targets, runs the enabled methods side by side (sweep, mDNS, neighbour table,
// passive observations already recorded) and merges everything into one DeviceRecord per device.
// Used by the discovery job and the CLI.
import { z } from 'zod';
import { discoveryLogins, forgetLogin, rememberLogin, type WebLogin } from '../secrets/web-logins';
import { FieldkitError } from '../util/errors';
import { macFileStem, parseMac } from '../phone/mac';
import { onLinkMatcher, onLinkScan } from './arp-budget';
import { DeviceMerger } from './merge';
import { browseMdns, mdnsObservations } from './mdns';
import { neighbourObservation, systemNeighbourReader } from './neighbours';
import { nowIso } from './observation';
import { parseTargets, rangesContain } from './ranges';
import { sweep } from './sweep';
import type { AddressRange } from './ranges';
import type { PassiveObserver } from './passive';
import type { Observation } from './observation';
import type { NeighbourEntry, NeighbourReader } from './neighbours';
import type { MdnsOptions, MdnsService } from './mdns';
import type { DeviceRecord } from './device-record';
import type { SecretStore } from '../secrets/secret-store';
import type { SweepStats } from './sweep';

const Port = z.number().int().min(1).max(65535);
const Ports = z.array(Port).max(64);

export const DiscoverOptionsSchema = z.object({
  /** CIDRs, ranges or hosts (see parseTargets). */
  ranges: z.array(z.string().max(100_000)).min(1, 'Give at least one range to scan, e.g. 192.168.10.0/24.'),
  /** Ports probed besides the defaults (SIP 5060, HTTP 80, HTTPS 443). */
  sipPorts: Ports.default([]),
  httpPorts: Ports.default([]),
  httpsPorts: Ports.default([]),
  /** Leave the default ports out and probe only the listed ones. */
  onlyListedPorts: z.boolean().default(false),
  methods: z
    .object({
      sip: z.boolean().default(true),
      http: z.boolean().default(true),
      sysinfo: z.boolean().default(true),
      mdns: z.boolean().default(true),
      neighbour: z.boolean().default(true),
      passive: z.boolean().default(true),
    })
    .default({ sip: true, http: true, sysinfo: true, mdns: true, neighbour: true, passive: true }),
  confirmLarge: z.boolean().default(false),
  /** 'auto': every address up to 4,096 addresses, else only addresses that show life (SIP answer, neighbour entry). */
  webTargets: z.enum(['auto', 'all', 'responsive']).default('auto'),
  timeouts: z
    .object({
      sipMs: z.number().int().min(50).max(30_000).optional(),
      httpMs: z.number().int().min(50).max(30_000).optional(),
      sysinfoMs: z.number().int().min(100).max(60_000).optional(),
      mdnsMs: z.number().int().min(100).max(60_000).optional(),
    })
    .default({}),
  limits: z
    .object({
      hostWindow: z.number().int().min(1).max(8192).optional(),
      sipWindow: z.number().int().min(1).max(8192).optional(),
      sipPerSecond: z.number().int().min(1).max(100_000).optional(),
      sipSockets: z.number().int().min(1).max(64).optional(),
      /** Addresses of the laptop's own segments resolving (ARP) at once; default 80 % of the OS neighbour table. */
      arpSlots: z.number().int().min(1).max(65_536).optional(),
      tcpConcurrency: z.number().int().min(1).max(4096).optional(),
    })
    .default({}),
  localAddress: z.ipv4().optional(),
});
export type DiscoverOptions = z.output<typeof DiscoverOptionsSchema>;
export type DiscoverOptionsInput = z.input<typeof DiscoverOptionsSchema>;

export const WEB_ALL_LIMIT = 4096;

export interface DiscoverProgress {
  done: number;
  total: number;
  found: number;
  counters: Record<string, number>;
}

export interface DiscoverDeps {
  signal?: AbortSignal;
  onProgress?: (progress: DiscoverProgress) => void;
  /** Source of the phone admin password (site default, per-phone overrides). */
  secrets?: SecretStore;
  mdnsOptions?: Omit<MdnsOptions, 'durationMs'>;
  neighbourReader?: NeighbourReader;
  passive?: PassiveObserver;
  /** Called with each warning as soon as it is known (they are also in the result). */
  onWarning?: (warning: string) => void;
  /** The laptop's own segments; default: read from its interfaces. */
  onLink?: AddressRange[];
}

export interface DiscoverSummary {
  addresses: number;
  /** Addresses on the laptop's own segments (each resolved with ARP). */
  onLinkAddresses: number;
  addressesDone: number;
  devices: number;
  byClassification: Record<DeviceRecord['classification'], number>;
  firmwareRead: number;
  sweep: SweepStats | null;
  mdnsServices: number;
  neighbourEntries: number;
  passiveObservations: number;
  webTargets: 'all' | 'responsive';
  durationMs: number;
}

export interface DiscoverResult {
  devices: DeviceRecord[];
  /** Every service mDNS reported, in range or not (what the LAN advertises). */
  mdnsServices: MdnsService[];
  summary: DiscoverSummary;
  warnings: string[];
}

const merged = (defaults: number[], listed: readonly number[], only: boolean): number[] => [
  ...new Set([...(only ? [] : defaults), ...listed]),
];

export function parseDiscoverOptions(input: unknown): DiscoverOptions {
  const result = DiscoverOptionsSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
    throw new FieldkitError('invalid-input', `Discovery options are invalid: ${problems}`);
  }
  return result.data;
}

export async function discover(input: DiscoverOptionsInput, deps: DiscoverDeps = {}): Promise<DiscoverResult> {
  const started = performance.now();
  const options = parseDiscoverOptions(input);
  const { signal } = deps;
  const targets = parseTargets(options.ranges, { confirmLarge: options.confirmLarge });
  const warnings: string[] = [];
  const warn = (w: string): void => {
    warnings.push(w);
    deps.onWarning?.(w);
  };
  for (const w of targets.warnings) warn(w);
  const {
    onLink,
    addresses: onLinkAddresses,
    arp,
    warning: slow,
  } = onLinkScan(targets.ranges, {
    ...(deps.onLink ? { onLink: deps.onLink } : {}),
    ...(options.limits.arpSlots !== undefined ? { slots: options.limits.arpSlots } : {}),
  });
  if (slow) warn(slow);
  const m = options.methods;
  const sipPorts = m.sip ? merged([5060], options.sipPorts, options.onlyListedPorts) : [];
  const httpPorts = m.http ? merged([80], options.httpPorts, options.onlyListedPorts) : [];
  const httpsPorts = m.http ? merged([443], options.httpsPorts, options.onlyListedPorts) : [];
  const webTargets =
    options.webTargets === 'auto' ? (targets.total <= WEB_ALL_LIMIT ? 'all' : 'responsive') : options.webTargets;
  if (webTargets === 'responsive' && httpPorts.length + httpsPorts.length > 0) {
    warn(
      `${targets.total.toLocaleString('en')} addresses: web ports are probed only on addresses that answered SIP or appear in the neighbour table. ` +
        'A phone with SIP off on another routed subnet can be missed; scan its subnet on its own to probe every address.',
    );
  }

  const merger = new DeviceMerger();
  const counters: Record<string, number> = { found: 0, sip: 0, web: 0, sysinfo: 0, mdns: 0, neighbour: 0, passive: 0 };
  let done = 0;
  let lastProgress = 0;
  const report = (force = false): void => {
    const now = performance.now();
    if (!deps.onProgress || (!force && now - lastProgress < 100)) return;
    lastProgress = now;
    deps.onProgress({ done, total: targets.total, found: merger.size, counters: { ...counters, found: merger.size } });
  };
  // Which login each address accepted, until its /sysinfo.html reading (which names the phone's MAC) arrives.
  const accepted = new Map<string, WebLogin>();
  /** A phone still on the factory default says so; the winner is remembered under the MAC the phone reported. */
  const withLogin = (o: Observation): Observation => {
    const login = o.method === 'sysinfo' && !o.noteOnly && o.ip !== null ? accepted.get(o.ip) : undefined;
    if (!login) return o;
    accepted.delete(o.ip!);
    const mac = o.mac ? parseMac(o.mac) : null;
    if (deps.secrets && mac) rememberLogin(deps.secrets, macFileStem(mac), login.source);
    return login.source === 'factory-default' ? { ...o, note: `Admin password: ${login.label}.` } : o;
  };
  const add = (observed: Observation): void => {
    const o = withLogin(observed);
    merger.add(o);
    if (!o.noteOnly) {
      const key = o.method === 'http' || o.method === 'https' ? 'web' : o.method;
      counters[key] = (counters[key] ?? 0) + 1;
    }
    report();
  };

  // Neighbour table: polled during the sweep (entries age out of the kernel table on large scans).
  const neighbours = new Map<string, NeighbourEntry>();
  const readNeighbours = m.neighbour ? (deps.neighbourReader ?? systemNeighbourReader()) : null;
  const pollNeighbours = async (): Promise<void> => {
    if (!readNeighbours) return;
    for (const e of await readNeighbours().catch(() => []))
      if (rangesContain(targets.ranges, e.ip)) neighbours.set(e.ip, e);
  };
  await pollNeighbours();
  let polling = Promise.resolve();
  const poller = readNeighbours ? setInterval(() => (polling = polling.then(pollNeighbours)), 1000) : null;

  // Per-phone passwords are keyed by MAC, which the neighbour table gives for the laptop's own segment. A phone is
  // read as soon as it answered, mostly before the next poll: its address then makes the table be read once more
  // (one read shared by every phone waiting for it), or a phone with its own password would be refused.
  const onLinkAddress = onLinkMatcher(onLink);
  let rereading: Promise<void> | null = null;
  const macOf = async (ip: string): Promise<string | undefined> => {
    if (readNeighbours && !neighbours.has(ip) && onLinkAddress(ip)) {
      rereading ??= pollNeighbours().finally(() => (rereading = null));
      await rereading;
    }
    return neighbours.get(ip)?.mac;
  };
  // Which passwords to try on each device's /sysinfo.html, in order: core/secrets/web-logins.ts decides.
  const tried = new Map<string, Awaited<ReturnType<typeof discoveryLogins>>>();
  const adminPassword = async (ip: string): Promise<string[] | undefined> => {
    if (!deps.secrets || !m.sysinfo) return undefined;
    const logins = await discoveryLogins(deps.secrets, ip, await macOf(ip));
    tried.set(ip, logins);
    return logins.candidates.map((c) => c.password);
  };
  const onAdminLogin = (ip: string, index: number): void => {
    const logins = tried.get(ip);
    const login = logins?.candidates[index];
    if (!login) return;
    accepted.set(ip, login);
    if (deps.secrets && logins.mac) rememberLogin(deps.secrets, logins.mac, login.source);
  };
  // the remembered login was tried first and failed, like every other: next time the phone starts in the default order
  const onAdminRejected = (ip: string): void => {
    const mac = tried.get(ip)?.mac;
    if (deps.secrets && mac) forgetLogin(deps.secrets, mac);
  };

  const mdnsRun = m.mdns
    ? browseMdns({ ...deps.mdnsOptions, durationMs: options.timeouts.mdnsMs ?? 2000 }, signal).catch((err: Error) => {
        warn(err.message);
        return [] as MdnsService[];
      })
    : Promise.resolve([] as MdnsService[]);

  let stats: SweepStats | null = null;
  try {
    if (sipPorts.length + httpPorts.length + httpsPorts.length > 0) {
      stats = await sweep(
        {
          ranges: targets.ranges,
          sipPorts,
          httpPorts,
          httpsPorts,
          webTargets,
          isAlive: (ip) => neighbours.has(ip),
          adminPassword: m.sysinfo ? adminPassword : undefined,
          onAdminLogin,
          onAdminRejected,
          timing: {
            ...(options.timeouts.sipMs !== undefined ? { sipTimeoutMs: options.timeouts.sipMs } : {}),
            ...(options.timeouts.httpMs !== undefined ? { httpTimeoutMs: options.timeouts.httpMs } : {}),
            ...(options.timeouts.sysinfoMs !== undefined ? { sysinfoTimeoutMs: options.timeouts.sysinfoMs } : {}),
          },
          limits: options.limits,
          localAddress: options.localAddress,
          arp: { ...arp, onLink: onLinkAddress },
        },
        {
          signal,
          onObservation: add,
          onAddressDone: () => {
            done++;
            report();
          },
        },
      );
    } else {
      done = targets.total;
    }
  } finally {
    if (poller) clearInterval(poller);
    await polling;
  }
  const services = await mdnsRun;
  if (signal?.aborted) throw new FieldkitError('cancelled', 'The scan was cancelled.');
  await pollNeighbours();

  const at = nowIso();
  for (const entry of neighbours.values()) add(neighbourObservation(entry, at));
  for (const o of mdnsObservations(services, at)) if (o.ip && rangesContain(targets.ranges, o.ip)) add(o);
  const passive = m.passive && deps.passive ? deps.passive.observations() : [];
  for (const o of passive) add(o);
  if (stats && stats.sysinfoSkipped > 0) {
    warn(
      `${stats.sysinfoSkipped} phone(s) were not read over /sysinfo.html because no admin password is set; set the site's phone admin password to read firmware and MAC from every phone.`,
    );
  }

  const devices = merger.records();
  const byClassification = { supported: 0, 'other-mitel': 0, 'other-sip': 0, unknown: 0 };
  for (const d of devices) byClassification[d.classification]++;
  report(true);
  return {
    devices,
    mdnsServices: services,
    warnings,
    summary: {
      addresses: targets.total,
      onLinkAddresses,
      addressesDone: done,
      devices: devices.length,
      byClassification,
      firmwareRead: devices.filter((d) => d.firmware !== null).length,
      sweep: stats,
      mdnsServices: services.length,
      neighbourEntries: neighbours.size,
      passiveObservations: passive.length,
      webTargets,
      durationMs: Math.round(performance.now() - started),
    },
  };
}
