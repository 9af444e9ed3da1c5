// Starts the real browser host (the same one `npm run dev:web` runs) as a child process with its own
// data and sites folders, and hands the test its address. The renderer must be built first.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base } from '@playwright/test';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The sites' admin secret in these tests (each phone's admin password is derived from it). */
export const E2E_ADMIN_SECRET = 'e2e0'.repeat(16);

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
      // the browser host keeps no secret: the site's admin secret comes from the environment, like the CLI's
      env: { ...process.env, FIELDKIT_ADMIN_SECRET: E2E_ADMIN_SECRET, ...env },
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
