import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONTENT_SECURITY_POLICY,
  createAppProtocolHandler,
  resolveAppFile,
} from '../../../electron/shell/app-protocol';

let base: string;
let root: string;
let handler: (request: Request) => Promise<Response>;

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'fk-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Fieldkit</title>');
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(base, 'secret.txt'), 'outside the renderer');
  await writeFile(join(base, 'renderer-evil.js'), 'sibling with a shared prefix');
  handler = createAppProtocolHandler(root);
});
after(() => rm(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('app:// protocol', () => {
  test('serves index.html for / and by name, with the strict CSP and nosniff', async () => {
    for (const url of ['app://fieldkit/', 'app://fieldkit/index.html', 'app://fieldkit/index.html?x=1#top']) {
      const response = await get(url);
      assert.equal(response.status, 200, url);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(response.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(await response.text(), '<!doctype html><title>Fieldkit</title>');
    }
  });

  test('the CSP allows only our own scripts and styles, no plugins, no base or framing', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.slice(d.indexOf(' ') + 1)]),
    );
    assert.equal(directives.get('default-src'), "'self'");
    assert.equal(directives.get('script-src'), "'self'");
    assert.equal(directives.get('style-src'), "'self'");
    assert.equal(directives.get('connect-src'), "'self'");
    assert.equal(directives.get('object-src'), "'none'");
    assert.equal(directives.get('base-uri'), "'none'");
    assert.equal(directives.get('frame-ancestors'), "'none'");
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-(inline|eval)/);
  });

  test('serves assets with their type', async () => {
    const response = await get('app://fieldkit/assets/app.js');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
  });

  test('refuses path traversal in every spelling', async () => {
    for (const url of [
      'app://fieldkit/..%2fsecret.txt',
      'app://fieldkit/%2e%2e%2fsecret.txt',
      'app://fieldkit/assets/..%2f..%2fsecret.txt',
      'app://fieldkit/..%5csecret.txt',
      'app://fieldkit/%2e%2e/renderer-evil.js',
      'app://fieldkit/..%2frenderer-evil.js',
      'app://fieldkit/index.html%00.js',
      'app://fieldkit/%E0%A4%A',
    ]) {
      const response = await get(url);
      assert.notEqual(response.status, 200, url);
      assert.doesNotMatch(await response.text(), /outside the renderer|shared prefix/, url);
    }
    assert.equal(resolveAppFile(root, 'app://fieldkit/..%2f..%2f..%2fetc%2fpasswd'), null);
    // The URL parser already folds plain ../ segments back into the root.
    assert.equal(resolveAppFile(root, 'app://fieldkit/../../secret.txt'), join(root, 'secret.txt'));
    assert.equal((await get('app://fieldkit/../../secret.txt')).status, 404);
  });

  test('refuses other hosts, other schemes, writes, folders and unknown files', async () => {
    assert.equal((await get('app://other/index.html')).status, 403);
    assert.equal((await get('https://fieldkit/index.html')).status, 403);
    assert.equal((await get('app://fieldkit/index.html', 'POST')).status, 405);
    assert.equal((await get('app://fieldkit/assets')).status, 404);
    assert.equal((await get('app://fieldkit/missing.js')).status, 404);
    assert.equal((await get('app://fieldkit/notes.txt')).status, 404);
  });
});
