// The security checklist walked through in Chromium against the real browser host: start a run, jump to the
// failed items, record deviations (refused without a reason), answer the rest, complete, and create the
// customer report, whose HTML and PDF are then read from the site folder.
import { readFile, readdir, mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { prepareSite } from '../unit/checklist/checklist-fixture';
import { test as base, expect, startHost, stopHost, goTo, type HostHandle } from './fixtures';

const test = base.extend<{ checklistHost: HostHandle }>({
  // The admin password the generated configuration takes, as the CLI/browser host reads credentials.
  checklistHost: async ({}, use) => {
    const host = await startHost([], { FIELDKIT_ADMIN_PASSWORD: '3821390517' });
    await use(host);
    await stopHost(host);
  },
});

// Screenshots for a human look, outside test-results (which every Playwright run empties).
const shots = process.env.FIELDKIT_SHOTS ?? join(tmpdir(), 'fieldkit-checklist-shots');

test('walk through the checklist, record deviations, complete the run and hand over the report', async ({
  page,
  checklistHost: host,
}) => {
  test.setTimeout(120_000);
  await mkdir(shots, { recursive: true });
  const siteDir = join(host.root, 'musterwerk');
  // HTTP provisioning and one phone on old firmware: two automatic items fail.
  await prepareSite(
    siteDir,
    { provisioning: { protocol: 'HTTP', server: 'prov.example.net', path: 'mitel' } },
    { '00:10:BC:00:00:01': '6.4.0.140' },
  );

  await page.goto(host.url);
  await page.getByLabel('Site folder').fill(siteDir);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await goTo(page, 'Checklist');

  await expect(page.getByTestId('checklist-due')).toHaveText('Due');
  await expect(page.getByText('First installation: no security checklist has been completed')).toBeVisible();
  await expect(page.getByLabel('Technician')).toHaveValue('Dana Weber');
  await expect(page.getByLabel('Customer contact person')).toHaveValue('Jonas Keller');
  await page.screenshot({ path: join(shots, '1-due.png') });
  await page.getByRole('button', { name: 'Start checklist' }).click();

  const item = page.getByTestId('checklist-item');
  await expect(page.getByTestId('checklist-due')).toHaveText('Run in progress');
  await expect(page.getByRole('heading', { name: 'OpenScape Voice is V10 R3.30.0 or later' })).toBeFocused();
  await expect(item).toContainText('From the guide');
  await expect(item).toContainText('guide §2.1, §6');
  await page.screenshot({ path: join(shots, '2-first-step.png') });

  // Confirm the OSV version by keyboard: choose "Passed", write a note, submit with Enter.
  await item.getByLabel('Passed', { exact: true }).check();
  await item.getByLabel(/^Note/).fill('OSV V10 R3.30.2 read in the OSV Assistant.');
  await item.getByLabel(/^Note/).press('Tab');
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('heading', { name: 'Phone firmware is 6.5.0.224 or later on every phone' }),
  ).toBeFocused();
  await expect(page.getByTestId('checklist-evidence')).toContainText(
    'Store room 00:10:BC:00:00:01 6865i DN 2108189797: 6.4.0.140 is below 6.5.0.224',
  );
  await page.screenshot({ path: join(shots, '3-failed-evidence.png') });

  // Jump to the HTTPS item through "Next failed item" and record a deviation: refused without a reason.
  await page.getByRole('button', { name: 'Next failed item' }).click();
  await expect(page.getByRole('heading', { name: 'Configuration fetched over HTTPS' })).toBeFocused();
  await expect(page.getByTestId('checklist-evidence')).toContainText('download protocol: HTTP');
  await expect(item.getByLabel('Agreed with (customer contact)')).toHaveValue('Jonas Keller');
  await item.getByRole('button', { name: 'Record deviation' }).click();
  await expect(item.getByRole('alert')).toHaveText('A deviation needs its reason (guide §2.2).');
  await item
    .getByLabel('Reason for the deviation')
    .fill('The provisioning server has no certificate yet; HTTPS follows with the PKI rollout in Q3.');
  await page.screenshot({ path: join(shots, '4-deviation.png') });
  await item.getByRole('button', { name: 'Record deviation' }).click();
  await expect(page.locator('.ck-step[data-item-id="harden.https"]')).toHaveAttribute('data-outcome', 'deviation');

  // The firmware item: a deviation for the one phone that cannot be upgraded before the handover.
  await page.locator('.ck-step[data-item-id="prereq.phone-firmware"]').click();
  await item
    .getByLabel('Reason for the deviation')
    .fill('Store room phone stays on 6.4.0.140 until the spare arrives; it does not use OSV features.');
  await item.getByRole('button', { name: 'Record deviation' }).click();

  // Answer everything else: jump from open item to open item.
  for (let guard = 0; guard < 60; guard++) {
    const progress = await page.getByTestId('checklist-progress').innerText();
    if (/· 0 open/.test(progress)) break;
    await page.getByRole('button', { name: 'Next open item' }).click();
    const id = await item.getAttribute('data-item-id');
    if (await item.getByRole('button', { name: 'Noted, next' }).count()) {
      await item.getByRole('button', { name: 'Noted, next' }).click();
    } else if (await item.getByLabel('Passed', { exact: true }).count()) {
      await item.getByLabel(id === 'service.cls' ? 'Not applicable' : 'Passed', { exact: true }).check();
      await item.getByRole('button', { name: 'Save and next' }).click();
    } else {
      throw new Error(`item ${id} cannot be answered in this walkthrough`);
    }
    await expect(page.locator(`.ck-step[data-item-id="${id}"]`)).not.toHaveAttribute('data-outcome', 'open');
  }
  await expect(page.getByTestId('checklist-progress')).toContainText('0 open');
  await expect(page.getByTestId('checklist-progress')).toContainText('2 deviations');
  await page.screenshot({ path: join(shots, '5-all-answered.png') });

  await page.getByRole('button', { name: 'Complete run' }).click();
  await expect(page.getByRole('status')).toContainText('Checklist run completed');
  await expect(page.getByTestId('checklist-due')).toHaveText('Not due');
  await expect(page.getByRole('region', { name: 'Earlier runs' })).toContainText('Dana Weber with Jonas Keller');
  await page.getByRole('button', { name: 'Create report' }).click();
  const saved = page.getByTestId('checklist-report');
  await expect(saved).toContainText('.pdf', { timeout: 60_000 });
  await expect(saved).toBeInViewport();
  await page.screenshot({ path: join(shots, '6-completed.png') });
  // The report opens from a link: its bytes come over the contract into a new tab.
  const popup = page.waitForEvent('popup');
  await saved.getByRole('button', { name: 'Open PDF' }).click();
  const tab = await popup;
  expect(tab.url()).toMatch(/^blob:/);
  await tab.close();
  const download = page.waitForEvent('download');
  await saved.getByRole('button', { name: 'Save a copy' }).first().click();
  expect((await readFile((await (await download).path())!)).subarray(0, 5).toString()).toBe('%PDF-');

  const reports = (await readdir(join(siteDir, 'reports'))).sort();
  const htmlName = reports.find((f) => f.endsWith('.html'))!;
  expect(htmlName).toMatch(/^checklist-report-\d{8}-\d{6}Z\.html$/);
  expect(reports).toContain(htmlName.replace('.html', '.pdf'));
  const html = await readFile(join(siteDir, 'reports', htmlName), 'utf8');
  for (const heading of [
    '1 Site and inventory',
    '2 Firmware before and after',
    '3 Checklist results',
    '4 Deviations from standard settings',
    '5 Feature restrictions (customer handover)',
    '6 Known issues and workarounds',
    '7 Sign-off',
  ]) {
    expect(html).toContain(heading);
  }
  expect(html).not.toContain('Draft:');
  expect(html).toContain('HTTPS follows with the PKI rollout in Q3.');
  expect(html).toContain('download protocol: HTTP (startup.cfg line');
  expect(html).toContain('OSV V10 R3.30.2 read in the OSV Assistant.');
  expect(html).toContain('Park is not completed on 6867/6865 devices.');
  expect(html).toContain('DTP-74349');
  expect(html).not.toContain('3821390517');

  const pdf = await readFile(join(siteDir, 'reports', htmlName.replace('.html', '.pdf')));
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const text = execFileSync(
    'pdftotext',
    ['-layout', join(siteDir, 'reports', htmlName.replace('.html', '.pdf')), '-'],
    { encoding: 'utf8' },
  );
  expect(text).toContain('Security checklist and handover report');
  expect(text).toMatch(/TECHNICIAN\s+CUSTOMER CONTACT PERSON\s+Dana Weber\s+Jonas Keller/);
  expect(text).toMatch(/Page 1 of \d+/);
});

test('the walkthrough is keyboard accessible: the step list and the answer form work without a mouse', async ({
  page,
  checklistHost: host,
}) => {
  const siteDir = join(host.root, 'keys');
  await prepareSite(siteDir);
  await page.goto(host.url);
  await page.getByLabel('Site folder').fill(siteDir);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByRole('navigation', { name: 'Places' }).getByRole('link', { name: 'Checklist' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Start checklist' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'OpenScape Voice is V10 R3.30.0 or later' })).toBeFocused();
  // Step list: focus an item and open it with Enter; the item's heading receives focus.
  const step = page
    .getByRole('navigation', { name: 'Checklist items' })
    .getByRole('button', { name: /Known issues and their workarounds/ });
  await step.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Known issues and their workarounds', level: 2 })).toBeFocused();
  await expect(step).toHaveAttribute('aria-current', 'step');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Previous' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Noted, next' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(step).toHaveAttribute('data-outcome', 'noted');
});
