// The built-in provisioning server on loopback: serving from memory, GET only, confined paths, MAC
// case, firmware from the firmware folder, HTTPS, the fetch log/events/discovery hook, and its
// PublishTarget semantics (atomic swap, conflict, backup).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:net';
import {
  BuiltinServer,
  type FetchEntry,
  type ProvisioningRequestInfo,
} from '../../../electron/core/provisioning/builtin-server';
import { selfSignedCertificate as ensureSelfSignedCert } from '../../../electron/core/provisioning/site-certificates';
import { sha256Hex } from '../../../electron/core/util/hash';
import { subTarget } from '../../../electron/core/provisioning/target';
import { tempDir } from '../../helpers/temp-dir';

const UA = 'Mitel6867i MAC:00-08-5D-1A-2B-3C V:6.5.0.224-SIP';

function get(
  url: string,
  options: { method?: string; userAgent?: string } = {},
): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: options.method ?? 'GET',
        headers: { 'User-Agent': options.userAgent ?? UA },
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Sends a raw request line (paths Node's client would normalise). */
function raw(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () =>
      socket.end(`${line}\r\nHost: x\r\nUser-Agent: ${UA}\r\nConnection: close\r\n\r\n`),
    );
    let out = '';
    socket.on('data', (d) => (out += d.toString()));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

async function started(
  t: { after(fn: () => Promise<void>): void },
  extra: Partial<ConstructorParameters<typeof BuiltinServer>[0]> = {},
) {
  const log: FetchEntry[] = [];
  const requests: ProvisioningRequestInfo[] = [];
  const server = new BuiltinServer({
    address: '127.0.0.1',
    port: 0,
    pathPrefix: 'prov',
    log: (e) => log.push(e),
    onRequest: (r) => requests.push(r),
    ...extra,
  });
  await server.start();
  t.after(() => server.stop());
  return { server, log, requests, port: Number(new URL(server.url()).port) };
}

test('serves published files from memory under the path, logs each fetch and hands the UA to discovery', async (t) => {
  const { server, log, requests } = await started(t);
  const events: FetchEntry[] = [];
  server.on('fetch', (e) => events.push(e));
  await server.write('00085D1A2B3C.cfg', Buffer.from('sip line1 password: s3cret\n'), {
    expectSha256: null,
    backup: true,
  });
  const ok = await get(`${server.url()}00085D1A2B3C.cfg`);
  assert.deepEqual(ok, { status: 200, body: 'sip line1 password: s3cret\n' });
  assert.equal(
    (await get(`${server.url()}00085d1a2b3c.cfg`)).status,
    200,
    'a lowercase MAC name gets the uppercase file',
  );
  assert.equal((await get(`${server.url()}startup.cfg`)).status, 404);
  assert.equal((await get(server.url().replace('/prov/', '/00085D1A2B3C.cfg'))).status, 404, 'outside the path prefix');
  assert.equal(log.length, 4);
  assert.deepEqual(
    log.map((e) => [e.status, e.file]),
    [
      [200, '00085D1A2B3C.cfg'],
      [200, '00085D1A2B3C.cfg'],
      [404, 'startup.cfg'],
      [404, null],
    ],
  );
  assert.equal(log[0]!.userAgent, UA);
  assert.equal(log[0]!.ip, '127.0.0.1');
  assert.ok(!JSON.stringify(log).includes('s3cret'), 'the log holds no file content');
  assert.equal(events.length, 4);
  assert.equal(requests[0]!.userAgent, UA);
  assert.equal(server.fetches().length, 4);
});

test('GET only; traversal, encoded and hidden names are refused; hostile headers do not crash it', async (t) => {
  const { server, port } = await started(t);
  await server.write('startup.cfg', Buffer.from('a: 1\n'), { expectSha256: null, backup: false });
  assert.equal((await get(`${server.url()}startup.cfg`, { method: 'POST' })).status, 405);
  assert.equal((await get(`${server.url()}startup.cfg`, { method: 'HEAD' })).status, 405);
  for (const path of [
    '/prov/../prov/startup.cfg',
    '/prov/%2e%2e/etc/passwd',
    '/prov/..%2fstartup.cfg',
    '/prov/.startup.cfg.x.fieldkit-tmp',
    '/prov//startup.cfg/x',
    '/prov/startup.cfg%00',
  ]) {
    assert.match(await raw(port, `GET ${path} HTTP/1.1`), /^HTTP\/1\.1 404/, path);
  }
  assert.match(await raw(port, 'GET /prov/startup.cfg?x=1 HTTP/1.1'), /^HTTP\/1\.1 200/);
  assert.match(await raw(port, `GET /prov/startup.cfg HTTP/1.1\r\nX-Long: ${'a'.repeat(20_000)}`), /^HTTP\/1\.1 431/);
  assert.equal(
    (await get(`${server.url()}startup.cfg`, { userAgent: '<script>alert(1)</script>' })).status,
    200,
    'any User-Agent is served',
  );
  assert.equal((await get(`${server.url()}startup.cfg`)).status, 200, 'still serving after all of the above');
});

test('firmware images come from the firmware folder; other files there are not served', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'fw'));
  await writeFile(join(dir, 'fw', '6867i.st'), Buffer.alloc(70_000, 7));
  await writeFile(join(dir, 'fw', 'notes.txt'), 'private');
  const { server, log } = await started(t, { firmwareDir: join(dir, 'fw') });
  const fw = await get(`${server.url()}6867i.st`);
  assert.equal(fw.status, 200);
  assert.equal(fw.body.length, 70_000);
  assert.equal((await get(`${server.url()}6865i.st`)).status, 404);
  assert.equal((await get(`${server.url()}notes.txt`)).status, 404);
  assert.equal(log[0]!.bytes, 70_000);
  // What a plan or a preview sees through the target interface is what the phones get.
  const [st, missing, notes] = await server.stat(['6867i.st', '6865i.st', 'notes.txt']);
  assert.deepEqual(
    { exists: st!.exists, size: st!.size, sha256: st!.sha256 },
    { exists: true, size: 70_000, sha256: sha256Hex(Buffer.alloc(70_000, 7)) },
  );
  assert.equal(missing!.exists, false);
  assert.equal(notes!.exists, false);
  assert.equal((await server.read('6867i.st'))?.length, 70_000);
});

test('as a publish target: atomic swap, conflict on an unexpected version, backup of the replaced one', async (t) => {
  const { server } = await started(t);
  const v1 = Buffer.from('v: 1\n');
  const v2 = Buffer.from('v: 2\n');
  await server.write('6867i.cfg', v1, { expectSha256: null, backup: true });
  await assert.rejects(
    server.write('6867i.cfg', v2, { expectSha256: null, backup: true }),
    /appeared .* after the preview/,
  );
  await assert.rejects(
    server.write('6867i.cfg', v2, { expectSha256: sha256Hex('other'), backup: true }),
    (e: Error & { code?: string }) => e.code === 'conflict',
  );
  const result = await server.write('6867i.cfg', v2, { expectSha256: sha256Hex(v1), backup: true });
  assert.match(result.backupName ?? '', /^6867i\.cfg@/);
  assert.deepEqual(Buffer.from(server.previousVersion('6867i.cfg')!.bytes), v1);
  assert.deepEqual(
    (await server.stat(['6867i.cfg', 'x.cfg'])).map((s) => s.exists),
    [true, false],
  );
  assert.equal((await get(`${server.url()}6867i.cfg`)).body, 'v: 2\n');
  await assert.rejects(server.write('../x.cfg', v1, { expectSha256: null, backup: false }), /not a file name/);
});

test('HTTPS with a generated self-signed certificate; a busy port is a clear error', async (t) => {
  const dir = await tempDir(t);
  const tls = await ensureSelfSignedCert(dir);
  assert.deepEqual(await ensureSelfSignedCert(dir), tls, 'the certificate is kept');
  const { server, port } = await started(t, { tls });
  await server.write('startup.cfg', Buffer.from('a: 1\n'), { expectSha256: null, backup: false });
  assert.match(server.url(), /^https:/);
  assert.equal((await get(`${server.url()}startup.cfg`)).body, 'a: 1\n');
  const clash = new BuiltinServer({ address: '127.0.0.1', port });
  await assert.rejects(clash.start(), /already in use/);
});

test('sub-folders: served at <prefix>/<folder>/<file> from memory and the library, strictly checked, logged with the phone', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'images', '6867i-5.0.0.1018'), { recursive: true });
  await writeFile(join(dir, 'images', '6867i-5.0.0.1018', '6867i.st'), Buffer.alloc(5000, 3));
  const { server, log, requests, port } = await started(t, {
    folderImagesDir: (folder) =>
      folder === 'fw/6867i-5.0.0.1018' ? join(dir, 'images', '6867i-5.0.0.1018') : undefined,
  });
  await server.write('startup.cfg', Buffer.from('home: 1\n'), { expectSha256: null, backup: false });
  const staging = subTarget(server, 'fw/6867i-5.0.0.1018');
  await staging.connect();
  assert.match(staging.describe(), /\/prov\/fw\/6867i-5\.0\.0\.1018\/$/);
  await staging.write('startup.cfg', Buffer.from('staged: 1\n'), { expectSha256: null, backup: false });
  await staging.write('00085D1A2B3C.cfg', Buffer.from('mine\n'), { expectSha256: null, backup: false });
  assert.deepEqual(await server.list(), ['startup.cfg'], 'the root lists only its own files');
  assert.deepEqual(await staging.list(), ['00085D1A2B3C.cfg', 'startup.cfg']);
  const [image] = await staging.stat(['6867i.st']);
  assert.equal(image!.sha256, sha256Hex(Buffer.alloc(5000, 3)), 'the image comes from the library folder');
  await assert.rejects(
    staging.write('startup.cfg', Buffer.from('x'), { expectSha256: null, backup: false }),
    /changed|appeared/,
  );

  const base = `${server.url()}fw/6867i-5.0.0.1018/`;
  assert.deepEqual(await get(`${base}startup.cfg`), { status: 200, body: 'staged: 1\n' });
  assert.deepEqual(await get(`${server.url()}startup.cfg`), { status: 200, body: 'home: 1\n' }, 'home is untouched');
  assert.equal((await get(`${base}00085d1a2b3c.cfg`)).body, 'mine\n', 'MAC case rule in a folder too');
  assert.equal((await get(`${base}6867i.st`)).body.length, 5000);
  assert.equal((await get(`${server.url()}fw/6865i-5.0.0.1018/6867i.st`)).status, 404, 'another folder has no image');
  for (const path of [
    '/prov/fw/../startup.cfg',
    '/prov/fw/.hidden/startup.cfg',
    '/prov/fw/6867i-5.0.0.1018/%2e%2e/startup.cfg',
    '/prov/fw%2f6867i-5.0.0.1018/startup.cfg',
    '/prov/a/b/c/d/e/startup.cfg',
    '/prov/fw/./6867i-5.0.0.1018/startup.cfg',
  ]) {
    assert.match(await raw(port, `GET ${path} HTTP/1.1`), /^HTTP\/1\.1 404/, path);
  }
  assert.deepEqual(
    log.slice(0, 5).map((e) => [e.status, e.file]),
    [
      [200, 'fw/6867i-5.0.0.1018/startup.cfg'],
      [200, 'startup.cfg'],
      [200, 'fw/6867i-5.0.0.1018/00085D1A2B3C.cfg'],
      [200, 'fw/6867i-5.0.0.1018/6867i.st'],
      [404, 'fw/6865i-5.0.0.1018/6867i.st'],
    ],
  );
  assert.equal(log[0]!.userAgent, UA);
  assert.equal(requests[0]!.path, '/prov/fw/6867i-5.0.0.1018/startup.cfg');
  assert.equal(requests[0]!.userAgent, UA, 'the discovery hook sees the phone on sub-path requests');
  for (const bad of ['../etc', '/abs', 'fw/.hidden', 'fw//x', 'a/b/c/d/e', 'fw/%2e', ''])
    assert.throws(() => subTarget(server, bad), /not a folder Fieldkit publishes to/, bad);
});
