// The contract as every caller sees it: job kinds with their core schemas, typed settings input that never
// stores what it does not know, and input too deep for any schema refused as invalid input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { jobDefinitions, registerJobKinds } from '../../../electron/app/job-kinds';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { calls, jobKinds, jobKindNames } from '../../../electron/api/contract';
import { tempDir } from '../../helpers/temp-dir';

const SETTINGS = {
  siteName: 'Unit site',
  osv: { proxy: { host: '10.1.2.3' }, transport: 'tls', trustedCaFile: 'ca.pem' },
  ntp: { server1: '10.1.2.10' },
  provisioning: { protocol: 'HTTP', server: '10.1.2.20', port: 8080, path: 'prov' },
};

async function openApp(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  const app = new FieldkitApp(
    nodePlatform({ appDataDir: join(dir, 'data'), defaultSitesRoot: dir, secrets: new MemorySecretStore() }),
  );
  t.after(() => app.shutdown());
  const site = join(dir, 'site');
  const created = await app.dispatch('site.create', { dir: site, name: 'Contract' });
  assert.ok(created.ok);
  return { app, site };
}

test('each job kind validates with the very schema the contract declares, and every kind is registered', () => {
  const stubApp = { platform: { secrets: new MemorySecretStore() } } as unknown as Parameters<typeof jobDefinitions>[0];
  const definitions = jobDefinitions(stubApp);
  assert.deepEqual(definitions.map((d) => d.kind).sort(), [...jobKindNames].sort());
  for (const d of definitions) assert.equal(d.params, jobKinds[d.kind as keyof typeof jobKinds].params, d.kind);
  const jobs = new JobManager(() => '/nonexistent', { onUpdate: () => undefined, onLog: () => undefined });
  registerJobKinds(jobs, stubApp);
  assert.deepEqual(jobs.kinds().sort(), [...jobKindNames].sort());
});

test('jobs.start is a union on kind: params are checked by their kind, unknown kinds are named', async (t) => {
  const { app } = await openApp(t);
  const unknown = await app.dispatch('jobs.start', { kind: 'teleport', params: {} });
  assert.ok(!unknown.ok && unknown.error.code === 'invalid-input');
  assert.match(unknown.error.message, /kind: is not a job kind; the kinds are self-test, discovery, publish/);
  const badParams = await app.dispatch('jobs.start', { kind: 'self-test', params: { steps: 0 } });
  assert.ok(!badParams.ok && /params\.steps/.test(badParams.error.message), JSON.stringify(badParams));
  const extra = await app.dispatch('jobs.start', { kind: 'self-test', params: {}, speed: 'fast' });
  assert.ok(!extra.ok && /speed/.test(extra.error.message));
  const started = await app.dispatch('jobs.start', { kind: 'self-test', params: { steps: 2, stepMs: 1 } });
  assert.ok(started.ok);
  assert.equal((await app.jobManager().wait((started.value as { id: string }).id)).state, 'succeeded');
});

test('config.settings.save stores the parsed settings: unknown keys, long strings and __proto__ never reach the file', async (t) => {
  const { app, site } = await openApp(t);
  const file = join(site, 'configs', 'site-settings.json');
  // As JSON.parse makes it (over HTTP): "__proto__" is an own key there, not the prototype.
  const hostile = JSON.parse(
    `{"settings": ${JSON.stringify({ ...SETTINGS, junk: 'x'.repeat(1000), osv: { ...SETTINGS.osv, surprise: { nested: true } } }).replace(/^\{/, '{"__proto__": {"polluted": true}, ')}}`,
  );
  assert.ok(Object.hasOwn(hostile.settings, '__proto__'));
  const saved = await app.dispatch('config.settings.save', hostile);
  assert.ok(saved.ok, JSON.stringify(saved));
  const onDisk = await readFile(file, 'utf8');
  assert.deepEqual(JSON.parse(onDisk).settings, SETTINGS, 'exactly what was entered, nothing unknown');
  assert.doesNotMatch(onDisk, /junk|surprise|__proto__|polluted/);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);

  const huge = await app.dispatch('config.settings.save', {
    settings: { ...SETTINGS, globalOverrides: { 'sip line1 vmail': 'x'.repeat(10 * 1024 * 1024) } },
  });
  assert.ok(!huge.ok && huge.error.code === 'invalid-input');
  assert.match(huge.error.message, /settings\.globalOverrides\.sip line1 vmail: is 10,485,760 characters long/);
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')).settings, SETTINGS, 'the file is unchanged');

  const types = await app.dispatch('config.settings.save', {
    settings: { ...SETTINGS, provisioning: { ...SETTINGS.provisioning, port: 'eighty' } },
  });
  assert.ok(!types.ok && /settings\.provisioning\.port/.test(types.error.message));
});

test('input nested 5,000 deep is invalid input, not an internal error (security review D9)', async (t) => {
  const { app } = await openApp(t);
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 5000; i++) deep = { a: deep };
  for (const [name, input] of [
    ['config.settings.save', { settings: { ...SETTINGS, extra: deep } }],
    ['jobs.start', { kind: 'self-test', params: deep }],
    ['site.update', { notes: deep }],
  ] as const) {
    const r = await app.dispatch(name, input);
    assert.ok(!r.ok, name);
    assert.equal(r.error.code, 'invalid-input', `${name}: ${r.error.message}`);
    assert.match(r.error.message, /nests deeper than 32 levels/);
  }
});

test('the settings the renderer and the CLI send are typed by the contract, defaults left to the reader', () => {
  const input = calls['config.settings.save'].input;
  const parsed = input.parse({ settings: SETTINGS });
  assert.deepEqual(parsed.settings, SETTINGS, 'no defaults added on the way in');
  const schema = z.toJSONSchema(input, { io: 'input' }) as unknown as {
    properties: { settings: { required: string[] } };
  };
  assert.deepEqual(schema.properties.settings.required.sort(), ['ntp', 'osv', 'provisioning']);
});
