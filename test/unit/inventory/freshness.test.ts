// An inventory you can trust: the newest reading of a field wins across scans and jobs, a phone vouched for
// only by the network or an old provisioning request is "no answer", and verify/firmware results update it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeScan, type ScanContext } from '../../../electron/core/inventory/scan-merge';
import { applyPhoneReports } from '../../../electron/core/inventory/phone-reports';
import { buildRows } from '../../../electron/core/inventory/inventory-rows';
import { phoneRecord, inSubnet } from './records';
import type { DeviceRecord } from '../../../electron/core/discovery/device-record';

const A = '00:08:5D:00:00:0A';
const scanAt = (at: string, startedAt = at): ScanContext => ({
  id: `scan-${at}`,
  at,
  startedAt,
  ranges: ['10.0.0.0/24'],
  covers: inSubnet('10.0.0.'),
});

/** What the merger makes of a phone whose only sighting this run is an old provisioning request. */
function passiveOnly(at: string, firmware: string): DeviceRecord {
  const r = phoneRecord({ ip: '10.0.0.1', mac: A, firmware, at });
  const passive = <T extends { source: string }>(f: T | null) => (f ? { ...f, source: 'passive' as const } : null);
  return {
    ...r,
    mac: passive(r.mac),
    model: passive(r.model),
    firmware: passive(r.firmware),
    banner: passive(r.banner),
    vendor: passive(r.vendor),
    sources: ['passive'],
  };
}

test('an old provisioning request never replaces a newer firmware reading, and is no change', () => {
  const first = mergeScan(
    [],
    [phoneRecord({ ip: '10.0.0.1', mac: A, firmware: '6.5.0.224', at: '2026-11-29T23:00:00.000Z' })],
    scanAt('2026-11-29T23:00:00.000Z'),
  ).devices;
  // A later scan where /sysinfo.html was refused and the phone only shows up through a request from 22:57.
  const { devices, summary } = mergeScan(
    first,
    [passiveOnly('2026-11-29T22:57:00.000Z', '6.4.0.140')],
    scanAt('2026-11-29T23:10:30.000Z', '2026-11-29T23:10:00.000Z'),
  );
  assert.equal(devices[0]!.record.firmware?.value, '6.5.0.224');
  assert.equal(devices[0]!.record.flags.belowOsvMinimum, false);
  assert.equal(summary.counts.firmware, 0);
  assert.deepEqual(devices[0]!.changes, []);
  // And it did not answer that scan: it is marked so, not "present".
  assert.equal(devices[0]!.answered, false);
  assert.equal(summary.counts.noAnswer, 1);
  assert.equal(buildRows(devices, [])[0]!.presence, 'no-answer');
  assert.equal(buildRows(devices, [])[0]!.lastAnswer, '2026-11-29T23:00:00.000Z');
});

test('a newer reading from a later scan wins and is reported as a firmware change, with flags to match', () => {
  const first = mergeScan(
    [],
    [phoneRecord({ ip: '10.0.0.1', mac: A, firmware: '6.5.0.224', at: '2026-11-29T23:00:00.000Z' })],
    scanAt('2026-11-29T23:00:00.000Z'),
  ).devices;
  const { devices, summary } = mergeScan(
    first,
    [phoneRecord({ ip: '10.0.0.1', mac: A, firmware: '6.4.0.140', at: '2026-11-29T23:20:00.000Z' })],
    scanAt('2026-11-29T23:20:00.000Z'),
  );
  assert.equal(devices[0]!.record.firmware?.value, '6.4.0.140');
  assert.equal(devices[0]!.record.flags.belowOsvMinimum, true);
  assert.equal(summary.counts.firmware, 1);
  assert.equal(devices[0]!.answered, true);
});

test('a phone seen only in the neighbour table did not answer; a provisioning request during the scan did', () => {
  const neighbourOnly: DeviceRecord = { ...phoneRecord({ ip: '10.0.0.1', mac: A }), sources: ['neighbour'] };
  const r1 = mergeScan([], [neighbourOnly], scanAt('2026-11-29T23:00:00.000Z'));
  assert.equal(r1.devices[0]!.answered, false);
  const during = passiveOnly('2026-11-29T23:00:10.000Z', '6.5.0.224');
  const r2 = mergeScan([], [during], scanAt('2026-11-29T23:00:30.000Z', '2026-11-29T23:00:00.000Z'));
  assert.equal(r2.devices[0]!.answered, true);
});

test('a sheet phone seen for the first time is "seen", not "new"', () => {
  const { devices, summary } = mergeScan([], [phoneRecord({ ip: '10.0.0.1', mac: A })], {
    ...scanAt('2026-11-29T23:00:00.000Z'),
    expected: new Set([A]),
  });
  assert.deepEqual(
    devices[0]!.changes.map((c) => c.kind),
    ['seen'],
  );
  assert.equal(summary.counts.seen, 1);
  assert.equal(summary.counts.new, 0);
});

test('verify and firmware results update the firmware, flags and answer time; an older result does not', () => {
  const scanned = mergeScan(
    [],
    [phoneRecord({ ip: '10.0.0.1', mac: A, firmware: '5.1.0.2051', at: '2026-11-29T23:00:00.000Z' })],
    scanAt('2026-11-29T23:00:00.000Z'),
  ).devices;
  assert.equal(scanned[0]!.record.flags.belowOsvMinimum, true);
  const { devices, updated } = applyPhoneReports(scanned, [
    {
      mac: '00085D00000A',
      at: '2026-11-29T23:30:00.000Z',
      by: 'firmware-run',
      jobId: 'job-1',
      ok: true,
      firmware: '6.5.0.224',
      answered: true,
      summary: 'verified on 6.5.0.224',
    },
  ]);
  assert.equal(updated, 1);
  const d = devices[0]!;
  assert.deepEqual(d.record.firmware, { value: '6.5.0.224', source: 'firmware-run', at: '2026-11-29T23:30:00.000Z' });
  assert.equal(d.record.flags.belowOsvMinimum, false);
  assert.equal(d.answeredAt, '2026-11-29T23:30:00.000Z');
  assert.equal(d.reports?.[0]?.summary, 'verified on 6.5.0.224');
  assert.equal(buildRows(devices, [])[0]!.firmware, '6.5.0.224');

  // A report older than the reading it would replace only goes into the history.
  const older = applyPhoneReports(devices, [
    {
      mac: A,
      at: '2026-11-29T23:10:00.000Z',
      by: 'verify',
      jobId: 'job-0',
      ok: false,
      firmware: '5.1.0.2051',
      answered: true,
      summary: 'failed',
    },
  ]).devices[0]!;
  assert.equal(older.record.firmware?.value, '6.5.0.224');
  assert.equal(older.reports?.length, 2);
  // Unknown phones are left out.
  assert.equal(
    applyPhoneReports(devices, [{ ...older.reports![0]!, mac: '00:08:5D:99:99:99', answered: true }]).updated,
    0,
  );
});

test('credential trouble is summarised in one sentence', async () => {
  const { credentialNote } = await import('../../../electron/core/inventory/scan-merge');
  assert.equal(credentialNote(null), null);
  assert.equal(credentialNote({ read: 20, rejected: 0, skipped: 0 }), null);
  assert.match(
    credentialNote({ read: 0, rejected: 20, skipped: 0 })!,
    /^20 of 20 phones rejected the admin password: the site admin password is probably wrong/,
  );
  assert.match(
    credentialNote({ read: 18, rejected: 2, skipped: 0 })!,
    /^2 of 20 phones rejected every admin password Fieldkit tried: they probably keep one of their own/,
  );
  assert.match(credentialNote({ read: 0, rejected: 0, skipped: 4 })!, /^4 phones were not asked/);
  const summary = mergeScan([], [], {
    ...scanAt('2026-11-29T23:00:00.000Z'),
    sysinfo: { read: 0, rejected: 3, skipped: 0 },
  }).summary;
  assert.match(summary.credentials!, /3 of 3 phones rejected/);
});

test('a scan of one address does not mark phones elsewhere as not answering (their old requests come along)', () => {
  const first = mergeScan(
    [],
    [phoneRecord({ ip: '10.0.0.1', mac: A, firmware: '6.5.0.224', at: '2026-11-29T23:00:00.000Z' })],
    scanAt('2026-11-29T23:00:00.000Z'),
  ).devices;
  const { devices, summary } = mergeScan(first, [passiveOnly('2026-11-29T22:57:00.000Z', '6.5.0.224')], {
    ...scanAt('2026-11-29T23:10:30.000Z', '2026-11-29T23:10:00.000Z'),
    covers: (ip) => ip === '10.0.0.99',
  });
  assert.equal(devices[0]!.answered, true);
  assert.equal(summary.counts.noAnswer, 0);
});
