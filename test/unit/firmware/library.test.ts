import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp-dir';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { importFirmware, readLibrary, readLibraryImage } from '../../../electron/core/firmware/library';
import { extractZipEntry, listZipEntries } from '../../../electron/core/firmware/zip-reader';
import { makeZip } from './zip-fixture';

const image = (tag: string) => Buffer.from(`opaque firmware ${tag} `.repeat(500));

describe('zip reader', () => {
  test('lists and extracts stored and deflated entries; damage is a clear error', () => {
    const zip = makeZip([
      { name: 'readme.txt', data: Buffer.from('hi') },
      { name: 'fw/6867i.st', data: image('a'), deflate: true },
    ]);
    const entries = listZipEntries(zip);
    assert.deepEqual(
      entries.map((e) => e.name),
      ['readme.txt', 'fw/6867i.st'],
    );
    assert.deepEqual(extractZipEntry(zip, entries[1]!), image('a'));
    assert.deepEqual(extractZipEntry(zip, entries[0]!), Buffer.from('hi'));
    const damaged = Buffer.from(zip);
    damaged[100] = damaged[100]! ^ 0xff; // inside the deflated data (it starts at byte 83)
    assert.throws(() => extractZipEntry(damaged, listZipEntries(damaged)[1]!), /not a readable ZIP package/);
    assert.throws(() => listZipEntries(Buffer.from('not a zip at all, just text')), /no end-of-central-directory/);
    const lying = Buffer.from(zip);
    lying.writeUInt32LE(0x7fffffff, lying.length - 6); // central directory offset past the end
    assert.throws(() => listZipEntries(lying), /outside the file/);
  });
});

describe('firmware library', () => {
  test('imports a Mitel zip package: model and version from its name, .st extracted, original kept unmodified', async (t) => {
    const dir = await tempDir(t);
    const site = await SiteWorkspace.create(join(dir, 'site'), { name: 'lib' });
    const pkg = join(dir, '58015372REV035001018SP16867i.zip');
    const zipBytes = makeZip([
      { name: '6867i.st', data: image('5.0.0.1018'), deflate: true },
      { name: 'release-notes.pdf', data: Buffer.from('%PDF') },
    ]);
    await writeFile(pkg, zipBytes);
    const r = await importFirmware(site, { path: pkg });
    assert.equal(r.entries.length, 1);
    const e = r.entries[0]!;
    assert.deepEqual(
      [e.id, e.model, e.version, e.servicePack, e.versionSource, e.packageEntry],
      ['6867i-5.0.0.1018', '6867i', '5.0.0.1018', 'SP1', 'file-name', '6867i.st'],
    );
    assert.deepEqual(await readLibraryImage(site, e), image('5.0.0.1018'));
    assert.deepEqual(await readFile(site.path(e.original.path)), zipBytes);
    assert.deepEqual(await readFile(pkg), zipBytes, 'the original file is untouched');
    const again = await importFirmware(site, { path: pkg });
    assert.deepEqual(again.alreadyPresent, ['6867i-5.0.0.1018']);
    assert.equal((await readLibrary(site)).length, 1);
  });

  test('a name without version needs a typed and confirmed version; contradictions are refused', async (t) => {
    const dir = await tempDir(t);
    const site = await SiteWorkspace.create(join(dir, 'site'), { name: 'lib' });
    const st = join(dir, '6865i.st');
    await writeFile(st, image('x'));
    await assert.rejects(importFirmware(site, { path: st }), /carries no firmware version/);
    await assert.rejects(
      importFirmware(site, { path: st, version: '6.5.0.224' }),
      /Confirm that 6865i.st is firmware 6.5.0.224/,
    );
    await assert.rejects(importFirmware(site, { path: st, version: '6.5.0' }), /not a firmware version/);
    const ok = await importFirmware(site, { path: st, version: 'V 6.5.0.224', confirmVersion: true });
    assert.equal(ok.entries[0]!.versionSource, 'technician');
    assert.equal(ok.entries[0]!.version, '6.5.0.224');
    const named = join(dir, '6867i-6.4.0.140.st');
    await writeFile(named, image('y'));
    await assert.rejects(
      importFirmware(site, { path: named, version: '6.5.0.224', confirmVersion: true }),
      /says version 6.4.0.140/,
    );
    const other = join(dir, '6865i-6.5.0.224.st');
    await writeFile(other, image('different'));
    await assert.rejects(
      importFirmware(site, { path: other }),
      /already holds 6865i firmware 6.5.0.224 with different content/,
    );
    const blank = join(dir, 'firmware-6.5.0.224.st');
    await writeFile(blank, image('z'));
    await assert.rejects(importFirmware(site, { path: blank }), /does not name a phone model/);
    const wrong = join(dir, '6920-6.5.0.224.st');
    await writeFile(wrong, image('z'));
    await assert.rejects(importFirmware(site, { path: wrong }), /Fieldkit handles the 6867i and 6865i only/);
  });

  test('a changed image in the site is refused when read', async (t) => {
    const dir = await tempDir(t);
    const site = await SiteWorkspace.create(join(dir, 'site'), { name: 'lib' });
    const st = join(dir, '6867i-6.5.0.224.st');
    await writeFile(st, image('q'));
    const [e] = (await importFirmware(site, { path: st })).entries;
    await writeFile(site.path(e!.image.path), 'tampered');
    await assert.rejects(readLibraryImage(site, e!), /changed since it was imported/);
  });
});
