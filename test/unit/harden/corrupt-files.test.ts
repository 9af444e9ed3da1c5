// Every stored JSON document of a site, damaged in turn: the technician gets a 'workspace-corrupt' error
// naming the file; the damaged file is left byte for byte as it was (also when a call would write it);
// a copy is kept beside it (.corrupt-<time>, plus the .bak of the previous good version where one exists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { importFirmware, readLibrary, LIBRARY_FILE } from '../../../electron/core/firmware/library';
import { RUNS_FILE } from '../../../electron/core/checklist/checklist-runs';
import { DEVICES_FILE, DevicesFileSchema, SHEET_FILE } from '../../../electron/core/inventory/inventory-files';
import { SITE_SETTINGS_FILE } from '../../../electron/core/provisioning/provisioning-settings-file';
import { TARGETS_FILE } from '../../../electron/core/provisioning/targets-config';
import { SITE_FILE } from '../../../electron/core/workspace/site-workspace';
import { buildFirmwareImage } from '../../sim/firmware-image';
import { tempDir } from '../../helpers/temp-dir';

const SETTINGS = {
  siteName: 'Corrupt site',
  osv: { proxy: { host: '10.0.0.1' } },
  ntp: { server1: '10.0.0.1' },
  provisioning: { protocol: 'HTTP', server: '127.0.0.1', port: 8080, path: 'prov' },
};
const DAMAGE = '{"format": "fieldkit-inv\u0000 <- power cut here';

test(
  'each stored document kind, damaged: clear error naming the file, nothing overwritten, a copy kept',
  { timeout: 60_000 },
  async (t) => {
    const dir = await tempDir(t);
    const app = new FieldkitApp(
      nodePlatform({ appDataDir: join(dir, 'data'), defaultSitesRoot: dir, secrets: new MemorySecretStore() }),
    );
    t.after(() => app.shutdown());
    const call = async (name: string, input: unknown) => app.dispatch(name, input);
    const must = async (name: string, input: unknown) => {
      const r = await call(name, input);
      assert.ok(r.ok, `${name}: ${!r.ok && r.error.message}`);
    };
    const siteDir = join(dir, 'site');
    await must('site.create', { dir: siteDir, name: 'Corrupt site' });
    await must('site.update', { notes: 'first edit' }); // leaves fieldkit-site.json.bak
    // give every document a first good version
    await must('inventory.importCsv', { text: 'MAC;DN;Name\n00085D000001;2100;A' });
    await must('config.settings.save', { settings: SETTINGS });
    await must('provisioning.saveTarget', {
      target: { id: 'srv', kind: 'sftp', url: 'sftp://tech@127.0.0.1:22/prov', auth: 'password' },
    });
    await must('checklist.start', { technician: 'Tess', contactPerson: 'Carl' });
    const image = join(dir, '6867i-6.5.0.230.st');
    await writeFile(image, buildFirmwareImage({ model: '6867i', version: '6.5.0.230', sizeBytes: 1024 }));
    await importFirmware(app.currentSite(), { path: image });
    const site = app.currentSite();
    await site.writeJson(DEVICES_FILE, DevicesFileSchema, {
      format: 'fieldkit-inventory',
      formatVersion: 1,
      updatedAt: new Date().toISOString(),
      devices: [],
    });

    const cases: { file: string; read: () => Promise<unknown>; write?: () => Promise<unknown> }[] = [
      { file: DEVICES_FILE, read: () => call('inventory.list', {}) },
      {
        file: SHEET_FILE,
        read: () => call('phones.list', {}),
        write: () => call('inventory.importCsv', { text: 'MAC;DN;Name\n00085D000002;2101;B' }),
      },
      {
        file: SITE_SETTINGS_FILE,
        read: () => call('config.settings.get', {}),
        write: () => call('config.settings.save', { settings: { ...SETTINGS, siteName: 'X' } }),
      },
      {
        file: TARGETS_FILE,
        read: () => call('provisioning.targets', {}),
        write: () =>
          call('provisioning.saveTarget', {
            target: { id: 'srv2', kind: 'sftp', url: 'sftp://t@127.0.0.1:22/p', auth: 'password' },
          }),
      },
      { file: RUNS_FILE, read: () => call('checklist.status', {}) },
      {
        file: LIBRARY_FILE,
        read: () =>
          readLibrary(site).then(
            (v) => ({ ok: true, value: v }),
            (e: Error & { code?: string }) => ({ ok: false, error: { code: e.code, message: e.message } }),
          ),
      },
    ];
    const seen: string[] = [];
    for (const c of cases) {
      const full = site.path(c.file);
      const good = await readFile(full, 'utf8').catch(() => undefined);
      assert.ok(good, `${c.file} had a first version`);
      await writeFile(full, DAMAGE);
      const attempt = async (action: () => Promise<unknown>) => {
        const r = (await action()) as { ok: boolean; error?: { code: string; message: string } };
        assert.equal(r.ok, false, `${c.file}: a damaged file must not be read as empty or replaced`);
        assert.equal(r.error!.code, 'workspace-corrupt', `${c.file}: ${r.error!.message}`);
        assert.ok(r.error!.message.includes(full), `${c.file}: the message names the file: ${r.error!.message}`);
        assert.match(r.error!.message, /did not change it/);
        assert.equal(await readFile(full, 'utf8'), DAMAGE, `${c.file} left as it was`);
        const copies = (await readdir(dirname(full))).filter((f) => f.startsWith(`${basename(full)}.corrupt-`));
        assert.ok(copies.length >= 1, `${c.file}: a copy of the damaged file is kept`);
        assert.equal(await readFile(join(dirname(full), copies[0]!), 'utf8'), DAMAGE);
      };
      await t.test(`${c.file}: read`, () => attempt(c.read));
      if (c.write) await t.test(`${c.file}: write refused`, () => attempt(c.write!));
      await writeFile(full, good); // repair, so the next case starts from a healthy site
      seen.push(c.file);
    }

    // the site file itself: opening is refused by name, the file and its .bak stay
    const siteFile = join(siteDir, SITE_FILE);
    const bak = await readFile(`${siteFile}.bak`, 'utf8');
    await must('site.close', {});
    await writeFile(siteFile, DAMAGE);
    const opened = await call('site.open', { dir: siteDir });
    assert.ok(
      !opened.ok &&
        opened.error.code === 'workspace-corrupt' &&
        opened.error.message.includes(siteFile) &&
        /\.bak/.test(opened.error.message),
      JSON.stringify(opened),
    );
    assert.equal(await readFile(siteFile, 'utf8'), DAMAGE);
    assert.equal(await readFile(`${siteFile}.bak`, 'utf8'), bak);
    const created = await call('site.create', { dir: siteDir, name: 'Over it' });
    assert.ok(!created.ok, 'a new site is never created over a damaged one');
    assert.equal(await readFile(siteFile, 'utf8'), DAMAGE);
    t.diagnostic(`document kinds checked: ${[...seen, SITE_FILE].join(', ')}`);
  },
);
