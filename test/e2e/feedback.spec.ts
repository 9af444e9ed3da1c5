// Feedback where the technician is looking (issue 14 §6): an error after a click appears next to the control,
// the place survives a reload, the provisioning server's state is always in the header, and the pages fit a
// 1280x720 screen without sideways scrolling.
import { test, expect, goTo } from './fixtures';

test('an error after a click shows next to the control, in view', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByLabel('Site name').fill('Feedback site');
  await page.getByRole('button', { name: 'Create site' }).click();
  await goTo(page, 'Provisioning');
  const field = page.getByLabel("Phone admin password all phones have now (e.g. a previous installer's; digits only)");
  await field.scrollIntoViewIfNeeded();
  await field.fill('12ab');
  await page.getByRole('button', { name: 'Store', exact: true }).first().click();
  const error = page.getByTestId('admin-password-error');
  await expect(error).toBeInViewport();
  await expect(error).toContainText('digits');
  const box = await error.boundingBox();
  const fieldBox = await field.boundingBox();
  expect(box!.y).toBeGreaterThan(fieldBox!.y);
  expect(box!.y - fieldBox!.y).toBeLessThan(200);
});

test('the place is in the address and survives a reload; the server state is always in the header', async ({
  page,
  host,
}) => {
  await page.goto(host.url);
  await page.getByLabel('Site name').fill('Reload site');
  await page.getByRole('button', { name: 'Create site' }).click();
  const indicator = page.getByTestId('server-indicator');
  await expect(indicator).toContainText('Provisioning server stopped');
  await expect(indicator).toHaveAttribute('title', /phones that resync or restart get nothing/);

  await page.getByRole('button', { name: 'Run self-test' }).click();
  await expect(page.getByTestId('self-test-job').locator('.badge').first()).toHaveText('Done', { timeout: 15_000 });
  await page.getByTestId('jobs-panel').locator('[data-job-id]').first().click();
  await expect(page).toHaveURL(/#\/jobs\/[\w-]+self-test/);
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await expect(page.getByTestId('job-journal')).toContainText('Self-test started');
  await expect(page.getByRole('link', { name: 'Jobs', exact: true })).toHaveAttribute('aria-current', 'page');

  // The header's server state leads to where the server is started.
  await indicator.click();
  await expect(page).toHaveURL(/#\/provisioning\/publish$/);
  await expect(page.getByTestId('builtin-server')).toContainText('Stopped');
  // Back and forward walk the places.
  await page.goBack();
  await expect(page).toHaveURL(/#\/jobs\//);
});

test('at 1280x720 the inventory fits: every column in view, no sideways scrolling, the last row reachable', async ({
  page,
  host,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(host.url);
  await page.getByLabel('Site name').fill('Small screen');
  await page.getByRole('button', { name: 'Create site' }).click();
  await goTo(page, 'Inventory');
  await page.getByRole('button', { name: 'Import sheet' }).click();
  const rows = Array.from({ length: 40 }, (_, i) => {
    const n = (i + 1).toString(16).toUpperCase().padStart(2, '0');
    return `00:08:5D:71:00:${n};${4500 + i};Reception desk ${i + 1};Building 2, floor ${1 + (i % 4)}, room ${200 + i};6867i`;
  });
  await page.getByLabel('Or paste the rows').fill(['MAC;DN;Name;Location;Model', ...rows].join('\n'));
  await page.getByRole('button', { name: 'Import pasted rows' }).click();
  await page.getByRole('button', { name: 'Import sheet' }).click();
  const grid = page.getByRole('grid', { name: 'Phones' });
  await expect(grid.getByRole('columnheader', { name: /Location/ })).toBeInViewport();
  const fits = () =>
    page.evaluate(() => {
      const doc = (
        globalThis as unknown as { document: { documentElement: { scrollWidth: number; scrollHeight: number } } }
      ).document.documentElement;
      const view = globalThis as unknown as { innerWidth: number; innerHeight: number };
      return { wide: doc.scrollWidth <= view.innerWidth, tall: doc.scrollHeight <= view.innerHeight + 1 };
    });
  // The page itself does not scroll: the grid does, and its last row can be brought into view. (Polled: the
  // import panel closes and the grid takes its height a frame after the click.)
  await expect.poll(fits).toEqual({ wide: true, tall: true });
  await grid.focus();
  await page.keyboard.press('End');
  await expect(grid.locator('[aria-rowindex="41"]')).toBeInViewport();
  await expect(grid.locator('[aria-rowindex="41"]')).toContainText('Reception desk 40');
});
