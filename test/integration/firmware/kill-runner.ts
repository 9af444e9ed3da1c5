// Child process for the SIGKILL test: starts or resumes a firmware run in a site and prints the job id.
// Usage: tsx kill-runner.ts <siteDir> <homeUrl> start <planId> <confirm> | resume <jobId>
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { builtinFirmwareServer } from '../../../electron/core/firmware/builtin-staging';
import { createFirmwareWaveJob } from '../../../electron/core/firmware/wave-job';
import { httpHome } from './http-home';

const [siteDir, homeUrl, mode, a, b] = process.argv.slice(2);
const site = await SiteWorkspace.open(siteDir!);
const jobs = new JobManager(() => site.path('journal'), { onUpdate: () => undefined, onLog: () => undefined });
jobs.register(createFirmwareWaveJob({ site: () => site, secrets: new MemorySecretStore(), server: async () => builtinFirmwareServer({ home: httpHome(homeUrl!), listenAddress: '127.0.0.1' }) }));
const info = mode === 'start' ? await jobs.start('firmware-wave', { planId: a, confirm: b }) : await jobs.resume(a!);
process.stdout.write(`${JSON.stringify({ id: info.id })}\n`);
const done = await jobs.wait(info.id);
process.stdout.write(`${JSON.stringify({ done: done.state, error: done.error ?? null, counters: done.counters })}\n`);
