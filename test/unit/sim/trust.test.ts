// The simulator's certificate behaviour (issue 12 §7, trust.ts), strict by default:
// - the phone fetches `sips trusted certificates` from its configuration server; with TLS and no such file,
//   line 1 does not register and the phone says why (AG331 p.A-84; WAZO serves it next to the cfg files);
// - HTTPS provisioning checks the server certificate against built-in roots plus `https user
//   certificates`, unless `https validate certificates: 0` (XMLGUIDE p.205).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimPhone } from '../../sim/phone';
import { startProvisioningServer } from '../../sim/testing';
import { makeTestCa } from '../../helpers/test-ca';
import type { SimPhoneOptions } from '../../sim/phone';

let n = 0;
async function bootPhone(
  t: { after(fn: () => Promise<void>): void },
  extra: Partial<SimPhoneOptions>,
): Promise<SimPhone> {
  n++;
  const p = new SimPhone({
    model: '6867i',
    mac: `00:08:5D:00:0A:${n.toString(16).padStart(2, '0')}`,
    firmware: '6.5.0.224',
    address: `127.203.0.${n}`,
    sipPort: null,
    httpPort: null,
    httpsPort: null,
    bootMs: 10,
    ...extra,
  });
  t.after(() => p.stop());
  await p.start();
  return p;
}

const LINE = 'sip line1 user name: 2108189795\nsip proxy ip: 10.20.0.10\n';

test('TLS: without the trusted certificates file line 1 does not register, and the phone says why', async (t) => {
  const ca = await makeTestCa();
  const server = await startProvisioningServer('127.0.0.1');
  t.after(() => server.close());
  server.files.set('prov/startup.cfg', `${LINE}sip transport protocol: 4\nsips trusted certificates: osv-ca.pem\n`);
  const missing = await bootPhone(t, { provisioningUrl: server.url });
  const state = missing.inspect();
  assert.equal(state.line1.registered, false);
  assert.match(
    state.line1.reason,
    /TLS to 10\.20\.0\.10 failed: no trusted certificates \(osv-ca\.pem could not be fetched \(HTTP 404\)\)/,
  );
  assert.ok(
    server.requests.some((r) => r.path === 'prov/osv-ca.pem'),
    'the phone asked its configuration server for the file',
  );

  server.files.set('prov/osv-ca.pem', ca.certPem);
  const good = await bootPhone(t, { provisioningUrl: server.url });
  assert.deepEqual(good.inspect().line1, { registered: true, reason: 'registered over TLS (trusting osv-ca.pem)' });

  const other = await makeTestCa({ name: 'Another CA' });
  const proxy = (await ca.issueServer(['10.20.0.10'])).chainPem;
  const wrongProxy = await bootPhone(t, {
    provisioningUrl: server.url,
    trust: { sipProxyCertificate: (await other.issueServer(['10.20.0.10'])).chainPem },
  });
  assert.match(wrongProxy.inspect().line1.reason, /was not issued by a certificate in osv-ca\.pem/);
  const rightProxy = await bootPhone(t, { provisioningUrl: server.url, trust: { sipProxyCertificate: proxy } });
  assert.equal(rightProxy.inspect().line1.registered, true);

  server.files.set('prov/startup.cfg', `${LINE}sip transport protocol: 1\n`);
  assert.equal(
    (await bootPhone(t, { provisioningUrl: server.url })).inspect().line1.registered,
    true,
    'UDP needs no CA',
  );
});

test("HTTPS: the phone refuses a server its trust store does not know, until the server's CA is a user certificate", async (t) => {
  const ca = await makeTestCa();
  const cert = await ca.issueServer(['127.0.0.1']);
  const tls = await startProvisioningServer('127.0.0.1', { tls: { key: cert.keyPem, cert: cert.chainPem } });
  t.after(() => tls.close());
  tls.files.set('prov/startup.cfg', 'sip line1 user name: 1001\n');
  const strict = await bootPhone(t, { provisioningUrl: tls.url });
  const fetched = strict.history.find((e) => e.type === 'file-fetched');
  assert.equal(fetched?.detail.result, 'error');
  assert.match(String(fetched?.detail.error), /not trusted .*https user certificates/);
  assert.equal(strict.setting('sip line1 user name'), undefined, 'nothing was applied');

  // the way a real site gets there: over HTTP first, which names the CA and moves the phone to HTTPS
  const http = await startProvisioningServer('127.0.0.1');
  t.after(() => http.close());
  const port = new URL(tls.url).port;
  http.files.set(
    'prov/startup.cfg',
    `download protocol: HTTPS\nhttps server: 127.0.0.1\nhttps port: ${port}\nhttps path: prov\nhttps user certificates: customer-ca.pem\n`,
  );
  http.files.set('prov/customer-ca.pem', ca.certPem);
  const moving = await bootPhone(t, { provisioningUrl: http.url });
  assert.match(moving.inspect().trust.userCertificates.join(), /Test Customer Root CA/);
  await moving.reboot('full', 'test');
  assert.equal(moving.setting('sip line1 user name'), '1001', 'the HTTPS server is trusted now');

  // a certificate from another CA for the same name is still refused; validation off accepts anything
  const stranger = await (await makeTestCa({ name: 'Stranger CA' })).issueServer(['127.0.0.1']);
  const rogue = await startProvisioningServer('127.0.0.1', { tls: { key: stranger.keyPem, cert: stranger.chainPem } });
  t.after(() => rogue.close());
  rogue.files.set('prov/startup.cfg', 'sip line1 user name: 6666\n');
  const trusting = await bootPhone(t, { provisioningUrl: rogue.url, trust: { userCertificates: [ca.certPem] } });
  assert.equal(
    trusting.setting('sip line1 user name'),
    undefined,
    'a rogue server with another CA gets nothing applied',
  );
  rogue.files.set('prov/startup.cfg', 'sip line1 user name: 6666\n');
  http.files.set(
    'prov/startup.cfg',
    `download protocol: HTTPS\nhttps server: 127.0.0.1\nhttps port: ${new URL(rogue.url).port}\nhttps path: prov\nhttps validate certificates: 0\n`,
  );
  const lax = await bootPhone(t, { provisioningUrl: http.url });
  await lax.reboot('full', 'test');
  assert.equal(
    lax.setting('sip line1 user name'),
    '6666',
    'https validate certificates: 0 accepts any server (a deviation)',
  );
});
