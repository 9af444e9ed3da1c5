// Starts the real browser host (the same one `npm run dev:web` runs) as a child process with its own
// data and sites folders, and hands the test its address. The renderer must be built first.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
export { freePort } from '../helpers/free-port';

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

/** Goes to a place with the sidebar's link, as a technician would. */
export async function goTo(page: Page, place: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Places' }).getByRole('link', { name: place, exact: true }).click();
}

export interface UiScan {
  addresses: string[];
  sip: number;
  http: number;
  /** Answer timeout in seconds, as typed. */
  timeout?: string;
}

/** Scans from Inventory › Scan network as a technician does (no HTTPS, no mDNS) and waits for it to finish. */
export async function scanFromUi(page: Page, scan: UiScan): Promise<void> {
  await page.getByRole('button', { name: 'Scan network' }).click();
  await page.getByLabel('Addresses to scan').fill(scan.addresses.join('\n'));
  await page.getByLabel('SIP ports').fill(String(scan.sip));
  await page.getByLabel('HTTP ports', { exact: true }).fill(String(scan.http));
  await page.getByLabel('HTTPS ports').fill('');
  if (scan.timeout) await page.getByLabel('Timeout (s)').fill(scan.timeout);
  await page.getByLabel('mDNS browse').uncheck();
  await page.getByLabel(/I may scan them/).check();
  await page.getByRole('button', { name: 'Start scan' }).click();
  const progress = page.getByTestId('scan-progress');
  await progress.and(page.locator('[data-state="succeeded"]')).waitFor({ timeout: 60_000 });
}

/** Creates a site from the start page and waits until it is open. */
export async function createSite(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Site name').fill(name);
  await page.getByRole('button', { name: 'Create site' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

/** A provisioning request as the phone at `from` makes it: that is how passive discovery learns a phone's MAC. */
export function fetchAs(from: string, port: number, userAgent: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/startup.cfg', localAddress: from, headers: { 'user-agent': userAgent } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Inventory › Import sheet with pasted rows (the first row is the header). */
export async function importSheet(page: Page, rows: string[]): Promise<void> {
  await goTo(page, 'Inventory');
  await page.getByRole('button', { name: 'Import sheet' }).click();
  await page.getByLabel('Or paste the rows').fill(rows.join('\n'));
  await page.getByRole('button', { name: 'Import pasted rows' }).click();
}

/** Provisioning › Settings with the lab's OSV proxy, CA file name, NTP and a loopback provisioning server. */
export async function saveLabSettings(page: Page): Promise<void> {
  await goTo(page, 'Provisioning');
  await page.getByLabel('SIP server (proxy)').fill('10.20.30.40');
  await page.getByLabel('Trusted CA file').fill('osv-ca.pem');
  await page.getByLabel('NTP server', { exact: true }).fill('10.20.30.1');
  await page.getByLabel('Server (as the phones reach it)').fill('127.0.0.1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('button', { name: 'Generate', exact: true })).toBeVisible();
}
