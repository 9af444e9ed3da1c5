// Firmware import without typing a path (walkthrough defect 25), in Chromium through the browser host: the file is
// chosen with the browser's file chooser, sent to the host, and imported into the site's library with the model and
// version its name gives; a refused file says why next to the import form.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildFirmwareImage } from '../sim/firmware-image';
import { test, expect, goTo, createSite } from './fixtures';

test('a firmware file is chosen in the browser and imported, no path typed', async ({ page, host }) => {
  const good = join(host.root, '6865i-6.5.0.224.st');
  await writeFile(good, buildFirmwareImage({ model: '6865i', version: '6.5.0.224', sizeBytes: 4096 }));
  const empty = join(host.root, '6865i-6.5.0.300.st');
  await writeFile(empty, '');

  await createSite(page, host.url, 'Import site');
  await goTo(page, 'Firmware');
  const library = page.getByRole('region', { name: 'Firmware library' });
  const chooser = library.getByLabel('Firmware file (.st or Mitel .zip)');
  await expect(chooser).toHaveAttribute('type', 'file');
  const importButton = library.getByRole('button', { name: 'Import' });
  await expect(importButton).toBeDisabled();

  // A file the library cannot take is refused next to the form, in words.
  await chooser.setInputFiles(empty);
  await importButton.click();
  await expect(library.getByRole('alert')).toContainText('The file is empty.');

  // A browser's name for a second download ("… (1).st") keeps its model and version.
  await chooser.setInputFiles({
    name: '6865i-6.5.0.224 (1).st',
    mimeType: 'application/octet-stream',
    buffer: await readFile(good),
  });
  await importButton.click();
  await expect(library.getByRole('cell', { name: '6.5.0.224', exact: true })).toBeVisible();
  await expect(library.getByRole('cell', { name: '6865i-6.5.0.224_1_.st', exact: true })).toBeVisible();
  await expect(library.getByRole('cell', { name: 'file name', exact: true })).toBeVisible();
  await expect(library.getByRole('alert')).toBeHidden();
  await expect(importButton).toBeDisabled();
  for (const [w, h] of [
    [1366, 768],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'firmware-import', `library-${w}x${h}.png`) });
  }
});
