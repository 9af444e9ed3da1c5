// Firmware import in the desktop app without typing a path: Firmware › Library offers "Choose file…", which opens the
// system's file dialog (dialog.pickFile) with the firmware file types, and imports the file it names. The
// Electron runtime cannot run here, so the page gets a stand-in for the preload's bridge (window.fieldkit): every
// call goes to the real browser host, as the IPC takes it to Fieldkit's main process (so the renderer's input is
// checked against the contract there), app.info says what the desktop platform offers, and the native dialog's answer
// is the path the test chose (null: cancelled). A typed path stays as a fallback, folded away.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildFirmwareImage } from '../sim/firmware-image';
import { HTTP_CALL_PREFIX, TOKEN_HEADER, WS_EVENTS_PATH, WS_TOKEN_PROTOCOL_PREFIX } from '../../electron/api/transport';
import { test, expect, goTo, createSite } from './fixtures';
import type { Page } from '@playwright/test';

interface PickFileInput {
  title: string;
  filters?: { name: string; extensions: string[] }[];
}

/** Installs the desktop bridge on every page load; `answer` plays the native file dialog. */
async function desktopBridge(page: Page, hostUrl: string, answer: (input: PickFileInput) => string | null) {
  await page.exposeFunction('fieldkitNativeFileDialog', answer);
  const names = { HTTP_CALL_PREFIX, TOKEN_HEADER, WS_EVENTS_PATH, WS_TOKEN_PROTOCOL_PREFIX };
  await page.addInitScript(
    ({ token, names: n }) => {
      type Result = { ok: boolean; value?: unknown; error?: unknown };
      const w = globalThis as unknown as {
        location: { host: string };
        fieldkit: unknown;
        fieldkitNativeFileDialog(input: unknown): Promise<string | null>;
      };
      const listeners = new Set<(name: string, payload: unknown) => void>();
      const connect = () => {
        const socket = new WebSocket(`ws://${w.location.host}${n.WS_EVENTS_PATH}`, [
          `${n.WS_TOKEN_PROTOCOL_PREFIX}${token}`,
        ]);
        socket.onmessage = (msg) => {
          const { name, payload } = JSON.parse(String(msg.data)) as { name: string; payload: unknown };
          for (const l of listeners) l(name, payload);
        };
        socket.onclose = () => setTimeout(connect, 250);
      };
      connect();
      w.fieldkit = Object.freeze({
        async call(name: string, input: unknown): Promise<Result> {
          const res = await fetch(`${n.HTTP_CALL_PREFIX}${encodeURIComponent(name)}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [n.TOKEN_HEADER]: token },
            body: JSON.stringify(input ?? {}),
          });
          const result = (await res.json()) as Result;
          if (!result.ok) return result;
          if (name === 'app.info')
            return { ok: true, value: { ...(result.value as object), transport: 'ipc', canPickFiles: true } };
          if (name === 'dialog.pickFile') return { ok: true, value: { path: await w.fieldkitNativeFileDialog(input) } };
          return result;
        },
        onEvent(listener: (name: string, payload: unknown) => void) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      });
    },
    { token: new URL(hostUrl).searchParams.get('token')!, names },
  );
}

test('the desktop app imports firmware chosen in the system file dialog, no path typed', async ({ page, host }) => {
  const firmware = join(host.root, '6867i-6.5.0.224.st');
  await writeFile(firmware, buildFirmwareImage({ model: '6867i', version: '6.5.0.224', sizeBytes: 4096 }));
  const typed = join(host.root, '6865i-6.5.0.224.st');
  await writeFile(typed, buildFirmwareImage({ model: '6865i', version: '6.5.0.224', sizeBytes: 4096 }));
  const asked: PickFileInput[] = [];
  let next: string | null = null;
  await desktopBridge(page, host.url, (input) => {
    asked.push(input);
    return next;
  });

  await createSite(page, host.url, 'Desktop import');
  await goTo(page, 'Firmware');
  const library = page.getByRole('region', { name: 'Firmware library' });
  const choose = library.getByRole('button', { name: 'Choose file…' });
  const chosen = library.getByTestId('firmware-chosen');
  const importButton = library.getByRole('button', { name: 'Import' });
  const typedPath = library.getByLabel('Path of the firmware file (.st or Mitel .zip)');
  await expect(choose).toBeVisible();
  await expect(library.locator('input[type="file"]')).toHaveCount(0);
  await expect(typedPath).toBeHidden();
  await expect(chosen).toHaveText('No file chosen');
  await expect(importButton).toBeDisabled();

  // Cancelling the dialog changes nothing.
  await choose.click();
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toEqual({
    title: 'Firmware file to import',
    filters: [
      { name: 'Mitel firmware (.st, .zip)', extensions: ['st', 'zip'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  await expect(chosen).toHaveText('No file chosen');
  await expect(importButton).toBeDisabled();

  next = firmware;
  await choose.click();
  await expect(chosen).toHaveText('6867i-6.5.0.224.st');
  await expect(chosen).toHaveAttribute('title', firmware);
  await importButton.click();
  await expect(library.getByRole('cell', { name: '6867i', exact: true })).toBeVisible();
  await expect(library.getByRole('cell', { name: '6867i-6.5.0.224.st', exact: true })).toBeVisible();
  await expect(library.getByRole('alert')).toBeHidden();
  await expect(chosen).toHaveText('No file chosen');
  await expect(importButton).toBeDisabled();
  await page.screenshot({ path: join(process.cwd(), 'test-results', 'firmware-import', 'desktop-1366x768.png') });

  // The fallback for those who prefer to type: folded away, and the same import.
  await library.getByText('Type the path instead').click();
  await typedPath.fill(typed);
  await expect(chosen).toHaveText('6865i-6.5.0.224.st');
  await importButton.click();
  await expect(library.getByRole('cell', { name: '6865i', exact: true })).toBeVisible();
  await expect(library.getByRole('alert')).toBeHidden();
  expect(asked).toHaveLength(2);
});
