import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { crossedTimeOfDay, ManualClock, parseResyncTime } from '../../sim/clock';
import { buildFirmwareImage } from '../../sim/firmware-image';
import { SimPhone } from '../../sim/phone';
import { startProvisioningServer } from '../../sim/testing';
import type { ProvisioningServer } from '../../sim/testing';

const MIDNIGHT = Date.UTC(2026, 0, 10);
const at = (h: number, m: number) => MIDNIGHT + (h * 60 + m) * 60_000;

test('resync time parsing and crossing', () => {
  assert.equal(parseResyncTime('03:30'), 210);
  assert.equal(parseResyncTime('03h30'), 210);
  assert.equal(parseResyncTime('25:00'), null);
  assert.equal(crossedTimeOfDay(at(2, 59), at(3, 0), 180), true);
  assert.equal(crossedTimeOfDay(at(3, 0), at(3, 5), 180), false);
  assert.equal(crossedTimeOfDay(at(23, 0), at(24 + 3, 1), 180), true);
});

describe('auto resync driven by the test clock', () => {
  let server: ProvisioningServer;
  const clock = new ManualClock(at(1, 0));
  let p: SimPhone;
  before(async () => {
    server = await startProvisioningServer('127.0.0.1');
    server.files.set('prov/startup.cfg', 'auto resync mode: 2\nauto resync time: 03:00\n');
    p = new SimPhone({
      model: '6867i',
      mac: '00:08:5D:00:AA:01',
      firmware: '6.4.0.140',
      address: '127.205.0.1',
      sipPort: null,
      httpPort: null,
      httpsPort: null,
      provisioningUrl: server.url,
      bootMs: 20,
      flashMs: 20,
      clock,
    });
    await p.start();
  });
  after(async () => {
    await p.stop();
    await server.close();
  });

  test('nothing happens before the time; at the time a differing firmware is flashed', async () => {
    clock.set(at(2, 59));
    assert.ok(!p.history.some((e) => e.type === 'auto-resync'));
    server.files.set('prov/6867i.st', buildFirmwareImage({ model: '6867i', version: '6.5.0.224', sizeBytes: 512 }));
    const seq = p.lastSeq;
    clock.set(at(3, 0));
    await p.waitForEvent('flash-done', { afterSeq: seq });
    await p.waitForEvent('online', { afterSeq: seq });
    assert.equal(p.firmware, '6.5.0.224');
  });

  test('mode 1 re-reads config without a firmware check', async () => {
    server.files.set('prov/startup.cfg', 'auto resync mode: 1\nauto resync time: 04:00\nsip line1 user name: 3003\n');
    await p.reboot('full', 'pick up mode 1');
    server.files.set('prov/6867i.st', buildFirmwareImage({ model: '6867i', version: '6.6.0.1', sizeBytes: 512 }));
    server.files.set('prov/startup.cfg', 'auto resync mode: 1\nauto resync time: 04:00\nsip line1 user name: 4004\n');
    const seq = p.lastSeq;
    clock.set(at(4, 1));
    await p.waitForEvent('config-applied', { afterSeq: seq });
    assert.equal(p.setting('sip line1 user name'), '4004');
    assert.equal(p.firmware, '6.5.0.224');
    assert.ok(!p.history.some((e) => e.seq > seq && e.type === 'file-fetched' && e.detail.file === '6867i.st'));
  });
});
