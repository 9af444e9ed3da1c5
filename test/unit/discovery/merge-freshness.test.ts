// The merger ranks observations by freshness before source: what a phone says during this run beats what an
// older sighting said, whatever the sources (defect: a stale provisioning request beat a fresh SIP banner).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceMerger } from '../../../electron/core/discovery/merge';
import type { Observation } from '../../../electron/core/discovery/observation';

const IP = '192.0.2.30';
const MAC = '00:08:5D:1A:2B:3D';
const SCAN_START = '2026-11-29T23:02:00.000Z';

function merge(observations: Observation[], since = SCAN_START) {
  const m = new DeviceMerger({ since });
  for (const o of observations) m.add(o);
  return m.records();
}

const stalePassive: Observation = {
  method: 'passive',
  ip: IP,
  at: '2026-11-29T22:57:00.000Z',
  mac: MAC,
  model: '6867i',
  firmware: '6.4.0.140',
  banner: 'Mitel6867i MAC:00-08-5D-1A-2B-3D V:6.4.0.140-SIP',
};
const freshSip: Observation = {
  method: 'sip',
  ip: IP,
  at: '2026-11-29T23:02:05.000Z',
  model: '6867i',
  firmware: '6.5.0.224',
  banner: 'Mitel 6867i/6.5.0.224',
  answeredSip: true,
  sipPort: 5060,
};

describe('DeviceMerger freshness', () => {
  test('a fresh SIP banner beats a provisioning request from before the scan, in either order', () => {
    for (const order of [
      [stalePassive, freshSip],
      [freshSip, stalePassive],
    ]) {
      const [d] = merge(order);
      assert.equal(d!.firmware?.value, '6.5.0.224');
      assert.equal(d!.firmware?.source, 'sip');
      assert.equal(d!.flags.belowOsvMinimum, false);
      // The MAC only the old request knew is still used: older observations fill what is missing.
      assert.equal(d!.mac?.value, MAC);
    }
  });

  test('a provisioning request made during the scan is fresh and keeps its rank over the SIP banner', () => {
    const duringScan = { ...stalePassive, at: '2026-11-29T23:02:07.000Z', firmware: '6.5.0.300' };
    const [d] = merge([freshSip, duringScan]);
    assert.equal(d!.firmware?.value, '6.5.0.300');
    assert.equal(d!.firmware?.source, 'passive');
  });

  test('among stale observations only, the most trusted wins as before', () => {
    const oldSip = { ...freshSip, at: '2026-11-29T22:58:00.000Z' };
    const [d] = merge([stalePassive, oldSip]);
    assert.equal(d!.firmware?.source, 'passive');
  });

  test('when an address-only record is folded into the MAC record, freshness still decides', () => {
    const m = new DeviceMerger({ since: SCAN_START });
    m.add(freshSip);
    m.add({ ...stalePassive, ip: '192.0.2.31' });
    m.add({ method: 'neighbour', ip: IP, at: '2026-11-29T23:03:00.000Z', mac: MAC });
    const [d] = m.records().filter((r) => r.mac?.value === MAC);
    assert.equal(d!.firmware?.value, '6.5.0.224');
  });
});
