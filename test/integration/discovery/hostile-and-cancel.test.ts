// Hostile responders, cancellation and mDNS on loopback (127.82.0.x / 127.83.0.0/16; mDNS bound to 127.0.0.1).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { discover } from '../../../electron/core/discovery/discover';
import { type FieldkitError } from '../../../electron/core/util/errors';
import { advertise } from '../../sim/mdns';
import type { DiscoverProgress } from '../../../electron/core/discovery/discover';

const MDNS = { interface: '127.0.0.1', bind: '0.0.0.0' };

function sipReply(request: string, server: string): Buffer {
  const header = (name: string): string => new RegExp(`^${name}:[^\\r\\n]*`, 'mi').exec(request)?.[0] ?? '';
  return Buffer.from(
    `SIP/2.0 200 OK\r\n${header('Via')}\r\n${header('From')}\r\n${header('To')};tag=x\r\n${header('Call-ID')}\r\n${header('CSeq')}\r\nServer: ${server}\r\nContent-Length: 0\r\n\r\n`,
    'latin1',
  );
}

describe('hostile responders', () => {
  const closers: Array<() => void> = [];
  before(async () => {
    // .1: an oversized datagram and garbage before a reply whose banner is malformed.
    const udp1 = dgram.createSocket('udp4');
    udp1.on('message', (msg, r) => {
      udp1.send(Buffer.alloc(60_000, 0x41), r.port, r.address);
      udp1.send(Buffer.from('\x00\xff garbage'), r.port, r.address);
      udp1.send(sipReply(msg.toString('latin1'), `Mitel \u0001\u0002 6867i/${'9'.repeat(2000)}`), r.port, r.address);
    });
    // .5: a flood of 200 copies of a valid-looking reply for every request.
    const udp5 = dgram.createSocket('udp4');
    udp5.on('message', (msg, r) => {
      for (let i = 0; i < 200; i++)
        udp5.send(sipReply(msg.toString('latin1'), 'Aastra 6867i/6.5.0.224'), r.port, r.address);
    });
    await Promise.all([
      new Promise<void>((res) => udp1.bind(5060, '127.82.0.1', res)),
      new Promise<void>((res) => udp5.bind(5060, '127.82.0.5', res)),
    ]);
    closers.push(
      () => udp1.close(),
      () => udp5.close(),
    );
    // .2: an endless body; .3: accepts and never answers; .4: endless headers.
    const servers: Array<[string, (s: net.Socket) => void]> = [
      [
        '127.82.0.2',
        (s) => {
          s.write(
            'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="Aastra 6867i"\r\nServer: Aragorn\r\n\r\n',
          );
          const t = setInterval(() => s.writable && s.write(Buffer.alloc(64 * 1024, 0x42)), 1);
          s.on('close', () => clearInterval(t));
          s.on('error', () => clearInterval(t));
        },
      ],
      ['127.82.0.3', (s) => s.on('error', () => undefined)],
      [
        '127.82.0.4',
        (s) => {
          s.write('HTTP/1.1 200 OK\r\n');
          const t = setInterval(() => s.writable && s.write(`X-Junk: ${'j'.repeat(1000)}\r\n`), 1);
          s.on('close', () => clearInterval(t));
          s.on('error', () => clearInterval(t));
        },
      ],
    ];
    for (const [address, handler] of servers) {
      const server = net.createServer((s) => handler(s));
      await new Promise<void>((res) => server.listen(80, address, res));
      closers.push(() => server.close());
      // Hanging sockets are ours to end.
      server.on('connection', (s) => closers.push(() => s.destroy()));
    }
  });
  after(() => {
    for (const c of closers) c();
  });

  test('no crash, no hang, bounded memory; what can be read is read', async () => {
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const result = await discover({ ranges: ['127.82.0.1-10'], methods: { mdns: false, neighbour: false } });
    clearInterval(sampler);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 8000, `finished in ${elapsed} ms`);
    assert.ok(peak - rssBefore < 200 * 1024 * 1024, `RSS grew by ${((peak - rssBefore) / 1048576).toFixed(0)} MiB`);
    const ips = result.devices.map((d) => d.ip);
    assert.ok(ips.includes('127.82.0.1'), 'the malformed-banner device answered SIP');
    const flood = result.devices.find((d) => d.ip === '127.82.0.5')!;
    assert.equal(flood.model?.value, '6867i');
    const endless = result.devices.find((d) => d.ip === '127.82.0.2')!;
    assert.equal(endless.model?.value, '6867i', 'the realm was read before the endless body was cut off');
    assert.ok(!ips.includes('127.82.0.3'));
    assert.ok((result.summary.sweep?.sipIgnored ?? 0) > 0, 'garbage datagrams were dropped, not parsed');
  });
});

describe('cancellation and progress on a mostly empty /16', () => {
  test('stops at once with a cancelled error; progress is honest while it runs', async () => {
    const controller = new AbortController();
    const progress: DiscoverProgress[] = [];
    const run = discover(
      { ranges: ['127.83.0.0/16'], methods: { mdns: false, neighbour: false } },
      { signal: controller.signal, onProgress: (p) => progress.push(p) },
    );
    await new Promise((r) => setTimeout(r, 3000)); // past the 1.5 s SIP timeout of the first addresses
    const abortedAt = performance.now();
    controller.abort();
    await assert.rejects(run, (e: FieldkitError) => e.code === 'cancelled');
    const stopMs = performance.now() - abortedAt;
    assert.ok(stopMs < 500, `stopped ${stopMs.toFixed(0)} ms after cancel`);
    assert.ok(progress.length > 0);
    const last = progress.at(-1)!;
    assert.equal(last.total, 65_534);
    assert.ok(last.done > 0 && last.done < last.total, `done ${last.done}`);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.done >= progress[i - 1]!.done);
  });

  test('cancel also ends web requests in flight (a device that accepts and never answers)', async () => {
    const sockets: net.Socket[] = [];
    let closedByPeer = 0;
    const server = net.createServer((sock) => {
      sockets.push(sock);
      sock.on('error', () => undefined);
      sock.on('end', () => closedByPeer++);
      sock.resume(); // read (and ignore) the request, so the peer's close is seen
    });
    await new Promise<void>((res) => server.listen(80, '127.82.0.9', res));
    try {
      const controller = new AbortController();
      const run = discover(
        {
          ranges: ['127.82.0.9'],
          methods: { mdns: false, neighbour: false, sip: false },
          timeouts: { httpMs: 20_000 },
        },
        { signal: controller.signal },
      );
      while (sockets.length === 0) await new Promise((r) => setTimeout(r, 10));
      const abortedAt = performance.now();
      controller.abort();
      await assert.rejects(run, (e: FieldkitError) => e.code === 'cancelled');
      const stopMs = performance.now() - abortedAt;
      assert.ok(stopMs < 300, `stopped ${stopMs.toFixed(0)} ms after cancel, not after the 20 s web timeout`);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(closedByPeer, sockets.length, 'the connection was closed by the cancel');
    } finally {
      for (const x of sockets) x.destroy();
      server.close();
    }
  });

  test('an address that is not on this machine is refused clearly', async () => {
    await assert.rejects(
      discover({ ranges: ['127.83.0.1'], localAddress: '198.19.255.254', methods: { mdns: false, neighbour: false } }),
      /Cannot open the SIP socket on 198\.19\.255\.254.*interface is up/,
    );
  });
});

describe('mDNS (bound to 127.0.0.1)', () => {
  test('an mDNS-only device is reported as unknown with its service; the LAN list holds it', async () => {
    const ad = advertise(
      {
        index: 0,
        kind: 'other-sip',
        address: '127.82.0.9',
        mac: '02AA00000009',
        model: null,
        firmware: null,
        bannerPrefix: null,
        sipPort: null,
        httpPort: 8080,
        httpsPort: null,
      },
      '127.0.0.1',
    );
    try {
      await new Promise((r) => setTimeout(r, 300));
      const result = await discover(
        { ranges: ['127.82.0.9'], methods: { sip: false, http: false, neighbour: false }, timeouts: { mdnsMs: 1500 } },
        { mdnsOptions: MDNS },
      );
      const d = result.devices.find((x) => x.ip === '127.82.0.9');
      assert.ok(d, JSON.stringify(result.mdnsServices));
      assert.equal(d.classification, 'unknown');
      assert.deepEqual(d.sources, ['mdns']);
      assert.deepEqual(d.services, ['_http._tcp']);
      assert.equal(d.hostname?.value, 'sim-02aa00000009.local');
      assert.ok(result.mdnsServices.some((s) => s.port === 8080));
    } finally {
      await ad.stop();
    }
  });
});
