import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SimPhone } from '../../sim/phone';
import { httpRequest } from '../../sim/testing';

const HTTP = 18082;
const HTTPS = 18443;

describe('simulated phone web UI', () => {
  const p = new SimPhone({
    model: '6865i',
    mac: '08:00:0F:AA:BB:CC',
    firmware: '6.5.0.224',
    address: '127.204.0.1',
    bannerPrefix: 'Aastra',
    sipPort: null,
    httpPort: HTTP,
    httpsPort: HTTPS,
    bootMs: 20,
    factoryState: true,
  });
  const base = `http://127.204.0.1:${HTTP}`;
  before(async () => p.start());
  after(async () => p.stop());

  test('401 with realm naming the model and Server: Aragorn; wrong password refused; HTTPS too', async () => {
    const r = await httpRequest(`${base}/sysinfo.html`);
    assert.equal(r.status, 401);
    assert.equal(r.headers['www-authenticate'], 'Basic realm="Aastra 6865i"');
    assert.equal(r.headers.server, 'Aragorn');
    assert.equal((await httpRequest(`${base}/sysinfo.html`, { auth: 'admin:12345' })).status, 401);
    const tls = await httpRequest(`https://127.204.0.1:${HTTPS}/`, { auth: 'admin:22222' });
    assert.equal(tls.status, 200);
    assert.equal(tls.headers.server, 'Aragorn');
  });

  test('factory state: POSTs are ignored until /sysinfo.html was fetched', async () => {
    const post = () =>
      httpRequest(`${base}/configurationServer.html`, {
        method: 'POST',
        auth: 'admin:22222',
        body: 'httpserv=10.1.2.3',
      });
    const first = await post();
    assert.match(first.body, /visit the <A HREF="\/sysinfo.html">System Information<\/A> page/);
    assert.equal(p.setting('http server'), undefined);
    await httpRequest(`${base}/sysinfo.html`, { auth: 'admin:22222' });
    assert.match((await post()).body, /Provisioning complete/);
    assert.equal(p.setting('http server'), '10.1.2.3');
  });

  test('sysinfo.html is a label/value table the public scrapers can read', async () => {
    const html = (await httpRequest(`${base}/sysinfo.html`, { auth: 'admin:22222' })).body;
    assert.match(html, /<td>Firmware Version<\/td><td>6\.5\.0\.224<\/td>/); // NeDi regex
    assert.equal(/Platform<\/TD>.*?<TD.*?>(\w+)/is.exec(html)?.[1], '6865i'); // ELX regex
    assert.match(html, /<td>Platform<\/td><td>6865i Revision 0<\/td>/);
    assert.match(html, /<td>MAC Address<\/td><td>08:00:0F:AA:BB:CC<\/td>/);
  });

  test('configurationServer.html shows current values', async () => {
    const html = (await httpRequest(`${base}/configurationServer.html`, { auth: 'admin:22222' })).body;
    assert.match(html, /NAME="httpserv" VALUE="10\.1\.2\.3"/);
    assert.match(html, /NAME="protocol" VALUE="TFTP"/);
    assert.match(html, /NAME="autoResyncMode" VALUE="0"/);
  });

  test('XML push honours the post list (raw and URL-encoded bodies)', async () => {
    const xml = 'xml=<AastraIPPhoneExecute><ExecuteItem URI="Command: Lock"/></AastraIPPhoneExecute>';
    const denied = await httpRequest(`${base}/`, {
      method: 'POST',
      body: xml,
      localAddress: '127.0.0.7',
      contentType: 'text/xml',
    });
    assert.equal(denied.status, 403);
    await httpRequest(`${base}/configurationServer.html`, {
      method: 'POST',
      auth: 'admin:22222',
      body: 'postList=127.0.0.5, 127.0.0.6',
    });
    assert.equal((await httpRequest(`${base}/`, { method: 'POST', body: xml, localAddress: '127.0.0.7' })).status, 403);
    assert.equal(
      (await httpRequest(`${base}/`, { method: 'POST', body: xml, localAddress: '127.0.0.6', contentType: 'text/xml' }))
        .status,
      200,
    );
    const encoded = 'xml=' + encodeURIComponent(xml.slice(4));
    assert.equal(
      (await httpRequest(`${base}/`, { method: 'POST', body: encoded, localAddress: '127.0.0.5' })).status,
      200,
    );
    assert.equal(p.history.filter((e) => e.type === 'xml-command-ignored').length, 2);
    assert.equal(p.history.filter((e) => e.type === 'xml-push-denied').length, 2);
  });

  test('faults: wrong credentials, slow, drops connections, unreachable', async () => {
    p.setFaults({ wrongCredentials: true });
    assert.equal((await httpRequest(`${base}/sysinfo.html`, { auth: 'admin:22222' })).status, 401);
    p.setFaults({ slowMs: 250 });
    const t0 = Date.now();
    assert.equal((await httpRequest(`${base}/sysinfo.html`, { auth: 'admin:22222' })).status, 200);
    assert.ok(Date.now() - t0 >= 240);
    p.setFaults({ dropConnections: true });
    await assert.rejects(httpRequest(`${base}/sysinfo.html`, { auth: 'admin:22222' }), /socket hang up|ECONNRESET/);
    p.setFaults({ unreachable: true });
    await assert.rejects(httpRequest(`${base}/sysinfo.html`, { auth: 'admin:22222', timeoutMs: 300 }), /timeout/);
    p.setFaults({});
  });

  test('reset.html: 2 removes local config, 1 factory default (quirk again), 0 restarts', async () => {
    const reset = (n: number) =>
      httpRequest(`${base}/reset.html`, { method: 'POST', auth: 'admin:22222', body: `resetOption=${n}` });
    let seq = p.lastSeq;
    await reset(2);
    await p.waitForEvent('online', { afterSeq: seq });
    assert.equal(p.setting('http server'), undefined, 'local config removed');
    seq = p.lastSeq;
    await reset(1);
    await p.waitForEvent('online', { afterSeq: seq });
    assert.ok(p.history.some((e) => e.seq > seq && e.type === 'factory-default'));
    const ignored = await reset(0);
    assert.match(ignored.body, /System Information/);
    assert.ok(!p.history.some((e) => e.seq > seq && e.type === 'web-reset' && e.detail.resetOption === 0));
    await httpRequest(`${base}/sysinfo.html`, { auth: 'admin:22222' });
    seq = p.lastSeq;
    await reset(0);
    const boot = await p.waitForEvent('boot-started', { afterSeq: seq });
    assert.equal(boot.detail.reason, 'web resetOption 0');
    await p.waitForEvent('online', { afterSeq: seq });
  });

  test('never comes back after reboot until power-cycled', async () => {
    p.setFaults({ neverComesBack: true });
    await p.reboot('full', 'test');
    assert.equal(p.state, 'dead');
    await assert.rejects(httpRequest(`${base}/sysinfo.html`, { auth: 'admin:22222' }), /ECONNREFUSED/);
    p.setFaults({});
    await p.powerCycle();
    assert.equal(p.state, 'online');
  });
});
