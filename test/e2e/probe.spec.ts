// "Probe this phone" in the phone's detail (issue 12 §8): the probe runs on a simulated phone and the detail shows
// which of Fieldkit's assumptions held, did not or cannot be told, and where the capture was saved in the site.
import { join } from 'node:path';
import { SiteWorkspace } from '../../electron/core/workspace/site-workspace';
import { DEVICES_FILE, DevicesFileSchema } from '../../electron/core/inventory/inventory-files';
import { startLab } from '../sim/lab';
import { deviceFor } from '../integration/firmware/fixture';
import { test, expect, goTo } from './fixtures';

test('probe this phone: assumptions held / not held / unknown and the capture folder', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByLabel('Site name').fill('Probe');
  await page.getByRole('button', { name: 'Create site' }).click();
  await expect(page.getByRole('heading', { name: 'Probe', level: 1 })).toBeVisible();
  const site = await SiteWorkspace.open(join(host.sitesDir, 'Probe'));
  const lab = await startLab(
    {
      name: 'probe-e2e',
      loopbackBase: '127.73.0.0',
      bootMs: 100,
      groups: [
        {
          kind: 'mitel-6800',
          count: 1,
          model: '6865i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:73:00:01',
          ports: { sip: 5060, http: 80, https: null },
        },
      ],
    },
    { mode: 'loopback' },
  );
  try {
    const at = new Date().toISOString();
    await site.writeJson(DEVICES_FILE, DevicesFileSchema, {
      format: 'fieldkit-inventory',
      formatVersion: 1,
      updatedAt: at,
      devices: lab.phones.map((p) => deviceFor(p, at)),
    });
    await goTo(page, 'Inventory');
    await page.getByRole('grid', { name: 'Phones' }).locator('[role="row"][data-key]').first().click();
    const detail = page.getByTestId('device-detail');
    await detail.getByRole('button', { name: 'Probe this phone' }).click();
    const result = detail.getByTestId('probe-result');
    await expect(result).toContainText(/\d+ assumptions? held, \d+ did not, \d+ unknown/, { timeout: 30_000 });
    await expect(result.locator('li[data-held="true"]').first()).toContainText('Held');
    await expect(detail.getByTestId('probe-saved')).toHaveText(/^probes\/127\.73\.0\.1-/);
    await page.screenshot({ path: 'test-results/e2e/shots/probe-1366x768.png' });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: 'test-results/e2e/shots/probe-1280x720.png' });
  } finally {
    await lab.stop();
  }
});
