// Firmware in the browser: import an image, plan with guard rails, confirm, watch canary and waves reach
// verified on simulated phones, and save the before/after table.
import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLab } from '../sim/lab';
import { buildFirmwareImage } from '../sim/firmware-image';
import { test, expect, goTo, freePort, createSite } from './fixtures';
import { ADMIN, PATH_KEY, publishSite, seedInventory } from './firmware-setup';

test('plan -> confirm -> canary and waves -> results', async ({ page, host }) => {
  test.setTimeout(120_000);
  await createSite(page, host.url, 'Firmware e2e');

  const port = await freePort();
  const lab = await startLab(
    {
      name: 'fw-e2e',
      loopbackBase: '127.68.0.0',
      bootMs: 300,
      flashMs: 500,
      groups: [
        {
          kind: 'mitel-6800',
          count: 6,
          model: '6867i',
          versions: ['6.5.0.224', '6.4.0.140'],
          macStart: '00:08:5D:6E:00:01',
          ports: { sip: 5060, http: 80, https: null },
          adminPassword: ADMIN,
        },
      ],
    },
    { mode: 'loopback', provisioningUrl: `http://127.0.0.1:${port}/prov/${PATH_KEY}/` },
  );
  try {
    const site = await seedInventory(join(host.sitesDir, 'Firmware-e2e'), lab.phones);
    await publishSite(
      host,
      lab.phones.map((p) => p.mac.replace(/:/g, '')),
      port,
    );
    const st = join(host.root, '6867i-5.0.0.1018.st');
    await writeFile(st, buildFirmwareImage({ model: '6867i', version: '5.0.0.1018', sizeBytes: 2048 }));

    await goTo(page, 'Firmware');
    await page.getByLabel('Firmware file (.st or Mitel .zip)').setInputFiles(st);
    await page.getByRole('button', { name: 'Import' }).click();
    const library = page.getByRole('region', { name: 'Firmware library' });
    await expect(library.getByRole('cell', { name: '5.0.0.1018', exact: true })).toBeVisible();

    await page.getByLabel('Target for 6867i').selectOption('5.0.0.1018');
    await page.getByLabel('Wave size').fill('2');
    await page.getByRole('button', { name: 'Make plan' }).click();
    await expect(page.getByTestId('fw-summary')).toHaveText(
      'Flash 6 phone(s): 6 6867i to 5.0.0.1018; skip 0 already on target; exclude 0.',
    );
    await expect(page.getByRole('list', { name: 'Guard rails' })).toContainText('go below 6.5.0.224');
    // The plan speaks in words: no internal flag codes.
    const planned = page.getByRole('table', { name: 'Planned phones' });
    await expect(planned).toContainText('goes below 6.5.0.224');
    await expect(planned).not.toContainText('below-osv-minimum');
    const start = page.getByRole('button', { name: 'Start firmware run' });
    await expect(start).toBeDisabled();
    await page.getByLabel('I have read the guard rails and confirm this summary').check();
    await start.click();
    // The run is in the address, its panel is scrolled into view, and the plan cannot be started twice.
    await expect(page).toHaveURL(/#\/firmware\/run\/[\w.-]+firmware-wave/);
    await expect(page.getByRole('region', { name: 'Firmware run' })).toBeInViewport();
    await expect(start).toBeDisabled();
    await expect(page.getByTestId('fw-start-why')).toHaveText(
      /A firmware run is in progress|This plan has been started/,
    );

    const table = page.getByRole('table', { name: 'Before and after' });
    await expect(table.locator('tr[data-state="verified"]')).toHaveCount(6, { timeout: 60_000 });
    const runPanel = page.getByRole('region', { name: 'Firmware run' });
    await expect(runPanel.locator('.badge').first()).toHaveText(/succeeded|Done|done/i, { timeout: 10_000 });
    await expect(page.getByRole('list', { name: 'Run log' })).toContainText('verified on 5.0.0.1018');
    await page.getByRole('button', { name: 'Save result table (CSV)' }).click();
    await expect(page.getByText(/Saved as reports\/firmware-/)).toBeVisible();
    const path = (await page
      .locator('.fw-confirm, .panel')
      .getByText(/reports\/firmware-.*\.csv/)
      .first()
      .textContent())!.trim();
    const csv = await readFile(join(site.root, path), 'utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(7);
    for (const p of lab.phones) expect(lab.phone(p.mac).firmware).toBe('5.0.0.1018');

    // A reload comes back to the run, with its log read from the journal.
    await page.reload();
    await expect(page.getByRole('region', { name: 'Firmware run' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Run log' })).toContainText('verified on 5.0.0.1018');

    // The inventory shows what the run verified, without a rescan; the phone's timeline names the run.
    await goTo(page, 'Inventory');
    const grid = page.getByRole('grid', { name: 'Phones' });
    await expect(grid.locator('[role="row"][data-key]', { hasText: '5.0.0.1018' })).toHaveCount(6);
    await grid.locator('[role="row"][data-key]').first().click();
    const detail = page.getByTestId('device-detail');
    await expect(detail.locator('[data-field="firmware"]')).toContainText('Firmware run');
    await expect(detail.getByTestId('phone-timeline')).toContainText('Firmware run:');
    await page.keyboard.press('Escape');

    // The Jobs place names the run without its plan id.
    await goTo(page, 'Jobs');
    const row = page.locator('tr[data-job-id]').first();
    await expect(row).toContainText('Firmware run');
    await expect(row).not.toContainText('plan');
  } finally {
    await lab.stop();
  }
});
