// Folds one scan's devices into the stored inventory and says what changed since the last scan:
// new devices, devices gone from the scanned addresses, devices back again, moved addresses (same MAC, new IP),
// changed firmware and changed model. Nothing is ever dropped: a device not seen again is kept, marked gone.
// A field keeps the newest value anyone read (this scan or an earlier one, or a job that read the phone since),
// so the inventory never shows a firmware older than what the phone reported last.
import { assessFirmware, parseFirmwareVersion, compareFirmware, normaliseModel, parseMac } from '../phone';
import {
  MAX_PREVIOUS_IPS,
  MAX_SCAN_CHANGES,
  type Change,
  type ChangeKind,
  type InventoryDevice,
  type ScanChange,
  type ScanSummary,
} from './inventory-files';
import type { DeviceRecord, DiscoveryMethod } from '../discovery/device-record';

export interface ScanContext {
  id: string;
  at: string;
  /** When the scan started (default: `at`). Sightings older than this (kept provisioning requests) are not answers. */
  startedAt?: string;
  /** MACs the technician's sheet names: their first sighting is "seen", not "new". */
  expected?: ReadonlySet<string>;
  /** How the /sysinfo.html logins of this scan went, for the credential summary. */
  sysinfo?: ScanSummary['sysinfo'];
  /** As the technician wrote them; only for the record. */
  ranges: string[];
  /**
   * Whether the scan looked at this address. Devices it did not look at are left as they are: scanning one
   * subnet must not mark the phones of another as gone. Passive sightings cover nothing.
   */
  covers(ip: string | null): boolean;
}

export interface ScanMergeResult {
  devices: InventoryDevice[];
  summary: ScanSummary;
}

type Sourced = NonNullable<DeviceRecord['firmware']>;

/** The newer of two readings of a field; a scan that did not read it keeps the earlier one. */
function newer(a: Sourced | null, b: Sourced | null): Sourced | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.at >= a.at ? b : a;
}

const isMitel = (r: DeviceRecord) => r.classification === 'supported' || r.classification === 'other-mitel';

/** Notes a scan left on a device (e.g. a rejected admin password), without the ones its firmware assessment adds. */
export function scanNotes(r: DeviceRecord): string[] {
  const assessed = isMitel(r) ? assessFirmware(r.firmware?.value ?? null, r.model?.value ?? null).notes : [];
  return r.flags.notes.filter((n) => !assessed.includes(n));
}

/** Flags follow the firmware the record ends up with, plus the latest scan's own notes. */
export function flagsFor(r: DeviceRecord, notes: string[]): DeviceRecord['flags'] {
  if (!isMitel(r)) return { belowOsvMinimum: false, vulnerable: [], possiblyVulnerable: [], notes };
  const a = assessFirmware(r.firmware?.value ?? null, r.model?.value ?? null);
  return {
    belowOsvMinimum: a.belowOsvMinimum ?? false,
    vulnerable: a.vulnerable,
    possiblyVulnerable: a.possiblyVulnerable,
    notes: [...a.notes, ...notes],
  };
}

/** Fields a scan did not read this time, or read from an older sighting, keep the newer reading. */
function mergeRecords(prev: DeviceRecord, next: DeviceRecord): DeviceRecord {
  const keep = <T>(a: T | null, b: T | null): T | null => b ?? a;
  const merged: DeviceRecord = {
    ...next,
    key: next.mac ? next.key : prev.key,
    mac: keep(prev.mac, next.mac),
    vendor: newer(prev.vendor, next.vendor),
    model: newer(prev.model, next.model),
    firmware: newer(prev.firmware, next.firmware),
    banner: newer(prev.banner, next.banner),
    hostname: newer(prev.hostname, next.hostname),
    ip: next.ip ?? prev.ip,
    sipPort: next.sipPort ?? prev.sipPort,
    httpPort: next.httpPort ?? prev.httpPort,
    httpsPort: next.httpsPort ?? prev.httpsPort,
    services: [...new Set([...next.services, ...prev.services])],
    sources: [...new Set([...next.sources, ...prev.sources])],
    classification: next.classification === 'unknown' ? prev.classification : next.classification,
    firstSeen: prev.firstSeen < next.firstSeen ? prev.firstSeen : next.firstSeen,
    lastSeen: prev.lastSeen > next.lastSeen ? prev.lastSeen : next.lastSeen,
  };
  return { ...merged, flags: flagsFor(merged, scanNotes(next)) };
}

/** Methods that need the device to answer now; the neighbour table and kept provisioning requests do not. */
const ANSWERS: readonly DiscoveryMethod[] = ['sip', 'http', 'https', 'sysinfo', 'mdns'];

/** Whether the device answered this scan, rather than being vouched for by the network or an old request. */
export function answeredScan(r: DeviceRecord, since: string): boolean {
  if (r.sources.some((m) => ANSWERS.includes(m))) return true;
  return [r.mac, r.model, r.firmware, r.banner].some((f) => f?.source === 'passive' && f.at >= since);
}

function sameFirmware(a: string, b: string): boolean {
  const pa = parseFirmwareVersion(a);
  const pb = parseFirmwareVersion(b);
  return pa && pb ? compareFirmware(pa, pb) === 0 : a.trim() === b.trim();
}

function sameModel(a: string, b: string): boolean {
  return (normaliseModel(a) ?? a.trim().toLowerCase()) === (normaliseModel(b) ?? b.trim().toLowerCase());
}

function changesBetween(prev: InventoryDevice, next: DeviceRecord): Change[] {
  const changes: Change[] = [];
  const old = prev.record;
  if (prev.state === 'gone') changes.push({ kind: 'returned', from: prev.goneSince, to: next.ip });
  if (old.ip && next.ip && old.ip !== next.ip) changes.push({ kind: 'moved', from: old.ip, to: next.ip });
  if (old.firmware && next.firmware && !sameFirmware(old.firmware.value, next.firmware.value)) {
    changes.push({ kind: 'firmware', from: old.firmware.value, to: next.firmware.value });
  }
  if (old.model && next.model && !sameModel(old.model.value, next.model.value)) {
    changes.push({ kind: 'model', from: old.model.value, to: next.model.value });
  }
  return changes;
}

/** The stored device a scanned record is, if any: same key, or the same address when one side has no MAC. */
function findPrevious(
  rec: DeviceRecord,
  byKey: Map<string, InventoryDevice>,
  byIp: Map<string, InventoryDevice>,
): InventoryDevice | undefined {
  const direct = byKey.get(rec.key);
  if (direct) return direct;
  if (!rec.ip) return undefined;
  const atSameIp = byIp.get(rec.ip);
  if (!atSameIp) return undefined;
  // A MAC-less sighting at a known phone's address is that phone; a known MAC-less device gains its MAC.
  if (!rec.mac || !atSameIp.record.mac) return atSameIp;
  return undefined;
}

export function mergeScan(
  existing: readonly InventoryDevice[],
  scanned: readonly DeviceRecord[],
  ctx: ScanContext,
): ScanMergeResult {
  const devices = existing.map((d) => ({ ...d }));
  const byKey = new Map(devices.map((d) => [d.record.key, d]));
  const byIp = new Map<string, InventoryDevice>();
  for (const d of devices) if (d.record.ip && d.state === 'present' && !byIp.has(d.record.ip)) byIp.set(d.record.ip, d);
  for (const d of devices) if (d.record.ip && !byIp.has(d.record.ip)) byIp.set(d.record.ip, d);

  const since = ctx.startedAt ?? ctx.at;
  const touched = new Set<InventoryDevice>();
  const silentThisScan = new Set<string>();
  const changedThisScan = new Map<InventoryDevice, Change[]>();
  for (const rec of scanned) {
    const prev = findPrevious(rec, byKey, byIp);
    const answered = answeredScan(rec, since);
    // Only a scan that looked at the address can say the phone did not answer (passive sightings cover nothing).
    const silent = !answered && ctx.covers(rec.ip);
    if (silent) silentThisScan.add(rec.key);
    if (!prev) {
      const mac = rec.mac ? parseMac(rec.mac.value) : null;
      const created: InventoryDevice = {
        record: rec,
        state: 'present',
        answered: !silent,
        answeredAt: answered ? ctx.at : null,
        reports: [],
        changes: [{ kind: mac && ctx.expected?.has(mac) ? 'seen' : 'new', from: null, to: rec.ip }],
        changedAt: ctx.at,
        goneSince: null,
        previousIps: [],
      };
      devices.push(created);
      byKey.set(rec.key, created);
      if (rec.ip) byIp.set(rec.ip, created);
      touched.add(created);
      changedThisScan.set(created, created.changes);
      continue;
    }
    if (touched.has(prev)) {
      // The same device twice in one result: fold it in without counting changes twice.
      prev.record = mergeRecords(prev.record, rec);
      if (answered) {
        prev.answered = true;
        prev.answeredAt = ctx.at;
      }
      continue;
    }
    const oldKey = prev.record.key;
    const oldIp = prev.record.ip;
    const merged = mergeRecords(prev.record, rec);
    // Compared after merging, so an old sighting that lost to a newer reading is no change.
    const changes = changesBetween(prev, merged);
    prev.record = merged;
    if (answered) {
      prev.answered = true;
      prev.answeredAt = ctx.at;
    } else if (silent) prev.answered = false;
    if (prev.record.key !== oldKey) {
      byKey.delete(oldKey);
      byKey.set(prev.record.key, prev);
    }
    if (oldIp && prev.record.ip && oldIp !== prev.record.ip) {
      prev.previousIps = [oldIp, ...prev.previousIps.filter((ip) => ip !== oldIp)].slice(0, MAX_PREVIOUS_IPS);
    }
    prev.state = 'present';
    prev.goneSince = null;
    prev.changes = changes;
    if (changes.length > 0) prev.changedAt = ctx.at;
    touched.add(prev);
    changedThisScan.set(prev, changes);
  }

  for (const d of devices) {
    if (touched.has(d) || !ctx.covers(d.record.ip)) continue;
    if (d.state === 'present') {
      d.state = 'gone';
      d.goneSince = ctx.at;
      d.changes = [{ kind: 'gone', from: d.record.ip, to: null }];
      d.changedAt = ctx.at;
      changedThisScan.set(d, d.changes);
    } else {
      d.changes = [];
    }
  }

  const noAnswer = silentThisScan.size;
  return { devices, summary: summarise(ctx, scanned.length, changedThisScan, noAnswer) };
}

function summarise(
  ctx: ScanContext,
  found: number,
  changed: Map<InventoryDevice, Change[]>,
  noAnswer: number,
): ScanSummary {
  const counts: Record<ChangeKind | 'unchanged', number> = {
    new: 0,
    seen: 0,
    gone: 0,
    returned: 0,
    moved: 0,
    firmware: 0,
    model: 0,
    unchanged: 0,
  };
  const changes: ScanChange[] = [];
  let total = 0;
  for (const [device, list] of changed) {
    if (list.length === 0) counts.unchanged++;
    for (const change of list) {
      counts[change.kind]++;
      total++;
      if (changes.length < MAX_SCAN_CHANGES) {
        changes.push({
          ...change,
          key: device.record.key,
          ip: device.record.ip,
          mac: device.record.mac?.value ?? null,
        });
      }
    }
  }
  return {
    id: ctx.id,
    at: ctx.at,
    ...(ctx.startedAt ? { startedAt: ctx.startedAt } : {}),
    ranges: ctx.ranges,
    found,
    counts: { ...counts, noAnswer },
    changes,
    changesTotal: total,
    sysinfo: ctx.sysinfo ?? null,
    credentials: credentialNote(ctx.sysinfo ?? null),
  };
}

const phones = (n: number) => `${n} phone${n === 1 ? '' : 's'}`;

/** Credential trouble of one scan in one sentence: all refusing means the site password, some means their own. */
export function credentialNote(sysinfo: ScanSummary['sysinfo']): string | null {
  if (!sysinfo) return null;
  const asked = sysinfo.read + sysinfo.rejected;
  const notAsked = sysinfo.skipped
    ? ` ${phones(sysinfo.skipped)} were not asked: no admin password is stored (Provisioning › Credentials).`
    : '';
  if (sysinfo.rejected === 0) return notAsked ? notAsked.trim() : null;
  if (sysinfo.rejected === asked && asked > 1)
    return `${sysinfo.rejected} of ${asked} phones rejected the admin password: the site admin password is probably wrong. Check it under Provisioning › Credentials and scan again.${notAsked}`;
  return `${sysinfo.rejected} of ${phones(asked)} rejected every admin password Fieldkit tried: they probably keep one of their own (e.g. a previous installer's). Enter the password each has now in its detail under Admin passwords (or in Credentials) and scan again.${notAsked}`;
}
