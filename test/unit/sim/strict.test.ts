// The simulator is as strict as the public record, point by point (test/sim/README.md "Strict by default").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SimPhone } from '../../sim/phone';
import { buildFirmwareImage } from '../../sim/firmware-image';
import { httpRequest, sendSip, startProvisioningServer } from '../../sim/testing';
import type { SimPhoneOptions } from '../../sim/phone';
import type { ProvisioningServer } from '../../sim/testing';

const SIP = 15062;
const HTTP = 18082;
let server: ProvisioningServer;
let firmwareServer: ProvisioningServer;
const phones: SimPhone[] = [];
let n = 0;

function phone(extra: Partial<SimPhoneOptions> = {}): SimPhone {
  n++;
  const p = new SimPhone({
    model: '6867i',
    mac: `00:08:5D:0A:00:${n.toString(16).padStart(2, '0')}`,
    firmware: '6.5.0.224',
    address: `127.203.0.${n}`,
    sipPort: SIP,
    httpPort: HTTP,
    httpsPort: null,
    provisioningUrl: server.url,
    bootMs: 20,
    flashMs: 20,
    ...extra,
  });
  phones.push(p);
  return p;
}

const notify = (to: string, from: string) =>
  sendSip({
    method: 'NOTIFY',
    to: { host: to, port: SIP },
    localAddress: from,
    extraHeaders: ['Event: check-sync'],
    timeoutMs: 400,
  });

describe('the simulator is as strict as the record', () => {
  before(async () => {
    server = await startProvisioningServer('127.0.0.1');
    firmwareServer = await startProvisioningServer('127.0.0.2');
  });
  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await server.close();
    await firmwareServer.close();
  });

  test('sip whitelist: 1 refuses NOTIFY check-sync from a host that is not its proxy (AG322 p.A-240, RN 2.2 p.92)', async () => {
    server.files.clear();
    server.files.set('prov/startup.cfg', 'sip whitelist: 1\nsip proxy ip: 127.0.0.50\nsip registrar ip: 127.0.0.51\n');
    const p = phone();
    await p.start();
    const seq = p.lastSeq;
    const refused = await notify(p.address, '127.0.0.9');
    assert.match(refused ?? '', /^SIP\/2\.0 403 /, 'a laptop that is not the proxy is refused');
    assert.ok(!p.history.some((e) => e.seq > seq && e.type === 'boot-started'), 'and the phone does not restart');
    assert.match(
      (await sendSip({ method: 'INVITE', to: { host: p.address, port: SIP }, localAddress: '127.0.0.9' })) ?? '',
      /^SIP\/2\.0 403 /,
      'call requests too',
    );
    assert.match(
      (await sendSip({ method: 'OPTIONS', to: { host: p.address, port: SIP }, localAddress: '127.0.0.9' })) ?? '',
      /^SIP\/2\.0 200 /,
      'OPTIONS are not covered by the record: still answered',
    );
    assert.match((await notify(p.address, '127.0.0.51')) ?? '', /^SIP\/2\.0 200 /, 'its registrar may');
    await p.waitForEvent('online', { afterSeq: seq });
  });

  test('without the whitelist any host may send check-sync (the default is 0)', async () => {
    server.files.clear();
    server.files.set('prov/startup.cfg', 'sip proxy ip: 127.0.0.50\n');
    const p = phone();
    await p.start();
    const seq = p.lastSeq;
    assert.match((await notify(p.address, '127.0.0.9')) ?? '', /^SIP\/2\.0 200 /);
    await p.waitForEvent('online', { afterSeq: seq });
  });

  test('sip transport protocol: 4 (TLS): no SIP answer on 5060 at all, the web UI still answers (phone-facts §10)', async () => {
    server.files.clear();
    server.files.set('prov/startup.cfg', '!sip transport protocol: 4\n');
    const p = phone();
    await p.start();
    assert.equal(await notify(p.address, '127.0.0.9'), null, 'no UDP NOTIFY answer');
    assert.equal(
      await sendSip({ method: 'OPTIONS', to: { host: p.address, port: SIP }, timeoutMs: 300 }),
      null,
      'no UDP OPTIONS answer',
    );
    assert.ok(p.history.some((e) => e.type === 'sip-not-listening'));
    const web = await httpRequest(`http://${p.address}:${HTTP}/sysinfo.html`, { auth: 'admin:22222' });
    assert.equal(web.status, 200);
  });

  test('firmware server: the <model>.st comes from that URL, not from the configuration path, and a 404 there is not retried at home (2ASTRA fetch log)', async () => {
    server.files.clear();
    firmwareServer.files.clear();
    firmwareServer.requests.length = 0;
    const image = buildFirmwareImage({ model: '6867i', version: '5.0.0.1018', sizeBytes: 512 });
    server.files.set('prov/6867i.st', buildFirmwareImage({ model: '6867i', version: '6.4.0.140', sizeBytes: 512 }));
    firmwareServer.files.set('fw/6867i.st', image);
    const p = phone();
    server.files.set(`prov/${p.mac}.cfg`, `firmware server: "${firmwareServer.url.replace('/prov/', '/fw')}"\n`);
    server.requests.length = 0;
    await p.start();
    assert.equal(p.firmware, '5.0.0.1018', 'flashed the image of the firmware server');
    assert.deepEqual(
      firmwareServer.requests.map((r) => r.path),
      ['fw/6867i.st'],
    );
    assert.ok(!server.requests.some((r) => r.path.endsWith('.st')), 'home .st not asked for');

    firmwareServer.files.delete('fw/6867i.st');
    const seq = p.lastSeq;
    await p.reboot('full', 'test');
    assert.equal(p.firmware, '5.0.0.1018', 'no fallback to the configuration path (which serves 6.4.0.140)');
    assert.ok(
      p.history.some((e) => e.seq > seq && e.type === 'file-fetched' && e.detail.result === 'missing'),
      'the 404 is recorded',
    );
  });

  test('values set in the web UI are local and beat startup.cfg until resetOption=2 or Command: ClearLocal (AG420 p.1-25, XMLGUIDE p.151)', async () => {
    server.files.clear();
    server.files.set('prov/startup.cfg', 'xml application post list: 127.0.0.8\n');
    const p = phone();
    await p.start();
    const base = `http://${p.address}:${HTTP}`;
    const set = await httpRequest(`${base}/configurationServer.html`, {
      method: 'POST',
      auth: 'admin:22222',
      body: 'protocol=HTTP&httpserv=127.0.0.1&httppath=elsewhere&httpport=' + new URL(server.url).port,
    });
    assert.match(set.body, /Provisioning complete/);
    assert.equal(p.inspect().settings.local['http path'], 'elsewhere');
    // The server changes its mind in startup.cfg: the local value wins at every boot.
    server.files.set('elsewhere/startup.cfg', 'http path: prov\nxml application post list: 127.0.0.8\n');
    await p.reboot('full', 'test');
    assert.equal(p.setting('http path'), 'elsewhere', 'local wins over the file');
    // XML Command: ClearLocal removes every local value.
    const push = await httpRequest(`${base}/`, {
      method: 'POST',
      localAddress: '127.0.0.8',
      contentType: 'text/xml',
      body: 'xml=<AastraIPPhoneExecute><ExecuteItem URI="Command: ClearLocal"/></AastraIPPhoneExecute>',
    });
    assert.equal(push.status, 200);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(p.inspect().settings.local, {});
    assert.ok(p.history.some((e) => e.type === 'local-config-removed' && e.detail.via === 'xml Command: ClearLocal'));
  });

  test('"Session Expired": a client idle longer than the session gets that page once, then a new session (MITEL-AUTO)', async () => {
    server.files.clear();
    const p = phone({ webSessionIdleMs: 100 });
    await p.start();
    const url = `http://${p.address}:${HTTP}/sysinfo.html`;
    const first = await httpRequest(url, { auth: 'admin:22222' });
    assert.match(first.body, /Firmware Version/);
    await new Promise((r) => setTimeout(r, 200));
    const expired = await httpRequest(url, { auth: 'admin:22222' });
    assert.equal(expired.status, 200);
    assert.match(expired.body, /Session Expired/);
    assert.doesNotMatch(expired.body, /Firmware Version/);
    const again = await httpRequest(url, { auth: 'admin:22222' });
    assert.match(again.body, /Firmware Version/, 'the next request is a new login');
    // A POST in an expired session is not applied.
    await new Promise((r) => setTimeout(r, 200));
    const seq = p.lastSeq;
    const reset = await httpRequest(`http://${p.address}:${HTTP}/reset.html`, {
      method: 'POST',
      auth: 'admin:22222',
      body: 'resetOption=0',
    });
    assert.match(reset.body, /Session Expired/);
    assert.ok(!p.history.some((e) => e.seq > seq && e.type === 'web-reset'));
  });
});
