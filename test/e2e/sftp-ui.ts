// Shared steps of the SFTP target specs: the Targets panel's add form filled for a test sshd, and screenshots at the
// two screen sizes the walkthrough uses (1366x768 and 1280x720).
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { SshdHarness } from '../helpers/sshd';

/** Opens Add SFTP server and fills it for `sshd` (name, host, port, user, folder, password); does not submit. */
export async function fillSftpTarget(page: Page, sshd: SshdHarness, name = 'site-sftp'): Promise<void> {
  await page.getByRole('button', { name: 'Add SFTP server' }).click();
  const form = page.getByRole('form', { name: 'Add SFTP server' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Host').fill('127.0.0.1');
  await form.getByLabel('Port').fill(String(sshd.port));
  await form.getByLabel('User').fill(sshd.user);
  await form.getByLabel('Folder').fill(sshd.home);
  await form.getByLabel('Password', { exact: true }).fill(sshd.password);
}

/** A screenshot function writing `<name>-1366.png` and `<name>-1280.png` into `dir`. */
export function shotsAt(dir: string): (page: Page, name: string) => Promise<void> {
  return async (page, name) => {
    for (const [w, h] of [
      [1366, 768],
      [1280, 720],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: join(dir, `${name}-${w}.png`) });
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  };
}
