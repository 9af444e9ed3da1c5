// The admin login that worked on a phone is kept in the site (secrets/login-memory.ts), so the next Fieldkit process
// (the CLI's reboot after its discover) tries it first: the source's name only, never a password; written in batches;
// a remembered source that fails is replaced, or forgotten when every candidate fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { siteSecrets, deriveAdminPassword } from '../../../electron/core/secrets/admin-passwords';
import {
  LoginMemory,
  WEB_LOGINS_FILE,
  openSiteLoginMemory,
  type OpenLoginMemory,
} from '../../../electron/core/secrets/login-memory';
import { loginCandidates, rememberedLogin, tryLogins } from '../../../electron/core/secrets/web-logins';
import { MemorySecretStore, secretKeys } from '../../../electron/core/secrets/secret-store';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { tempDir } from '../../helpers/temp-dir';

const SECRET = 'c3'.repeat(32);
const SITE_WIDE = '4815162342';
const PHONE_OWN = '2718281828';
const mac = (i: number) => `00085D${(0x300000 + i).toString(16).toUpperCase()}`;

/** What one Fieldkit process has: its own credential store (the environment) and the site it opened. */
async function process_(dir: string, t: { after(fn: () => Promise<void>): void }) {
  const store = new MemorySecretStore({
    [secretKeys.adminPassword()]: SITE_WIDE,
    [secretKeys.phoneCurrentAdminPassword(mac(2))]: PHONE_OWN,
  });
  const site = await SiteWorkspace.open(dir);
  await store.set(secretKeys.adminSecret(site.meta.id), SECRET);
  const opened = await openSiteLoginMemory(site, store);
  t.after(() => opened.close());
  return { store, site, secrets: siteSecrets(store, site.meta.id), opened };
}

/** A phone whose web UI takes `has`: records which sources were tried. */
function phone(has: () => string) {
  const tried: string[] = [];
  return {
    tried,
    attempt: async (l: { password: string; source: string }) => {
      tried.push(l.source);
      if (l.password !== has()) throw Object.assign(new Error('401'), { rejected: true });
      return 'sysinfo';
    },
    rejected: (e: unknown) => (e as { rejected?: boolean }).rejected === true,
  };
}

async function login(p: Awaited<ReturnType<typeof process_>>, m: string, ph: ReturnType<typeof phone>) {
  const candidates = await loginCandidates(p.secrets, m, { siteWide: true });
  return tryLogins(p.secrets, m, candidates, ph.attempt, ph.rejected);
}

test('the winning source is kept in the site and tried first by the next process; the file holds no password', async (t) => {
  const dir = await tempDir(t);
  await SiteWorkspace.create(dir, { name: 'Login memory' });
  const first = await process_(dir, t);
  const onSiteWide = phone(() => SITE_WIDE);
  assert.equal((await login(first, mac(1), onSiteWide)).login.source, 'current-site');
  assert.deepEqual(onSiteWide.tried, ['fieldkit', 'current-site'], "the default order: Fieldkit's own first");
  const onOwn = phone(() => PHONE_OWN);
  assert.equal((await login(first, mac(2), onOwn)).login.source, 'current-phone');
  await first.opened.close();

  const file = await readFile(first.site.path(WEB_LOGINS_FILE), 'utf8');
  for (const secret of [
    SITE_WIDE,
    PHONE_OWN,
    SECRET,
    deriveAdminPassword(SECRET, mac(1)),
    deriveAdminPassword(SECRET, mac(2)),
  ])
    assert.ok(!file.includes(secret), `${WEB_LOGINS_FILE} holds a secret`);
  const stored = JSON.parse(file) as { phones: Record<string, { source: string }> };
  assert.deepEqual(Object.fromEntries(Object.entries(stored.phones).map(([k, v]) => [k, v.source])), {
    [mac(1)]: 'current-site',
    [mac(2)]: 'current-phone',
  });

  // a new process: a new store, the site opened again
  const second = await process_(dir, t);
  assert.equal(rememberedLogin(second.secrets, mac(1)), 'current-site');
  const again = phone(() => SITE_WIDE);
  await login(second, mac(1), again);
  assert.deepEqual(again.tried, ['current-site'], 'one request: the remembered password first');
  const ownAgain = phone(() => PHONE_OWN);
  await login(second, mac(2), ownAgain);
  assert.deepEqual(ownAgain.tried, ['current-phone']);
});

test('a remembered source that fails falls back to the default order and is replaced, or forgotten', async (t) => {
  const dir = await tempDir(t);
  await SiteWorkspace.create(dir, { name: 'Login memory' });
  const first = await process_(dir, t);
  let has = SITE_WIDE;
  await login(
    first,
    mac(1),
    phone(() => has),
  );
  await first.opened.close();

  // the phone took its configuration meanwhile: it now has the password Fieldkit derives for it
  const second = await process_(dir, t);
  has = deriveAdminPassword(SECRET, mac(1));
  const after = phone(() => has);
  assert.equal((await login(second, mac(1), after)).login.source, 'fieldkit');
  assert.deepEqual(after.tried, ['current-site', 'fieldkit'], 'remembered first, then the default order');
  await second.opened.close();

  const third = await process_(dir, t);
  const now = phone(() => has);
  await login(third, mac(1), now);
  assert.deepEqual(now.tried, ['fieldkit'], 'the replacement was kept');
  // someone set a password nobody entered: every candidate fails, the memory forgets the phone
  has = '1';
  await assert.rejects(
    login(
      third,
      mac(1),
      phone(() => has),
    ),
    /rejected all 3/,
  );
  assert.equal(rememberedLogin(third.secrets, mac(1)), undefined);
  await third.opened.close();
  const stored = JSON.parse(await readFile(third.site.path(WEB_LOGINS_FILE), 'utf8')) as { phones: object };
  assert.deepEqual(stored.phones, {});
});

test('500 phones learned at once are one write; two memories of one site in one process lose nothing', async (t) => {
  const dir = await tempDir(t);
  const site = await SiteWorkspace.create(dir, { name: 'Login memory' });
  // as a scan learns them: one phone after another, while the event loop turns
  const a = await LoginMemory.open(site, { writeDelayMs: 60_000 });
  for (let i = 0; i < 500; i++) {
    a.remember(mac(i), 'factory-default');
    a.remember(mac(i), 'factory-default'); // unchanged: nothing more to write
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(a.writes, 0, 'nothing written before the delay');
  await a.flush();
  assert.equal(a.writes, 1);
  await a.flush();
  assert.equal(a.writes, 1, 'nothing changed: no write');
  // the delay passes without a flush: written by itself
  const timed = await LoginMemory.open(site, { writeDelayMs: 20 });
  timed.remember(mac(900), 'fieldkit');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(timed.writes, 1);
  timed.forget(mac(900));
  await timed.flush();

  // two writers at once (e.g. two apps on one folder in a test process), each with phones the other does not know,
  // and a change that arrives while a write is under way
  const b = await LoginMemory.open(await SiteWorkspace.open(dir), { writeDelayMs: 60_000 });
  const c = await LoginMemory.open(await SiteWorkspace.open(dir), { writeDelayMs: 60_000 });
  for (let i = 500; i < 550; i++) b.remember(mac(i), 'fieldkit');
  for (let i = 550; i < 600; i++) c.remember(mac(i), 'current-site');
  c.forget(mac(0));
  const writing = Promise.all([b.flush(), c.flush()]);
  await new Promise((r) => setImmediate(r)); // b's write has taken its batch
  b.remember(mac(600), 'current-phone');
  await writing;
  await b.flush();
  const fresh = await LoginMemory.open(site);
  for (let i = 1; i < 500; i++) assert.equal(fresh.get(mac(i)), 'factory-default', mac(i));
  assert.equal(fresh.get(mac(0)), undefined, 'forgotten by c');
  for (let i = 500; i < 550; i++) assert.equal(fresh.get(mac(i)), 'fieldkit');
  for (let i = 550; i < 600; i++) assert.equal(fresh.get(mac(i)), 'current-site');
  assert.equal(fresh.get(mac(600)), 'current-phone', 'the change made during a write is written by the next one');
});

test('a damaged file is reported once and left as it is; the memory then lasts the session', async (t) => {
  const dir = await tempDir(t);
  const site = await SiteWorkspace.create(dir, { name: 'Login memory' });
  await writeFile(site.path(WEB_LOGINS_FILE), '{"format": "fieldkit-web-logins", "formatVersion": 1, "phones": {');
  const problems: string[] = [];
  const store = new MemorySecretStore();
  const opened: OpenLoginMemory = await openSiteLoginMemory(site, store, { onProblem: (m) => problems.push(m) });
  t.after(() => opened.close());
  const secrets = siteSecrets(store, site.meta.id);
  const { login } = await tryLogins(
    secrets,
    mac(1),
    await loginCandidates(secrets, mac(1), { siteWide: true }),
    async () => 'ok',
    () => true,
  );
  assert.equal(rememberedLogin(secrets, mac(1)), login.source);
  await opened.close();
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /inventory\/web-logins\.json/);
  assert.match(await readFile(site.path(WEB_LOGINS_FILE), 'utf8'), /"phones": \{$/, 'not overwritten');
});

test('a store without an opened site remembers for this process only, per store', async () => {
  const one = siteSecrets(new MemorySecretStore(), 'nowhere');
  const other = siteSecrets(new MemorySecretStore(), 'nowhere');
  const candidates = await loginCandidates(one, mac(7), { siteWide: true });
  const { login } = await tryLogins(
    one,
    mac(7),
    candidates,
    async () => 'ok',
    () => true,
  );
  assert.equal(rememberedLogin(one, mac(7)), login.source);
  assert.equal(rememberedLogin(other, mac(7)), undefined);
});
