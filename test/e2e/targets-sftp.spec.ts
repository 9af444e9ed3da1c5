// Provisioning > Preview & publish > Targets against a real OpenSSH sshd on 127.0.0.1: an SFTP target is added
// (nothing saved while a field is missing), trusted through the host-key dialog, chosen only once its check works,
// edited (wrong password -> right one -> SSH key with a passphrase) and removed without touching the server. The last
// check, failed or working, is still there with its time after a reload.
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, expect, goTo, createSite } from './fixtures';
import { shotsAt } from './sftp-ui';

const SHOTS = join(process.cwd(), 'test-results', 'targets');
const shot = shotsAt(SHOTS);

test.beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
});

test('an SFTP target is added, trusted, checked before use, edited to a passphrase key and removed', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const { startSshd, sshdUnavailableReason } = await import('../helpers/sshd');
  test.skip(sshdUnavailableReason() !== null, sshdUnavailableReason() ?? '');
  const sshd = await startSshd();
  const keys = await mkdtemp(join(tmpdir(), 'fk-e2e-key-'));
  try {
    // A second client key, protected by a passphrase, that the server accepts for the test user.
    const keyPath = join(keys, 'id_ed25519');
    execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'open sesame 42', '-f', keyPath]);
    await appendFile(join(dirname(sshd.home), 'authorized', sshd.user), await readFile(`${keyPath}.pub`));
    const passphraseKey = await readFile(keyPath, 'utf8');

    await createSite(page, host.url, 'Targets site');
    await goTo(page, 'Provisioning');
    await page.getByRole('link', { name: 'Step 3: Preview & publish' }).click();
    const panel = page.getByRole('region', { name: 'Targets' });
    await panel.getByRole('button', { name: 'Add SFTP server' }).click();
    const form = page.getByRole('form', { name: 'Add SFTP server' });

    // Nothing is saved while a field is missing: each says what it needs, next to it.
    await form.getByRole('button', { name: 'Add and check' }).click();
    await expect(form.getByText('Give the target a name')).toBeVisible();
    await expect(form.getByText('Give the server (host name or IP address).')).toBeVisible();
    await expect(form.getByText('Enter the password: a target without one cannot log in.')).toBeVisible();
    await form.getByLabel('Name').fill('site-sftp');
    await form.getByLabel('Host').fill('127.0.0.1');
    await form.getByLabel('Port').fill(String(sshd.port));
    await form.getByLabel('User').fill(sshd.user);
    await form.getByLabel('Folder').fill(sshd.home);
    await form.getByRole('button', { name: 'Add and check' }).click();
    await expect(form.getByText('Enter the password: a target without one cannot log in.')).toBeVisible();
    await expect(panel.getByTestId('target-site-sftp')).toHaveCount(0);
    await shot(page, '1-add-missing');

    // A wrong password: the host key is shown first (trust on first use), then the login is refused.
    await form.getByLabel('Password', { exact: true }).fill('not-the-password');
    await form.getByRole('button', { name: 'Add and check' }).click();
    const dialog = page.getByRole('dialog', { name: 'Trust this SFTP server?' });
    await expect(dialog.getByTestId('host-fingerprint')).toHaveText(await sshd.hostKeyFingerprint());
    await shot(page, '2-host-key');
    await dialog.getByRole('button', { name: 'Trust and continue' }).click();
    const row = panel.getByTestId('target-site-sftp');
    await expect(panel.getByTestId('target-error-site-sftp')).toContainText('refused the login (password)');
    await expect(row.getByRole('radio')).toBeDisabled();
    await expect(page.getByRole('radio', { name: /Built-in server/ })).toBeChecked();
    await expect(row).toContainText('Check failed');
    const checkedAt = /^Checked \d\d:\d\d$/;
    // After a reload the failed check is remembered: still not selectable, with the time it was made.
    await page.reload();
    await expect(row).toContainText('Check failed');
    await expect(row.getByTestId('target-checked-site-sftp')).toHaveText(checkedAt);
    await expect(row.getByRole('radio')).toBeDisabled();

    // Edit: the right password; the check works and the target is chosen.
    await row.getByRole('button', { name: 'Edit site-sftp' }).click();
    const edit = page.getByRole('form', { name: 'Edit site-sftp' });
    await expect(edit.getByLabel('Folder')).toHaveValue(sshd.home);
    await edit.getByLabel('Password', { exact: true }).fill(sshd.password);
    await edit.getByRole('button', { name: 'Save and check' }).click();
    await expect(row).toContainText('Works');
    await expect(row.getByRole('radio')).toBeChecked();
    await expect(row.getByRole('radio')).toBeEnabled();
    await shot(page, '3-works');

    // After a reload the working check is remembered: the target can be chosen without checking it again.
    await page.reload();
    await expect(row).toContainText('Works');
    await expect(row.getByTestId('target-checked-site-sftp')).toHaveText(checkedAt);
    await expect(row.getByRole('button', { name: 'Check again' })).toBeVisible();
    await expect(row.getByRole('radio')).toBeEnabled();
    await row.getByRole('radio').check();
    await expect(row.getByRole('radio')).toBeChecked();
    await shot(page, '3b-works-after-reload');

    // Edit: an SSH key with a passphrase instead; a wrong passphrase is refused next to the form, the right one works.
    await row.getByRole('button', { name: 'Edit site-sftp' }).click();
    await edit.getByLabel('SSH private key').check();
    await edit.getByRole('button', { name: 'Save and check' }).click();
    await expect(edit.getByText('Paste the private key or choose its file')).toBeVisible();
    await edit.getByLabel('Private key file').setInputFiles(keyPath);
    await expect(edit.getByLabel(/Private key \(OpenSSH or PEM\)/)).toHaveValue(passphraseKey);
    await edit.getByLabel(/Passphrase/).fill('wrong passphrase');
    await edit.getByRole('button', { name: 'Save and check' }).click();
    await expect(edit.getByTestId('target-form-error')).toContainText('Saved, but not usable yet');
    await expect(row.getByRole('radio')).toBeDisabled();
    await shot(page, '4-key-error');
    await edit.getByLabel(/Passphrase/).fill('open sesame 42');
    await edit.getByRole('button', { name: 'Save and check' }).click();
    await expect(row).toContainText('Works');
    await expect(row).toContainText('SSH key');
    await expect(row.getByRole('radio')).toBeChecked();

    // Remove: says that nothing on the server is deleted, and does not.
    await writeFile(join(sshd.home, 'startup.cfg'), 'published earlier\n');
    await row.getByRole('button', { name: 'Remove site-sftp' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove target site-sftp?' });
    await expect(confirm).toContainText('Nothing on the server is deleted');
    await shot(page, '5-remove');
    await confirm.getByRole('button', { name: 'Remove target' }).click();
    await expect(panel.getByTestId('target-site-sftp')).toHaveCount(0);
    await expect(page.getByRole('radio', { name: /Built-in server/ })).toBeChecked();
    expect(await readFile(join(sshd.home, 'startup.cfg'), 'utf8')).toBe('published earlier\n');
  } finally {
    await sshd.cleanup();
    await rm(keys, { recursive: true, force: true });
  }
});
