// One run per phone, pre-flight and the maintenance window (issue 14 §1, §2, §7) in the browser: a plan refused by a
// guard rail says why and what to do; a run that waits for its start time says until when, holds its phones (the
// firmware, reboot and verify controls for them are off and name the run), and is cancelled without touching a
// phone; a run started now shows each phone's elapsed time against its timeout.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLab } from '../sim/lab';
import { buildFirmwareImage } from '../sim/firmware-image';
import { test, expect, goTo, freePort, createSite } from './fixtures';
import { ADMIN, PATH_KEY, prepareSite, publishBuiltin, seedInventory } from './firmware-setup';
import type { Page } from '@playwright/test';

const pad = (n: number) => String(n).padStart(2, '0');
/** A datetime-local value, local time. */
const localValue = (d: Date) =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

async function shots(page: Page, name: string): Promise<void> {
  for (const [w, h] of [
    [1366, 768],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `test-results/e2e/shots/one-run-${name}-${w}x${h}.png`, fullPage: false });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

test('refused plan says what to do; a waiting run holds its phones and is cancellable; elapsed against timeout', async ({
  page,
  host,
}) => {
  test.setTimeout(150_000);
  await createSite(page, host.url, 'One run');

  const port = await freePort();
  const lab = await startLab(
    {
      name: 'one-run-e2e',
      loopbackBase: '127.72.0.0',
      bootMs: 300,
      flashMs: 4000,
      groups: [
        {
          kind: 'mitel-6800',
          count: 2,
          model: '6867i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:6E:10:01',
          ports: { sip: 5060, http: 80, https: null },
          adminPassword: ADMIN,
        },
      ],
    },
    { mode: 'loopback', provisioningUrl: `http://127.0.0.1:${port}/prov/${PATH_KEY}/` },
  );
  try {
    await seedInventory(join(host.sitesDir, 'One-run'), lab.phones);
    const macs = lab.phones.map((p) => p.mac.replace(/:/g, ''));
    // Everything but the publish: the built-in server serves nothing yet.
    await prepareSite(host, macs, port);
    const st = join(host.root, '6867i-6.5.0.300.st');
    await writeFile(st, buildFirmwareImage({ model: '6867i', version: '6.5.0.300', sizeBytes: 2048 }));

    await goTo(page, 'Firmware');
    await page.getByLabel('Firmware file (.st or Mitel .zip)').setInputFiles(st);
    await page.getByRole('button', { name: 'Import' }).click();
    await expect(
      page.getByRole('region', { name: 'Firmware library' }).getByRole('cell', { name: '6.5.0.300', exact: true }),
    ).toBeVisible();
    await page.getByLabel('Target for 6867i').selectOption('6.5.0.300');

    // §2 pre-flight: home has no configuration, so the plan cannot run; the reason and what to do are shown.
    await page.getByRole('button', { name: 'Make plan' }).click();
    const refused = page.getByTestId('fw-refused');
    await expect(refused).toContainText('This run cannot start');
    await expect(refused.locator('[data-rail="home-without-configuration"]')).toContainText('serves no startup.cfg');
    await expect(refused).toContainText('What to do: Publish the configuration');
    await expect(page.getByRole('button', { name: 'Start firmware run' })).toHaveCount(0);
    await shots(page, 'refused');

    // §7: published, the plan can run; it is started for a maintenance window two hours from now.
    await publishBuiltin(host);
    await page.getByRole('button', { name: 'Make plan' }).click();
    await expect(page.getByTestId('fw-summary')).toContainText('Flash 2 phone(s)');
    await page.getByLabel('I have read the guard rails and confirm this summary').check();
    const when = new Date(Date.now() + 2 * 3600_000);
    await page.getByLabel('Start later, at').check();
    await page.getByLabel('Start time').fill(localValue(when));
    await page.getByRole('button', { name: 'Start firmware run' }).click();
    const waiting = page.getByTestId('fw-waiting');
    await expect(waiting).toContainText(`Waiting until ${pad(when.getHours())}:${pad(when.getMinutes())}`);
    await expect(page.getByRole('region', { name: 'Firmware run' })).toContainText(
      'Waiting for the maintenance window: starts',
    );
    await expect(page.getByRole('region', { name: 'Firmware run' })).not.toContainText(/\d{4}-\d\d-\d\dT/);
    await shots(page, 'waiting');

    // §1: the waiting run holds its phones. A new plan for them cannot start and names the run that holds them.
    await page.getByRole('button', { name: 'Make plan' }).click();
    await expect(page.getByTestId('fw-summary')).toContainText('Flash 2 phone(s)');
    await expect(page.getByTestId('fw-start-why')).toContainText(
      '2 of these phones are in use by the running Firmware run',
    );
    await expect(page.getByRole('button', { name: 'Start firmware run' })).toBeDisabled();

    // Reboot and verify in Provisioning are off for them too, saying why.
    await page.evaluate("location.hash = '#/provisioning/reboot'");
    await expect(page.getByRole('heading', { name: 'Reboot phones' })).toBeVisible();
    await page.getByRole('checkbox', { name: 'Choose all phones' }).check();
    await expect(page.getByRole('button', { name: 'Review reboot of 2 phones' })).toBeDisabled();
    await expect(page.getByTestId('held-why').first()).toContainText('in use by the running Firmware run');
    await shots(page, 'reboot-held');

    // And in the inventory, for the chosen phones.
    await goTo(page, 'Inventory');
    const grid = page.getByRole('grid', { name: 'Phones' });
    await grid.locator('[role="row"][data-key]').first().getByRole('checkbox').check();
    const bar = page.getByTestId('chosen-bar');
    await expect(bar.getByRole('button', { name: 'Reboot…' })).toBeDisabled();
    await expect(bar.getByRole('button', { name: 'Verify' })).toBeDisabled();
    await expect(page.getByTestId('held-why')).toContainText('1 of these phones is in use by the running Firmware run');

    // Cancelling the waiting run frees the phones; none was touched.
    await goTo(page, 'Firmware');
    await page.getByRole('button', { name: 'Cancel the waiting run' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel run' }).click();
    const runPanel = page.getByRole('region', { name: 'Firmware run' });
    await expect(runPanel.locator('.badge').first()).toHaveText('Cancelled');
    await expect(page.getByTestId('fw-waiting')).toHaveCount(0);
    for (const p of lab.phones) expect(lab.phone(p.mac).firmware).toBe('6.5.0.224');
    await goTo(page, 'Inventory');
    await grid.locator('[role="row"][data-key]').first().getByRole('checkbox').check();
    await expect(page.getByTestId('chosen-bar').getByRole('button', { name: 'Reboot…' })).toBeEnabled();
    await expect(page.getByTestId('held-why')).toHaveCount(0);

    // §2: a run started now shows each phone's time in its state against that state's limit.
    await goTo(page, 'Firmware');
    await page.getByLabel('Target for 6867i').selectOption('6.5.0.300');
    await page.getByRole('button', { name: 'Make plan' }).click();
    await expect(page.getByTestId('fw-summary')).toContainText('Flash 2 phone(s)');
    await page.getByLabel('I have read the guard rails and confirm this summary').check();
    await page.getByRole('button', { name: 'Start firmware run' }).click();
    const table = page.getByRole('table', { name: 'Before and after' });
    await expect(table.locator('td[data-field="elapsed"]', { hasText: / s of \d+ (min|s)/ }).first()).toBeVisible({
      timeout: 30_000,
    });
    await shots(page, 'elapsed');
    await expect(table.locator('tr[data-state="verified"]')).toHaveCount(2, { timeout: 60_000 });
  } finally {
    await lab.stop();
  }
});
