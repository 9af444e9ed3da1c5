// An inventory you can trust (issue 14 §4), in Chromium through the browser host against loopback phones:
// a fresh SIP banner beats an older provisioning request after a refused /sysinfo.html login, a slow phone is
// "No answer" (and answers with a longer timeout), credential trouble is one sentence, the sheet's phones are
// "first seen" rather than new, and the header counts them by model before any scan. A verify run writes what it
// read back into the inventory, without a rescan (a firmware run does the same: firmware.spec.ts).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SiteWorkspace } from '../../electron/core/workspace/site-workspace';
import { DEVICES_FILE, DevicesFileSchema } from '../../electron/core/inventory/inventory-files';
import { startLab } from '../sim/lab';
import { deviceFor } from '../integration/firmware/fixture';
import {
  test,
  expect,
  startHost,
  stopHost,
  goTo,
  freePort,
  scanFromUi,
  fetchAs,
  importSheet,
  createSite,
} from './fixtures';
import type { Page } from '@playwright/test';

const SHOTS = join(process.cwd(), 'test-results', 'inventory-trust');
const ADMIN = '7391548260';

async function scan(page: Page, addresses: string[], timeout: string) {
  await scanFromUi(page, { addresses, sip: 15063, http: 18083, timeout });
  // The form closed when the scan started; focus is on the scan's progress, not fallen to the page.
  await expect(page.getByTestId('scan-progress')).toBeFocused();
}

test.beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
});

test('a fresh reading wins over an old request, a slow phone is "No answer", password trouble is one sentence', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const ports = { sip: 15063, http: 18083, https: null };
  const lab = await startLab(
    {
      name: 'e2e-trust',
      loopbackBase: '127.69.0.0',
      bootMs: 0,
      groups: [
        {
          kind: 'mitel-6800',
          count: 2,
          model: '6867i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:69:00:01',
          adminPassword: ADMIN,
          ports,
        },
        {
          kind: 'mitel-6800',
          count: 1,
          model: '6865i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:69:01:01',
          adminPassword: ADMIN,
          faults: { slowMs: 2500 },
          ports,
        },
      ],
    },
    { mode: 'loopback' },
  );
  const host = await startHost();
  try {
    const [a, b, slow] = lab.phones as [
      (typeof lab.phones)[number],
      (typeof lab.phones)[number],
      (typeof lab.phones)[number],
    ];
    await createSite(page, host.url, 'Trust site');

    // The sheet names the phones: the header counts them by model before any scan.
    await importSheet(page, [
      'MAC;DN;Name;Model',
      `${a.mac};4301;Desk A;6867i`,
      `${b.mac};4302;Desk B;6867i`,
      `${slow.mac};4303;Desk C;6865i`,
    ]);
    await expect(page.getByTestId('inventory-summary')).toContainText(
      '3 devices · 2 × 6867i, 1 × 6865i · 3 not seen yet',
    );

    // The built-in server runs; phone A asked it for files hours ago while it still ran 6.4.0.140, and the slow
    // phone made a request too. A wrong site admin password is stored.
    const port = await freePort();
    await goTo(page, 'Provisioning');
    await page
      .getByLabel("Phone admin password all phones have now (e.g. a previous installer's; digits only)")
      .fill('111111');
    await page.getByRole('button', { name: 'Store', exact: true }).first().click();
    await expect(page.getByTestId('admin-password-state')).toHaveText('Set');
    await page.getByRole('link', { name: 'Step 3: Preview & publish' }).click();
    await page.getByLabel('Address', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(port));
    await page.getByRole('button', { name: /Start server/ }).click();
    await expect(page.getByTestId('server-indicator')).toContainText('Provisioning server running, serving nothing');
    const dashed = (mac: string) =>
      mac
        .replace(/[^0-9A-Fa-f]/g, '')
        .toUpperCase()
        .match(/../g)!
        .join('-');
    await fetchAs(a.address, port, `Mitel6867i MAC:${dashed(a.mac)} V:6.4.0.140-SIP`);
    await fetchAs(slow.address, port, `Mitel6865i MAC:${dashed(slow.mac)} V:6.5.0.224-SIP`);

    await goTo(page, 'Inventory');
    await scan(
      page,
      lab.phones.map((p) => p.address),
      '1.5',
    );
    const grid = page.getByRole('grid', { name: 'Phones' });
    const rowOf = (address: string) => grid.locator('[role="row"][data-key]', { hasText: address });
    // Phone A shows what it says now (SIP banner), not the older request; no firmware "change" is claimed.
    await expect(rowOf(a.address)).toContainText('6.5.0.224');
    await expect(rowOf(a.address)).not.toContainText('6.4.0.140');
    await expect(rowOf(a.address)).toContainText('First seen');
    await expect(rowOf(a.address)).not.toContainText('New');
    await expect(rowOf(slow.address)).toContainText('No answer');
    // Phone B refused the password and made no request: without its MAC it cannot be matched to the sheet yet.
    await expect(page.getByTestId('last-scan')).toContainText(
      '3 found; 2 phones from the sheet seen for the first time, 1 new, 1 did not answer',
    );
    await expect(page.getByTestId('credential-summary')).toContainText(
      '2 of 2 phones rejected the admin password: the site admin password is probably wrong',
    );
    await page.screenshot({ path: join(SHOTS, '1-after-scan.png') });

    // The detail says where each field came from; the timeline what happened.
    await rowOf(a.address).click();
    const detail = page.getByTestId('device-detail');
    await expect(detail.locator('[data-field="firmware"]')).toContainText('SIP OPTIONS');
    await expect(detail).toContainText(/rejected (the|all \d+) admin passwords?/);
    await expect(detail.getByTestId('phone-timeline')).toContainText('Seen on the network for the first time');
    await expect(page).toHaveURL(/#\/inventory\/phone\//);
    await page.screenshot({ path: join(SHOTS, '2-detail.png') });
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();

    // The slow phone answers when the technician gives it more time.
    await page.getByLabel('Status', { exact: true }).selectOption('no-answer');
    await expect(page.getByTestId('shown-count')).toHaveText('1');
    await scan(page, [slow.address, a.address, b.address], '5');
    await expect(page.getByTestId('shown-count')).toHaveText('0');
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(rowOf(slow.address)).toContainText('Present');
    await page.screenshot({ path: join(SHOTS, '3-slow-answered.png') });
  } finally {
    await stopHost(host);
    await lab.stop();
  }
});

test('a verify run updates the inventory: the firmware it read replaces an older reading, phone by phone', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const lab = await startLab(
    {
      name: 'e2e-trust-verify',
      loopbackBase: '127.71.0.0',
      bootMs: 0,
      groups: [
        {
          kind: 'mitel-6800',
          count: 2,
          model: '6867i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:71:00:01',
          ports: { sip: 5060, http: 80, https: null },
        },
      ],
    },
    { mode: 'loopback' },
  );
  try {
    const [a, b] = lab.phones as [(typeof lab.phones)[number], (typeof lab.phones)[number]];
    // Fieldkit last read these phones hours ago, on 6.4.0.140; since then they were upgraded by someone else.
    const site = await SiteWorkspace.create(join(host.sitesDir, 'Verify-trust'), { name: 'Verify trust' });
    const hoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
    await site.writeJson(DEVICES_FILE, DevicesFileSchema, {
      format: 'fieldkit-inventory',
      formatVersion: 1,
      updatedAt: hoursAgo,
      devices: lab.phones.map((p) => deviceFor({ ...p, firmware: '6.4.0.140' }, hoursAgo)),
    });

    await page.goto(host.url);
    await page.getByLabel('Site folder').fill(site.root);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Verify trust', level: 1 })).toBeVisible();
    await goTo(page, 'Inventory');
    const grid = page.getByRole('grid', { name: 'Phones' });
    const rowOf = (address: string) => grid.locator('[role="row"][data-key]', { hasText: address });
    await expect(rowOf(a.address)).toContainText('6.4.0.140');

    // Verify phone A only; its inventory row takes what the phone said, B keeps the older reading.
    await rowOf(a.address).getByRole('checkbox').check();
    await page.getByTestId('chosen-bar').getByRole('button', { name: 'Verify' }).click();
    // Nothing was provisioned, so the verdict may be "failed"; the firmware it read counts all the same.
    await expect(page.getByTestId('inventory-verify-job').locator('.badge').first()).toHaveText(/Done|Failed/, {
      timeout: 60_000,
    });
    await expect(rowOf(a.address)).toContainText('6.5.0.224');
    await expect(rowOf(a.address)).not.toContainText('6.4.0.140');
    await expect(rowOf(b.address)).toContainText('6.4.0.140');

    await rowOf(a.address).click();
    const detail = page.getByTestId('device-detail');
    await expect(detail.locator('[data-field="firmware"]')).toContainText('6.5.0.224');
    await expect(detail.locator('[data-field="firmware"]')).toContainText('Verify');
    await expect(detail.getByTestId('phone-timeline')).toContainText('Verif');
    await page.screenshot({ path: join(SHOTS, '4-after-verify.png') });
  } finally {
    await lab.stop();
  }
});
