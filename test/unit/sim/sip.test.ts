import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SimPhone } from '../../sim/phone';
import { headerOf, sendSip } from '../../sim/testing';

const SIP_PORT = 15060;

describe('simulated phone SIP', () => {
  const mitel = new SimPhone({
    model: '6867i',
    mac: '00:08:5D:1A:2B:3C',
    firmware: '6.5.0.224',
    address: '127.201.0.1',
    bannerPrefix: 'Mitel',
    sipPort: SIP_PORT,
    httpPort: null,
    httpsPort: null,
    bootMs: 50,
  });
  const aastra = new SimPhone({
    model: '6865i',
    mac: '00:10:BC:00:00:02',
    firmware: '5.1.0.2051',
    address: '127.201.0.2',
    bannerPrefix: 'Aastra',
    sipPort: SIP_PORT,
    httpPort: null,
    httpsPort: null,
  });
  before(async () => Promise.all([mitel.start(), aastra.start()]));
  after(async () => Promise.all([mitel.stop(), aastra.stop()]));

  test('OPTIONS gets 200 with the Server banner for both prefixes', async () => {
    const r1 = await sendSip({ method: 'OPTIONS', to: { host: '127.201.0.1', port: SIP_PORT } });
    assert.match(r1 ?? '', /^SIP\/2\.0 200 OK\r\n/);
    assert.equal(headerOf(r1!, 'Server'), 'Mitel 6867i/6.5.0.224');
    const r2 = await sendSip({ method: 'OPTIONS', to: { host: '127.201.0.2', port: SIP_PORT } });
    assert.equal(headerOf(r2!, 'Server'), 'Aastra 6865i/5.1.0.2051');
  });

  test('response copies Via with received/rport, From, Call-ID, CSeq and adds a To tag', async () => {
    const r = (await sendSip({
      method: 'OPTIONS',
      to: { host: '127.201.0.1', port: SIP_PORT },
      viaRport: true,
      localAddress: '127.0.0.9',
    }))!;
    assert.match(headerOf(r, 'Via')!, /;rport=\d+/);
    assert.match(headerOf(r, 'Via')!, /;received=127\.0\.0\.9/);
    assert.equal(headerOf(r, 'From'), '<sip:tester@127.0.0.9>;tag=abc123');
    assert.match(headerOf(r, 'To')!, /^<sip:127\.201\.0\.1>;tag=[0-9a-f]+$/);
    assert.ok(headerOf(r, 'Call-ID')!.endsWith('@test'));
    assert.equal(headerOf(r, 'CSeq'), '1 OPTIONS');
    assert.equal(headerOf(r, 'Content-Length'), '0');
    assert.match(headerOf(r, 'Allow')!, /OPTIONS/);
  });

  test('other methods get the answers a UA gives', async () => {
    const to = { host: '127.201.0.1', port: SIP_PORT };
    assert.match((await sendSip({ method: 'INVITE', to }))!, /^SIP\/2\.0 480 /);
    assert.match((await sendSip({ method: 'REGISTER', to }))!, /^SIP\/2\.0 405 /);
    assert.match((await sendSip({ method: 'BYE', to }))!, /^SIP\/2\.0 481 /);
    assert.match((await sendSip({ method: 'FOOBAR', to }))!, /^SIP\/2\.0 501 /);
    assert.match((await sendSip({ method: 'NOTIFY', to, extraHeaders: ['Event: dialog'] }))!, /^SIP\/2\.0 489 /);
    assert.equal(await sendSip({ method: 'ACK', to, timeoutMs: 300 }), null);
  });

  test('malformed messages are ignored', async () => {
    const to = { host: '127.201.0.1', port: SIP_PORT };
    assert.equal(
      await sendSip({ method: 'OPTIONS', to, raw: 'OPTIONS sip:x SIP/2.0\r\nVia: nonsense\r\n\r\n', timeoutMs: 300 }),
      null,
    );
    assert.equal(await sendSip({ method: 'OPTIONS', to, raw: '\u0000\u0001garbage', timeoutMs: 300 }), null);
    // still alive afterwards
    assert.match((await sendSip({ method: 'OPTIONS', to }))!, /200 OK/);
  });

  test('NOTIFY check-sync answers 200 and then reboots with a firmware check', async () => {
    const seq = mitel.lastSeq;
    const r = await sendSip({
      method: 'NOTIFY',
      to: { host: '127.201.0.1', port: SIP_PORT },
      extraHeaders: ['Event: check-sync;reboot=true'],
    });
    assert.match(r!, /^SIP\/2\.0 200 OK/);
    const boot = await mitel.waitForEvent('boot-started', { afterSeq: seq });
    assert.deepEqual([boot.detail.kind, boot.detail.reason], ['full', 'sip check-sync']);
    await mitel.waitForEvent('online', { afterSeq: seq });
  });

  test('SIP over TCP answers OPTIONS too', async () => {
    const net = await import('node:net');
    const reply = await new Promise<string>((resolve, reject) => {
      const s = net.connect(SIP_PORT, '127.201.0.2', () => {
        s.write(
          [
            'OPTIONS sip:127.201.0.2 SIP/2.0',
            'Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKt1',
            'From: <sip:a@b>;tag=1',
            'To: <sip:c@d>',
            'Call-ID: tcp1',
            'CSeq: 7 OPTIONS',
            'Content-Length: 0',
            '',
            '',
          ].join('\r\n'),
        );
      });
      s.on('data', (d) => {
        resolve(d.toString());
        s.destroy();
      });
      s.on('error', reject);
    });
    assert.equal(headerOf(reply, 'Server'), 'Aastra 6865i/5.1.0.2051');
    assert.equal(headerOf(reply, 'CSeq'), '7 OPTIONS');
  });

  test('faults: unreachable drops everything, lossy SIP drops a seeded share', async () => {
    const to = { host: '127.201.0.2', port: SIP_PORT };
    aastra.setFaults({ unreachable: true });
    assert.equal(await sendSip({ method: 'OPTIONS', to, timeoutMs: 300 }), null);
    aastra.setFaults({ sipLossRate: 0.5, sipLossSeed: 42 });
    const answers: boolean[] = [];
    for (let i = 0; i < 12; i++) answers.push((await sendSip({ method: 'OPTIONS', to, timeoutMs: 150 })) !== null);
    aastra.setFaults({ sipLossRate: 0.5, sipLossSeed: 42 });
    const again: boolean[] = [];
    for (let i = 0; i < 12; i++) again.push((await sendSip({ method: 'OPTIONS', to, timeoutMs: 150 })) !== null);
    assert.deepEqual(again, answers, 'same seed, same losses');
    assert.ok(answers.includes(true) && answers.includes(false), `expected a mix, got ${answers}`);
    aastra.setFaults({ slowMs: 300 });
    const t0 = Date.now();
    assert.notEqual(await sendSip({ method: 'OPTIONS', to, timeoutMs: 1000 }), null);
    assert.ok(Date.now() - t0 >= 290);
    aastra.setFaults({});
  });
});
