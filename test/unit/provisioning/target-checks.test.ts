// A target's last check outlives a restart (against a real OpenSSH sshd): remembered with its time, outcome and the
// host key it saw, never the password; stale once the URL, the way of logging in, the credential or the pinned host
// key changed; forgotten with the target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { KnownHosts } from '../../../electron/core/provisioning/known-hosts';
import { TARGET_CHECKS_DIR } from '../../../electron/core/provisioning/target-checks';
import { startSshd, sshdUnavailableReason } from '../../helpers/sshd';
import { callsOf } from '../../helpers/app-calls';
import { tempDir } from '../../helpers/temp-dir';

test(
  'the last check survives a restart, goes stale when the target changes, and holds no secret',
  { skip: sshdUnavailableReason() ?? false, timeout: 60_000 },
  async (t) => {
    const dir = await tempDir(t);
    const sshd = await startSshd();
    t.after(() => sshd.cleanup());
    const appDataDir = join(dir, 'data');
    const secrets = new MemorySecretStore(); // the credential store outlives the app, as the real one does
    const siteDir = join(dir, 'site');
    const open = async () => {
      const app = new FieldkitApp(nodePlatform({ appDataDir, defaultSitesRoot: dir, secrets }));
      t.after(() => app.shutdown());
      return { app, ...callsOf(app) };
    };
    const url = `sftp://${sshd.user}@127.0.0.1:${sshd.port}${sshd.home}`;
    const first = await open();
    await first.ok('site.create', { dir: siteDir, name: 'Checks' });
    await first.ok('provisioning.saveTarget', { target: { id: 'cust', kind: 'sftp', url, auth: 'password' } });
    await first.ok('provisioning.setTargetCredential', { targetId: 'cust', password: sshd.password });
    await first.ok('provisioning.trustHostKey', { targetId: 'cust', fingerprint: await sshd.hostKeyFingerprint() });
    const checked = await first.ok('provisioning.checkTarget', { targetId: 'cust' });
    assert.deepEqual([checked.ok, checked.state, checked.stale], [true, 'ok', null]);
    assert.equal(checked.fingerprint, await sshd.hostKeyFingerprint(), 'the host key it saw');
    await first.app.shutdown();

    // restart: the check is still there, with its time, and still holds
    const { app, ok } = await open();
    await ok('site.open', { dir: siteDir });
    const remembered = async () => (await ok('provisioning.targetChecks', {})).find((c) => c.targetId === 'cust');
    assert.deepEqual(await remembered(), { ...checked });

    // never a secret in the file (nor anywhere in the data folder's checks)
    const checksDir = join(appDataDir, TARGET_CHECKS_DIR);
    const files = await readdir(checksDir);
    for (const f of files) assert.ok(!(await readFile(join(checksDir, f), 'utf8')).includes(sshd.password), f);
    assert.deepEqual(
      files.filter((f) => f.endsWith('.json')),
      [files.find((f) => f.endsWith('.json'))],
      'one file for the site',
    );
    const stored = () =>
      readFile(
        join(
          checksDir,
          files.find((f) => f.endsWith('.json'))!,
        ),
        'utf8',
      );
    assert.match(await stored(), /"state": "ok"/);
    assert.ok(!(await stored()).includes(sshd.password), 'no password in the remembered check');

    // edited: another URL or another way of logging in makes it stale; the same settings again make it hold again
    const save = (target: object) =>
      ok('provisioning.saveTarget', { target: { id: 'cust', kind: 'sftp', url, auth: 'password', ...target } });
    await save({ url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}/tmp` });
    assert.equal((await remembered())?.stale, 'settings-changed');
    await save({ auth: 'key' });
    assert.equal((await remembered())?.stale, 'settings-changed');
    await save({ backups: 2 });
    assert.equal((await remembered())?.stale, null, 'the backups kept do not change what the check found');

    // a new credential: stale until checked again
    await ok('provisioning.setTargetCredential', { targetId: 'cust', password: 'not-the-password' });
    assert.equal((await remembered())?.stale, 'credential-changed');
    const refused = await ok('provisioning.checkTarget', { targetId: 'cust' });
    assert.deepEqual([refused.ok, refused.state], [false, 'login-refused']);
    assert.deepEqual(await remembered(), { ...refused }, 'a failed check is remembered too');
    await ok('provisioning.setTargetCredential', { targetId: 'cust', password: sshd.password });
    assert.equal((await ok('provisioning.checkTarget', { targetId: 'cust' })).ok, true);
    assert.equal((await remembered())?.stale, null);

    // a damaged file: named, left as it was; a check still works and says it was not remembered
    const checksFile = join(
      checksDir,
      files.find((f) => f.endsWith('.json'))!,
    );
    const good = await stored();
    await writeFile(checksFile, '{"format": "fieldkit-target-ch');
    const listed = await app.dispatch('provisioning.targetChecks', {});
    assert.ok(!listed.ok && listed.error.code === 'workspace-corrupt' && listed.error.message.includes(checksFile));
    const unkept = await ok('provisioning.checkTarget', { targetId: 'cust' });
    assert.equal(unkept.ok, true);
    assert.match(unkept.message, /Not remembered for the next session: .*is damaged/);
    assert.equal(await readFile(checksFile, 'utf8'), '{"format": "fieldkit-target-ch', 'never overwritten');
    await writeFile(checksFile, good);

    // the pinned host key is no longer the one the check saw
    await new KnownHosts(appDataDir).forget('127.0.0.1', sshd.port);
    assert.equal((await remembered())?.stale, 'host-key-changed');

    // removed with the target
    await ok('provisioning.removeTarget', { targetId: 'cust' });
    assert.deepEqual(await ok('provisioning.targetChecks', {}), []);
    assert.doesNotMatch(await stored(), /cust/);
    await app.shutdown();
  },
);
