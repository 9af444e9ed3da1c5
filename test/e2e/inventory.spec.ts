// Inventory in Chromium through the real browser host: CSV import with row errors, a 5,000-row virtualised table
// (sort, filter, keyboard, detail with sources), export, and a scan of simulated phones on loopback from the UI.
import { mkdir, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLab } from '../sim/lab';
import { test, expect, startHost, stopHost, goTo, createSite } from './fixtures';
import type { Page } from '@playwright/test';

const SHOTS = join(process.cwd(), 'test-results', 'inventory');
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

const goInventory = (page: Page) => goTo(page, 'Inventory');

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

/** devices.json with `count` phones as discovery would have stored them. */
function seededDevices(count: number) {
  const at = '2026-03-01T10:00:00.000Z';
  const devices = Array.from({ length: count }, (_, i) => {
    const mac = hex(0x00085d000000 + i, 12)
      .match(/../g)!
      .join(':');
    const ip = `10.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    const firmware = ['6.5.0.224', '5.1.0.2051', '6.4.0.140'][i % 3]!;
    const model = i % 4 === 0 ? '6865i' : '6867i';
    const s = <T>(value: T, source: string) => ({ value, source, at });
    return {
      record: {
        key: `mac:${mac}`,
        ip: `10.20.${ip.slice(3)}`.replace('10.20.', `10.${20 + Math.floor(i / 62500)}.`),
        mac: s(mac, 'sysinfo'),
        vendor: s('Mitel', 'sip'),
        model: s(model, 'sip'),
        firmware: s(firmware, 'sip'),
        banner: s(`Mitel ${model}/${firmware}`, 'sip'),
        hostname: null,
        sipPort: 5060,
        httpPort: 80,
        httpsPort: 443,
        services: [],
        classification: 'supported',
        sources: ['sip', 'sysinfo'],
        flags: {
          belowOsvMinimum: firmware !== '6.5.0.224',
          vulnerable: firmware === '5.1.0.2051' ? ['CVE-2024-31963'] : [],
          possiblyVulnerable: [],
          notes: [],
        },
        firstSeen: at,
        lastSeen: at,
      },
      state: i % 50 === 7 ? 'gone' : 'present',
      changes:
        i % 50 === 7
          ? [{ kind: 'gone', from: null, to: null }]
          : i % 100 === 3
            ? [{ kind: 'new', from: null, to: null }]
            : [],
      changedAt: at,
      goneSince: i % 50 === 7 ? at : null,
      previousIps: [],
    };
  });
  return { format: 'fieldkit-inventory', formatVersion: 1, updatedAt: at, devices };
}

test.beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
});

test('import a CSV through the UI: rows appear, bad rows are listed with their row number', async ({ page, host }) => {
  await createSite(page, host.url, 'Import site');
  await goInventory(page);
  await expect(page.getByTestId('inventory-summary')).toContainText('0 devices');
  await page.getByRole('button', { name: 'Import sheet' }).click();
  const csv = [
    'MAC Address;Extension;Display Name;Room;Type',
    '00-08-5d-1a-2b-01;4711;Dana Weber;3.14;Mitel 6867i',
    '0008.5d1a.2b02;4712;"Kim; Lee";3.15;6865',
    'garbage;4713;Nobody;3.16;6867i',
    '00085D1A2B04;ext-9;Sam;Lab;6867i',
  ].join('\r\n');
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'plan.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`) });
  const result = page.getByTestId('import-result');
  await expect(result).toContainText('3 new');
  await expect(result.getByRole('list', { name: 'Import errors' })).toContainText(
    'Row 4: "garbage" is not a MAC address',
  );
  await expect(result.getByRole('list', { name: 'Import warnings' })).toContainText(
    'Row 5: directory number "ext-9" is not only digits',
  );
  await expect(page.getByTestId('shown-count')).toHaveText('3');
  const grid = page.getByRole('grid', { name: 'Phones' });
  await expect(grid.getByRole('row', { name: /Kim; Lee/ })).toContainText('Not seen yet');
  await shot(page, 'import');

  // Pasted rows update a phone already in the sheet.
  await page.getByLabel('Or paste the rows').fill('mac,name\n00:08:5D:1A:2B:01,Dana W.\n');
  await page.getByRole('button', { name: 'Import pasted rows' }).click();
  await expect(result).toContainText('0 new, 1 updated');
  await expect(grid.getByRole('row', { name: /Dana W\./ })).toBeVisible();
});

test('5,000 phones: virtualised table scrolls with few DOM rows; sort, filter, keyboard, detail and export work', async ({
  page,
  host,
}) => {
  await createSite(page, host.url, 'Big site');
  const siteDir = join(host.sitesDir, 'Big-site');
  await writeFile(join(siteDir, 'inventory', 'devices.json'), JSON.stringify(seededDevices(5000)));
  await writeFile(
    join(siteDir, 'inventory', 'sheet.json'),
    JSON.stringify({
      format: 'fieldkit-sheet',
      formatVersion: 1,
      updatedAt: '2026-03-01T09:00:00.000Z',
      rows: [
        {
          mac: '00:08:5D:00:00:00',
          directoryNumber: '2000',
          displayName: 'Front desk',
          location: 'Lobby',
          model: '6865i',
          importedAt: '2026-03-01T09:00:00.000Z',
          sourceFile: 'plan.csv',
        },
      ],
    }),
  );
  await goInventory(page);
  await expect(page.getByTestId('inventory-summary')).toContainText('5,000 devices');
  const grid = page.getByRole('grid', { name: 'Phones' });
  const bodyRows = grid.locator('[role="row"][data-key]');
  await expect(bodyRows.first()).toBeVisible();
  expect(await bodyRows.count()).toBeLessThan(60);
  await shot(page, 'table-5000');

  // Scroll to the end: still few rows in the DOM, and the last phone is shown.
  const viewport = page.getByTestId('inventory-viewport');
  const started = Date.now();
  for (let i = 1; i <= 20; i++)
    await viewport.evaluate((el, f) => {
      el.scrollTop = el.scrollHeight * f;
    }, i / 20);
  await viewport.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  const scrollMs = Date.now() - started;
  expect(scrollMs).toBeLessThan(5000);
  await expect(grid.locator('[aria-rowindex="5001"]')).toBeVisible();
  expect(await bodyRows.count()).toBeLessThan(60);

  // Sort by firmware descending, then by IP.
  await page.locator('[data-column="firmware"]').click();
  await expect(grid.getByRole('columnheader', { name: /Firmware/ })).toHaveAttribute('aria-sort', 'ascending');
  await page.locator('[data-column="firmware"]').click();
  await expect(grid.getByRole('columnheader', { name: /Firmware/ })).toHaveAttribute('aria-sort', 'descending');
  await viewport.evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect(bodyRows.first().locator('[role="gridcell"]').nth(4)).toContainText('6.5.0.224');

  // Filters: below the OSV minimum, and then only gone ones.
  await page.getByLabel('Firmware', { exact: true }).selectOption('below-minimum');
  await expect(page.getByTestId('shown-count')).toHaveText('3,333');
  await page.getByLabel('Status', { exact: true }).selectOption('gone');
  const goneBelow = seededDevices(5000).devices.filter((d, i) => d.state === 'gone' && i % 3 !== 0).length;
  await expect(page.getByTestId('shown-count')).toHaveText(String(goneBelow));
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel('Change', { exact: true }).selectOption('new');
  await expect(page.getByTestId('shown-count')).toHaveText('50');
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel('Model', { exact: true }).selectOption('6865i');
  await expect(page.getByTestId('shown-count')).toHaveText('1,250');
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('shown-count')).toHaveText('5,000');

  // Keyboard: focus the grid, move down, open with Enter; the detail names each field's source.
  await page.locator('[data-column="ip"]').click();
  await grid.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('device-detail');
  await expect(detail).toBeVisible();
  await expect(detail.locator('[data-field="mac"]')).toContainText('00:08:5D:00:00:00');
  await expect(detail.locator('[data-field="mac"]')).toContainText('/sysinfo.html');
  await expect(detail.locator('[data-field="firmware"]')).toContainText('SIP OPTIONS');
  await expect(detail.locator('[data-field="displayName"]')).toContainText('Front desk');
  await expect(detail.locator('[data-field="displayName"]')).toContainText("Technician's sheet");
  await expect(detail.locator('[data-field="displayName"]')).toContainText('plan.csv');
  await shot(page, 'detail');
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await expect(grid).toBeFocused();

  // Export: a CSV download with one line per phone plus the header.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export all' }).click();
  const file = await (await download).path();
  const text = await readFile(file, 'utf8');
  expect(text.startsWith('MAC,IP,Model,Firmware')).toBe(true);
  expect(text.trim().split('\r\n')).toHaveLength(5001);
});

test('a scan from the UI finds simulated phones on loopback with model and firmware', async ({ page }) => {
  const lab = await startLab(
    {
      name: 'e2e-inventory',
      loopbackBase: '127.67.0.0',
      bootMs: 0,
      groups: [
        {
          kind: 'mitel-6800',
          count: 3,
          model: '6867i',
          versions: ['6.5.0.224', '5.1.0.2051'],
          macStart: '00:08:5D:67:00:01',
          bannerPrefix: 'alternate',
          ports: { sip: 15061, http: 18081, https: null },
        },
        {
          kind: 'mitel-6800',
          count: 2,
          model: '6865i',
          versions: ['6.4.0.140'],
          macStart: '08:00:0F:67:00:01',
          bannerPrefix: 'Aastra',
          ports: { sip: 15061, http: 18081, https: null },
        },
      ],
    },
    { mode: 'loopback' },
  );
  const host = await startHost([], { FIELDKIT_ADMIN_PASSWORD: '22222' });
  try {
    await createSite(page, host.url, 'Scan site');
    await goInventory(page);
    await page.getByRole('button', { name: 'Scan network' }).click();
    const ranges = page.getByLabel('Addresses to scan');
    await ranges.fill('127.67.0.0/16');
    const check = page.locator('#ranges-check');
    await expect(check).toContainText('65,534 addresses.');
    await expect(check).toContainText('A scan of 65,534 addresses takes about 2 min 44 s.');
    await ranges.fill('127.66.0.0/15');
    await expect(check.getByRole('alert')).toContainText('131,070 addresses, more than a /16');
    await expect(page.getByRole('button', { name: 'Start scan' })).toBeDisabled();
    await page.getByLabel(/Scan more than a \/16/).check();
    await expect(check).toContainText('131,070 addresses.');

    await ranges.fill(lab.devices.map((d) => d.address).join('\n'));
    await expect(check).toHaveText('5 addresses.');
    // Spaces around the dash are fine; one address is "1 address"; a public one is warned about.
    await ranges.fill('127.67.0.1 - 127.67.0.5');
    await expect(check).toHaveText('5 addresses.');
    await ranges.fill('8.8.8.8');
    await expect(check).toContainText('1 address.');
    await expect(check.getByRole('alert')).toContainText('8.8.8.8 is a public internet address');
    await ranges.fill(lab.devices.map((d) => d.address).join('\n'));
    await expect(check).toHaveText('5 addresses.');
    await page.getByLabel('SIP ports').fill('15061');
    await page.getByLabel('HTTP ports', { exact: true }).fill('18081');
    await page.getByLabel('HTTPS ports').fill('');
    await page.getByLabel('mDNS browse').uncheck();
    await expect(page.getByRole('button', { name: 'Start scan' })).toBeDisabled();
    await page.getByLabel(/I may scan them/).check();
    await shot(page, 'scan-form');
    await page.getByRole('button', { name: 'Start scan' }).click();

    const progress = page.getByTestId('scan-progress');
    await expect(progress).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    await expect(page.getByTestId('found-count')).toHaveText('5 found');
    await expect(page.getByTestId('inventory-summary')).toContainText('5 devices');
    const grid = page.getByRole('grid', { name: 'Phones' });
    for (const d of lab.devices) {
      const row = grid.locator('[role="row"][data-key]', { hasText: d.address });
      await expect(row).toContainText(d.model!);
      await expect(row).toContainText(d.firmware!);
      await expect(row).toContainText(
        d.mac
          .replace(/[^0-9A-Fa-f]/g, '')
          .toUpperCase()
          .match(/../g)!
          .join(':'),
      );
      await expect(row).toContainText('New');
    }
    await expect(page.getByText(/Last scan .*5 found; 5 new/)).toBeVisible();
    await shot(page, 'scan-result');

    // A large, mostly empty range shows honest progress and can be cancelled; nothing already found is lost.
    await page.getByRole('button', { name: 'Scan network' }).click();
    await ranges.fill('127.68.0.0/16');
    await page.getByLabel('Neighbour table').uncheck();
    await expect(check).toContainText('65,534 addresses.');
    await page.getByLabel(/I may scan them/).check();
    await page.getByRole('button', { name: 'Start scan' }).click();
    await expect(progress).toHaveAttribute('data-state', 'running');
    await expect
      .poll(async () => Number(await progress.getByRole('progressbar').getAttribute('aria-valuenow')))
      .toBeGreaterThan(0);
    await shot(page, 'scan-running');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await expect(progress).toHaveAttribute('data-state', 'cancelled');
    expect(Number(await progress.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeLessThan(100);
    await expect(page.getByTestId('inventory-summary')).toContainText('5 devices · 3 × 6867i, 2 × 6865i · 5 present');
  } finally {
    await stopHost(host);
    await lab.stop();
  }
});
