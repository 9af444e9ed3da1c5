import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dangerousFactoryReset,
  fingerprint,
  getConfigurationServer,
  isPhoneError,
  type PhoneError,
  readSysinfo,
  restart,
  setConfigurationServer,
  xmlPush,
} from '../../../electron/core/phone';
import { startFakePhone } from './fake-phone-web';
import type { AddressInfo } from 'node:net';
import type { FakePhone, FakePhoneOptions } from './fake-phone-web';

const creds = { password: '22222' };
const closers: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const close of closers) await close();
});
async function phone(options: FakePhoneOptions = {}): Promise<FakePhone> {
  const p = await startFakePhone(options);
  closers.push(p.close);
  return p;
}
async function rawServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}
async function expectPhoneError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<PhoneError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isPhoneError(err), `not a PhoneError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected PhoneError ${code}`);
}

describe('fingerprint', () => {
  test('401 realm names the model; Server: Aragorn', async () => {
    const p = await phone();
    const fp = await fingerprint('127.0.0.1', p.port, 'http');
    assert.deepEqual(
      { ...fp },
      {
        status: 401,
        realm: 'Aastra 6867i',
        server: 'Aragorn',
        modelFromRealm: '6867i',
        prefix: 'Aastra',
        looksLikePhone: true,
        certFingerprint256: null,
      },
    );
    assert.equal(p.requests[0]!.authorization, undefined, 'fingerprint must not send credentials');
  });
  test('Mitel prefix (6900 README form) is accepted too', async () => {
    const p = await phone({ realm: 'Mitel 6915' });
    const fp = await fingerprint('127.0.0.1', p.port);
    assert.equal(fp.prefix, 'Mitel');
    assert.equal(fp.modelFromRealm, '6915');
  });
  test('a web server that is not a phone', async () => {
    const port = await rawServer((s) =>
      s.once('data', () => s.end('HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 2\r\n\r\nhi')),
    );
    const fp = await fingerprint('127.0.0.1', port);
    assert.equal(fp.looksLikePhone, false);
    assert.equal(fp.realm, null);
  });
  test('nothing listening: unreachable', async () => {
    const port = await rawServer(() => {});
    const closed = port; // find a free port by closing a listener
    await closers.pop()!();
    await expectPhoneError(fingerprint('127.0.0.1', closed), 'unreachable', /connection refused/);
  });
  test('not HTTP at all: not-a-phone', async () => {
    const port = await rawServer((s) => s.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    await expectPhoneError(fingerprint('127.0.0.1', port), 'not-a-phone');
  });
  test('HTTPS with a self-signed certificate; fingerprint recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fk-cert-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'k.pem'),
          '-out',
          join(dir, 'c.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=phone',
        ],
        { stdio: 'ignore' },
      );
      const key = readFileSync(join(dir, 'k.pem'), 'utf8');
      const cert = readFileSync(join(dir, 'c.pem'), 'utf8');
      const p = await phone({ tls: { key, cert } });
      const fp = await fingerprint('127.0.0.1', p.port, 'https');
      assert.equal(fp.modelFromRealm, '6867i');
      assert.equal(fp.certFingerprint256, new X509Certificate(cert).fingerprint256);
      const info = await readSysinfo({ host: '127.0.0.1', port: p.port, scheme: 'https' }, creds);
      assert.equal(info.firmwareVersion, '6.5.0.224');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readSysinfo', () => {
  test('reads firmware, platform, MAC, line 1 with Basic auth admin:22222', async () => {
    const p = await phone();
    const info = await readSysinfo({ host: '127.0.0.1', port: p.port }, creds);
    assert.equal(info.firmwareVersion, '6.5.0.224');
    assert.equal(info.model, '6867i');
    assert.equal(info.mac, '00:08:5D:1A:2B:3C');
    assert.equal(info.line1User, '1000');
    assert.equal(p.requests[0]!.authorization, `Basic ${Buffer.from('admin:22222').toString('base64')}`);
  });
  test('wrong password: auth-failed, message helps and never contains the password', async () => {
    const p = await phone({ password: '98765' });
    const err = await expectPhoneError(
      readSysinfo({ host: '127.0.0.1', port: p.port }, { password: 'secret-4711' }),
      'auth-failed',
      /rejected the admin password\. Enter the password it has now .*under Admin passwords, or in Credentials/,
    );
    assert.ok(!err.message.includes('secret-4711'));
    assert.ok(!err.message.includes('98765'));
  });
  test('endless body is capped: too-large, quickly', async () => {
    const port = await rawServer((s) =>
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n');
        const chunk = Buffer.alloc(64 * 1024, 'A');
        const pump = (): void => {
          while (!s.destroyed && s.write(chunk)) {
            /* fill */
          }
          if (!s.destroyed) s.once('drain', pump);
        };
        pump();
      }),
    );
    const started = performance.now();
    await expectPhoneError(readSysinfo({ host: '127.0.0.1', port, timeoutMs: 5000 }, creds), 'too-large');
    assert.ok(performance.now() - started < 2000);
  });
  test('endless chunked body is capped too, and fingerprint truncates instead of failing', async () => {
    const port = await rawServer((s) =>
      s.once('data', () => {
        s.write(
          'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="Aastra 6865i"\r\nTransfer-Encoding: chunked\r\n\r\n',
        );
        const timer = setInterval(
          () => (s.destroyed ? clearInterval(timer) : s.write(`4000\r\n${'B'.repeat(0x4000)}\r\n`)),
          1,
        );
      }),
    );
    const fp = await fingerprint('127.0.0.1', port, 'http', { timeoutMs: 3000 });
    assert.equal(fp.modelFromRealm, '6865i');
  });
  test('slowloris server: timeout at the deadline even though bytes keep trickling', async () => {
    const port = await rawServer((s) =>
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\n');
        const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write('X')), 50);
      }),
    );
    const started = performance.now();
    await expectPhoneError(
      readSysinfo({ host: '127.0.0.1', port, timeoutMs: 400 }, creds),
      'timeout',
      /did not answer within 400 ms/,
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 390 && elapsed < 1000, `elapsed ${elapsed}`);
  });
  test('header flood: protocol error, bounded', async () => {
    const port = await rawServer((s) =>
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\n');
        s.write(`X-Junk: ${'j'.repeat(40 * 1024)}\r\n`);
      }),
    );
    await expectPhoneError(
      readSysinfo({ host: '127.0.0.1', port, timeoutMs: 2000 }, creds),
      'protocol',
      /HTTP headers/,
    );
  });
  test('404: not-a-phone', async () => {
    const port = await rawServer((s) => s.once('data', () => s.end('HTTP/1.0 404 Not Found\r\n\r\n')));
    await expectPhoneError(readSysinfo({ host: '127.0.0.1', port }, creds), 'not-a-phone');
  });
});

describe('restart (phone-facts §4 quirk)', () => {
  test('GET /sysinfo.html then POST /reset.html resetOption=0', async () => {
    const p = await phone();
    const result = await restart({ host: '127.0.0.1', port: p.port }, creds);
    assert.deepEqual(result, { status: 200, confirmed: true });
    assert.deepEqual(
      p.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /sysinfo.html', 'POST /reset.html'],
    );
    assert.deepEqual(p.resets, ['0']);
  });
  test('"visit sysinfo first" answer: retried once, then it works', async () => {
    const p = await phone({ forgetOnce: true });
    const result = await restart({ host: '127.0.0.1', port: p.port }, creds);
    assert.equal(result.confirmed, true);
    assert.deepEqual(
      p.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /sysinfo.html', 'POST /reset.html', 'GET /sysinfo.html', 'POST /reset.html'],
    );
    assert.deepEqual(p.resets, ['0']);
  });
  test('a phone that keeps asking: clear protocol error after one retry', async () => {
    const p = await phone({ sysinfoQuirk: 'stubborn' });
    await expectPhoneError(restart({ host: '127.0.0.1', port: p.port }, creds), 'protocol', /keeps asking to visit/);
    assert.equal(p.requests.filter((r) => r.method === 'POST').length, 2);
    assert.deepEqual(p.resets, []);
  });
  test('phone drops the connection while rebooting: accepted but unconfirmed', async () => {
    const p = await phone({ dropOnReset: true });
    assert.deepEqual(await restart({ host: '127.0.0.1', port: p.port }, creds), { status: null, confirmed: false });
    assert.deepEqual(p.resets, ['0']);
  });
  test('factory reset is a separate, explicitly dangerous call (resetOption=1)', async () => {
    const p = await phone();
    await dangerousFactoryReset({ host: '127.0.0.1', port: p.port }, creds);
    assert.deepEqual(p.resets, ['1']);
  });
});

describe('"Session Expired" is a new login, never an empty page (phone-facts §11)', () => {
  test('readSysinfo logs in again and reads the firmware', async () => {
    const p = await phone({ sessionExpired: 2 });
    const info = await readSysinfo({ host: '127.0.0.1', port: p.port }, creds);
    assert.equal(info.firmwareVersion, '6.5.0.224');
    assert.equal(p.requests.filter((r) => r.url === '/sysinfo.html').length, 3);
  });
  test('a phone that never stops saying it: a session-expired error, not a page without firmware', async () => {
    const p = await phone({ sessionExpired: 99 });
    await expectPhoneError(
      readSysinfo({ host: '127.0.0.1', port: p.port }, creds),
      'session-expired',
      /Session Expired/,
    );
  });
  test('a POST answered "Session Expired" was not applied: log in and post again', async () => {
    const p = await phone({ sessionExpiredPosts: 1 });
    const result = await restart({ host: '127.0.0.1', port: p.port }, creds);
    assert.equal(result.confirmed, true);
    assert.deepEqual(p.resets, ['0']);
    assert.deepEqual(
      p.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /sysinfo.html', 'POST /reset.html', 'GET /sysinfo.html', 'POST /reset.html'],
    );
  });
  test('getConfigurationServer reads the form after a re-login', async () => {
    const p = await phone({ sessionExpired: 1 });
    const reading = await getConfigurationServer({ host: '127.0.0.1', port: p.port }, creds);
    assert.equal(reading.settings.protocol, 'TFTP');
  });
});

describe('configuration server', () => {
  test('read, change, read back; other fields kept; FTP password never returned', async () => {
    const p = await phone();
    const target = { host: '127.0.0.1', port: p.port };
    const before = await getConfigurationServer(target, creds);
    assert.equal(before.settings.protocol, 'TFTP');
    assert.equal(before.settings.tftp, '10.0.0.2');
    assert.equal(before.settings.autoResyncMode, '0');
    assert.equal(before.ftpPasswordSet, true);
    assert.ok(!JSON.stringify(before).includes('ftpsecret'));

    const result = await setConfigurationServer(target, creds, {
      protocol: 'HTTP',
      httpserv: '10.0.0.50',
      httppath: 'fieldkit',
      httpport: '8080',
      autoResyncMode: '3',
      autoResyncTime: '02:30',
      postList: '10.0.0.50',
    });
    assert.equal(result.settings.httpserv, '10.0.0.50');
    assert.equal(p.config['protocol'], 'HTTP');
    assert.equal(p.config['httpport'], '8080');
    assert.equal(p.config['tftp'], '10.0.0.2', 'unchanged field kept');
    assert.equal(p.config['ftppass'], 'ftpsecret', 'password not overwritten when not given');
    const after2 = await getConfigurationServer(target, creds);
    assert.equal(after2.settings.protocol, 'HTTP');
    assert.equal(after2.settings.autoResyncTime, '02:30');
    assert.equal(after2.settings.autoResyncMode, '3');
    assert.ok(p.requests.some((r, k) => r.url === '/sysinfo.html' && p.requests[k + 1]?.method === 'POST'));
  });
  test('bad settings are refused before anything is sent', async () => {
    const p = await phone();
    const target = { host: '127.0.0.1', port: p.port };
    await expectPhoneError(setConfigurationServer(target, creds, { httpport: '99999' }), 'bad-input', /httpport/);
    await expectPhoneError(setConfigurationServer(target, creds, { protocol: 'GOPHER' }), 'bad-input', /protocol/);
    await expectPhoneError(setConfigurationServer(target, creds, { httpserv: 'a\r\nb' }), 'bad-input', /single line/);
    await expectPhoneError(setConfigurationServer(target, creds, { autoResyncTime: '25:00' }), 'bad-input', /hh:mm/);
    assert.equal(p.requests.length, 0);
  });
  test('no "Provisioning complete": protocol error', async () => {
    const port = await rawServer((s) =>
      s.on('data', (d) => {
        const isGetConfig = d.toString().startsWith('GET /configurationServer.html');
        const body = isGetConfig
          ? '<select name="protocol"><option value="TFTP" selected>TFTP</option></select>'
          : '<html>Error</html>';
        s.end(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      }),
    );
    await expectPhoneError(
      setConfigurationServer({ host: '127.0.0.1', port }, creds, { protocol: 'HTTP' }),
      'protocol',
      /Provisioning complete/,
    );
  });
});

describe('xmlPush (phone-facts §4)', () => {
  test('Reset: exact body, text/xml, Referer = our address', async () => {
    const p = await phone({ postList: ['127.0.0.1'] });
    assert.deepEqual(await xmlPush('127.0.0.1', p.port, 'Reset'), { status: 200, confirmed: true });
    assert.deepEqual(p.pushes[0], {
      body: 'xml=<AastraIPPhoneExecute><ExecuteItem URI="Command: Reset"/></AastraIPPhoneExecute>',
      contentType: 'text/xml',
      referer: '127.0.0.1',
    });
  });
  test('FastReboot', async () => {
    const p = await phone({ postList: ['127.0.0.1'] });
    await xmlPush('127.0.0.1', p.port, 'FastReboot');
    assert.match(p.pushes[0]!.body, /URI="Command: FastReboot"/);
  });
  test('403: refused-by-post-list names the address to add', async () => {
    const p = await phone({ postList: ['10.9.9.9'] });
    await expectPhoneError(
      xmlPush('127.0.0.1', p.port, 'Reset'),
      'refused-by-post-list',
      /Add 127\.0\.0\.1 to the phone's "XML Push Server List"/,
    );
  });
  test('headers and body arrive in one write', async () => {
    let first = '';
    const port = await rawServer((s) =>
      s.once('data', (d) => {
        first = d.toString('latin1');
        s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      }),
    );
    await xmlPush('127.0.0.1', port, 'Reset');
    assert.match(first, /^POST \/ HTTP\/1\.1\r\n/);
    assert.match(first, /\r\nContent-Type: text\/xml\r\n/);
    assert.ok(
      first.endsWith('\r\n\r\nxml=<AastraIPPhoneExecute><ExecuteItem URI="Command: Reset"/></AastraIPPhoneExecute>'),
      first,
    );
  });
  test('unknown command is refused', async () => {
    await expectPhoneError(xmlPush('127.0.0.1', 80, 'Lock' as 'Reset'), 'bad-input', /Reset or FastReboot/);
  });
});

describe('no connection reuse', () => {
  test('each request uses its own connection with Connection: close', async () => {
    let connections = 0;
    const server = http.createServer((req, res) => {
      assert.equal(req.headers.connection, 'close');
      res.end(req.url === '/sysinfo.html' ? '<td>Firmware Version</td><td>6.5.0.224</td>' : 'ok');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    await restart({ host: '127.0.0.1', port }, creds);
    assert.equal(connections, 2);
  });
});
