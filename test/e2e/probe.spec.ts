// "Probe this phone" in the phone's detail (issue 12 §8): the probe runs on a simulated phone and the detail shows
// which of Fieldkit's assumptions held, did not or cannot be told, and where the capture was saved in the site.
import { join } from 'node:path';
import { startLab } from '../sim/lab';
import { test, expect, goTo, createSite } from './fixtures';
import { seedInventory } from './firmware-setup';

test('probe this phone: assumptions held / not held / unknown and the capture folder', async ({ page, host }) => {
  await createSite(page, host.url, 'Probe');
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
    await seedInventory(join(host.sitesDir, 'Probe'), lab.phones);
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
