// The admin login that worked is remembered between CLI processes (secrets/login-memory.ts): `fieldkit discover`
// learns that the phones take the site-wide current password, and the `fieldkit verify` that follows, a process
// of its own, asks each phone with that password first. Without the site's memory (the file removed) the same verify
// offers each phone the password Fieldkit derives for it first, and each phone refuses one login. The phones are
// simulated on loopback and count the logins they refuse. A phone that then refuses every password is forgotten, by
// verify and by discovery.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deriveAdminPassword, siteSecrets } from '../../../electron/core/secrets/admin-passwords';
import { WEB_LOGINS_FILE, openSiteLoginMemory } from '../../../electron/core/secrets/login-memory';
import { rememberedLogin } from '../../../electron/core/secrets/web-logins';
import { MemorySecretStore, secretKeys } from '../../../electron/core/secrets/secret-store';
import { discover } from '../../../electron/core/discovery/discover';
import { parseMac } from '../../../electron/core/phone/mac';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { startLab, type LabHandle } from '../../sim/lab';
import { assertCliJson, cli, withEnv } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

const CURRENT = '3141592653';
const SECRET = '5e'.repeat(32);
const PORTS = { sip: 15078, http: 18078, https: null };
const PHONES = 4;

describe('the admin login that worked, kept in the site', () => {
  let lab: LabHandle;
  before(async () => {
    lab = await startLab(
      {
        name: 'login-memory',
        loopbackBase: '127.78.0.0',
        bootMs: 0,
        groups: [
          {
            kind: 'mitel-6800',
            count: PHONES,
            model: '6867i',
            versions: ['6.5.0.224'],
            macStart: '00:08:5D:78:00:01',
            adminPassword: CURRENT,
            ports: PORTS,
          },
        ],
      },
      { mode: 'loopback' },
    );
  });
  after(() => lab?.stop());
  const macOf = (p: LabHandle['phones'][number]) => p.mac.replace(/:/g, '').toUpperCase();
  /** A Fieldkit process of its own (a fresh credential store from the environment), with the site given. */
  const fieldkitIn = async (t: TestContext, name: string) => {
    const dir = await tempDir(t);
    withEnv(t, {
      FIELDKIT_DATA_DIR: join(dir, 'data'),
      FIELDKIT_ADMIN_PASSWORD: CURRENT,
      FIELDKIT_ADMIN_SECRET: SECRET,
    });
    const site = join(dir, 'site');
    assert.equal((await cli(['site', 'create', site, '--name', name])).code, 0);
    const run = (...args: string[]) => cli([...args, '--site', site]);
    const scan = (range: string, ...more: string[]) =>
      run(
        'discover',
        range,
        '--sip-ports',
        `${PORTS.sip}`,
        '--http-ports',
        `${PORTS.http}`,
        '--only-listed-ports',
        '--no-mdns',
        '--no-passive',
        ...more,
      );
    return { dir, site, run, scan };
  };

  test('a second CLI process tries the admin password that worked first: no refused login per phone', async (t) => {
    const { dir, site, run, scan } = await fieldkitIn(t, 'Login memory');
    const macs = lab.phones.map(macOf);
    const refused = () =>
      lab.phones.reduce(
        (n, p) => n + lab.phone(p.mac).history.filter((e) => e.type === 'web-login-rejected').length,
        0,
      );
    const memoryFile = () => readFile(join(site, WEB_LOGINS_FILE), 'utf8');
    const remembered = async () =>
      Object.fromEntries(
        Object.entries((JSON.parse(await memoryFile()) as { phones: Record<string, { source: string }> }).phones).map(
          ([mac, e]) => [mac, e.source],
        ),
      );
    const everyPhone = (source: string) => Object.fromEntries(macs.map((m) => [m, source]));

    const sheet = join(dir, 'sheet.csv');
    await writeFile(sheet, ['MAC;DN', ...macs.map((m, i) => `${m};${3100 + i}`)].join('\n'));
    assert.equal((await run('inventory', 'import', sheet)).code, 0);

    const range = `${lab.phones[0]!.address}-${lab.phones.at(-1)!.address}`;
    const scanned = await scan(range, '--json');
    assert.equal(scanned.code, 0, scanned.out + scanned.err);
    assert.equal(assertCliJson<unknown[]>('discover', scanned).length, PHONES);
    assert.deepEqual(await remembered(), everyPhone('current-site'), 'discover kept which password worked');
    const text = await memoryFile();
    for (const secret of [CURRENT, SECRET, ...macs.map((m) => deriveAdminPassword(SECRET, m))])
      assert.ok(!text.includes(secret), `${WEB_LOGINS_FILE} holds a secret`);

    // another process sees it
    const status = assertCliJson<{ phones: { mac: string; lastLogin: string | null }[] }>(
      'credentials',
      await run('credentials', 'status', '--json'),
    );
    assert.deepEqual(
      Object.fromEntries(status.phones.map((p) => [p.mac, p.lastLogin])),
      everyPhone('current-site'),
      'credentials status shows the login that worked',
    );

    const verify = () =>
      run('verify', '--phones', macs.join(','), '--boot-timeout', '5', '--json').then((r) => {
        assertCliJson('verify', r);
        return r;
      });
    const before = refused();
    await verify();
    const withMemory = refused() - before;
    assert.equal(withMemory, 0, 'each phone was asked with the password that worked, first');

    // the same verify without the site's memory: Fieldkit's own password first, refused by every phone
    await rm(join(site, WEB_LOGINS_FILE));
    const again = refused();
    await verify();
    const withoutMemory = refused() - again;
    assert.equal(withoutMemory, PHONES, 'one refused login per phone');
    assert.deepEqual(await remembered(), everyPhone('current-site'), 'learned and kept again');
  });

  test('a phone that refuses every password is forgotten: by verify, and by discovery', async (t) => {
    const { site, run, scan } = await fieldkitIn(t, 'Forgotten');
    const [first, second, third] = lab.phones as [LabHandle['phones'][number], ...LabHandle['phones']];
    await scan(`${first.address}-${third!.address}`);
    const phones = async () =>
      (JSON.parse(await readFile(join(site, WEB_LOGINS_FILE), 'utf8')) as { phones: Record<string, unknown> }).phones;
    assert.deepEqual(Object.keys(await phones()).sort(), [first, second!, third!].map(macOf).sort());

    await lab.setFaults(first.mac, { wrongCredentials: true });
    t.after(() => lab.setFaults(first.mac, {}));
    await run('verify', '--phones', macOf(first), '--boot-timeout', '2', '--json');
    assert.deepEqual(Object.keys(await phones()).sort(), [second!, third!].map(macOf).sort(), 'verify forgot it');

    // discovery knows a phone's MAC before it logs in from the neighbour table (here: the lab's addresses)
    await lab.setFaults(second!.mac, { wrongCredentials: true });
    t.after(() => lab.setFaults(second!.mac, {}));
    const workspace = await SiteWorkspace.open(site);
    const store = new MemorySecretStore({
      [secretKeys.adminPassword()]: CURRENT,
      [secretKeys.adminSecret(workspace.meta.id)]: SECRET,
    });
    const opened = await openSiteLoginMemory(workspace, store);
    const secrets = siteSecrets(store, workspace.meta.id);
    assert.equal(rememberedLogin(secrets, macOf(second!)), 'current-site');
    const result = await discover(
      {
        ranges: [second!.address],
        sipPorts: [PORTS.sip],
        httpPorts: [PORTS.http],
        onlyListedPorts: true,
        methods: { mdns: false, passive: false },
      },
      {
        secrets,
        neighbourReader: async () =>
          lab.phones.map((p) => ({ ip: p.address, mac: parseMac(p.mac)!, interface: 'lo', state: 'REACHABLE' })),
      },
    );
    assert.ok(
      result.devices[0]!.flags.notes.some((n) => /rejected all 3/.test(n)),
      result.devices[0]!.flags.notes.join(),
    );
    assert.equal(rememberedLogin(secrets, macOf(second!)), undefined);
    await opened.close();
    assert.deepEqual(Object.keys(await phones()), [macOf(third!)], 'discovery forgot it');
  });
});
