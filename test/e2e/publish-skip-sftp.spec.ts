// "Publish the ready phones, skip the ones missing credentials" from the UI, onto a real OpenSSH sshd: two of four
// phones have no SIP password. Generate still leads to the preview and says why; the preview refuses everything until
// the technician chooses to skip them, then lists them (one keeps the older file it has on the server, one has none);
// the ready phones' files land on the server with their real secrets, the skipped ones are untouched, the result
// counts files and names the skipped phones, the preview is current again and the job's journal records the skip.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SiteWorkspace } from '../../electron/core/workspace/site-workspace';
import { importCaBundle } from '../../electron/core/provisioning/site-certificates';
import { testCa } from '../helpers/test-ca';
import { test, expect, importSheet, saveLabSettings, createSite } from './fixtures';
import { fillSftpTarget, shotsAt } from './sftp-ui';

const SHOTS = join(process.cwd(), 'test-results', 'publish-skip');
const shot = shotsAt(SHOTS);
const MACS = ['00085D980001', '00085D980002', '00085D980003', '00085D980004'];
const OLDER = '# the configuration a previous installer left for Desk 3\n';

test.beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
});

test('publish the 2 ready phones over SFTP, skip the 2 without a SIP password', async ({ page, host }) => {
  test.setTimeout(120_000);
  const { startSshd, sshdUnavailableReason } = await import('../helpers/sshd');
  test.skip(sshdUnavailableReason() !== null, sshdUnavailableReason() ?? '');
  const sshd = await startSshd();
  try {
    await writeFile(join(sshd.home, `${MACS[2]}.cfg`), OLDER);
    await createSite(page, host.url, 'Skip site');
    // the customer's CA (SIP over TLS), set up outside the UI as in the provisioning spec
    await importCaBundle(await SiteWorkspace.open(join(host.sitesDir, 'Skip-site')), (await testCa()).certPem);
    await importSheet(page, [
      'MAC;DN;Name;Model',
      ...MACS.map((m, i) => `${m};${4300 + i};Desk ${i + 1};${i % 2 ? '6865i' : '6867i'}`),
    ]);
    await expect(page.getByTestId('import-result')).toContainText('4 new');

    await saveLabSettings(page);
    await page.getByRole('link', { name: 'Step 1: Settings' }).click();
    for (const mac of MACS.slice(0, 2)) {
      await page.getByLabel(`SIP password for ${mac}`).fill(`Sip-${mac.slice(-4)}-x9`);
      await page.getByLabel(`SIP password for ${mac}`).press('Enter');
      await expect(page.getByLabel(`SIP password for ${mac}`)).toHaveValue('');
    }

    // Generate: not "ready", but the way to the preview stays open and says why.
    await page.getByRole('link', { name: 'Step 2: Generate' }).click();
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect(page.getByTestId('generate-summary')).toContainText('2 missing credential(s)');
    await expect(page.getByTestId('generate-gate')).toContainText(
      '2 phones miss credentials (below). The preview can publish the 2 ready phones and skip them',
    );
    await shot(page, '1-generate');
    await page.getByRole('button', { name: 'Continue to preview' }).click();

    // An SFTP target, checked (host key trusted) and chosen.
    await fillSftpTarget(page, sshd);
    const form = page.getByRole('form', { name: 'Add SFTP server' });
    await form.getByRole('button', { name: 'Add and check' }).click();
    await page
      .getByRole('dialog', { name: 'Trust this SFTP server?' })
      .getByRole('button', { name: 'Trust and continue' })
      .click();
    await expect(page.getByRole('radio', { name: /site-sftp/ })).toBeChecked();

    // Without the choice nothing can be published; the phones and what they miss are listed.
    const missing = page.getByTestId('missing-credentials');
    await expect(missing).toContainText('2 phones miss credentials');
    await expect(missing).toContainText('Desk 3');
    await expect(missing).toContainText('No SIP password stored');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'nothing can be published' })).toBeVisible();
    await missing.getByLabel(/Skip the 2 phones that miss credentials/).check();
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const skipped = page.getByTestId('preview-skipped');
    await expect(skipped.getByRole('listitem')).toHaveCount(2);
    await expect(skipped.getByRole('listitem').filter({ hasText: 'Desk 3' })).toContainText(
      'Keeps the older file it has on the target now',
    );
    await expect(skipped.getByRole('listitem').filter({ hasText: 'Desk 4' })).toContainText(
      'Has no file of its own on the target',
    );
    await expect(page.getByTestId('preview-summary')).toContainText('2 skipped');
    const newFiles = Number(/(\d+) new/.exec((await page.getByTestId('preview-summary').textContent()) ?? '')?.[1]);
    expect(newFiles).toBeGreaterThan(2);
    const publish = page.getByRole('button', { name: 'Publish the 2 ready phones, skip 2' });
    await expect(publish).toBeDisabled();
    await page.getByLabel(/I have reviewed the changes/).check();
    await expect(page.getByLabel(/I have reviewed the changes/)).toHaveAccessibleName(
      new RegExp(`publish ${newFiles} files to sftp://.* and skip 2 phones \\(${MACS[2]}, ${MACS[3]}\\)`),
    );
    await shot(page, '2-preview-skip');
    await publish.click();
    await expect(page.getByTestId('publish-job').locator('.badge')).toHaveText('Done', { timeout: 30_000 });

    // The result counts files (not the last file's name) and names the skipped phones; the preview is current again.
    const result = page.getByTestId('publish-result');
    await expect(result).toContainText(`${newFiles} files published to sftp://`);
    await expect(result).toContainText('Skipped 2 phones that miss credentials: Desk 3');
    await expect(page.getByTestId('preview-summary')).toContainText(`${newFiles} unchanged`);
    await expect(page.getByTestId('preview-summary')).toContainText('0 new');
    await expect(page.getByLabel(/I have reviewed the changes/)).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Publish/ })).toBeDisabled();
    await shot(page, '3-published');

    // On the server: the ready phones with their real secrets, the shared files, the skipped ones untouched.
    const onServer = await readdir(sshd.home);
    for (const name of [`${MACS[0]}.cfg`, `${MACS[1]}.cfg`, 'startup.cfg']) expect(onServer).toContain(name);
    expect(onServer).not.toContain(`${MACS[3]}.cfg`);
    expect(await readFile(join(sshd.home, `${MACS[2]}.cfg`), 'utf8')).toBe(OLDER);
    const phoneFile = await readFile(join(sshd.home, `${MACS[0]}.cfg`), 'utf8');
    expect(phoneFile).toContain('Sip-0001-x9');
    expect(phoneFile).not.toContain('********');

    // The job's journal records which phones were skipped and why.
    const journalDir = join(host.sitesDir, 'Skip-site', 'journal');
    const journals = await Promise.all((await readdir(journalDir)).map((f) => readFile(join(journalDir, f), 'utf8')));
    const record = journals
      .flatMap((j) => j.split('\n').filter(Boolean))
      .map((l) => JSON.parse(l) as { type: string; phones?: { mac: string; missing: string[] }[] })
      .find((e) => e.type === 'skipped');
    expect(record?.phones?.map((p) => p.mac)).toEqual([MACS[2], MACS[3]]);
    expect(record?.phones?.[0]?.missing.join()).toContain('No SIP password stored');
  } finally {
    await sshd.cleanup();
  }
});
