import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { calls, callNames, eventNames } from '../../../electron/api/contract';
import { createDispatcher, type Handlers } from '../../../electron/api/dispatcher';
import { tempDir } from '../../helpers/temp-dir';

async function app(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  return {
    dir,
    app: new FieldkitApp(
      nodePlatform({
        appDataDir: join(dir, 'data'),
        defaultSitesRoot: join(dir, 'sites'),
        secrets: new MemorySecretStore(),
      }),
    ),
  };
}

test('every call has a summary and schemas; events are declared', () => {
  assert.ok(callNames.length >= 10);
  for (const name of callNames) assert.ok(calls[name].summary.length > 5, name);
  assert.ok(eventNames.includes('job.updated'));
});

test('unknown calls and invalid input are refused at the boundary', async (t) => {
  const { app: a } = await app(t);
  assert.deepEqual(await a.dispatch('site.delete-everything', {}), {
    ok: false,
    error: { code: 'invalid-input', message: 'Unknown call "site.delete-everything".' },
  });
  const bad = await a.dispatch('site.create', { name: 'x', dir: '/tmp/x', extra: 1 });
  assert.equal(bad.ok, false);
  const missing = await a.dispatch('site.open', {});
  assert.equal(missing.ok, false);
  assert.match(!missing.ok ? missing.error.message : '', /dir/);
});

test('calls that need a site say so', async (t) => {
  const { app: a } = await app(t);
  const r = await a.dispatch('jobs.start', { kind: 'self-test', params: {} });
  assert.deepEqual(r.ok ? null : r.error.code, 'no-site-open');
});

test('create, reopen and list through the contract; events announce the site', async (t) => {
  const { app: a, dir } = await app(t);
  const seen: string[] = [];
  a.events.subscribe((name) => seen.push(name));
  const suggested = await a.dispatch('site.suggestFolder', { name: 'Zürich HQ / Floor 2' });
  assert.ok(suggested.ok);
  assert.equal((suggested.value as { dir: string }).dir, join(dir, 'sites', 'Zurich-HQ-Floor-2'));
  const created = await a.dispatch('site.create', {
    name: 'Zürich HQ',
    customer: 'ACME',
    dir: join(dir, 'sites', 'site1'),
  });
  assert.ok(created.ok, JSON.stringify(created));
  const updated = await a.dispatch('site.update', { notes: 'n' });
  assert.ok(updated.ok);
  assert.equal((updated.value as { name: string }).name, 'Zürich HQ');
  assert.equal(
    (updated.value as { customer: string }).customer,
    'ACME',
    'fields left out of an update stay as they were',
  );
  const recent = await a.dispatch('site.recent', {});
  assert.ok(recent.ok && (recent.value as unknown[]).length === 1);
  assert.ok(seen.includes('site.changed'));
});

test('a call stuck on something outside Fieldkit answers with a clear error after the time limit', async () => {
  // never answers; the timer only keeps the test's event loop alive as a hung file system call would
  const stuck = () => new Promise(() => setTimeout(() => undefined, 1_000));
  const handlers = { 'site.current': stuck } as unknown as Handlers;
  const dispatch = createDispatcher(handlers, () => undefined, undefined, 50);
  const started = Date.now();
  const r = await dispatch('site.current', {});
  assert.ok(Date.now() - started < 5_000);
  assert.deepEqual(r.ok ? null : r.error.code, 'unavailable');
  assert.match(r.ok ? '' : r.error.message, /site\.current did not finish within 0 s.*network share/);
});
