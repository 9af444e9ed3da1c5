// How many addresses on the laptop's own segments a sweep may have waiting for ARP at once.
//
// Every probe to an address on a local segment makes the OS resolve it (ARP) first. For an empty address the
// kernel keeps an unresolved neighbour entry until ARP gives up (Linux: mcast_solicit x retrans_time = 3 s), and
// its neighbour table is small (Linux gc_thresh3, 1024 entries by default). Once it is full the kernel drops new
// packets without telling the sender ("neighbor table overflow"): a phone further along the range is never asked.
// Measured on a mostly empty /16 in a namespace: without this budget only 9 of 20 spread phones were found.
// So a sweep enters an address on a local segment only when an entry is free, and counts it busy until ARP has
// given up for it (or it answered). Addresses behind a router need no entry of their own and are not limited.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { Semaphore } from '../util/limiter';
import { localSubnets, parseTargets, rangesContain } from './ranges';
import type { AddressRange } from './ranges';

export interface ArpBudgetSettings {
  /** Unresolved local addresses at once. */
  slots: number;
  /** How long the OS keeps an unanswered address unresolved before giving up. */
  holdMs: number;
}

/** Used where the OS limits cannot be read (macOS, Windows): conservative, about 150 new addresses a second. */
const FALLBACK: ArpBudgetSettings = { slots: 512, holdMs: 3300 };
/**
 * Linux's default gc_thresh3. Inside a network namespace (a container, a test lab) the table size cannot be read:
 * only the root namespace has the `default` entry, yet every namespace shares the kernel's one table. Its default is
 * then the best guess; the fallback made a mostly empty /16 take 60 % longer there (measured: 421 s, not 263 s).
 */
const LINUX_DEFAULT_TABLE = 1024;
/** Share of the neighbour table a sweep may fill: the laptop's own neighbours (gateway, server) need room too. */
const TABLE_SHARE = 0.8;

function readNumber(path: string): number | null {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/**
 * The limits of this machine's neighbour table (Linux /proc/sys/net/ipv4/neigh), else the fallback. The table
 * size is global; how long ARP tries can be set per interface, so the longest of the laptop's interfaces counts.
 * Inside a network namespace only the interfaces' entries exist: the table size is then Linux's default.
 */
export function systemArpBudget(
  neighDir = '/proc/sys/net/ipv4/neigh',
  interfaces: readonly string[] = Object.keys(os.networkInterfaces()),
): ArpBudgetSettings {
  const table = readNumber(`${neighDir}/default/gc_thresh3`) ?? (existsSync(neighDir) ? LINUX_DEFAULT_TABLE : null);
  if (table === null) return FALLBACK;
  const giveUpMs = (dir: string): number | null => {
    const retransMs = readNumber(`${dir}/retrans_time_ms`);
    if (retransMs === null) return null;
    // app_solicit is 0 unless a user-space ARP daemon helps; readNumber treats 0 as absent
    return ((readNumber(`${dir}/mcast_solicit`) ?? 3) + (readNumber(`${dir}/app_solicit`) ?? 0)) * retransMs;
  };
  const perInterface = interfaces.filter((name) => name !== 'lo').map((name) => giveUpMs(`${neighDir}/${name}`));
  const longest = Math.max(
    giveUpMs(`${neighDir}/default`) ?? 3000,
    ...perInterface.filter((ms): ms is number => ms !== null),
  );
  return {
    slots: Math.max(32, Math.floor(table * TABLE_SHARE)),
    holdMs: longest + 300,
  };
}

/** The laptop's own segments (the OS must ARP for every address in them). */
export function onLinkRanges(
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): AddressRange[] {
  const cidrs = localSubnets(interfaces).map((s) => s.cidr);
  return cidrs.length === 0 ? [] : parseTargets(cidrs, { confirmLarge: true }).ranges;
}

/** Whether an address is in `ranges` (by default the laptop's own segments). */
export function onLinkMatcher(ranges: readonly AddressRange[] = onLinkRanges()): (ip: string) => boolean {
  return (ip) => ranges.length > 0 && rangesContain(ranges, ip);
}

/** How many addresses of `targets` are in `onLink`. */
export function countOnLink(targets: readonly AddressRange[], onLink: readonly AddressRange[]): number {
  let n = 0;
  for (const t of targets)
    for (const l of onLink) n += Math.max(0, Math.min(t.last, l.last) - Math.max(t.first, l.first) + 1);
  return n;
}

/** Shortest time the OS lets a sweep of `addresses` silent local addresses take, in ms. */
export function minimumOnLinkMs(addresses: number, settings: ArpBudgetSettings): number {
  return Math.ceil(addresses / settings.slots) * settings.holdMs;
}

/** A note for the technician when the OS makes a scan of the laptop's own segment slow (see arp-budget.ts). */
export function onLinkDurationWarning(onLinkAddresses: number, arp: ArpBudgetSettings): string | null {
  const minimumMs = minimumOnLinkMs(onLinkAddresses, arp);
  if (minimumMs < 60_000) return null;
  return (
    `${onLinkAddresses.toLocaleString('en')} addresses are on the laptop's own network segment. The operating system resolves (ARP) about ` +
    `${arp.slots} of them at once and waits about ${Math.round(arp.holdMs / 1000)} s for each empty one, so this scan takes about ${Math.max(1, Math.round(minimumMs / 60_000))} min. ` +
    "To go faster, scan only the phones' subnet or range."
  );
}

/**
 * What the OS's ARP limits mean for a scan of `targets`: the budget, the targets on the own segments, and the note for
 * the technician.
 */
export function onLinkScan(
  targets: readonly AddressRange[],
  options: { onLink?: readonly AddressRange[]; slots?: number } = {},
): {
  onLink: readonly AddressRange[];
  addresses: number;
  arp: ArpBudgetSettings;
  warning: string | null;
} {
  const onLink = options.onLink ?? onLinkRanges();
  const addresses = countOnLink(targets, onLink);
  const arp = { ...systemArpBudget(), ...(options.slots !== undefined ? { slots: options.slots } : {}) };
  return { onLink, addresses, arp, warning: onLinkDurationWarning(addresses, arp) };
}

export interface ArpHold {
  probing(): void;
  done(answered: boolean): void;
}

export class ArpBudget {
  readonly #slots: Semaphore;
  readonly #holdMs: number;
  readonly #onLink: (ip: string) => boolean;

  constructor(settings: ArpBudgetSettings, onLink: (ip: string) => boolean, signal?: AbortSignal) {
    this.#slots = new Semaphore(settings.slots, signal);
    this.#holdMs = settings.holdMs;
    this.#onLink = onLink;
  }

  /**
   * Waits for a free entry when `ip` is on a local segment (off-link addresses pass at once). Call `probing()` just
   * before the first packet to the address (the OS starts resolving it then) and `done(answered)` when its probes
   * are over: an address that answered is resolved and frees its entry at once, a silent one keeps it until ARP
   * has given up.
   */
  async enter(ip: string): Promise<ArpHold> {
    if (!this.#onLink(ip)) return { probing: () => {}, done: () => {} };
    const release = await this.#slots.acquire();
    let timer: NodeJS.Timeout | null = null;
    const free = (): void => {
      if (timer) clearTimeout(timer);
      release();
    };
    return {
      probing: () => {
        // unref: a hold still running when the sweep is over must not keep the process alive.
        timer ??= setTimeout(free, this.#holdMs).unref();
      },
      done: (answered) => {
        if (answered || !timer) free();
      },
    };
  }
}
