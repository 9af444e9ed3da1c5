// The publish job against the built-in server (no network): statuses, sending exactly what was
// previewed, refusing a preview made stale by a new generation after a restart, cancel and resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { publishJob } from '../../../electron/core/provisioning/publish';
import { PublishingService } from '../../../electron/core/provisioning/publishing-service';
import { saveServerConfig } from '../../../electron/core/provisioning/targets-config';
import { tempDir } from '../../helpers/temp-dir';
import { regenerateWithChange, siteWithConfigs } from './publish-fixture';

async function setup(t: Parameters<typeof tempDir>[0], phones: number) {
  const dir = await tempDir(t);
  const fx = await siteWithConfigs(dir, phones);
  await saveServerConfig(fx.site, { address: '127.0.0.1', port: 18080, pathPrefix: 'prov' });
  const service = new PublishingService({ site: fx.site, secrets: fx.secrets, appDataDir: join(dir, 'appdata') });
  const jobs = (svc: PublishingService) => {
    const m = new JobManager(() => fx.site.path('journal'), { onUpdate: () => undefined, onLog: () => undefined });
    // A fresh environment object, as after a restart: the preview's bytes are not at hand and are rebuilt.
    m.register(
      publishJob(() => ({
        site: svc.site,
        secrets: svc.secrets,
        appDataDir: svc.appDataDir,
        openTarget: (id, tag) => svc.openTarget(id, tag),
      })),
    );
    return m;
  };
  return { fx, service, jobs, dir };
}

test('a preview made stale by a new generation (after a restart) publishes nothing', async (t) => {
  const { fx, service, jobs } = await setup(t, 3);
  const preview = await service.preview('builtin');
  assert.equal(preview.counts.new, preview.files.length);
  await regenerateWithChange(fx);
  const m = jobs(service);
  const info = await m.wait((await m.start('publish', { targetId: 'builtin', previewToken: preview.token })).id);
  assert.equal(info.state, 'failed');
  assert.match(info.error ?? '', /changed since the preview/);
  assert.deepEqual(await (await service.server()).list(), [], 'nothing was written');
});

test('cancel stops between steps; resume publishes the rest; statuses then show everything unchanged', async (t) => {
  const { service, jobs } = await setup(t, 200);
  const preview = await service.preview('builtin');
  const m = jobs(service);
  const job = await m.start('publish', { targetId: 'builtin', previewToken: preview.token });
  m.cancel(job.id);
  const cancelled = await m.wait(job.id);
  assert.equal(cancelled.state, 'cancelled');
  const server = await service.server();
  assert.ok((await server.list()).length < preview.files.length, 'cancelled before the end');
  await m.resume(job.id);
  const resumed = await m.wait(job.id);
  assert.equal(resumed.state, 'succeeded', resumed.error);
  assert.equal((await server.list()).length, preview.files.length);
  const again = await service.preview('builtin');
  assert.equal(again.counts.unchanged, again.files.length);
  await service.dispose();
});
