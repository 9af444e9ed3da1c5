import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildFirmwareImage, verifyFirmwareImage } from '../../sim/firmware-image';
import { SimPhone } from '../../sim/phone';
import { httpRequest, startProvisioningServer } from '../../sim/testing';
import type { SimPhoneOptions } from '../../sim/phone';
import type { ProvisioningServer } from '../../sim/testing';

let server: ProvisioningServer;
let n = 0;
const phones: SimPhone[] = [];

function phone(extra: Partial<SimPhoneOptions> = {}): SimPhone {
  n++;
  const p = new SimPhone({
    model: '6867i',
    mac: `00:08:5D:00:0F:${n.toString(16).padStart(2, '0')}`,
    firmware: '6.4.0.140',
    address: `127.203.0.${n}`,
    sipPort: null,
    httpPort: 18081,
    httpsPort: null,
    provisioningUrl: server.url,
    bootMs: 20,
    flashMs: 80,
    ...extra,
  });
  phones.push(p);
  return p;
}

const image = (version: string, extra: { model?: string; corrupt?: boolean } = {}) =>
  buildFirmwareImage({ model: extra.model ?? '6867i', version, sizeBytes: 2048, corrupt: extra.corrupt });

describe('firmware images and flashing', () => {
  before(async () => {
    server = await startProvisioningServer('127.0.0.1');
  });
  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await server.close();
  });

  test('image format round-trips and detects damage and wrong model', () => {
    assert.deepEqual(verifyFirmwareImage(image('6.5.0.224'), '6867i'), {
      ok: true,
      model: '6867i',
      version: '6.5.0.224',
    });
    assert.equal(verifyFirmwareImage(image('6.5.0.224', { corrupt: true }), '6867i').ok, false);
    assert.match(
      JSON.stringify(verifyFirmwareImage(image('6.5.0.224'), '6865i')),
      /image is for 6867i, phone is 6865i/,
    );
    assert.equal(verifyFirmwareImage(Buffer.from('garbage'), '6867i').ok, false);
    assert.throws(() => buildFirmwareImage({ model: '6867i', version: '6.5' }), /four numeric fields/);
  });

  test('a newer image is flashed, the same version is not', async () => {
    server.files.set('prov/6867i.st', image('6.5.0.224'));
    const p = phone();
    await p.start();
    assert.equal(p.firmware, '6.5.0.224');
    assert.ok(p.history.some((e) => e.type === 'flash-done'));
    const seq = p.lastSeq;
    await p.reboot('full', 'again');
    assert.equal(p.firmware, '6.5.0.224');
    assert.ok(p.history.some((e) => e.seq > seq && e.type === 'firmware-unchanged'));
    assert.ok(!p.history.some((e) => e.seq > seq && e.type === 'flash-started'));
  });

  test('an older image is flashed too (differs-rule, not newer-than)', async () => {
    server.files.set('prov/6867i.st', image('5.1.0.2051'));
    const p = phone();
    await p.start();
    assert.equal(p.firmware, '5.1.0.2051');
  });

  test('flashing takes extra time', async () => {
    server.files.set('prov/6867i.st', image('6.5.0.224'));
    const slow = phone({ flashMs: 400 });
    const t0 = Date.now();
    await slow.start();
    assert.ok(Date.now() - t0 >= 400, 'flash time spent');
  });

  test('corrupt and wrong-model images fail; the phone stays on its old version', async () => {
    server.files.set('prov/6867i.st', image('6.5.0.224', { corrupt: true }));
    const p = phone();
    await p.start();
    assert.equal(p.firmware, '6.4.0.140');
    assert.equal(p.history.find((e) => e.type === 'flash-failed')?.detail.reason, 'checksum mismatch');
    server.files.set('prov/6867i.st', image('6.5.0.224', { model: '6865i' }));
    const q = phone();
    await q.start();
    assert.equal(q.firmware, '6.4.0.140');
    assert.match(String(q.history.find((e) => e.type === 'flash-failed')?.detail.reason), /image is for 6865i/);
  });

  test('power loss mid-flash: the phone comes back on the old version', async () => {
    server.files.set('prov/6867i.st', image('6.5.0.224'));
    const p = phone({ faults: { powerLossMidFlash: true } });
    const started = p.start();
    const lost = await p.waitForEvent('power-lost');
    assert.equal(lost.detail.firmware, '6.4.0.140');
    // Power is back: the next boot runs the old firmware (and, as any full boot, checks firmware again).
    const restored = await p.waitForEvent('boot-started', { afterSeq: lost.seq });
    assert.equal(restored.detail.firmware, '6.4.0.140');
    assert.equal(restored.detail.reason, 'power restored');
    await started;
    assert.equal(p.firmware, '6.5.0.224', 'second attempt succeeded since the fault is one-shot');
  });

  test('XML Command: FastReboot skips the firmware check, Command: Reset does it', async () => {
    server.files.delete('prov/6867i.st');
    const p = phone();
    await p.start();
    await httpRequest(`http://${p.address}:18081/configurationServer.html`, {
      method: 'POST',
      auth: 'admin:22222',
      body: 'postList=127.0.0.1',
    });
    server.files.set('prov/6867i.st', image('6.5.0.224'));
    server.requests.length = 0;
    let seq = p.lastSeq;
    const fast = await httpRequest(`http://${p.address}:18081/`, {
      method: 'POST',
      body: 'xml=<AastraIPPhoneExecute><ExecuteItem URI="Command: FastReboot"/></AastraIPPhoneExecute>',
      contentType: 'text/xml',
    });
    assert.equal(fast.status, 200);
    await p.waitForEvent('online', { afterSeq: seq });
    assert.equal(p.firmware, '6.4.0.140');
    assert.ok(!server.requests.some((r) => r.path.endsWith('.st')), 'no .st fetched on FastReboot');
    assert.ok(
      server.requests.some((r) => r.path.endsWith('startup.cfg')),
      'config still fetched',
    );
    seq = p.lastSeq;
    await httpRequest(`http://${p.address}:18081/`, {
      method: 'POST',
      body:
        'xml=' + encodeURIComponent('<AastraIPPhoneExecute><ExecuteItem URI="Command: Reset"/></AastraIPPhoneExecute>'),
    });
    await p.waitForEvent('online', { afterSeq: seq, timeoutMs: 5000 });
    assert.equal(p.firmware, '6.5.0.224');
  });
});
