import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect } from './fixtures';

test('create a site, see it listed, reopen it, and find its files on disk', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'New site' })).toBeVisible();

  await page.getByLabel('Site name').fill('Head office, 3rd floor');
  await page.getByLabel('Customer', { exact: true }).fill('ACME Logistics');
  await page.getByLabel('Technician').fill('Dana Weber');
  await expect(page.getByLabel('Folder', { exact: true })).toHaveValue(join(host.sitesDir, 'Head-office-3rd-floor'));
  await page.getByRole('button', { name: 'Create site' }).click();

  await expect(page.getByRole('heading', { name: 'Head office, 3rd floor', level: 1 })).toBeVisible();
  const siteDir = join(host.sitesDir, 'Head-office-3rd-floor');
  await expect(page.getByTestId('site-path')).toHaveText(siteDir);

  const stored = JSON.parse(await readFile(join(siteDir, 'fieldkit-site.json'), 'utf8'));
  expect(stored).toMatchObject({
    format: 'fieldkit-site',
    name: 'Head office, 3rd floor',
    customer: 'ACME Logistics',
    technician: 'Dana Weber',
  });
  // polled: the header's first read of the server's state, which makes provisioning/, may still be under way
  await expect
    .poll(async () => (await readdir(siteDir)).sort())
    .toEqual([
      'checklist',
      'configs',
      'fieldkit-site.json',
      'firmware',
      'inventory',
      'journal',
      'provisioning', // the built-in server's settings with its random path key, made when its state is first read
      'reports',
    ]);

  // Closing asks first: it stops the built-in provisioning server.
  await page.getByRole('button', { name: 'Close site' }).click();
  const dialog = page.getByRole('dialog', { name: /Close Head office/ });
  await expect(dialog).toContainText('provisioning server');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Close site' }).click();
  const recent = page.getByRole('list', { name: 'Recent sites' });
  await expect(recent.getByRole('button', { name: /^Head office, 3rd floor/ })).toBeVisible();
  await recent.getByRole('button', { name: /^Head office, 3rd floor/ }).click();
  await expect(page.getByRole('heading', { name: 'Head office, 3rd floor', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Customer', { exact: true })).toHaveValue('ACME Logistics');
});

test('a folder that is not a site is refused with a clear message', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByLabel('Site folder').fill(host.root);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('is not a Fieldkit site');
});

test('a job started from the UI shows its progress reaching 100 % in the jobs panel', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByLabel('Site name').fill('Job site');
  await page.getByRole('button', { name: 'Create site' }).click();
  await page.getByRole('button', { name: 'Run self-test' }).click();

  const panel = page.getByTestId('jobs-panel');
  const job = panel.locator('[data-job-id]').first();
  const bar = job.getByRole('progressbar');
  await expect(job).toHaveAttribute('data-state', 'running');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 5_000 }).toBeGreaterThan(0);
  await expect(bar).toHaveAttribute('aria-valuenow', '100', { timeout: 15_000 });
  await expect(job).toHaveAttribute('data-state', 'succeeded');
  await expect(job.getByText('100%')).toBeVisible();

  // The dock's card is a link to the job and its journal, in words.
  await job.click();
  await expect(page).toHaveURL(/#\/jobs\//);
  const row = page.locator('tr[data-job-id]').first();
  await expect(row).toContainText('Done');
  await expect(row).toContainText('Self-test');
  const journal = page.getByTestId('job-journal');
  await expect(journal.getByRole('list', { name: 'What happened' })).toContainText('Self-test started');
  await expect(journal.getByRole('list', { name: 'What happened' })).toContainText('Finished');
  await journal.getByLabel(/Every entry/).check();
  await expect(journal.getByRole('list', { name: 'Journal entries' })).toContainText('job-succeeded');
});

test('the shell can be used with the keyboard alone', async ({ page, host }) => {
  await page.goto(host.url);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.getByLabel('Site name').focus();
  await page.keyboard.type('Keyboard site');
  await expect(page.getByLabel('Folder', { exact: true })).toHaveValue(/Keyboard-site$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Keyboard site', level: 1 })).toBeVisible();
  const link = page.getByRole('navigation', { name: 'Places' }).getByRole('link', { name: 'Inventory' });
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(link).toHaveAttribute('aria-current', 'page');
  // Focus moves to the new page's heading, not left in the navigation.
  await expect(page.getByRole('heading', { name: 'Inventory', level: 2 })).toBeFocused();
});

test('diagnostics for a ticket download as text naming the site and its last job', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByLabel('Site name').fill('Ticket site');
  await page.getByRole('button', { name: 'Create site' }).click();
  await page.getByRole('button', { name: 'Run self-test' }).click();
  await expect(page.getByTestId('jobs-panel').locator('[data-job-id]').first()).toHaveAttribute(
    'data-state',
    'succeeded',
    {
      timeout: 15_000,
    },
  );
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save diagnostics for a ticket' }).click();
  const download = await downloading;
  const text = await readFile((await download.path())!, 'utf8');
  expect(text).toContain('Ticket site');
  expect(text).toContain('self-test');
});
