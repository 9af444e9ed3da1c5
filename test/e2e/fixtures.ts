// Starts the real browser host (the same one `npm run dev:web` runs) as a child process with its own
// data and sites folders, and hands the test its address. The renderer must be built first.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, type Page } from '@playwright/test';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface HostHandle {
  url: string;
  dataDir: string;
  sitesDir: string;
  root: string;
  process: ChildProcess;
}

export async function startHost(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<HostHandle> {
  const root = await mkdtemp(join(tmpdir(), 'fk-e2e-'));
  const dataDir = join(root, 'data');
  const sitesDir = join(root, 'sites');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'electron/host/serve.ts'),
      '--data-dir',
      dataDir,
      '--sites-dir',
      sitesDir,
      '--mdns-interface',
      '127.0.0.1',
      ...extraArgs,
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`host exited with ${code}:\n${output}`)));
  });
  return { url, dataDir, sitesDir, root, process: child };
}

export async function stopHost(host: HostHandle): Promise<void> {
  if (host.process.exitCode === null) {
    const exited = new Promise((r) => host.process.once('exit', r));
    host.process.kill('SIGTERM');
    await exited;
  }
  await rm(host.root, { recursive: true, force: true });
}

export const test = base.extend<{ host: HostHandle }>({
  host: async ({}, use) => {
    const host = await startHost();
    await use(host);
    await stopHost(host);
  },
});
export { expect } from '@playwright/test';

/** Goes to a place with the sidebar's link, as a technician would. */
export async function goTo(page: Page, place: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Places' }).getByRole('link', { name: place, exact: true }).click();
}
