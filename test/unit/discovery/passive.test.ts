import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceMerger } from '../../../electron/core/discovery/merge';
import { PassiveObserver } from '../../../electron/core/discovery/passive';
import type { Observation } from '../../../electron/core/discovery/observation';

describe('PassiveObserver', () => {
  test('a provisioning request becomes an observation with model, MAC and firmware', () => {
    const passive = new PassiveObserver();
    const seen: Array<[Observation, string]> = [];
    passive.on('observation', (o, req) => seen.push([o, req.path]));
    const o = passive.recordProvisioningRequest({
      ip: '::ffff:192.0.2.20',
      userAgent: 'Aastra6867i MAC:00-08-5D-1A-2B-3C V:6.5.0.224-SIP',
      path: '/prov/00085D1A2B3C.cfg',
      at: '2026-01-01T00:00:00Z',
    });
    assert.deepEqual(o, {
      method: 'passive',
      ip: '192.0.2.20',
      at: '2026-01-01T00:00:00.000Z',
      mac: '00:08:5D:1A:2B:3C',
      vendor: 'Aastra',
      model: '6867i',
      firmware: '6.5.0.224',
      banner: 'Aastra6867i MAC:00-08-5D-1A-2B-3C V:6.5.0.224-SIP',
    });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]![1], '/prov/00085D1A2B3C.cfg');
    const m = new DeviceMerger();
    for (const x of passive.observations()) m.add(x);
    const [d] = m.records();
    assert.equal(d!.classification, 'supported');
    assert.equal(d!.firmware?.source, 'passive');
    assert.equal(d!.mac?.source, 'passive');
  });

  test('Mitel prefix, MiNET load and a second request from the same phone', () => {
    const passive = new PassiveObserver();
    passive.recordProvisioningRequest({
      ip: '192.0.2.30',
      userAgent: 'Mitel6865i MAC:08-00-0F-00-00-01 V:6.4.0.140-SIP',
      path: '/6865i.cfg',
    });
    passive.recordProvisioningRequest({
      ip: '192.0.2.31',
      userAgent: 'Mitel6865i MAC:08-00-0F-00-00-01 V:6.5.0.224-SIP',
      path: '/6865i.st',
    });
    const minet = passive.recordProvisioningRequest({
      ip: '192.0.2.40',
      userAgent: 'MitelMINET_6930 MAC:14-00-E9-00-00-01 V:6.4.0.140',
      path: '/',
    });
    const list = passive.observations();
    assert.equal(list.length, 2, 'one entry per MAC');
    assert.equal(list[0]!.firmware, '6.5.0.224');
    assert.equal(list[0]!.ip, '192.0.2.31');
    assert.match(minet!.note!, /MiNET/);
  });

  test('non-phone, malformed and oversized User-Agents are ignored', () => {
    const passive = new PassiveObserver();
    for (const userAgent of [
      undefined,
      '',
      'curl/8.0',
      'Mozilla/5.0',
      'Aastra6867i',
      'Aastra6867i MAC:zz V:',
      'Aastra6867i MAC:00-08-5D-1A-2B-3C V:6.5.0.224-SIP'.padEnd(5000, 'x'),
    ]) {
      assert.equal(
        passive.recordProvisioningRequest({ ip: '192.0.2.20', userAgent, path: '/' }),
        null,
        String(userAgent).slice(0, 40),
      );
    }
    assert.equal(
      passive.recordProvisioningRequest({
        ip: 'not-an-ip',
        userAgent: 'Aastra6867i MAC:00-08-5D-1A-2B-3C V:6.5.0.224-SIP',
        path: '/',
      }),
      null,
    );
    assert.equal(passive.observations().length, 0);
  });
});
