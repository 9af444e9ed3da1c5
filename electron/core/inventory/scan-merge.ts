// Folds one scan's devices into the stored inventory and says what changed since the last scan:
// new devices, devices gone from the scanned addresses, devices back again, moved addresses (same MAC, new IP),
// changed firmware and changed model. Nothing is ever dropped: a device not seen again is kept, marked gone.
import { parseFirmwareVersion, compareFirmware, normaliseModel } from '../phone';
import {
  MAX_PREVIOUS_IPS,
  MAX_SCAN_CHANGES,
  type Change,
  type ChangeKind,
  type InventoryDevice,
  type ScanChange,
  type ScanSummary,
} from './inventory-files';
import type { DeviceRecord } from '../discovery/device-record';

export interface ScanContext {
  id: string;
  at: string;
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

/** Fields a scan did not read this time keep what an earlier scan read (with that scan's source and time). */
function mergeRecords(prev: DeviceRecord, next: DeviceRecord): DeviceRecord {
  const keep = <T>(a: T | null, b: T | null): T | null => b ?? a;
  return {
    ...next,
    key: next.mac ? next.key : prev.key,
    mac: keep(prev.mac, next.mac),
    vendor: keep(prev.vendor, next.vendor),
    model: keep(prev.model, next.model),
    firmware: keep(prev.firmware, next.firmware),
    banner: keep(prev.banner, next.banner),
    hostname: keep(prev.hostname, next.hostname),
    ip: next.ip ?? prev.ip,
    sipPort: next.sipPort ?? prev.sipPort,
    httpPort: next.httpPort ?? prev.httpPort,
    httpsPort: next.httpsPort ?? prev.httpsPort,
    services: [...new Set([...next.services, ...prev.services])],
    sources: [...new Set([...next.sources, ...prev.sources])],
    classification: next.classification === 'unknown' ? prev.classification : next.classification,
    flags: next.firmware ? next.flags : prev.flags,
    firstSeen: prev.firstSeen < next.firstSeen ? prev.firstSeen : next.firstSeen,
    lastSeen: prev.lastSeen > next.lastSeen ? prev.lastSeen : next.lastSeen,
  };
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

  const touched = new Set<InventoryDevice>();
  const changedThisScan = new Map<InventoryDevice, Change[]>();
  for (const rec of scanned) {
    const prev = findPrevious(rec, byKey, byIp);
    if (!prev) {
      const created: InventoryDevice = {
        record: rec,
        state: 'present',
        changes: [{ kind: 'new', from: null, to: rec.ip }],
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
      continue;
    }
    const changes = changesBetween(prev, rec);
    const oldKey = prev.record.key;
    const oldIp = prev.record.ip;
    prev.record = mergeRecords(prev.record, rec);
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

  return { devices, summary: summarise(ctx, scanned.length, changedThisScan) };
}

function summarise(ctx: ScanContext, found: number, changed: Map<InventoryDevice, Change[]>): ScanSummary {
  const counts: Record<ChangeKind | 'unchanged', number> = {
    new: 0,
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
  return { id: ctx.id, at: ctx.at, ranges: ctx.ranges, found, counts, changes, changesTotal: total };
}
