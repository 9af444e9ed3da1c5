// The built-in server's access rules (issue 13 §2): files only under the random key, a phone's own file only
// to a client whose User-Agent names that MAC and that the service accepts, bursts of misses throttled and
// reported, bounded connections per client, optional HTTP digest with the factory bootstrap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { BuiltinServer, type ServerWarning } from '../../../electron/core/provisioning/builtin-server';
import { digestAuthorization } from '../../../electron/core/provisioning/http-digest';

const KEY = 'Kq3xW9pZt2LmV8rY4cNb7d';
const MAC = '00085D1A2B3C';
const UA = (mac = '00-08-5D-1A-2B-3C') => `Mitel6867i MAC:${mac} V:6.5.0.224-SIP`;

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { 'User-Agent': UA(), ...headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function serve(
  t: { after(fn: () => Promise<void>): void },
  extra: Partial<ConstructorParameters<typeof BuiltinServer>[0]> = {},
) {
  const warnings: ServerWarning[] = [];
  const server = new BuiltinServer({ address: '127.0.0.1', port: 0, pathPrefix: 'prov', pathKey: KEY, ...extra });
  server.on('warning', (w) => warnings.push(w));
  await server.write(`${MAC}.cfg`, Buffer.from('sip line1 password: s3cret\n'), { expectSha256: null, backup: false });
  await server.write('startup.cfg', Buffer.from('download protocol: HTTP\n'), { expectSha256: null, backup: false });
  await server.start();
  t.after(() => server.stop());
  return { server, warnings, port: Number(new URL(server.url()).port) };
}

test('files exist only under the key; the URL the phones use carries it', async (t) => {
  const { server, port } = await serve(t);
  assert.equal(server.url(), `http://127.0.0.1:${port}/prov/${KEY}/`);
  assert.equal((await get(port, `/prov/${KEY}/startup.cfg`)).status, 200);
  assert.equal((await get(port, '/prov/startup.cfg')).status, 404, 'without the key: nothing');
  assert.equal((await get(port, `/prov/${KEY.slice(0, -1)}x/startup.cfg`)).status, 404);
});

test("a phone's file goes only to a User-Agent naming that MAC and an address the service accepts; others get a plain 404 and a warning", async (t) => {
  const asked: { mac: string; ip: string }[] = [];
  const { server, warnings, port } = await serve(t, {
    authorizeMacFile: async ({ mac, ip }) => {
      asked.push({ mac, ip });
      return ip === '127.0.0.1' ? { allowed: true } : { allowed: false, reason: 'not its address' };
    },
  });
  const path = `/prov/${KEY}/${MAC}.cfg`;
  assert.equal((await get(port, path)).body, 'sip line1 password: s3cret\n');
  assert.deepEqual(asked, [{ mac: MAC, ip: '127.0.0.1' }]);
  const scanner = await get(port, path, { 'User-Agent': 'scanner' });
  assert.deepEqual([scanner.status, scanner.body], [404, ''], 'same answer as a missing file: nothing to learn');
  const otherPhone = await get(port, path, { 'User-Agent': UA('00-08-5D-99-99-99') });
  assert.equal(otherPhone.status, 404);
  assert.deepEqual(
    warnings.map((w) => w.kind),
    ['mac-file-refused', 'mac-file-refused'],
  );
  assert.match(warnings[1]!.message, /names phone 00085D999999, not 00085D1A2B3C/);
  assert.equal(server.refused, 2);
  const logged = server.fetches().filter((e) => e.refused);
  assert.equal(logged.length, 2, 'the fetch log flags what was withheld');
  const strict = await serve(t, {
    authorizeMacFile: async () => ({ allowed: false, reason: 'the inventory has it at 127.9.9.9' }),
  });
  assert.equal((await get(strict.port, path)).status, 404);
  assert.match(strict.warnings[0]!.message, /the inventory has it at 127\.9\.9\.9/);
});

test('a burst of misses is throttled (429) within the burst and reported once; other clients are served', async (t) => {
  const { server, warnings, port } = await serve(t, { guard: { misses: 10, windowMs: 5000, blockMs: 60_000 } });
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++)
    statuses.push(
      (await get(port, `/prov/${KEY}/00085D${String(i).padStart(6, '0')}.cfg`, { 'User-Agent': 'scanner' })).status,
    );
  assert.deepEqual(statuses.slice(0, 11), Array(11).fill(404));
  assert.deepEqual(statuses.slice(11), Array(19).fill(429), 'throttled from the 12th miss on');
  assert.equal((await get(port, `/prov/${KEY}/startup.cfg`)).status, 429, 'even for a file that exists');
  assert.equal(warnings.filter((w) => w.kind === 'throttled').length, 1, 'one warning per burst, not one per request');
  assert.match(warnings[0]!.message, /127\.0\.0\.1 asked for 11 files .* within 5 s.*nothing for 60 s/);
  assert.deepEqual(
    server.throttledClients().map((c) => c.ip),
    ['127.0.0.1'],
  );
});

test('each client holds a bounded number of connections', async (t) => {
  const { port } = await serve(t, { guard: { connectionsPerClient: 3 } });
  const sockets: Socket[] = [];
  t.after(() => sockets.forEach((s) => s.destroy()));
  const closed: boolean[] = [];
  for (let i = 0; i < 5; i++) {
    const s = connect({ host: '127.0.0.1', port });
    sockets.push(s);
    await new Promise((r) => s.once('connect', r));
    closed.push(false);
    s.once('close', () => (closed[i] = true));
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(closed, [false, false, false, true, true]);
});

test('digest: a new phone uses the factory login to learn its own credentials; then only its own work', async (t) => {
  const own = { user: 'fk00085D1A2B3C', password: 'Own20CharsPassword12' };
  const { port, warnings } = await serve(t, {
    authorizeMacFile: async () => ({ allowed: true }),
    digest: {
      factoryLogin: true,
      passwordFor: async (user) => (user === own.user ? { password: own.password, mac: MAC } : undefined),
    },
  });
  const path = `/prov/${KEY}/${MAC}.cfg`;
  const challenge = await get(port, path);
  assert.equal(challenge.status, 401);
  const www = String(challenge.headers['www-authenticate']);
  assert.match(www, /^Digest realm="Fieldkit provisioning", qop="auth", nonce="[^"]+", algorithm=MD5$/);
  const as = (user: string, password: string, p = path) =>
    get(port, p, { Authorization: digestAuthorization(www, user, password, 'GET', p) });
  assert.equal((await as('aastra', 'aastra')).status, 200, 'factory login: the phone gets its own file');
  assert.equal((await as('aastra', 'aastra', `/prov/${KEY}/startup.cfg`)).status, 200);
  assert.equal((await as(own.user, 'wrong')).status, 404);
  assert.equal((await as(own.user, own.password)).status, 200, 'its own credentials');
  assert.equal(
    (await as('aastra', 'aastra')).status,
    404,
    'once it used its own, the factory login no longer works for it',
  );
  assert.equal(
    (
      await get(port, `/prov/${KEY}/${MAC}.cfg`, {
        'User-Agent': UA('00-08-5D-00-00-01'),
        Authorization: digestAuthorization(www, own.user, own.password, 'GET', path),
      })
    ).status,
    404,
    "one phone's credentials do not open another's file",
  );
  assert.ok(warnings.some((w) => w.kind === 'digest-failed'));
});
