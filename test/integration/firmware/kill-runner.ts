// Child process for the SIGKILL test: plays Fieldkit with its built-in server (the phones' home and the
// staging folders, in this process's memory), starts or resumes a firmware run and prints the job id.
// Usage: tsx kill-runner.ts <siteDir> <homeUrl> <homeFiles.json> start <planId> <confirm> | resume <jobId>
import { readFile } from 'node:fs/promises';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { BuiltinServer } from '../../../electron/core/provisioning/builtin-server';
import { firmwareServerOn, locationFromUrl } from '../../../electron/core/firmware/firmware-server';
import { createFirmwareWaveJob } from '../../../electron/core/firmware/wave-job';

const [siteDir, homeUrl, homeFiles, mode, a, b] = process.argv.slice(2);
const site = await SiteWorkspace.open(siteDir!);
const location = locationFromUrl(homeUrl!);
// The published set comes back when the server starts (as PublishingService does); staged copies do not.
const home = new BuiltinServer({ address: location.host, port: location.port, pathPrefix: location.path });
for (const [name, base64] of Object.entries(JSON.parse(await readFile(homeFiles!, 'utf8')) as Record<string, string>)) {
  await home.write(name, Buffer.from(base64, 'base64'), { expectSha256: null, backup: false });
}
await home.start();
const jobs = new JobManager(() => site.path('journal'), { onUpdate: () => undefined, onLog: () => undefined });
jobs.register(
  createFirmwareWaveJob({
    site: () => site,
    // Fieldkit's credential store outlives a crash: both processes hold the same site secret (the phones' own admin
    // passwords derive from it; the run refuses to start without it)
    secrets: new MemorySecretStore({
      'phone-admin-password': '22222',
      [`admin-secret:${site.meta.id}`]: '5ec7e7'.repeat(10) + '5ec7',
    }),
    server: async () => firmwareServerOn(home, location),
  }),
);
const info = mode === 'start' ? await jobs.start('firmware-wave', { planId: a, confirm: b }) : await jobs.resume(a!);
process.stdout.write(`${JSON.stringify({ id: info.id })}\n`);
const done = await jobs.wait(info.id);
process.stdout.write(`${JSON.stringify({ done: done.state, error: done.error ?? null, counters: done.counters })}\n`);
await home.stop();
