// Per-phone admin passwords derived from a site secret (issue 13 §3) and the order of web-UI logins
// (one module decides; issue 14 §5, walkthrough defect 12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FACTORY_ADMIN_PASSWORD,
  PHONE_PASSWORD_MAX,
  deriveAdminPassword,
  deriveDigestPassword,
  isPhonePassword,
  siteAdminSecret,
  siteSecrets,
} from '../../../electron/core/secrets/admin-passwords';
import {
  AllLoginsRejectedError,
  MAX_LOGIN_ATTEMPTS,
  discoveryLogins,
  loginCandidates,
  rememberLoopbackPhone,
  tryLogins,
} from '../../../electron/core/secrets/web-logins';
import { MemorySecretStore, secretKeys } from '../../../electron/core/secrets/secret-store';
import { EnvSecretStore } from '../../../electron/core/secrets/env-secret-store';

const SECRET = 'a1'.repeat(32);
const mac = (i: number) => `00085D${(0x200000 + i).toString(16).toUpperCase()}`;

test('derived passwords: integers in 1,000,000,000-4,294,967,295, deterministic, distinct per phone and per site', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const pw = deriveAdminPassword(SECRET, mac(i));
    assert.match(pw, /^\d{10}$/);
    assert.ok(Number(pw) >= 1_000_000_000 && Number(pw) <= PHONE_PASSWORD_MAX, pw);
    assert.ok(isPhonePassword(pw));
    assert.notEqual(pw, FACTORY_ADMIN_PASSWORD);
    seen.add(pw);
  }
  assert.ok(seen.size >= 1999, 'collisions are as rare as 2,000 draws from 3.3 billion allow');
  assert.equal(deriveAdminPassword(SECRET, mac(1)), deriveAdminPassword(SECRET, mac(1).toLowerCase()));
  assert.notEqual(deriveAdminPassword(SECRET, mac(1)), deriveAdminPassword('b2'.repeat(32), mac(1)));
  assert.match(deriveDigestPassword(SECRET, mac(1)), /^[A-Za-z0-9]{20}$/);
});

test('the site view derives for phones without an explicit value; explicit wins; own-password phones derive nothing', async () => {
  const store = new MemorySecretStore();
  const view = siteSecrets(store, 'site-1');
  const derived = await view.get(secretKeys.phoneAdminPassword(mac(1)));
  assert.ok(derived && isPhonePassword(derived));
  assert.equal(
    (await store.get(secretKeys.adminSecret('site-1')))?.length,
    64,
    'the secret was made when first needed',
  );
  assert.equal(await view.adminSource(mac(1)), 'derived');
  await store.set(secretKeys.phoneAdminPassword(mac(1)), '123456789');
  assert.equal(await view.get(secretKeys.phoneAdminPassword(mac(1))), '123456789');
  assert.equal(await view.adminSource(mac(1)), 'explicit');
  assert.equal(await view.withExplicitAdmin([mac(2)]).get(secretKeys.phoneAdminPassword(mac(2))), undefined);
  assert.deepEqual(
    (await store.list()).filter((k) => k.startsWith('phone-admin-password:')),
    [`phone-admin-password:${mac(1)}`],
    'nothing derived is ever stored',
  );
});

test('a store that forgets (the CLI) never gets an invented site secret', async () => {
  const cli = new EnvSecretStore({});
  assert.equal(await siteAdminSecret(cli, 'site-1', { create: true }), undefined);
  assert.equal(await siteSecrets(cli, 'site-1').get(secretKeys.phoneAdminPassword(mac(1))), undefined);
  const given = new EnvSecretStore({ FIELDKIT_ADMIN_SECRET: SECRET });
  assert.equal(
    await siteSecrets(given, 'site-1').get(secretKeys.phoneAdminPassword(mac(1))),
    deriveAdminPassword(SECRET, mac(1)),
    'the same secret gives the same passwords on every laptop',
  );
});

test("login candidates: Fieldkit's, the current one entered, the factory default; at most three, never twice", async () => {
  const store = siteSecrets(new MemorySecretStore({ [secretKeys.adminSecret('s')]: SECRET }), 's');
  const m = mac(7);
  const labels = async (opts = { siteWide: true }) => (await loginCandidates(store, m, opts)).map((c) => c.source);
  assert.deepEqual(await labels(), ['fieldkit', 'factory-default']);
  await store.set(secretKeys.adminPassword(), '13579');
  assert.deepEqual(await labels(), ['fieldkit', 'current-site', 'factory-default']);
  assert.deepEqual(
    await labels({ siteWide: false }),
    ['fieldkit', 'factory-default'],
    'the site-wide one only where allowed',
  );
  await store.set(secretKeys.phoneCurrentAdminPassword(m), '24680');
  assert.deepEqual(
    await labels(),
    ['fieldkit', 'current-phone', 'factory-default'],
    "the phone's own replaces the site's",
  );
  await store.set(secretKeys.phoneCurrentAdminPassword(m), FACTORY_ADMIN_PASSWORD);
  assert.deepEqual(await labels(), ['fieldkit', 'current-phone'], 'the same value is not tried twice');
  const factory = (await loginCandidates(store, null, { siteWide: false }))[0]!;
  assert.equal(factory.label, 'factory default 22222, replaced at provisioning');
  assert.equal(MAX_LOGIN_ATTEMPTS, 3);
});

test('tryLogins stops at the first accepted one, remembers it for the phone, and tries it first next time', async () => {
  const store = siteSecrets(
    new MemorySecretStore({ [secretKeys.adminSecret('s')]: SECRET, [secretKeys.adminPassword()]: '13579' }),
    's',
  );
  const m = mac(9);
  const phoneHas = '13579';
  const attempts: string[] = [];
  const attempt = async (l: { password: string; source: string }) => {
    attempts.push(l.source);
    if (l.password !== phoneHas) throw Object.assign(new Error('rejected'), { rejected: true });
    return 'page';
  };
  const rejected = (e: unknown) => (e as { rejected?: boolean }).rejected === true;
  const first = await tryLogins(store, m, await loginCandidates(store, m, { siteWide: true }), attempt, rejected);
  assert.equal(first.login.source, 'current-site');
  assert.deepEqual(attempts, ['fieldkit', 'current-site']);
  attempts.length = 0;
  await tryLogins(store, m, await loginCandidates(store, m, { siteWide: true }), attempt, rejected);
  assert.deepEqual(attempts, ['current-site'], 'the winner goes first: one request');
  await assert.rejects(
    tryLogins(
      store,
      mac(10),
      await loginCandidates(store, mac(10), { siteWide: true }),
      async () => {
        throw Object.assign(new Error('no'), { rejected: true });
      },
      rejected,
    ),
    (e: unknown) => e instanceof AllLoginsRejectedError && e.tried.length === 3 && /rejected all 3/.test(e.message),
  );
  let calls = 0;
  await assert.rejects(
    tryLogins(
      store,
      m,
      await loginCandidates(store, mac(11), { siteWide: true }),
      async () => {
        calls++;
        throw new Error('unreachable');
      },
      rejected,
    ),
    /unreachable/,
  );
  assert.equal(calls, 1, 'a phone that does not answer is not tried three times');
});

test('discovery: a device whose MAC nobody vouches for gets only the public factory default', async () => {
  const store = siteSecrets(
    new MemorySecretStore({ [secretKeys.adminSecret('s')]: SECRET, [secretKeys.adminPassword()]: '13579' }),
    's',
  );
  const routed = await discoveryLogins(store, '10.9.9.9', undefined);
  assert.deepEqual(
    routed.candidates.map((c) => c.source),
    ['factory-default'],
  );
  const arp = await discoveryLogins(store, '10.0.0.5', '00:08:5d:20:00:09');
  assert.equal(arp.mac, '00085D200009');
  assert.deepEqual(
    arp.candidates.map((c) => c.source),
    ['fieldkit', 'current-site', 'factory-default'],
  );
  const loopback = await discoveryLogins(store, '127.61.0.4', undefined);
  assert.deepEqual(
    loopback.candidates.map((c) => c.source),
    ['current-site', 'factory-default'],
  );
  rememberLoopbackPhone(store, '127.61.0.4', mac(4));
  assert.equal(
    (await discoveryLogins(store, '127.61.0.4', undefined)).candidates[0]!.password,
    deriveAdminPassword(SECRET, mac(4)),
  );
});
