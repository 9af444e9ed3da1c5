import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generate, materialize, parseSiteSettings, parsePhoneEntries } from '../../../electron/core/config';
import { saveGenerated, loadGenerated, GENERATED_DIR } from '../../../electron/core/provisioning/generated-store';
import { MemorySecretStore, secretKeys } from '../../../electron/core/secrets/secret-store';
import { siteSecrets } from '../../../electron/core/secrets/admin-passwords';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { type FieldkitError } from '../../../electron/core/util/errors';
import { tempDir } from '../../helpers/temp-dir';

const settings = parseSiteSettings({
  osv: { proxy: { host: '198.18.0.10', port: 5061 }, trustedCaFile: 'osv-ca.pem' },
  ntp: { server1: '198.18.0.3' },
  provisioning: { protocol: 'HTTP', server: '198.18.0.2', path: 'mitel', port: 8080 },
});
const phones = parsePhoneEntries([
  { mac: '00:08:5D:1A:2B:3C', model: '6867i', directoryNumber: '2108189795', displayName: 'Reception' },
  { mac: '00-10-BC-00-00-01', model: '6865i', directoryNumber: '2108189796', displayName: 'Store' },
]);

test('a generated set round-trips through the workspace without secrets and materializes them on load', async (t) => {
  const site = await SiteWorkspace.create(join(await tempDir(t), 's'), { name: 'S' });
  const result = generate(settings, phones);
  const manifest = await saveGenerated(site, result, '0.1.0');
  assert.equal(manifest.files.length, result.files.length);
  const store = siteSecrets(
    new MemorySecretStore({
      [secretKeys.sipPassword('00085D1A2B3C')]: 'sip-secret-1',
      [secretKeys.sipPassword('0010BC000001')]: 'sip-secret-2',
      [secretKeys.phoneAdminPassword('00085D1A2B3C')]: '3821390517',
    }),
    site.meta.id,
  );
  for (const name of await readdir(site.path(GENERATED_DIR))) {
    const text = await readFile(site.path(GENERATED_DIR, name), 'utf8');
    assert.ok(!text.includes('sip-secret-1') && !text.includes('3821390517'), `${name} holds no secret`);
  }
  const loaded = (await loadGenerated(site))!;
  const phoneFile = loaded.files.find((f) => f.name === '00085D1A2B3C.cfg')!;
  const bytes = new TextDecoder().decode(await materialize(phoneFile, store));
  assert.match(bytes, /sip-secret-1/);
  assert.match(bytes, /^!\^admin password: 3821390517$/m, 'the explicit per-phone value wins over the derived one');
  const original = result.files.find((f) => f.name === '00085D1A2B3C.cfg')!;
  assert.equal(bytes, new TextDecoder().decode(await materialize(original, store)));
});

test('files edited by hand after generation are refused, naming the file', async (t) => {
  const site = await SiteWorkspace.create(join(await tempDir(t), 's'), { name: 'S' });
  await saveGenerated(site, generate(settings, phones), '0.1.0');
  const path = site.path(GENERATED_DIR, '00085D1A2B3C.cfg');
  await writeFile(path, (await readFile(path, 'utf8')).replace('Reception', 'Lobby'));
  await assert.rejects(
    loadGenerated(site),
    (e: FieldkitError) => e.code === 'conflict' && e.message.includes('00085D1A2B3C.cfg'),
  );
});

test('a phone removed from the sheet loses its file at the next generation', async (t) => {
  const site = await SiteWorkspace.create(join(await tempDir(t), 's'), { name: 'S' });
  await saveGenerated(site, generate(settings, phones), '0.1.0');
  await saveGenerated(site, generate(settings, phones.slice(0, 1)), '0.1.0');
  const names = await readdir(site.path(GENERATED_DIR));
  assert.ok(names.includes('00085D1A2B3C.cfg'));
  assert.ok(!names.includes('0010BC000001.cfg'));
});
