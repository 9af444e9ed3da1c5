// Target URLs, pinned host keys and target settings: strict parsing with clear messages, trust that
// never replaces a pinned key by itself, credentials that go to the store and never come back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { KnownHosts, normaliseFingerprint, sshFingerprint } from '../../../electron/core/provisioning/known-hosts';
import { formatSftpUrl, parseSftpUrl } from '../../../electron/core/provisioning/target-url';
import { MemorySecretStore, secretKeys } from '../../../electron/core/secrets/secret-store';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { tempDir } from '../../helpers/temp-dir';

test('sftp URLs: user, host, port and folder; home-relative with /~/; bad ones say how to write them', () => {
  assert.deepEqual(parseSftpUrl('sftp://prov@10.0.0.5:2222/srv/prov/'), {
    user: 'prov',
    host: '10.0.0.5',
    port: 2222,
    path: '/srv/prov',
  });
  assert.deepEqual(parseSftpUrl('sftp://prov@osv-prov.example.net/~/mitel'), {
    user: 'prov',
    host: 'osv-prov.example.net',
    port: 22,
    path: 'mitel',
  });
  assert.equal(formatSftpUrl(parseSftpUrl('sftp://a@h/~/x')), 'sftp://a@h:22/~/x');
  for (const [bad, why] of [
    ['ftp://a@h/x', /sftp:\/\//],
    ['sftp://h/x', /user name/],
    ['sftp://a:secret@h/x', /password must not be written/],
    ['sftp://a@h:0/x', /port/],
    ['sftp://a@h/', /folder/],
    ['sftp://a@h/srv/../etc', /folder/],
    // checked after decoding: %2e%2e used to become /etc/cron.d (D8)
    ['sftp://a@h/srv/prov/%2e%2e/%2e%2e/etc/cron.d', /without \. or \.\./],
    ['sftp://a@h/~/%2e%2e/%2e%2e/etc', /without \. or \.\./],
    ['sftp://a@h/srv/%2E%2E/etc', /without \. or \.\./],
    ['sftp://a@h/srv/..%2fetc', /without \. or \.\./],
    ['sftp://a@h/srv\\prov', /never \\/],
    ['sftp://a@h/srv/%zz', /broken % escape/],
    ['sftp://a@h/x?y=1', /\?/],
    ['not a url', /not a URL/],
  ] as const) {
    assert.throws(
      () => parseSftpUrl(bad),
      (e: Error) => why.test(e.message) && /sftp:\/\/provision@/.test(e.message),
      bad,
    );
  }
});

test('host keys: fingerprints as OpenSSH prints them; trust is pinned per host:port and never silently replaced', async (t) => {
  const dir = await tempDir(t);
  const blob = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl', 'base64');
  const fp = sshFingerprint(blob);
  assert.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.equal(normaliseFingerprint(fp.slice('SHA256:'.length)), fp, 'the prefix may be left out');
  assert.throws(() => normaliseFingerprint('MD5:aa:bb'), /not an SSH SHA256 fingerprint/);
  const hosts = new KnownHosts(dir);
  assert.equal(await hosts.lookup('10.0.0.5', 22), undefined);
  await hosts.trust('10.0.0.5', 22, fp);
  assert.equal(await hosts.lookup('10.0.0.5', 22), fp);
  assert.equal(await hosts.lookup('10.0.0.5', 2222), undefined, 'another port is another server');
  const other = sshFingerprint(Buffer.from('other key'));
  await assert.rejects(hosts.trust('10.0.0.5', 22, other), /already pinned/);
  await hosts.trust('10.0.0.5', 22, other, { replace: true });
  assert.equal(await hosts.lookup('10.0.0.5', 22), other);
  const stored = JSON.parse(await readFile(join(dir, 'known-hosts.json'), 'utf8')) as {
    hosts: Record<string, unknown>;
  };
  assert.deepEqual(Object.keys(stored.hosts), ['10.0.0.5:22']);
});

test('API: targets are saved in the site, credentials only in the store and never returned', async (t) => {
  const dir = await tempDir(t);
  const secrets = new MemorySecretStore();
  const site = await SiteWorkspace.create(join(dir, 'site'), { name: 'Targets' });
  const app = new FieldkitApp(nodePlatform({ appDataDir: join(dir, 'appdata'), secrets }));
  await app.openSite(site.root);
  const call = async (name: string, input: unknown) => {
    const r = await app.dispatch(name, input);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  assert.deepEqual(await call('provisioning.targets', {}), [{ id: 'builtin', kind: 'builtin' }]);
  await call('provisioning.saveTarget', {
    target: { id: 'osv', kind: 'sftp', url: 'sftp://prov@127.0.0.1:2222/srv/prov', auth: 'password' },
  });
  const stored = await call('provisioning.setTargetCredential', { targetId: 'osv', password: 'Very-Secret-1' });
  assert.deepEqual(stored, { stored: 'password' });
  assert.equal(await secrets.get(secretKeys.sftpPassword('osv')), 'Very-Secret-1');
  const listed = JSON.stringify(await call('provisioning.targets', {}));
  assert.ok(listed.includes('osv') && !listed.includes('Very-Secret-1'));
  assert.ok(!(await readFile(site.path('provisioning/targets.json'), 'utf8')).includes('Very-Secret-1'));
  await assert.rejects(
    call('provisioning.saveTarget', { target: { id: 'x', kind: 'sftp', url: 'http://h/x', auth: 'password' } }),
    /sftp:\/\/user@host/,
  );
  await assert.rejects(
    call('provisioning.setTargetCredential', { targetId: 'osv', privateKey: 'not a key' }),
    /not a private key/,
  );
  await assert.rejects(
    call('provisioning.setTargetCredential', { targetId: 'osv', password: 'a', privateKey: 'b' }),
    /either a password or a private key/,
  );
  await call('provisioning.removeTarget', { targetId: 'osv' });
  assert.equal(
    await secrets.get(secretKeys.sftpPassword('osv')),
    undefined,
    'removing a target forgets its credential',
  );
  await assert.rejects(call('provisioning.preview', { targetId: 'osv' }), /No publishing target "osv"/);
  await assert.rejects(
    call('jobs.start', { kind: 'publish', params: { targetId: 'builtin', previewToken: '0'.repeat(24) } }).then(
      async (info) => {
        const done = await app.jobManager().wait((info as { id: string }).id);
        throw new Error(done.error);
      },
    ),
    /no preview/,
  );
});
