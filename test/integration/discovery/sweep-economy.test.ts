// What the sweep asks of each phone (loopback, 127.84.0.x): a phone its SIP answer already identified gets one
// authenticated /sysinfo.html read and no unauthenticated fingerprint first; an HTTPS port gets a TLS handshake only
// when HTTP did not show a phone (a handshake cost several times a whole HTTP exchange, on both ends). The device
// records stay complete: MAC and firmware from sysinfo, both web ports, every source.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import http from 'node:http';
import https from 'node:https';
import { discover } from '../../../electron/core/discovery/discover';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { simulatorCertificate } from '../../sim/self-signed-cert';
import { sysinfoPage } from '../../sim/web-pages';
import type net from 'node:net';
import type { DiscoverResult } from '../../../electron/core/discovery/discover';

const PASSWORD = '3141592653';
const BASIC = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;

interface Phone {
  address: string;
  mac: string;
  sip: boolean;
  http: boolean;
  /** Requests per scheme and path, e.g. `http GET /sysinfo.html`. */
  requests: string[];
  /** Connections accepted on the HTTPS port, and TLS handshakes completed on it. */
  httpsConnections: number;
  tlsHandshakes: number;
}

const PHONES: Phone[] = [
  { address: '127.84.0.2', mac: '00:08:5D:84:00:02', sip: true, http: true },
  { address: '127.84.0.3', mac: '00:08:5D:84:00:03', sip: false, http: true },
  { address: '127.84.0.4', mac: '00:08:5D:84:00:04', sip: false, http: false },
].map((p) => ({ ...p, requests: [], httpsConnections: 0, tlsHandshakes: 0 }));

function sipReply(request: string): Buffer {
  const header = (name: string): string => new RegExp(`^${name}:[^\\r\\n]*`, 'mi').exec(request)?.[0] ?? '';
  return Buffer.from(
    `SIP/2.0 200 OK\r\n${header('Via')}\r\n${header('From')}\r\n${header('To')};tag=x\r\n${header('Call-ID')}\r\n${header('CSeq')}\r\nServer: Mitel 6867i/6.5.0.224\r\nContent-Length: 0\r\n\r\n`,
    'latin1',
  );
}

function webHandler(phone: Phone, scheme: string): http.RequestListener {
  return (req, res) => {
    phone.requests.push(`${scheme} ${req.method} ${req.url}`);
    if (req.headers.authorization !== BASIC) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Mitel 6867i"', Server: 'Aragorn' });
      res.end('401');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html', Server: 'Aragorn' });
    res.end(
      sysinfoPage({
        rows: [
          ['Firmware Version', '6.5.0.224'],
          ['Platform', '6867i Revision 0'],
          ['MAC Address', phone.mac],
          ['IP Address', phone.address],
        ],
        lines: [],
      }),
    );
  };
}

describe('what the sweep asks of each phone', () => {
  const closers: Array<() => Promise<void>> = [];
  let result: DiscoverResult;

  before(async () => {
    const cert = await simulatorCertificate();
    const listen = (server: net.Server, port: number, address: string): Promise<void> =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, address, () => resolve());
        closers.push(() => new Promise((r) => server.close(() => r())));
      });
    for (const phone of PHONES) {
      if (phone.sip) {
        const udp = dgram.createSocket('udp4');
        udp.on('message', (msg, r) => udp.send(sipReply(msg.toString('latin1')), r.port, r.address));
        await new Promise<void>((resolve) => udp.bind(5060, phone.address, resolve));
        closers.push(() => new Promise((r) => udp.close(() => r())));
      }
      if (phone.http) await listen(http.createServer(webHandler(phone, 'http')), 80, phone.address);
      const tlsServer = https.createServer({ key: cert.key, cert: cert.cert }, webHandler(phone, 'https'));
      tlsServer.on('connection', () => phone.httpsConnections++);
      tlsServer.on('secureConnection', () => phone.tlsHandshakes++);
      await listen(tlsServer, 443, phone.address);
    }
    result = await discover(
      { ranges: ['127.84.0.1-8'], methods: { mdns: false, neighbour: false } },
      { secrets: new MemorySecretStore({ 'phone-admin-password': PASSWORD }) },
    );
  });
  after(async () => {
    for (const close of closers.splice(0)) await close();
  });

  test('every phone is complete: model, firmware and MAC from sysinfo, both web ports', () => {
    for (const phone of PHONES) {
      const d = result.devices.find((x) => x.ip === phone.address);
      assert.ok(d, `${phone.address} found`);
      assert.equal(d.classification, 'supported', phone.address);
      assert.equal(d.firmware?.value, '6.5.0.224', phone.address);
      assert.equal(d.firmware?.source, 'sysinfo', phone.address);
      assert.equal(d.mac?.value, phone.mac, phone.address);
      assert.equal(d.httpsPort, 443, phone.address);
      assert.equal(d.httpPort, phone.http ? 80 : null, phone.address);
    }
    assert.equal(result.devices.length, PHONES.length);
    assert.equal(result.summary.sweep?.sysinfoRead, 3);
  });

  test('a phone SIP identified: one sysinfo read, no fingerprint, no TLS handshake', () => {
    const [bySip] = PHONES;
    assert.deepEqual(bySip!.requests, ['http GET /sysinfo.html']);
    assert.equal(bySip!.tlsHandshakes, 0);
    assert.equal(bySip!.httpsConnections, 1, 'its HTTPS port is checked for being open');
    const d = result.devices.find((x) => x.ip === bySip!.address)!;
    assert.deepEqual(d.sources, ['http', 'https', 'sip', 'sysinfo']);
  });

  test('a phone HTTP identified: fingerprint and sysinfo over HTTP, no TLS handshake', () => {
    const byHttp = PHONES[1]!;
    assert.deepEqual(byHttp.requests, ['http GET /', 'http GET /sysinfo.html']);
    assert.equal(byHttp.tlsHandshakes, 0);
    assert.deepEqual(result.devices.find((x) => x.ip === byHttp.address)!.sources, ['http', 'https', 'sysinfo']);
  });

  test('an HTTPS-only phone still gets its TLS fingerprint and sysinfo', () => {
    const httpsOnly = PHONES[2]!;
    assert.deepEqual(httpsOnly.requests, ['https GET /', 'https GET /sysinfo.html']);
    assert.equal(httpsOnly.tlsHandshakes, 2);
  });
});
