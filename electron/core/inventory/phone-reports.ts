// Jobs that work on phones (verify, a firmware run) read what the phone runs now. Their findings go back into
// the inventory, so it shows the firmware a run just verified instead of what the last scan saw.
import { formatFirmwareVersion, parseFirmwareVersion, parseMac } from '../phone';
import { MAX_REPORTS_KEPT, type InventoryDevice, type PhoneReport } from './inventory-files';
import { flagsFor, scanNotes } from './scan-merge';

export interface PhoneReportInput {
  /** MAC in any common notation. */
  mac: string;
  at: string;
  by: PhoneReport['by'];
  jobId: string;
  /** The job's verdict on the phone. */
  ok: boolean;
  /** The firmware the phone reported, if the job read it. */
  firmware: string | null;
  /** Whether the phone answered the job at all. */
  answered: boolean;
  summary: string;
}

/** Folds reports into the devices they name; returns the new list and how many devices changed. */
export function applyPhoneReports(
  devices: readonly InventoryDevice[],
  reports: readonly PhoneReportInput[],
): { devices: InventoryDevice[]; updated: number } {
  const byMac = new Map<string, InventoryDevice>();
  const out = devices.map((d) => {
    const copy = { ...d };
    const mac = d.record.mac ? parseMac(d.record.mac.value) : null;
    // A present record wins over a gone one for the same MAC.
    if (mac && (!byMac.has(mac) || byMac.get(mac)!.state === 'gone')) byMac.set(mac, copy);
    return copy;
  });
  const changed = new Set<InventoryDevice>();
  for (const report of [...reports].sort((a, b) => a.at.localeCompare(b.at))) {
    const mac = parseMac(report.mac);
    const device = mac ? byMac.get(mac) : undefined;
    if (!device) continue;
    const version = report.firmware ? parseFirmwareVersion(report.firmware) : null;
    const current = device.record.firmware;
    if (version && (!current || report.at >= current.at)) {
      const record = {
        ...device.record,
        firmware: { value: formatFirmwareVersion(version), source: report.by, at: report.at },
      };
      device.record = { ...record, flags: flagsFor(record, scanNotes(device.record)) };
    }
    if (report.answered) {
      device.answered = true;
      if (!device.answeredAt || report.at > device.answeredAt) device.answeredAt = report.at;
      if (report.at > device.record.lastSeen) device.record = { ...device.record, lastSeen: report.at };
    }
    const { mac: _mac, answered: _answered, ...kept } = report;
    device.reports = [...(device.reports ?? []), kept].slice(-MAX_REPORTS_KEPT);
    changed.add(device);
  }
  return { devices: out, updated: changed.size };
}

/** What a verify job found per phone, as the inventory takes it (shaped like the verify report's results). */
export function verifyReports(
  jobId: string,
  results: readonly {
    mac: string;
    at: string;
    verdict: 'verified' | 'failed';
    firmware: string | null;
    answeredAfterMs: number | null;
    reasons: string[];
  }[],
): PhoneReportInput[] {
  return results.map((r) => ({
    mac: r.mac,
    at: r.at,
    by: 'verify',
    jobId,
    ok: r.verdict === 'verified',
    firmware: r.firmware,
    answered: r.answeredAfterMs !== null || r.firmware !== null,
    summary:
      r.verdict === 'verified'
        ? `Verified${r.firmware ? ` on ${r.firmware}` : ''}`
        : `Verify failed: ${r.reasons[0] ?? 'see the verify results'}`,
  }));
}

/** What a firmware run found on one phone (shaped like the run's per-phone outcome). */
export function firmwareRunReport(
  jobId: string,
  mac: string,
  outcome: { state: 'verified' | 'failed' | 'skipped'; reason: string; after: string | null },
  at = new Date().toISOString(),
): PhoneReportInput {
  return {
    mac,
    at,
    by: 'firmware-run',
    jobId,
    ok: outcome.state !== 'failed',
    firmware: outcome.after,
    answered: outcome.after !== null,
    summary:
      outcome.state === 'failed'
        ? `Firmware run failed: ${outcome.reason}`
        : `Firmware run: ${outcome.after ? `runs ${outcome.after}` : 'done'}`,
  };
}
