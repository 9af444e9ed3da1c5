import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { Journal } from '../../../electron/core/jobs/journal';
import { tempDir } from '../../helpers/temp-dir';
import type { CallName, CallOutput } from '../../../electron/api/contract';

async function call<N extends CallName>(app: FieldkitApp, name: N, input: unknown): Promise<CallOutput<N>> {
  const result = await app.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as CallOutput<N>;
}

test('diagnostics.export: version, site, last jobs with journal tails and errors; secrets hidden', async (t) => {
  const dir = await tempDir(t);
  const secrets = new MemorySecretStore({ 'phone-admin-password': '3675309142' });
  const app = new FieldkitApp(nodePlatform({ appDataDir: join(dir, 'data'), defaultSitesRoot: dir, secrets }));
  t.after(() => app.shutdown());
  assert.match((await call(app, 'diagnostics.export', {})).text, /no site open/);
  await call(app, 'site.create', { dir: join(dir, 'site'), name: 'Diag site' });
  const job = await call(app, 'jobs.start', { kind: 'self-test', params: { steps: 3, stepMs: 1 } });
  await app.jobManager().wait(job.id);
  // A journal holding a secret written by an older Fieldkit (before redaction): the export still hides it.
  const old = await Journal.open(app.currentSite().path('journal', '20200101-000000-self-test-abcdef.jsonl'));
  await old.append('job-started', { kind: 'self-test', params: { steps: 1, stepMs: 0 } });
  await old.append('step-failed', {
    key: 'step-1',
    error: 'phone said admin password: 3675309142 is wrong; GET /x?password=4711',
  });
  await old.append('job-failed', { error: 'sftp://tech:hunter22@10.0.0.9/prov refused' });
  await old.close();

  const { text, fileName } = await call(app, 'diagnostics.export', { jobs: 5, tailLines: 3 });
  assert.match(fileName, /^fieldkit-diagnostics-.*\.txt$/);
  assert.match(text, /fieldkit: \d+\.\d+\.\d+/);
  assert.match(text, /name: Diag site/);
  assert.match(text, /inventory: empty/);
  assert.match(text, /Self-test \(3 steps\) \[self-test\] succeeded/);
  assert.match(text, /journal \(last 3 of \d+ entries\)/);
  assert.match(text, /\[self-test\] failed/);
  assert.match(text, /failed steps: 1/);
  assert.match(text, /\[redacted: phone-admin-password\]/);
  for (const leak of ['3675309142', '4711', 'hunter22']) assert.ok(!text.includes(leak), `export holds ${leak}`);
});
