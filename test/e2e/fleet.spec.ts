// The fleet basics (issue 14 §7) in Chromium against loopback phones: the Site page lists what needs attention
// with links; inventory rows are chosen and acted on (reboot, verify, plan firmware, re-provision, export);
// filters are saved in the site and the filtered view exported; a phone's detail re-reads it, links its web UI
// and shows everything Fieldkit did to it.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLab } from '../sim/lab';
import { test, expect, startHost, stopHost, goTo, scanFromUi, importSheet } from './fixtures';
import type { Page } from '@playwright/test';

const SHOTS = join(process.cwd(), 'test-results', 'fleet');
const ADMIN = '7391548260';
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

test.beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
});

test('choose phones and act on them; saved filters; per-phone actions and timeline; the Site overview', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const ports = { sip: 15064, http: 18084, https: null };
  const lab = await startLab(
    {
      name: 'e2e-fleet',
      loopbackBase: '127.70.0.0',
      bootMs: 300,
      groups: [
        {
          kind: 'mitel-6800',
          count: 2,
          model: '6867i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:70:00:01',
          adminPassword: ADMIN,
          ports,
        },
        {
          kind: 'mitel-6800',
          count: 1,
          model: '6865i',
          versions: ['5.1.0.2051'],
          macStart: '00:08:5D:70:01:01',
          adminPassword: ADMIN,
          ports,
        },
      ],
    },
    { mode: 'loopback' },
  );
  const host = await startHost([], { FIELDKIT_ADMIN_PASSWORD: ADMIN });
  try {
    const [a, b, c] = lab.phones as [
      (typeof lab.phones)[number],
      (typeof lab.phones)[number],
      (typeof lab.phones)[number],
    ];
    await page.goto(host.url);
    await page.getByLabel('Site name').fill('Fleet site');
    await page.getByRole('button', { name: 'Create site' }).click();
    await importSheet(page, [
      'MAC;DN;Name;Location;Model',
      `${a.mac};4401;Desk A;Floor 1;6867i`,
      `${b.mac};4402;Desk B;Floor 1;6867i`,
      `${c.mac};4403;Desk C;Floor 2;6865i`,
    ]);
    await scanFromUi(page, { addresses: lab.phones.map((p) => p.address), sip: 15064, http: 18084 });

    // The Site page lists what needs attention, each with a link to where it is fixed.
    await goTo(page, 'Site');
    const attention = page.getByTestId('attention');
    await expect(attention).toContainText('1 phone run firmware below 6.5.0.224');
    await shot(page, '1-overview');
    await attention.locator('li[data-id="firmware-old"]').getByRole('link', { name: 'Show them' }).click();
    await expect(page).toHaveURL(/#\/inventory\?firmware=below-minimum/);
    await expect(page.getByTestId('shown-count')).toHaveText('1');
    await expect(page.getByLabel('Firmware', { exact: true })).toHaveValue('below-minimum');

    // Save that filter: it is kept in the site folder and comes back after a reload; the view exports as is.
    await page.getByRole('button', { name: 'Save filter…' }).click();
    await page.getByLabel('Name of the filter').fill('Old firmware');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(page.getByTestId('shown-count')).toHaveText('3');
    await page.reload();
    await page.getByLabel('Saved filter').selectOption('Old firmware');
    await expect(page.getByTestId('shown-count')).toHaveText('1');
    let download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export these 1' }).click();
    let csv = await readFile((await (await download).path())!, 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(csv).toContain('Desk C');
    expect(
      JSON.parse(await readFile(join(host.sitesDir, 'Fleet-site', 'inventory', 'views.json'), 'utf8')).views,
    ).toEqual([{ name: 'Old firmware', filters: { firmware: 'below-minimum' } }]);
    await page.getByRole('button', { name: 'Clear' }).click();

    // Choose two phones (one by mouse, one by keyboard: Space on the grid) and act on them.
    const grid = page.getByRole('grid', { name: 'Phones' });
    const rowOf = (name: string) => grid.locator('[role="row"][data-key]', { hasText: name });
    await rowOf('Desk A').getByRole('checkbox').check();
    await grid.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press(' ');
    const bar = page.getByTestId('chosen-bar');
    await expect(bar).toContainText('2 phones chosen');
    await expect(rowOf('Desk B')).toHaveAttribute('aria-selected', 'true');
    download = page.waitForEvent('download');
    await bar.getByRole('button', { name: 'Export chosen' }).click();
    csv = await readFile((await (await download).path())!, 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(3);

    await bar.getByRole('button', { name: 'Reboot…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restart 2 phones?' });
    await expect(dialog).toContainText('Desk A (00:08:5D:70:00:01)');
    await expect(dialog).toContainText('Desk B (00:08:5D:70:00:02)');
    await shot(page, '2-reboot-dialog');
    await dialog.getByRole('button', { name: 'Reboot 2 phones' }).click();
    await expect(page.getByTestId('inventory-reboot-job').locator('.badge').first()).toHaveText('Done', {
      timeout: 60_000,
    });
    await bar.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByTestId('inventory-verify-job').locator('.badge').first()).toHaveText(/Done|Failed/, {
      timeout: 90_000,
    });

    await bar.getByRole('button', { name: 'Plan firmware…' }).click();
    await expect(page).toHaveURL(/#\/firmware\?phones=00085D700001%2C00085D700002/);
    await expect(page.getByTestId('phone-picker')).toContainText('Phones (2 phones chosen)');
    await page.goBack();
    await expect(page.getByTestId('chosen-bar')).toContainText('2 phones chosen');
    await page.getByTestId('chosen-bar').getByRole('button', { name: 'Re-provision…' }).click();
    await expect(page.getByTestId('reprovision-note')).toContainText('Re-provisioning 2 chosen phones');
    await page.getByRole('link', { name: 'Step 4: Reboot' }).click();
    const toReboot = page.getByRole('table', { name: 'Phones to reboot' });
    await expect(toReboot.getByRole('checkbox', { name: 'Reboot Desk A' })).toBeChecked();
    await expect(toReboot.getByRole('checkbox', { name: 'Reboot Desk B' })).toBeChecked();
    await expect(toReboot.getByRole('checkbox', { name: 'Reboot Desk C' })).not.toBeChecked();

    // One phone's detail: its web UI, its configuration (not generated yet: said so), re-read now, its timeline.
    await goTo(page, 'Inventory');
    await rowOf('Desk A').click();
    const detail = page.getByTestId('device-detail');
    await expect(detail.getByRole('link', { name: 'Open web UI' })).toHaveAttribute(
      'href',
      `http://${a.address}:18084/`,
    );
    await detail.getByRole('button', { name: 'Copy its .cfg' }).click();
    await expect(detail.getByRole('alert')).toContainText('No 00085D700001.cfg has been generated yet');
    const timeline = detail.getByTestId('phone-timeline');
    await expect(timeline).toContainText('Reboot:');
    await expect(timeline).toContainText('Verify');
    await detail.getByRole('button', { name: 'Re-read now' }).click();
    await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    await expect(page.getByTestId('last-scan')).toContainText('1 found');
    await shot(page, '3-detail');
    // A re-read of one phone is not how the site is scanned: the scan form still proposes the whole range.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Scan network' }).click();
    await expect(page.getByLabel('Addresses to scan')).toHaveValue(lab.phones.map((p) => p.address).join('\n'));
  } finally {
    await stopHost(host);
    await lab.stop();
  }
});
