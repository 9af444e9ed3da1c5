// Every credential the messages ask for can be entered (issue 14 §5, walkthrough defects 4 and 12), in Chromium
// through the browser host against loopback phones: a new phone on the factory default 22222 is "factory default,
// replaced at provisioning"; two phones a previous installer set to 13579 are refused until the password they have
// now is entered, one from its detail in the inventory and one from Credentials, and are then read; a wrong value
// is refused next to its field with the core's reason; the password Fieldkit will set can be stored and cleared.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startLab } from '../sim/lab';
import { api } from './firmware-setup';
import { test, expect, startHost, stopHost, goTo, freePort, scanFromUi, fetchAs, createSite } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const SHOTS = join(process.cwd(), 'test-results', 'credentials-per-phone');
const PORTS = { sip: 15074, http: 18074, https: null };
const PREVIOUS = '13579';

const hex = (mac: string) => mac.replace(/[^0-9A-Fa-f]/g, '').toUpperCase();
const dashed = (mac: string) => hex(mac).match(/../g)!.join('-');

/** The error under a field is in view and sits right below it (not at the top of the page). */
async function expectErrorUnder(error: Locator, field: Locator, text: string | RegExp) {
  await expect(error).toBeVisible();
  await expect(error).toContainText(text);
  await expect(error).toBeInViewport();
  const e = (await error.boundingBox())!;
  const f = (await field.boundingBox())!;
  expect(e.y).toBeGreaterThan(f.y);
  expect(e.y - f.y).toBeLessThan(120);
}

async function shot(page: Page, name: string) {
  for (const [w, h] of [
    [1366, 768],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: join(SHOTS, `${name}-${w}x${h}.png`) });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

test.beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
});

test("per-phone admin passwords from the phone's detail and from Credentials; 22222 is the factory default", async ({
  page,
}) => {
  test.setTimeout(150_000);
  const lab = await startLab(
    {
      name: 'e2e-credentials',
      loopbackBase: '127.74.0.0',
      bootMs: 0,
      groups: [
        // Desk 15 and 16: a previous installer's password; Desk 20: new, still on the factory default
        {
          kind: 'mitel-6800',
          count: 2,
          model: '6867i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:74:00:01',
          adminPassword: PREVIOUS,
          ports: PORTS,
        },
        {
          kind: 'mitel-6800',
          count: 1,
          model: '6865i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:74:01:01',
          ports: PORTS,
        },
      ],
    },
    { mode: 'loopback' },
  );
  const host = await startHost();
  try {
    const [d15, d16, d20] = lab.phones as [
      (typeof lab.phones)[number],
      (typeof lab.phones)[number],
      (typeof lab.phones)[number],
    ];
    await createSite(page, host.url, 'Credentials site');
    await goTo(page, 'Inventory');
    await api(host, 'inventory.importCsv', {
      text: [
        'MAC;DN;Name;Model',
        `${d15.mac};4315;Desk 15;6867i`,
        `${d16.mac};4316;Desk 16;6867i`,
        `${d20.mac};4320;Desk 20;6865i`,
      ].join('\n'),
    });
    // Desks 15 and 16 asked the built-in server for their files: the inventory learns which MAC is at which address.
    const port = await freePort();
    await api(host, 'provisioning.server.start', { config: { address: '127.0.0.1', port } });
    for (const p of [d15, d16]) await fetchAs(p.address, port, `Mitel6867i MAC:${dashed(p.mac)} V:6.5.0.224-SIP`);

    await page.reload();
    await scanFromUi(page, { addresses: lab.phones.map((p) => p.address), sip: PORTS.sip, http: PORTS.http });
    const grid = page.getByRole('grid', { name: 'Phones' });
    const rowOf = (name: string) => grid.locator('[role="row"][data-key]', { hasText: name });
    const detail = page.getByTestId('device-detail');

    // Desk 20 is on the factory default: read, and said so, not "rejected the admin password".
    await rowOf('Desk 20').click();
    await expect(detail.locator('[data-field="firmware"]')).toContainText('/sysinfo.html');
    await expect(detail).toContainText('Admin password: factory default 22222, replaced at provisioning.');
    await expect(detail).not.toContainText('rejected');
    await expect(detail.getByTestId('last-login')).toContainText('factory default 22222, replaced at provisioning');
    await page.keyboard.press('Escape');

    // Desk 15 keeps a previous installer's password: refused, and the message says where to enter it.
    await rowOf('Desk 15').click();
    await expect(detail).toContainText(/rejected (the|all \d) admin passwords?/);
    await expect(detail).toContainText(
      "Enter the password it has now in the phone's detail (Inventory) under Admin passwords",
    );
    await expect(detail.locator('[data-field="firmware"]')).toContainText('SIP OPTIONS');
    const passwords = detail.getByTestId(`phone-passwords-${hex(d15.mac)}`);
    const current = passwords.getByLabel("Password the phone has now (e.g. a previous installer's)");
    await expect(passwords.getByTestId('current-state')).toHaveText('Not entered');
    await current.fill('13a79');
    await current.press('Enter');
    await expectErrorUnder(passwords.getByTestId('current-error'), current, 'digits only');
    await expect(passwords.getByTestId('current-state')).toHaveText('Not entered');
    await shot(page, '1-detail-error');
    await current.fill(PREVIOUS);
    await current.press('Enter');
    await expect(passwords.getByTestId('current-error')).toBeHidden();
    await expect(passwords.getByTestId('current-state')).toHaveText('Stored');
    await expect(current).toHaveValue('');

    // The password Fieldkit will set: the core's rules, next to the field; stored, then cleared back to derived.
    const wanted = passwords.getByLabel('Password Fieldkit will set (empty: derived from the site secret)');
    await expect(passwords.getByTestId('set-state')).toHaveText('Derived from the site secret');
    await wanted.fill('22222');
    await wanted.press('Enter');
    await expectErrorUnder(passwords.getByTestId('set-error'), wanted, 'factory default 22222');
    await wanted.fill('4294967296');
    await wanted.press('Enter');
    await expectErrorUnder(passwords.getByTestId('set-error'), wanted, '4294967295');
    await wanted.fill('3391548260');
    await wanted.press('Enter');
    await expect(passwords.getByTestId('set-state')).toHaveText('Own value stored');
    await expect(passwords.getByTestId('set-error')).toBeHidden();
    await passwords.getByRole('button', { name: 'Clear' }).nth(1).click();
    await expect(passwords.getByTestId('set-state')).toHaveText('Derived from the site secret');

    // Its effect: re-read now, the phone takes the password it has now.
    await detail.getByRole('button', { name: 'Re-read now' }).click();
    await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    await expect(detail.locator('[data-field="firmware"]')).toContainText('/sysinfo.html');
    await expect(detail).not.toContainText('rejected');
    await expect(detail.getByTestId('last-login')).toContainText('accepted the password it has now');
    await shot(page, '2-detail-read');
    await page.keyboard.press('Escape');

    // Credentials lists every phone's state (never a value) and takes Desk 16's password.
    await goTo(page, 'Provisioning');
    const table = page.getByRole('table', { name: 'Admin passwords per phone' });
    const credRow = (mac: string) => table.locator(`tr[data-mac="${hex(mac)}"]`);
    await expect(credRow(d15.mac)).toContainText('Stored');
    await expect(credRow(d15.mac)).toContainText('accepted the password it has now');
    await expect(credRow(d20.mac)).toContainText('Not entered');
    await expect(credRow(d20.mac)).toContainText('factory default 22222, replaced at provisioning');
    await expect(table).not.toContainText(PREVIOUS);
    await credRow(d16.mac)
      .getByRole('button', { name: /Change the admin passwords of Desk 16/ })
      .click();
    const fields16 = page.getByTestId(`phone-passwords-${hex(d16.mac)}`);
    const current16 = fields16.getByLabel("Password the phone has now (e.g. a previous installer's)");
    await current16.fill('99999999999');
    await current16.press('Enter');
    await expectErrorUnder(fields16.getByTestId('current-error'), current16, '4294967295');
    await current16.fill(PREVIOUS);
    await current16.press('Enter');
    await expect(fields16.getByTestId('current-state')).toHaveText('Stored');
    await expect(credRow(d16.mac)).toContainText('Stored');
    await shot(page, '3-credentials');

    // Its effect: the next scan reads Desk 16 too.
    await goTo(page, 'Inventory');
    await scanFromUi(page, { addresses: lab.phones.map((p) => p.address), sip: PORTS.sip, http: PORTS.http });
    await rowOf('Desk 16').click();
    await expect(detail.locator('[data-field="firmware"]')).toContainText('/sysinfo.html');
    await expect(detail).not.toContainText('rejected');
    await expect(detail.getByTestId(`phone-passwords-${hex(d16.mac)}`).getByTestId('current-state')).toHaveText(
      'Stored',
    );

    // Clearing it in the detail: the phone is refused again at the next re-read.
    const fieldsInDetail = detail.getByTestId(`phone-passwords-${hex(d16.mac)}`);
    await fieldsInDetail.getByRole('button', { name: 'Clear' }).first().click();
    await expect(fieldsInDetail.getByTestId('current-state')).toHaveText('Not entered');
    await detail.getByRole('button', { name: 'Re-read now' }).click();
    await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    await expect(detail).toContainText(/rejected (the|all \d) admin passwords?/);
  } finally {
    await stopHost(host);
    await lab.stop();
  }
});
