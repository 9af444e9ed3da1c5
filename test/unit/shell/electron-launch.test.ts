// The real desktop app, launched with Playwright's Electron driver: the preload exposes the contract bridge and
// nothing else, and app.info answers over IPC. Runs wherever the Electron runtime is installed; skipped with
// the reason where it is not (npm start says how to get it). Needs `npm run build` first (npm test builds).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinary } from '../../../build/electron-runtime';
import type { FieldkitBridge } from '../../../electron/api/transport';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const binary = electronBinary();
const skip = binary
  ? false
  : 'the Electron runtime is not installed here (node_modules/electron has no binary; it downloads on the first npm start with internet)';

describe('the desktop app launched by Playwright', { skip }, () => {
  let app: ElectronApplication;
  let page: Page;
  let userData: string;
  before(async () => {
    for (const built of ['dist-electron/main.cjs', 'dist-electron/preload.cjs', 'dist/renderer/index.html'])
      assert.ok(existsSync(join(ROOT, built)), `${built} is missing: run "npm run build" first`);
    userData = await mkdtemp(join(tmpdir(), 'fk-electron-'));
    const headless = process.env.DISPLAY ? [] : ['--ozone-platform=headless', '--disable-gpu'];
    app = await _electron.launch({
      executablePath: binary!,
      args: ['--no-sandbox', ...headless, `--user-data-dir=${userData}`, ROOT],
      env: { ...process.env, FIELDKIT_DATA_DIR: join(userData, 'fieldkit') },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });
  after(async () => {
    await app?.close();
    if (userData) await rm(userData, { recursive: true, force: true });
  });

  test('window.fieldkit is the frozen contract bridge (call, onEvent) and Node is out of reach', async () => {
    const seen = await page.evaluate(() => {
      const w = globalThis as unknown as Record<string, unknown> & { fieldkit?: FieldkitBridge };
      return {
        keys: w.fieldkit ? Object.keys(w.fieldkit).sort() : null,
        frozen: w.fieldkit ? Object.isFrozen(w.fieldkit) : null,
        node: ['require', 'process', 'module', 'Buffer', 'ipcRenderer', 'electron'].filter((k) => k in w),
      };
    });
    assert.deepEqual(seen, { keys: ['call', 'onEvent'], frozen: true, node: [] });
  });

  test('app.info answers over IPC', async () => {
    const result = await page.evaluate(() =>
      (globalThis as unknown as { fieldkit: FieldkitBridge }).fieldkit.call('app.info', {}),
    );
    assert.ok(result.ok, JSON.stringify(result));
    const info = result.value as { transport: string; version: string; canPickFolders: boolean; canPickFiles: boolean };
    assert.equal(info.transport, 'ipc');
    assert.match(info.version, /^\d+\.\d+\.\d+/);
    assert.equal(info.canPickFolders, true);
    assert.equal(info.canPickFiles, true);
  });
});

test('the runtime is found where the electron package puts it, without downloading', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fk-electron-pkg-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const { mkdir, writeFile } = await import('node:fs/promises');
  assert.equal(electronBinary({}, dir), null, 'no path.txt: not installed');
  await writeFile(join(dir, 'path.txt'), 'electron');
  assert.equal(electronBinary({}, dir), null, 'path.txt but no binary: not installed');
  await mkdir(join(dir, 'dist'));
  await writeFile(join(dir, 'dist', 'electron'), '');
  assert.equal(electronBinary({}, dir), join(dir, 'dist', 'electron'));
  await mkdir(join(dir, 'other'));
  assert.equal(electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'other') }, dir), null);
  await writeFile(join(dir, 'other', 'electron'), '');
  assert.equal(
    electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'other') }, dir),
    join(dir, 'other', 'electron'),
  );
});
