// One grammar of credential names (issue 16 §1): the API schema, the environment variables and the store
// all use secret-key.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SecretKeySchema,
  envNameFor,
  isSecretKey,
  parseSecretKey,
  secretKeyForEnvName,
  secretKeys,
} from '../../../electron/core/secrets/secret-key';
import { EnvSecretStore } from '../../../electron/core/secrets/env-secret-store';
import { SecretKeyInput } from '../../../electron/api/calls/config';

test('every kind parses with its id; bad ids and unknown kinds are refused naming why', () => {
  for (const key of [
    'phone-admin-password',
    'phone-admin-password:00085D1A2B3C',
    'phone-current-admin-password:00085D1A2B3C',
    'admin-secret:8f14e45f-ceea-467f-a8a5-7c6c1f3a2b10',
    'http-digest-password:00085D1A2B3C',
    'sip-password:00085D1A2B3C',
    'sftp-password:osv-prov',
    'sftp-private-key:osv-prov',
    'sftp-key-passphrase:osv-prov',
    'ftp-password:site-1',
    'https-key:site-1',
  ])
    assert.ok(isSecretKey(key), key);
  assert.match((parseSecretKey('sip-password:00085d1a2b3c') as { error: string }).error, /12 uppercase hex/);
  assert.match((parseSecretKey('root-password') as { error: string }).error, /not a credential name/);
  assert.equal(SecretKeySchema.safeParse('sftp-password:../x').success, false);
  assert.equal(SecretKeyInput, SecretKeySchema, 'the contract uses the same schema');
});

test('environment names map both ways for every kind; the CLI shorthands work', async () => {
  assert.equal(envNameFor('phone-admin-password'), 'FIELDKIT_ADMIN_PASSWORD');
  assert.equal(envNameFor(secretKeys.sipPassword('00085D1A2B3C')), 'FIELDKIT_SECRET_SIP_PASSWORD_00085D1A2B3C');
  assert.equal(
    secretKeyForEnvName('FIELDKIT_SECRET_PHONE_CURRENT_ADMIN_PASSWORD_00085D1A2B3C'),
    'phone-current-admin-password:00085D1A2B3C',
  );
  assert.equal(
    secretKeyForEnvName('FIELDKIT_SECRET_PHONE_ADMIN_PASSWORD_00085D1A2B3C'),
    'phone-admin-password:00085D1A2B3C',
  );
  assert.equal(secretKeyForEnvName('FIELDKIT_SECRET_NOPE_X'), undefined);
  const store = new EnvSecretStore({
    FIELDKIT_ADMIN_SECRET: 's'.repeat(64),
    FIELDKIT_SECRET_SIP_PASSWORD_00085D1A2B3C: 'pw',
  });
  assert.equal(store.persistent, false);
  assert.equal(await store.get(secretKeys.adminSecret('any-site')), 's'.repeat(64));
  assert.equal(await store.get(secretKeys.sipPassword('00085D1A2B3C')), 'pw');
  const listed = await store.list();
  assert.ok(listed.includes('sip-password:00085D1A2B3C'));
  // the redactor learns keys from list(): the shorthand must be findable too
  assert.ok(
    await Promise.all(listed.map((k) => store.get(k))).then((v) => v.includes('s'.repeat(64))),
    'FIELDKIT_ADMIN_SECRET is listed under a name get() resolves',
  );
});

test('the CLI store reads each environment variable at most once, and looks up none that is not set', async () => {
  const env: NodeJS.ProcessEnv = {
    FIELDKIT_ADMIN_SECRET: 's'.repeat(64),
    FIELDKIT_SECRET_SIP_PASSWORD_00085D1A2B3C: 'pw',
  };
  const reads: string[] = [];
  const store = new EnvSecretStore(
    new Proxy(env, {
      get: (target, name) => {
        if (typeof name === 'string') reads.push(name);
        return target[name as string];
      },
    }),
  );
  for (let i = 0; i < 3; i++) {
    assert.equal(await store.get(secretKeys.sipPassword('00085D1A2B3C')), 'pw');
    assert.equal(await store.get(secretKeys.adminSecret('site-1')), 's'.repeat(64));
    assert.equal(await store.get(secretKeys.sipPassword('00085D000001')), undefined);
  }
  await store.list();
  assert.deepEqual(reads.sort(), ['FIELDKIT_ADMIN_SECRET', 'FIELDKIT_SECRET_SIP_PASSWORD_00085D1A2B3C']);
  // a value set in the process still wins over the environment
  await store.set(secretKeys.sipPassword('00085D1A2B3C'), 'changed');
  assert.equal(await store.get(secretKeys.sipPassword('00085D1A2B3C')), 'changed');
});
