// Where an admin password may go (issue 13 §3): only to the address whose MAC the neighbour table confirms;
// loopback is the laptop itself (an explicit rule); a routed address only when the site allows it. And the
// password a phone takes is found by trying the candidates on /sysinfo.html (at most three).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkPhoneAddress, webLoginFor } from '../../../electron/core/provisioning/phone-web-access';
import { saveSiteSettings } from '../../../electron/core/provisioning/provisioning-settings-file';
import { onLinkMatcher } from '../../../electron/core/discovery/arp-budget';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { MemorySecretStore, secretKeys } from '../../../electron/core/secrets/secret-store';
import { deriveAdminPassword } from '../../../electron/core/secrets/admin-passwords';
import { SimPhone } from '../../sim/phone';
import { tempDir } from '../../helpers/temp-dir';
import type { NeighbourEntry } from '../../../electron/core/discovery/neighbours';

const MAC = '00085D1A2B3C';
const onLink = (ip: string) => ip.startsWith('10.0.0.');
const table = (entries: Partial<NeighbourEntry>[]) => async () => entries as NeighbourEntry[];

test("an on-link address must be the phone's MAC in the neighbour table; nothing is sent otherwise", async () => {
  assert.deepEqual(
    await checkPhoneAddress(
      '10.0.0.5',
      MAC,
      { allowRouted: false },
      { onLink, neighbours: table([{ ip: '10.0.0.5', mac: '00:08:5d:1a:2b:3c' as NeighbourEntry['mac'] }]) },
    ),
    { ok: true, how: 'neighbour' },
  );
  const wrong = await checkPhoneAddress(
    '10.0.0.5',
    MAC,
    { allowRouted: false },
    { onLink, neighbours: table([{ ip: '10.0.0.5', mac: 'de:ad:be:ef:00:01' as NeighbourEntry['mac'] }]) },
  );
  assert.equal(wrong.ok, false);
  assert.match(
    (wrong as { reason: string }).reason,
    /At 10\.0\.0\.5 answers DEADBEEF0001, but the inventory has 00085D1A2B3C there: Fieldkit sent no admin password/,
  );
  let primed = '';
  const entries: Partial<NeighbourEntry>[] = [];
  const late = await checkPhoneAddress(
    '10.0.0.6',
    MAC,
    { allowRouted: false, port: 8080 },
    {
      onLink,
      neighbours: table(entries),
      prime: async (ip, port) => {
        primed = `${ip}:${port}`;
        entries.push({ ip: '10.0.0.6', mac: '00:08:5d:1a:2b:3c' as NeighbourEntry['mac'] });
      },
    },
  );
  assert.deepEqual(late, { ok: true, how: 'neighbour' });
  assert.equal(primed, '10.0.0.6:8080', 'one connection (nothing sent) made the OS resolve the address');
  const none = await checkPhoneAddress(
    '10.0.0.7',
    MAC,
    { allowRouted: false },
    { onLink, neighbours: table([]), prime: async () => undefined },
  );
  assert.equal((none as { code: string }).code, 'no-neighbour-entry');
});

test('loopback is the laptop itself; a routed address is refused unless the site allows it', async () => {
  assert.deepEqual(await checkPhoneAddress('127.61.0.9', MAC, { allowRouted: false }, { onLink }), {
    ok: true,
    how: 'loopback',
  });
  const routed = await checkPhoneAddress('192.168.50.9', MAC, { allowRouted: false }, { onLink });
  assert.equal((routed as { code: string }).code, 'routed');
  assert.match((routed as { reason: string }).reason, /behind a router.*checklist records it as a deviation/);
  assert.deepEqual(await checkPhoneAddress('192.168.50.9', MAC, { allowRouted: true }, { onLink }), {
    ok: true,
    how: 'routed',
  });
});

test('against a simulated phone: factory default first contact, then the derived password; a stranger gets nothing', async (t) => {
  const dir = await tempDir(t);
  const site = await SiteWorkspace.create(join(dir, 's'), { name: 'S' });
  await saveSiteSettings(site, {
    settings: {
      osv: { proxy: { host: '10.0.0.1' } },
      ntp: { server1: '10.0.0.2' },
      provisioning: { server: '10.0.0.3' },
    },
  });
  const secrets = new MemorySecretStore({ [secretKeys.adminSecret(site.meta.id)]: 'c3'.repeat(32) });
  let phone: SimPhone | undefined;
  const boot = async (adminPassword?: string) => {
    await phone?.stop();
    phone = new SimPhone({
      model: '6867i',
      mac: MAC,
      firmware: '6.5.0.224',
      address: '127.63.0.1',
      httpPort: 18181,
      sipPort: null,
      httpsPort: null,
      bootMs: 5,
      ...(adminPassword ? { adminPassword } : {}),
    });
    await phone.start();
  };
  t.after(() => phone?.stop());
  await boot();
  const login = await webLoginFor({
    site,
    secrets,
    phone: { mac: MAC, ip: '127.63.0.1', httpPort: 18181 },
    timeoutMs: 2000,
  });
  assert.ok(
    'password' in login && login.source === 'factory-default' && login.how === 'loopback',
    JSON.stringify(login),
  );
  assert.equal(login.label, 'factory default 22222, replaced at provisioning');
  // provisioned: the phone now has the derived password (as its <MAC>.cfg gives it)
  const derived = deriveAdminPassword('c3'.repeat(32), MAC);
  await boot(derived);
  const after = await webLoginFor({
    site,
    secrets,
    phone: { mac: MAC, ip: '127.63.0.1', httpPort: 18181 },
    timeoutMs: 2000,
  });
  assert.ok('password' in after && after.password === derived && after.source === 'fieldkit');
  await boot('97531');
  const lost = await webLoginFor({
    site,
    secrets,
    phone: { mac: MAC, ip: '127.63.0.1', httpPort: 18181 },
    timeoutMs: 2000,
  });
  assert.ok('refused' in lost && lost.rejected);
  assert.match(
    lost.refused,
    /rejected all 2 admin passwords.*Enter the password it has now in the phone's detail \(Inventory\) under Admin passwords, or in Credentials/,
  );
  // an address no interface of this machine is on (documentation ranges; nothing is sent to it)
  const offLink = ['198.51.100.10', '203.0.113.10', '192.0.2.10'].find((a) => !onLinkMatcher()(a))!;
  const routed = await webLoginFor({ site, secrets, phone: { mac: MAC, ip: offLink, httpPort: 80 } });
  assert.ok('refused' in routed && /behind a router/.test(routed.refused));
});
