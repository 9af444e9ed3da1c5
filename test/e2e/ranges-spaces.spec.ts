// The scan form in a technician's hands (walkthrough defect 18), in Chromium against loopback phones: a range typed
// with spaces around the dash is scanned as one range, one address is "1 address" (in the form and in the job's
// progress), and the form reopens on the site's last scan with the laptop's own networks offered, not claimed.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startLab } from '../sim/lab';
import { test, expect, goTo, createSite } from './fixtures';

const SHOTS = join(process.cwd(), 'test-results', 'ranges-spaces');
const PORTS = { sip: 15075, http: 18075, https: null };

test('a range with spaces around the dash is scanned; one address is "1 address"', async ({ page, host }) => {
  test.setTimeout(120_000);
  await mkdir(SHOTS, { recursive: true });
  const lab = await startLab(
    {
      name: 'e2e-ranges',
      loopbackBase: '127.75.0.0',
      bootMs: 0,
      groups: [
        {
          kind: 'mitel-6800',
          count: 3,
          model: '6867i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:75:00:01',
          ports: PORTS,
        },
      ],
    },
    { mode: 'loopback' },
  );
  try {
    await createSite(page, host.url, 'Ranges site');
    await goTo(page, 'Inventory');
    await page.getByRole('button', { name: 'Scan network' }).click();
    const ranges = page.getByLabel('Addresses to scan');
    const check = page.locator('#ranges-check');
    await ranges.fill('127.75.0.2');
    await expect(check).toHaveText('1 address.');
    await ranges.fill('127.75.0.1 - 127.75.0.3');
    await expect(check).toHaveText('3 addresses.');
    await page.getByLabel('SIP ports').fill(String(PORTS.sip));
    await page.getByLabel('HTTP ports', { exact: true }).fill(String(PORTS.http));
    await page.getByLabel('HTTPS ports').fill('');
    await page.getByLabel('mDNS browse').uncheck();
    await page.getByLabel(/I may scan them/).check();
    await page.screenshot({ path: join(SHOTS, '1-form.png') });
    await page.getByRole('button', { name: 'Start scan' }).click();
    await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    await expect(page.getByTestId('found-count')).toHaveText('3 found');
    const grid = page.getByRole('grid', { name: 'Phones' });
    for (const p of lab.phones)
      await expect(grid.locator('[role="row"][data-key]', { hasText: p.address })).toContainText('6.5.0.224');

    // The form reopens on the site's last scan, saying so; the laptop's own networks are offered with "Use it".
    await page.getByRole('button', { name: 'Scan network' }).click();
    await expect(ranges).toHaveValue('127.75.0.1-127.75.0.3');
    const help = page.locator('#ranges-help');
    await expect(help).toContainText('Filled in from: 127.75.0.1-127.75.0.3');
    await expect(help).not.toContainText('Proposed from this laptop');
    await page.screenshot({ path: join(SHOTS, '2-reopened.png') });
    await page.keyboard.press('Escape');

    // Re-reading one phone: its job's progress says "1 of 1 address".
    await grid.locator('[role="row"][data-key]', { hasText: lab.phones[0]!.address }).click();
    await page.getByTestId('device-detail').getByRole('button', { name: 'Re-read now' }).click();
    await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    await expect(page.getByTestId('jobs-panel')).toContainText('1 of 1 address, 1 found');
    await expect(page.getByTestId('jobs-panel')).not.toContainText('1 of 1 addresses');
  } finally {
    await lab.stop();
  }
});
