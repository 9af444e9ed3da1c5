import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceMerger } from '../../../electron/core/discovery/merge';
import { DeviceRecordSchema } from '../../../electron/core/discovery/device-record';
import type { Observation } from '../../../electron/core/discovery/observation';

const t = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const IP = '192.0.2.20';
const MAC = '00:08:5D:1A:2B:3C';

function merged(observations: Observation[]) {
  const m = new DeviceMerger();
  for (const o of observations) m.add(o);
  const records = m.records();
  for (const r of records) DeviceRecordSchema.parse(r);
  return records;
}

describe('DeviceMerger', () => {
  test('precedence for model and firmware: sysinfo > passive UA > SIP banner > HTTP realm, whatever the order', () => {
    const obs: Observation[] = [
      { method: 'sysinfo', ip: IP, at: t(1), model: '6867i', firmware: '6.5.0.224' },
      { method: 'http', ip: IP, at: t(2), model: '6865i', vendor: 'Aastra', httpPort: 80 },
      {
        method: 'sip',
        ip: IP,
        at: t(3),
        model: '6867i',
        firmware: '6.4.0.140',
        vendor: 'Mitel',
        answeredSip: true,
        sipPort: 5060,
        banner: 'Mitel 6867i/6.4.0.140',
      },
      { method: 'passive', ip: IP, at: t(4), model: '6867i', firmware: '6.5.0.100', mac: MAC },
    ];
    for (const order of [obs, [...obs].reverse()]) {
      const [d] = merged(order);
      assert.equal(d!.firmware?.value, '6.5.0.224');
      assert.equal(d!.firmware?.source, 'sysinfo');
      assert.equal(d!.model?.source, 'sysinfo');
      assert.equal(d!.banner?.source, 'sip');
      assert.equal(d!.sipPort, 5060);
      assert.equal(d!.httpPort, 80);
      assert.deepEqual(d!.sources, ['http', 'passive', 'sip', 'sysinfo']);
    }
    const [noSysinfo] = merged(obs.slice(1));
    assert.equal(noSysinfo!.firmware?.value, '6.5.0.100');
    assert.equal(noSysinfo!.firmware?.source, 'passive');
    const [bannerOnly] = merged(obs.slice(1, 3));
    assert.equal(bannerOnly!.model?.value, '6867i');
    assert.equal(bannerOnly!.model?.source, 'sip');
  });

  test('an address-keyed record is re-keyed when a MAC arrives, and keeps what it had', () => {
    const m = new DeviceMerger();
    m.add({
      method: 'sip',
      ip: IP,
      at: t(1),
      model: '6867i',
      firmware: '6.5.0.224',
      vendor: 'Mitel',
      answeredSip: true,
    });
    assert.equal(m.records()[0]!.key, `ip:${IP}`);
    m.add({ method: 'neighbour', ip: IP, at: t(2), mac: '00-08-5d-1a-2b-3c', vendor: 'Aastra' });
    const records = m.records();
    assert.equal(records.length, 1);
    assert.equal(records[0]!.key, `mac:${MAC}`);
    assert.equal(records[0]!.mac?.value, MAC);
    assert.equal(records[0]!.mac?.source, 'neighbour');
    assert.equal(records[0]!.firmware?.value, '6.5.0.224');
    assert.equal(records[0]!.vendor?.value, 'Mitel', 'the banner outranks the OUI for the vendor');
    // Later address-only observations land on the MAC record.
    m.add({ method: 'http', ip: IP, at: t(3), httpPort: 80 });
    assert.equal(m.records().length, 1);
    assert.equal(m.records()[0]!.httpPort, 80);
  });

  test('a MAC seen first, then an address-only record for it, are one device', () => {
    const records = merged([
      { method: 'passive', ip: IP, at: t(1), mac: MAC, model: '6867i', firmware: '6.5.0.224' },
      { method: 'mdns', ip: '192.0.2.99', at: t(2), hostname: 'x.local', services: ['_http._tcp'] },
      { method: 'sip', ip: IP, at: t(3), answeredSip: true, sipPort: 5060 },
    ]);
    assert.equal(records.length, 2);
    assert.deepEqual(records[0]!.sources, ['passive', 'sip']);
    assert.equal(records[1]!.classification, 'unknown', 'mDNS alone does not make a phone');
    assert.deepEqual(records[1]!.services, ['_http._tcp']);
  });

  test('an address-only record is folded in when the same address later reports a known MAC', () => {
    const records = merged([
      { method: 'neighbour', ip: '192.0.2.5', at: t(1), mac: MAC },
      { method: 'http', ip: IP, at: t(2), httpPort: 80, model: '6867i', vendor: 'Aastra' },
      { method: 'sysinfo', ip: IP, at: t(3), mac: MAC, firmware: '6.5.0.224' },
    ]);
    assert.equal(records.length, 1, 'moved address: one device');
    assert.equal(records[0]!.ip, IP, 'latest address wins');
    assert.equal(records[0]!.mac?.source, 'neighbour');
    assert.deepEqual(records[0]!.sources, ['http', 'neighbour', 'sysinfo']);
  });

  test('a different MAC on an address known under another MAC is a different device', () => {
    const records = merged([
      { method: 'passive', ip: IP, at: t(1), mac: MAC, model: '6867i' },
      { method: 'neighbour', ip: IP, at: t(2), mac: '00:08:5D:00:00:99' },
    ]);
    assert.equal(records.length, 2);
  });

  test('classification and flags', () => {
    const [supported, otherMitel, otherSip, unknown] = merged([
      {
        method: 'sip',
        ip: '192.0.2.1',
        at: t(1),
        model: '6867i',
        firmware: '5.1.0.2051',
        vendor: 'Mitel',
        answeredSip: true,
      },
      {
        method: 'sip',
        ip: '192.0.2.2',
        at: t(1),
        model: '6930',
        firmware: '6.4.0.140',
        vendor: 'Mitel',
        answeredSip: true,
      },
      {
        method: 'sip',
        ip: '192.0.2.3',
        at: t(1),
        vendor: 'Yealink',
        banner: 'Yealink SIP-T46S 66.86.0.15',
        answeredSip: true,
      },
      { method: 'neighbour', ip: '192.0.2.4', at: t(1), mac: '02:00:00:00:00:04' },
    ]);
    assert.equal(supported!.classification, 'supported');
    assert.equal(supported!.flags.belowOsvMinimum, true);
    assert.ok(supported!.flags.vulnerable.includes('CVE-2024-31963'));
    assert.ok(supported!.flags.vulnerable.includes('CVE-2024-41710'));
    assert.ok(otherMitel!.flags.possiblyVulnerable.includes('CVE-2025-47188'));
    assert.equal(otherMitel!.classification, 'other-mitel');
    assert.equal(otherSip!.classification, 'other-sip');
    assert.deepEqual(otherSip!.flags, { belowOsvMinimum: false, vulnerable: [], possiblyVulnerable: [], notes: [] });
    assert.equal(unknown!.classification, 'unknown');
    const [current] = merged([{ method: 'sysinfo', ip: IP, at: t(1), model: '6865i', firmware: '6.5.0.224' }]);
    assert.equal(current!.flags.belowOsvMinimum, false);
    assert.deepEqual(current!.flags.vulnerable, []);
  });

  test('an OUI alone makes an other-mitel device; a note alone adds no source', () => {
    const [d] = merged([
      { method: 'neighbour', ip: IP, at: t(1), mac: MAC, vendor: 'Aastra' },
      { method: 'sysinfo', ip: IP, at: t(2), noteOnly: true, note: 'The phone rejected the admin password.' },
    ]);
    assert.equal(d!.classification, 'other-mitel');
    assert.deepEqual(d!.sources, ['neighbour']);
    assert.ok(d!.flags.notes.includes('The phone rejected the admin password.'));
  });
});
