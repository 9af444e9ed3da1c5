// Child process for the SIGKILL tests: opens a site the way the app does (FieldkitApp, secrets from the
// environment as in the CLI), starts one job and prints its id, then waits for it to end.
// Usage: tsx job-runner.ts <appDataDir> <siteDir> <kind> <paramsJson>
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';

const [appDataDir, siteDir, kind, params] = process.argv.slice(2);
const app = new FieldkitApp(nodePlatform({ appDataDir: appDataDir!, mdnsInterface: '127.0.0.1' }));
await app.openSite(siteDir!);
const started = await app.dispatch('jobs.start', { kind, params: JSON.parse(params!) });
if (!started.ok) {
  process.stdout.write(`${JSON.stringify({ error: started.error })}\n`);
  process.exit(2);
}
const { id } = started.value as { id: string };
process.stdout.write(`${JSON.stringify({ id })}\n`);
const done = await app.jobManager().wait(id);
process.stdout.write(`${JSON.stringify({ done: done.state, error: done.error ?? null })}\n`);
await app.shutdown();
