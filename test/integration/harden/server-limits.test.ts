// The built-in server against slow and greedy clients (issue 13 §6, D13): a client sending its headers byte
// by byte is cut at the 10 s header timeout (Node checked it only every 30 s before), the connection count is
// capped, and a phone is answered all the while.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { BuiltinServer } from '../../../electron/core/provisioning/builtin-server';

test('slowloris is cut at the header timeout; a phone is served meanwhile', { timeout: 60_000 }, async (t) => {
  const server = new BuiltinServer({ address: '127.0.0.1', port: 0, guard: { connectionsPerClient: 64 } });
  await server.write('startup.cfg', Buffer.from('a: 1\n'), { expectSha256: null, backup: false });
  await server.start();
  t.after(() => server.stop());
  const port = Number(new URL(server.url()).port);
  const slow: Socket[] = [];
  const cutAt: number[] = [];
  const started = performance.now();
  for (let i = 0; i < 20; i++) {
    const s = connect({ host: '127.0.0.1', port });
    slow.push(s);
    s.on('error', () => undefined);
    s.once('close', () => cutAt.push(performance.now() - started));
    s.write('GET /startup.cfg HTTP/1.1\r\nHost: x\r\n');
  }
  const drip = setInterval(() => slow.forEach((s) => s.writable && s.write('X-a: b\r\n')), 500);
  t.after(() => {
    clearInterval(drip);
    slow.forEach((s) => s.destroy());
  });
  const probe = () =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/startup.cfg', agent: false, localAddress: '127.0.0.2' },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
  assert.equal(await probe(), 200, 'answered while 20 clients hold slow connections');
  while (cutAt.length < 20 && performance.now() - started < 20_000) await new Promise((r) => setTimeout(r, 250));
  clearInterval(drip);
  t.diagnostic(
    `slow clients cut after ${(Math.min(...cutAt) / 1000).toFixed(1)}-${(Math.max(...cutAt) / 1000).toFixed(1)} s`,
  );
  assert.equal(cutAt.length, 20);
  assert.ok(Math.max(...cutAt) < 12_500, `cut by 12.5 s (header timeout 10 s, checked every second), not 30 s`);
});

test('connections are capped for the server as a whole', async (t) => {
  const server = new BuiltinServer({
    address: '127.0.0.1',
    port: 0,
    maxConnections: 5,
    guard: { connectionsPerClient: 100 },
  });
  await server.start();
  t.after(() => server.stop());
  const port = Number(new URL(server.url()).port);
  const sockets: Socket[] = [];
  t.after(() => sockets.forEach((s) => s.destroy()));
  const closed: number[] = [];
  for (let i = 0; i < 8; i++) {
    const s = connect({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    s.once('close', () => closed.push(i));
    sockets.push(s);
    await new Promise((r) => s.once('connect', r));
  }
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(closed.sort(), [5, 6, 7]);
});
