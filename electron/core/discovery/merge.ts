// Folds observations from every method into one DeviceRecord per device. Key: the MAC when known, else the address;
// an address-keyed record is re-keyed (and merged) when a MAC for that address arrives. Each field keeps the value
// of the freshest source that saw it, and among equally fresh ones the most trusted (ties: the latest wins).
// Fresh means seen during this run: an older sighting (a provisioning request from hours ago, kept by the passive
// observer) never beats what the phone says now, so a failed /sysinfo.html login cannot bring back the firmware
// a phone ran before its last upgrade.
import { assessFirmware, classifyDevice, parseMac } from '../phone';
import { nowIso } from './observation';
import type { DeviceRecord, DiscoveryMethod } from './device-record';
import type { Observation } from './observation';

type Sourced = { value: string; source: DiscoveryMethod; at: string; rank: number; fresh: boolean };

// Higher wins among equally fresh observations. Model/firmware: sysinfo > passive UA > SIP banner > HTTP realm.
const MODEL_RANK: Partial<Record<DiscoveryMethod, number>> = {
  sysinfo: 5,
  passive: 4,
  sip: 3,
  http: 2,
  https: 2,
  import: 1,
  mdns: 0,
};
// MAC: the neighbour table is what the network itself says; then what the device reports about itself.
const MAC_RANK: Partial<Record<DiscoveryMethod, number>> = { neighbour: 5, sysinfo: 4, passive: 3, import: 1, mdns: 0 };
const BANNER_RANK: Partial<Record<DiscoveryMethod, number>> = { sip: 5, passive: 4, http: 3, https: 3, sysinfo: 2 };
// Vendor: as for the model, with the OUI lookup (neighbour) below every self-description.
const VENDOR_RANK: Partial<Record<DiscoveryMethod, number>> = { ...MODEL_RANK, neighbour: 1 };

interface Draft {
  /** Key under which the merger holds this draft. */
  key: string;
  ip: string | null;
  mac: Sourced | null;
  vendor: Sourced | null;
  model: Sourced | null;
  firmware: Sourced | null;
  banner: Sourced | null;
  hostname: Sourced | null;
  sipPort: number | null;
  httpPort: number | null;
  httpsPort: number | null;
  services: Set<string>;
  sources: Set<DiscoveryMethod>;
  notes: Set<string>;
  answeredSip: boolean;
  firstSeen: string;
  lastSeen: string;
  ipAt: string;
}

const MAX_SERVICES = 32;
const MAX_NOTES = 16;

function better(current: Sourced | null, next: Sourced): boolean {
  if (current === null) return true;
  if (current.fresh !== next.fresh) return next.fresh;
  return next.rank > current.rank || (next.rank === current.rank && next.at >= current.at);
}

function offer(
  current: Sourced | null,
  value: string | null | undefined,
  method: DiscoveryMethod,
  at: string,
  ranks: Partial<Record<DiscoveryMethod, number>>,
  since: string,
): Sourced | null {
  const rank = ranks[method];
  if (value === null || value === undefined || value === '' || rank === undefined) return current;
  const next = { value, source: method, at, rank, fresh: at >= since };
  return better(current, next) ? next : current;
}

function pick(a: Sourced | null, b: Sourced | null): Sourced | null {
  if (a === null) return b;
  if (b === null) return a;
  return better(a, b) ? b : a;
}

const emptyDraft = (key: string, at: string): Draft => ({
  key,
  ip: null,
  mac: null,
  vendor: null,
  model: null,
  firmware: null,
  banner: null,
  hostname: null,
  sipPort: null,
  httpPort: null,
  httpsPort: null,
  services: new Set(),
  sources: new Set(),
  notes: new Set(),
  answeredSip: false,
  firstSeen: at,
  lastSeen: at,
  ipAt: '',
});

const keyOf = (draft: Draft): string => (draft.mac ? `mac:${draft.mac.value}` : `ip:${draft.ip}`);

export interface MergerOptions {
  /**
   * Start of this run (default: when the merger is made). Observations from before it (e.g. provisioning
   * requests the passive observer kept) only fill fields this run saw nothing fresher for.
   */
  since?: string;
}

export class DeviceMerger {
  readonly #drafts = new Map<string, Draft>();
  /** Address -> key of the record that currently holds it. */
  readonly #byIp = new Map<string, string>();
  readonly #since: string;

  constructor(options: MergerOptions = {}) {
    this.#since = options.since ?? nowIso();
  }

  get size(): number {
    return this.#drafts.size;
  }

  add(observation: Observation): void {
    const mac = observation.mac ? parseMac(observation.mac) : null;
    const ip = observation.ip;
    if (mac === null && ip === null) return;
    const ipKey = ip !== null ? this.#byIp.get(ip) : undefined;
    const macKey = mac !== null && this.#drafts.has(`mac:${mac}`) ? `mac:${mac}` : undefined;
    let draft = this.#drafts.get(macKey ?? ipKey ?? '');
    if (!draft || (mac !== null && draft.mac !== null && draft.mac.value !== mac)) {
      // New device, or the address now belongs to a different device (DHCP reassigned it): start a record.
      draft = emptyDraft(mac ? `mac:${mac}` : `ip:${ip}`, observation.at);
      this.#drafts.set(draft.key, draft);
    }
    this.#apply(draft, observation, mac);
    if (ipKey?.startsWith('ip:') && ipKey !== draft.key) this.#absorb(draft, ipKey);
    this.#rekey(draft);
  }

  /** Folds the address-only record under `otherKey` into `draft`: they are the same device. */
  #absorb(draft: Draft, otherKey: string): void {
    const other = this.#drafts.get(otherKey);
    if (!other) return;
    this.#drafts.delete(otherKey);
    mergeInto(draft, other);
    for (const [ip, k] of this.#byIp) if (k === otherKey) this.#byIp.set(ip, draft.key);
  }

  /** Moves a record to its MAC key once the MAC is known, merging with a record already there. */
  #rekey(draft: Draft): void {
    const key = keyOf(draft);
    if (key !== draft.key) {
      const oldKey = draft.key;
      this.#drafts.delete(oldKey);
      const existing = this.#drafts.get(key);
      if (existing) {
        mergeInto(existing, draft);
        draft = existing;
      } else {
        draft.key = key;
        this.#drafts.set(key, draft);
      }
      for (const [ip, k] of this.#byIp) if (k === oldKey) this.#byIp.set(ip, key);
    }
    if (draft.ip !== null) this.#byIp.set(draft.ip, key);
  }

  #apply(d: Draft, o: Observation, mac: string | null): void {
    const { method, at } = o;
    if (o.ip !== null && at >= d.ipAt) {
      d.ip = o.ip;
      d.ipAt = at;
    }
    const since = this.#since;
    d.mac = offer(d.mac, mac, method, at, MAC_RANK, since);
    d.vendor = offer(d.vendor, o.vendor, method, at, VENDOR_RANK, since);
    d.model = offer(d.model, o.model, method, at, MODEL_RANK, since);
    d.firmware = offer(d.firmware, o.firmware, method, at, MODEL_RANK, since);
    d.banner = offer(d.banner, o.banner, method, at, BANNER_RANK, since);
    d.hostname = offer(d.hostname, o.hostname, method, at, { mdns: 1 }, since);
    if (o.sipPort !== undefined) d.sipPort ??= o.sipPort;
    if (o.httpPort !== undefined) d.httpPort ??= o.httpPort;
    if (o.httpsPort !== undefined) d.httpsPort ??= o.httpsPort;
    for (const s of o.services ?? []) if (d.services.size < MAX_SERVICES) d.services.add(s);
    if (o.note && d.notes.size < MAX_NOTES) d.notes.add(o.note);
    if (o.answeredSip) d.answeredSip = true;
    if (!o.noteOnly) d.sources.add(method);
    if (at < d.firstSeen) d.firstSeen = at;
    if (at > d.lastSeen) d.lastSeen = at;
  }

  records(): DeviceRecord[] {
    return [...this.#drafts.values()].map(toRecord).sort((a, b) => compareIp(a.ip, b.ip) || a.key.localeCompare(b.key));
  }
}

function mergeInto(into: Draft, other: Draft): void {
  if (other.ipAt > into.ipAt && other.ip !== null) {
    into.ip = other.ip;
    into.ipAt = other.ipAt;
  }
  into.mac = pick(into.mac, other.mac);
  into.vendor = pick(into.vendor, other.vendor);
  into.model = pick(into.model, other.model);
  into.firmware = pick(into.firmware, other.firmware);
  into.banner = pick(into.banner, other.banner);
  into.hostname = pick(into.hostname, other.hostname);
  into.sipPort ??= other.sipPort;
  into.httpPort ??= other.httpPort;
  into.httpsPort ??= other.httpsPort;
  for (const s of other.services) if (into.services.size < MAX_SERVICES) into.services.add(s);
  for (const n of other.notes) if (into.notes.size < MAX_NOTES) into.notes.add(n);
  for (const m of other.sources) into.sources.add(m);
  into.answeredSip ||= other.answeredSip;
  if (other.firstSeen < into.firstSeen) into.firstSeen = other.firstSeen;
  if (other.lastSeen > into.lastSeen) into.lastSeen = other.lastSeen;
}

function compareIp(a: string | null, b: string | null): number {
  const n = (ip: string | null): number =>
    ip === null ? Infinity : ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return n(a) - n(b);
}

const strip = (s: Sourced | null): DeviceRecord['mac'] =>
  s === null ? null : { value: s.value, source: s.source, at: s.at };

function toRecord(d: Draft): DeviceRecord {
  const model = d.model?.value ?? null;
  const vendor = d.vendor?.value ?? null;
  const classification = classifyDevice({ model, vendor, answeredSip: d.answeredSip });
  const mitel = classification === 'supported' || classification === 'other-mitel';
  const assessment = mitel ? assessFirmware(d.firmware?.value ?? null, model) : null;
  return {
    key: d.key,
    ip: d.ip,
    mac: strip(d.mac),
    vendor: strip(d.vendor),
    model: strip(d.model),
    firmware: strip(d.firmware),
    banner: strip(d.banner),
    hostname: strip(d.hostname),
    sipPort: d.sipPort,
    httpPort: d.httpPort,
    httpsPort: d.httpsPort,
    services: [...d.services].sort(),
    classification,
    sources: [...d.sources].sort(),
    flags: {
      belowOsvMinimum: assessment?.belowOsvMinimum ?? false,
      vulnerable: assessment?.vulnerable ?? [],
      possiblyVulnerable: assessment?.possiblyVulnerable ?? [],
      notes: [...(assessment?.notes ?? []), ...d.notes],
    },
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
  };
}
