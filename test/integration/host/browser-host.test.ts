// The browser host's refusals, each proven with a real request on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { startBrowserHost, SESSION_COOKIE, type BrowserHost } from '../../../electron/host/browser-host';
import { TOKEN_HEADER, WS_TOKEN_PROTOCOL_PREFIX } from '../../../electron/api/transport';

let dir: string;
let app: FieldkitApp;
let host: BrowserHost;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-host-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(
    join(dir, 'renderer', 'index.html'),
    '<!doctype html><html><head><title>t</title></head><body></body></html>',
  );
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer');
  app = new FieldkitApp(
    nodePlatform({
      appDataDir: join(dir, 'data'),
      defaultSitesRoot: join(dir, 'sites'),
      secrets: new MemorySecretStore(),
    }),
  );
  host = await startBrowserHost({ dispatch: app.dispatch, events: app.events, staticDir: join(dir, 'renderer') });
});
after(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: false,
        host: '127.0.0.1',
        port: host.port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${host.port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const callHeaders = () => ({ 'content-type': 'application/json', [TOKEN_HEADER]: host.token });

test('the host listens on loopback only and refuses any other bind address', async () => {
  assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  await assert.rejects(
    startBrowserHost({ dispatch: app.dispatch, events: app.events, staticDir: dir, bindAddress: '0.0.0.0' }),
    /loopback/,
  );
});

test('pages need the session cookie, which only the token link gives', async () => {
  assert.equal((await send('/')).status, 401);
  assert.equal((await send('/?token=wrong')).status, 401);
  const exchange = await send(`/?token=${host.token}`);
  assert.equal(exchange.status, 303);
  const cookie = String(exchange.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const page = await send('/', { headers: { cookie: `${SESSION_COOKIE}=${host.token}` } });
  assert.equal(page.status, 200);
  assert.match(page.body, /<meta name="fieldkit-token"/);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  assert.equal(page.headers['x-frame-options'], 'DENY');
});

test('API calls need the token header', async () => {
  assert.equal(
    (await send('/api/call/app.info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
      .status,
    401,
  );
  assert.equal(
    (
      await send('/api/call/app.info', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: 'nope' },
        body: '{}',
      })
    ).status,
    401,
  );
  const ok = await send('/api/call/app.info', { method: 'POST', headers: callHeaders(), body: '{}' });
  assert.equal(ok.status, 200);
  assert.equal(JSON.parse(ok.body).value.transport, 'http');
});

test('DNS rebinding: a foreign Host header is refused even with the token', async () => {
  const r = await send('/api/call/app.info', {
    method: 'POST',
    headers: { ...callHeaders(), host: `evil.example:${host.port}` },
    body: '{}',
  });
  assert.equal(r.status, 403);
  assert.equal((await send(`/?token=${host.token}`, { headers: { host: 'attacker.test' } })).status, 403);
});

test('cross-origin requests are refused and never answered with CORS headers', async () => {
  const r = await send('/api/call/app.info', {
    method: 'POST',
    headers: { ...callHeaders(), origin: 'http://evil.example' },
    body: '{}',
  });
  assert.equal(r.status, 403);
  assert.equal(r.headers['access-control-allow-origin'], undefined);
  const preflight = await send('/api/call/app.info', {
    method: 'OPTIONS',
    headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
  });
  assert.equal(preflight.status, 403);
  const sameOrigin = await send('/api/call/app.info', {
    method: 'POST',
    headers: { ...callHeaders(), origin: `http://127.0.0.1:${host.port}` },
    body: '{}',
  });
  assert.equal(sameOrigin.status, 200);
  const fetchSite = await send('/api/call/app.info', {
    method: 'POST',
    headers: { ...callHeaders(), 'sec-fetch-site': 'cross-site' },
    body: '{}',
  });
  assert.equal(fetchSite.status, 403);
});

test('files outside the renderer folder cannot be read', async () => {
  const cookie = { cookie: `${SESSION_COOKIE}=${host.token}` };
  assert.equal((await send('/../secret.txt', { headers: cookie })).status, 404);
  assert.equal((await send('/%2e%2e/secret.txt', { headers: cookie })).status, 404);
  assert.equal((await send('/..%2fsecret.txt', { headers: cookie })).status, 404);
  // a broken % escape is bad input (400), not an internal error (D10)
  for (const path of ['/%', '/%E0%A4%A', '/..%c0%af..']) {
    const r = await send(path, { headers: cookie });
    assert.equal(r.status, 400, path);
    assert.match(r.body, /broken % escape/);
  }
});

test('bad bodies get clear errors; oversized bodies are cut off', async () => {
  const bad = await send('/api/call/site.open', { method: 'POST', headers: callHeaders(), body: '{"dir":' });
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body).error.message, /not valid JSON/);
  const big = await send('/api/call/site.open', {
    method: 'POST',
    headers: callHeaders(),
    body: JSON.stringify({ dir: 'x'.repeat(13 * 1024 * 1024) }),
  }).catch(() => ({ status: 0 }) as Reply);
  assert.ok(big.status === 413 || big.status === 0, `status ${big.status}`);
  const wrongType = await send('/api/call/app.info', {
    method: 'POST',
    headers: { ...callHeaders(), 'content-type': 'text/plain' },
    body: '{}',
  });
  assert.equal(wrongType.status, 415);
});

function openSocket(headers: Record<string, string>, protocols: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events`, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

test('the event socket needs the token and our own Origin', async () => {
  const origin = `http://127.0.0.1:${host.port}`;
  await assert.rejects(openSocket({ origin }, [`${WS_TOKEN_PROTOCOL_PREFIX}wrong`]), /403|Unexpected server response/);
  await assert.rejects(
    openSocket({ origin: 'http://evil.example' }, [`${WS_TOKEN_PROTOCOL_PREFIX}${host.token}`]),
    /403|Unexpected server response/,
  );
  await assert.rejects(openSocket({}, [`${WS_TOKEN_PROTOCOL_PREFIX}${host.token}`]), /403|Unexpected server response/);
  const ws = await openSocket({ origin }, [`${WS_TOKEN_PROTOCOL_PREFIX}${host.token}`]);
  const got = new Promise<{ name: string }>((resolve) =>
    ws.once('message', (data) => resolve(JSON.parse(String(data)))),
  );
  const created = await send('/api/call/site.create', {
    method: 'POST',
    headers: callHeaders(),
    body: JSON.stringify({ name: 'WS site', dir: join(dir, 'sites', 'ws-site') }),
  });
  assert.equal(JSON.parse(created.body).ok, true);
  assert.equal((await got).name, 'site.changed');
  ws.close();
});
