// Site provisioning settings, generation and credentials through FieldkitApp.dispatch, as the UI uses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { tempDir } from '../../helpers/temp-dir';
import { phoneRecord } from '../inventory/records';
import { callsOf } from '../../helpers/app-calls';
import { testCa } from '../../helpers/test-ca';

export const SETTINGS = {
  siteName: 'Unit site',
  osv: {
    proxy: { host: '10.1.2.3' },
    transport: 'tls',
    trustedCaFile: 'ca.pem',
    centralizedConference: 'server',
    srtp: 'preferred',
  },
  ntp: { server1: '10.1.2.10' },
  timeZone: 'DE-Berlin',
  provisioning: { protocol: 'HTTP', server: '10.1.2.20', port: 8080, path: 'prov' },
};

async function openApp(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  const secrets = new MemorySecretStore();
  const app = new FieldkitApp(
    nodePlatform({ appDataDir: join(dir, 'data'), defaultSitesRoot: join(dir, 'sites'), secrets }),
  );
  t.after(() => app.shutdown());
  const { ok } = callsOf(app);
  const siteDir = join(dir, 'sites', 'prov');
  await ok('site.create', { dir: siteDir, name: 'Provisioning site' });
  return { app, ok, secrets, siteDir };
}

test('settings: a wrong field is refused naming it; saved settings come back as entered', async (t) => {
  const { app, ok, siteDir } = await openApp(t);
  assert.deepEqual(await ok('config.settings.get', {}), { settings: null, phones: {}, updatedAt: null });

  const bad = await app.dispatch('config.settings.save', {
    settings: { ...SETTINGS, osv: { ...SETTINGS.osv, proxy: { host: 'sip:10.1.2.3:5060' } }, vlan: { enabled: true } },
  });
  assert.ok(!bad.ok);
  assert.equal(bad.error.code, 'invalid-input');
  assert.match(bad.error.message, /osv\.proxy\.host: must be an IP address or a host name/);
  assert.match(bad.error.message, /vlan: a VLAN id \(1-4094\) is needed/);

  const badPhone = await app.dispatch('config.settings.save', {
    settings: SETTINGS,
    phones: { nonsense: { overrides: {} } },
  });
  assert.ok(!badPhone.ok && /phones\.nonsense.*not a MAC address/.test(badPhone.error.message));

  const saved = await ok('config.settings.save', {
    settings: SETTINGS,
    phones: { '00:08:5d:00:00:01': { overrides: { 'sip line1 vmail': '*98' } } },
  });
  assert.deepEqual(saved.settings, SETTINGS);
  assert.deepEqual(saved.phones, {
    '00085D000001': { overrides: { 'sip line1 vmail': '*98' }, ownAdminPassword: false },
  });
  const onDisk = JSON.parse(await readFile(join(siteDir, 'configs', 'site-settings.json'), 'utf8'));
  assert.equal(onDisk.format, 'fieldkit-site-settings');
  assert.deepEqual((await ok('config.settings.get', {})).settings, SETTINGS);

  // a settings file damaged by hand is reported by name, not silently replaced
  await writeFile(
    join(siteDir, 'configs', 'site-settings.json'),
    JSON.stringify({ ...onDisk, settings: { ...SETTINGS, timeZone: 'x\ny' } }),
  );
  const broken = await app.dispatch('config.settings.get', {});
  assert.ok(
    !broken.ok &&
      broken.error.code === 'workspace-corrupt' &&
      /site-settings\.json/.test(broken.error.message) &&
      /timeZone/.test(broken.error.message),
  );
});

test('generate: sheet + inventory model, findings with fix and guide section, missing SIP passwords listed, nothing secret in the site', async (t) => {
  const { app, ok, siteDir } = await openApp(t);
  const none = await app.dispatch('config.generate', {});
  assert.ok(!none.ok && /no provisioning settings yet/.test(none.error.message));

  await ok('config.settings.save', {
    settings: SETTINGS,
    phones: { '00085D000001': { overrides: { 'sip line1 vmail': '*98' } } },
  });
  await ok('inventory.importCsv', {
    text: 'MAC;DN;Name;Model\n00085D000001;2108189795;Anna;6867i\n00085D000002;2108189796;Ben;\n00085D000003;;Cleo;6865i\n00085D000004;2108189798;Dora;\n',
  });
  // discovery saw phone 2 as a 6865i; phone 4 was never seen
  const at = '2026-03-01T10:00:00.000Z';
  await writeFile(
    join(siteDir, 'inventory', 'devices.json'),
    JSON.stringify({
      format: 'fieldkit-inventory',
      formatVersion: 1,
      updatedAt: at,
      devices: [
        {
          record: phoneRecord({ ip: '10.1.3.2', mac: '00:08:5D:00:00:02', model: '6865i', firmware: '6.5.0.224' }),
          state: 'present',
          changes: [],
          changedAt: null,
          goneSince: null,
          previousIps: [],
        },
      ],
    }),
  );

  // TLS without the customer's CA: refused, with the fix
  const noCa = await ok('config.generate', {});
  assert.equal(noCa.publishable, false);
  assert.match(
    noCa.findings.find((f) => f.ruleId === 'osv.tls' && f.severity === 'error')!.fix,
    /fieldkit ca import <file\.pem>/,
  );
  await ok('ca.import', { pem: (await testCa()).certPem });

  const report = await ok('config.generate', {});
  assert.deepEqual(
    report.files.map((f) => f.name),
    ['startup.cfg', 'aastra.cfg', '6867i.cfg', '6865i.cfg', '00085D000001.cfg', '00085D000002.cfg', 'ca.pem'],
  );
  assert.equal(report.files.at(-1)!.kind, 'asset', 'the CA bundle is published with the configuration');
  assert.equal(report.publishable, false, 'sheet errors block publishing');
  const byRule = (id: string) => report.findings.filter((f) => f.ruleId === id);
  assert.equal(byRule('sheet.no-directory-number')[0]!.file, '00085D000003.cfg');
  assert.match(byRule('sheet.no-directory-number')[0]!.fix, /Fill in the directory number/);
  assert.equal(byRule('sheet.model-unknown')[0]!.file, '00085D000004.cfg');
  assert.ok(report.findings.every((f) => f.section.length > 0 && f.fix.length > 0));
  const phone2 = report.files.find((f) => f.name === '00085D000002.cfg')!;
  assert.match(phone2.text, /Mitel 6865i, directory number 2108189796/, 'the model came from the inventory');
  assert.match(
    report.files.find((f) => f.name === '00085D000001.cfg')!.text,
    /sip line1 vmail: \*98/,
    'per-phone override',
  );
  assert.doesNotMatch(report.files[0]!.text, /^!?admin password/m, 'no admin password in startup.cfg');
  assert.match(report.files[4]!.text, /^!\^admin password: \*{8}$/m, "each phone's own file carries its own");
  assert.deepEqual(report.missingCredentials.map((m) => m.key).sort(), [
    'sip-password:00085D000001',
    'sip-password:00085D000002',
  ]);
  assert.deepEqual(report.credentials, {
    readyPhones: 0,
    incompletePhones: ['00085D000001', '00085D000002'],
    siteWideMissing: false,
  });
  assert.match(
    report.missingCredentials.find((m) => m.mac === '00085D000002')!.what,
    /No SIP password stored for phone 00085D000002 \(directory number 2108189796\)/,
  );
  assert.equal(report.readyToPublish, false);

  // an alphanumeric user name gets the DTP-73963 explanation with its guide section
  await ok('inventory.importCsv', { text: 'MAC;DN;Model\n00085D000003;realm3;6865i\n00085D000004;2108189798;6867i\n' });
  const dtp = (await ok('config.generate', {})).findings.find((f) => /DTP-73963/.test(f.message));
  assert.ok(dtp, 'DTP-73963 finding');
  assert.match(dtp.section, /guide §4\.2/);

  // credentials: refused when the phone would not take them, never echoed, listed by name only
  const letters = await app.dispatch('credentials.set', { key: 'phone-admin-password', value: 'abc123' });
  assert.ok(!letters.ok && /numeric|digits/i.test(letters.error.message) && !letters.error.message.includes('abc123'));
  const badKey = await app.dispatch('credentials.set', { key: 'sip-password:00085d000001', value: 'x' });
  assert.ok(!badKey.ok && /is not a credential name/.test(badKey.error.message));
  const tooBig = await app.dispatch('credentials.set', { key: 'phone-admin-password', value: '7391548260' });
  assert.ok(!tooBig.ok && /0 to 4294967295/.test(tooBig.error.message), "above the phones' range");
  assert.deepEqual(await ok('credentials.set', { key: 'phone-admin-password', value: '3391548260' }), {
    key: 'phone-admin-password',
    set: true,
  });
  for (const mac of ['00085D000001', '00085D000002', '00085D000003', '00085D000004'])
    await ok('credentials.set', { key: `sip-password:${mac}`, value: `S3cret-${mac}` });
  const status = await ok('credentials.status', {});
  assert.equal(status.adminPassword, true);
  assert.equal(status.missing.length, 0);
  assert.ok(status.phones.every((p) => p.sipPassword));
  assert.ok(!JSON.stringify(status).includes('S3cret') && !JSON.stringify(status).includes('3391548260'));
  assert.ok(status.siteSecret.stored, 'generation made the site secret');
  assert.ok(status.phones.every((p) => p.adminSource === 'derived' && p.adminPassword));

  const fixed = await ok('inventory.importCsv', { text: 'MAC;DN;Model\n00085D000003;2108189797;6865i\n' });
  assert.equal(fixed.errors.length, 0);
  const good = await ok('config.generate', {});
  assert.equal(good.publishable, true, JSON.stringify(good.findings.filter((f) => f.severity === 'error')));
  assert.equal(good.readyToPublish, true);
  assert.equal(good.phones.generated, 4);

  const files = await ok('config.files', { name: '00085D000001.cfg' });
  assert.equal(files.generated!.files.length, 9);
  assert.match(files.file!.text, /sip line1 password: \*{8}/);
  const unknown = await app.dispatch('config.files', { name: 'nope.cfg' });
  assert.ok(!unknown.ok && unknown.error.code === 'not-found');

  // no secret anywhere in the site folder
  assert.deepEqual(await filesContaining(siteDir, ['S3cret', '3391548260']), []);
});

async function filesContaining(dir: string, needles: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const text = await readFile(path, 'utf8');
    if (needles.some((n) => text.includes(n))) hits.push(path);
  }
  return hits;
}
