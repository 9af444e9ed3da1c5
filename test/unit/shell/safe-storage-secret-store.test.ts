import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SafeStorageSecretStore } from '../../../electron/shell/safe-storage-secret-store';
import { FakeSafeStorage } from './fake-electron';

let dir: string;
let file: string;
let safeStorage: FakeSafeStorage;
let store: SafeStorageSecretStore;

const SECRETS = {
  'phone-admin-password': 'Adm1n-Pa55-7c1f',
  'sip-password:00085D1A2B3C': 'sip-digest-9e2d',
  'sftp-password:osv-main': 'sftp-secret-41aa',
} as const;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-secrets-'));
  file = join(dir, 'secrets.json');
  safeStorage = new FakeSafeStorage();
  store = new SafeStorageSecretStore(safeStorage, file);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Every byte Fieldkit left in the folder, as text in the encodings a reader might try. */
async function everythingOnDisk(): Promise<string> {
  let all = '';
  for (const name of await readdir(dir)) {
    const bytes = await readFile(join(dir, name));
    all += bytes.toString('utf8') + bytes.toString('latin1') + bytes.toString('utf16le');
  }
  return all;
}

describe('SafeStorageSecretStore', () => {
  test('round-trips secrets and lists keys only', async () => {
    for (const [key, value] of Object.entries(SECRETS)) await store.set(key as keyof typeof SECRETS, value);
    for (const [key, value] of Object.entries(SECRETS))
      assert.equal(await store.get(key as keyof typeof SECRETS), value);
    assert.deepEqual((await store.list()).sort(), Object.keys(SECRETS).sort());
    assert.equal(await store.get('sftp-password:other'), undefined);
    await store.delete('phone-admin-password');
    assert.equal(await store.get('phone-admin-password'), undefined);
    const reopened = new SafeStorageSecretStore(safeStorage, file);
    assert.equal(await reopened.get('sip-password:00085D1A2B3C'), SECRETS['sip-password:00085D1A2B3C']);
  });

  test('never writes a plaintext secret to disk, in any encoding', async () => {
    for (const [key, value] of Object.entries(SECRETS)) await store.set(key as keyof typeof SECRETS, value);
    const disk = await everythingOnDisk();
    for (const value of Object.values(SECRETS)) {
      assert.equal(disk.includes(value), false, `plaintext ${value} found on disk`);
      assert.equal(disk.includes(Buffer.from(value).toString('base64')), false, `base64 of ${value} found on disk`);
    }
    assert.match(disk, /sip-password:00085D1A2B3C/, 'keys (names, not values) are stored');
    assert.equal((await stat(file)).mode & 0o077, 0, 'secrets.json is readable by its owner only');
  });

  test('refuses to store anything when OS encryption is unavailable, and leaves no file', async () => {
    safeStorage.available = false;
    await assert.rejects(
      store.set('phone-admin-password', SECRETS['phone-admin-password']),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'unavailable');
        assert.match(e.message, /keychain is not available/);
        return true;
      },
    );
    assert.deepEqual(await readdir(dir), []);
  });

  test('refuses the Linux basic_text backend (a hard-coded key is no protection)', async () => {
    safeStorage.backend = 'basic_text';
    await assert.rejects(store.set('phone-admin-password', 'x'), /No Linux keyring/);
    assert.deepEqual(await readdir(dir), []);
  });

  test('an unavailable keychain does not corrupt what is already stored', async () => {
    await store.set('phone-admin-password', SECRETS['phone-admin-password']);
    const before = await readFile(file, 'utf8');
    safeStorage.available = false;
    await assert.rejects(store.set('sip-password:00085D1A2B3C', 'new'), /keychain/);
    await assert.rejects(store.get('phone-admin-password'), /keychain/);
    assert.equal(await readFile(file, 'utf8'), before);
  });

  test('concurrent sets all survive', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.set(`sip-password:${String(i).padStart(12, '0')}`, `pw-${i}`)),
    );
    assert.equal((await store.list()).length, 20);
  });

  test('a damaged file is reported and left untouched', async () => {
    await writeFile(file, '{"version":1,"entries":{"phone-admin-password":42}}');
    await assert.rejects(store.get('phone-admin-password'), /damaged/);
    await assert.rejects(store.set('phone-admin-password', 'x'), /damaged/);
    assert.equal(await readFile(file, 'utf8'), '{"version":1,"entries":{"phone-admin-password":42}}');
  });

  test('a ciphertext from another keychain gives a clear error, not garbage', async () => {
    await writeFile(
      file,
      JSON.stringify({ version: 1, entries: { 'phone-admin-password': Buffer.from('garbage').toString('base64') } }),
    );
    await assert.rejects(store.get('phone-admin-password'), /could not be decrypted/);
  });

  test('a key named __proto__ is stored as data, not as a prototype', async () => {
    await store.set('sftp-password:__proto__', 'p');
    await store.set('__proto__' as 'phone-admin-password', 'q');
    assert.equal(await store.get('__proto__' as 'phone-admin-password'), 'q');
    assert.equal(({} as Record<string, unknown>)['sftp-password:__proto__'], undefined);
  });
});
