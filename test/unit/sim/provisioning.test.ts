import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SimPhone } from '../../sim/phone';
import { makeTestCa } from '../../helpers/test-ca';
import { httpRequest, startProvisioningServer } from '../../sim/testing';
import type { SimPhoneOptions } from '../../sim/phone';
import type { ProvisioningServer } from '../../sim/testing';

let server: ProvisioningServer;
let n = 0;
const phones: SimPhone[] = [];

function phone(extra: Partial<SimPhoneOptions> = {}): SimPhone {
  n++;
  return track(
    new SimPhone({
      model: '6867i',
      mac: `00:08:5D:00:01:${n.toString(16).padStart(2, '0')}`,
      firmware: '6.5.0.224',
      address: `127.202.0.${n}`,
      sipPort: null,
      httpPort: 18080,
      httpsPort: null,
      provisioningUrl: server.url,
      bootMs: 20,
      ...extra,
    }),
  );
}

function track(p: SimPhone): SimPhone {
  phones.push(p);
  return p;
}

describe('simulated phone provisioning', () => {
  before(async () => {
    server = await startProvisioningServer('127.0.0.1');
  });
  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await server.close();
  });

  test('boot fetches security.tuz, startup.cfg (aastra.cfg if missing), <model>.cfg, <MAC>.cfg, the .lic files, <model>.st with the phone UA (the real 6869i order, phone-facts §8)', async () => {
    server.files.clear();
    server.requests.length = 0;
    const p = phone({ bannerPrefix: 'Aastra', mac: '00:08:5D:1A:2B:3C' });
    await p.start();
    await p.stop();
    assert.deepEqual(
      server.requests.map((r) => r.path),
      [
        'prov/security.tuz',
        'prov/startup.cfg',
        'prov/aastra.cfg',
        'prov/6867i.cfg',
        'prov/00085D1A2B3C.cfg',
        'prov/startup.lic',
        'prov/00085D1A2B3C.lic',
        'prov/6867i.st',
      ],
    );
    assert.ok(server.requests.every((r) => r.userAgent === 'Aastra6867i MAC:00-08-5D-1A-2B-3C V:6.5.0.224-SIP'));
    assert.ok(
      server.requests.every((r) => r.from === p.address),
      'downloads come from the phone address',
    );
  });

  test('startup.cfg present: aastra.cfg is not asked for; globalCfgMode both asks for both; Mitel UA prefix', async () => {
    server.files.clear();
    server.files.set('prov/startup.cfg', 'x: 1\n');
    server.requests.length = 0;
    const p = phone({ bannerPrefix: 'Mitel' });
    await p.start();
    await p.stop();
    assert.deepEqual(server.requests.map((r) => r.path.split('/')[1]).slice(1, 3), ['startup.cfg', '6867i.cfg']);
    assert.match(server.requests[0]!.userAgent, /^Mitel6867i MAC:00-08-5D-00-01-[0-9A-F]{2} V:6\.5\.0\.224-SIP$/);
    server.requests.length = 0;
    const q = phone({ globalCfgMode: 'both' });
    await q.start();
    await q.stop();
    assert.deepEqual(server.requests.map((r) => r.path.split('/')[1]).slice(1, 4), [
      'startup.cfg',
      'aastra.cfg',
      '6867i.cfg',
    ]);
  });

  test('precedence: last file wins, names are case-insensitive, quotes and comments handled', async () => {
    const p = phone();
    server.files.clear();
    server.files.set(
      'prov/startup.cfg',
      '# global\nSIP Line1 Display Name: "Global Name"\ntime server1: 10.0.0.1 # ntp\n',
    );
    server.files.set('prov/6867i.cfg', 'sip line1 display name: Model Name\n');
    server.files.set(`prov/${p.mac}.cfg`, 'sip LINE1   display name: "Mac Name"\n');
    await p.start();
    await p.stop();
    assert.equal(p.setting('sip line1 display name'), 'Mac Name');
    assert.equal(p.setting('Time Server1'), '10.0.0.1');
    assert.equal(p.inspect().settings.server['sip line1 display name']?.file, `${p.mac}.cfg`);
  });

  test('local web changes win over files, `^` overrides them, `!` locks against web changes', async () => {
    const p = phone({ mac: '00:08:5D:00:02:01', address: '127.202.1.1' });
    server.files.clear();
    server.files.set('prov/startup.cfg', 'https port: 8000\n!auto resync time: 03:00\n');
    await p.start();
    const url = `http://${p.address}:18080/configurationServer.html`;
    const post = (body: string) => httpRequest(url, { method: 'POST', auth: 'admin:22222', body });
    const r = await post('httpsport=9999&autoResyncTime=04:00');
    assert.match(r.body, /Provisioning complete/);
    assert.equal(p.setting('https port'), '9999', 'local change wins over file');
    assert.equal(p.setting('auto resync time'), '03:00', '`!` locked value is not changed from the web');
    server.files.set('prov/startup.cfg', 'https port: 8001\n');
    await p.reboot('full', 'test');
    assert.equal(p.setting('https port'), '9999', 'file without ^ does not beat the local change');
    assert.equal(p.setting('auto resync time'), '00:00', 'lock gone with the file; default again');
    server.files.set('prov/startup.cfg', '^https port: 8002\n');
    await p.reboot('full', 'test');
    assert.equal(p.setting('https port'), '8002', '^ overwrites the local change');
    await p.stop();
  });

  test('admin password: numeric works, letters fall back to 22222', async () => {
    const p = phone({ mac: '00:08:5D:00:03:01', address: '127.202.2.1' });
    server.files.clear();
    server.files.set('prov/startup.cfg', 'admin password: 4711\n');
    await p.start();
    const sysinfo = `http://${p.address}:18080/sysinfo.html`;
    assert.equal((await httpRequest(sysinfo, { auth: 'admin:4711' })).status, 200);
    server.files.set('prov/startup.cfg', 'admin password: abc123\n');
    await p.reboot('full', 'test');
    assert.equal((await httpRequest(sysinfo, { auth: 'admin:abc123' })).status, 401);
    assert.equal((await httpRequest(sysinfo, { auth: 'admin:22222' })).status, 200);
    await p.stop();
  });

  test('download protocol HTTPS uses https server/path/port', async () => {
    const ca = await makeTestCa();
    const issued = await ca.issueServer(['127.0.0.1']);
    const tlsServer = await startProvisioningServer('127.0.0.1', {
      tls: { key: issued.keyPem, cert: issued.chainPem },
    });
    try {
      tlsServer.files.set('prov/startup.cfg', 'sip line1 user name: 1001\n');
      // a phone that already trusts this server's CA (loaded as a user certificate earlier, trust.ts)
      const p = phone({
        provisioningUrl: tlsServer.url,
        mac: '00:08:5D:00:04:01',
        address: '127.202.3.1',
        trust: { userCertificates: [ca.certPem] },
      });
      await p.start();
      await p.stop();
      assert.equal(p.setting('sip line1 user name'), '1001');
      assert.equal(p.setting('download protocol'), 'HTTPS');
    } finally {
      await tlsServer.close();
    }
  });

  test('unreachable server keeps the last configuration; TFTP is recorded as not simulated', async () => {
    const p = phone({ mac: '00:08:5D:00:05:01', address: '127.202.4.1' });
    server.files.clear();
    server.files.set('prov/startup.cfg', 'sip line1 user name: 2002\n');
    await p.start();
    const dead = await startProvisioningServer('127.0.0.1');
    await dead.close();
    await httpRequest(`http://${p.address}:18080/configurationServer.html`, {
      method: 'POST',
      auth: 'admin:22222',
      body: `httpserv=127.0.0.1&httpport=${new URL(dead.url).port}`,
    });
    await p.reboot('full', 'test');
    assert.equal(p.setting('sip line1 user name'), '2002');
    assert.ok(p.history.some((e) => e.type === 'config-kept'));
    await httpRequest(`http://${p.address}:18080/configurationServer.html`, {
      method: 'POST',
      auth: 'admin:22222',
      body: 'protocol=TFTP',
    });
    await p.reboot('full', 'test');
    assert.match(
      String(p.history.findLast((e) => e.type === 'download-skipped')?.detail.reason),
      /TFTP is not simulated/,
    );
    await p.stop();
  });
});
