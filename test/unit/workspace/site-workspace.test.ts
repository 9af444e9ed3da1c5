import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SiteWorkspace, SITE_FILE, SITE_FOLDERS } from '../../../electron/core/workspace/site-workspace';
import { RecentSites } from '../../../electron/core/workspace/recent-sites';
import { type FieldkitError, describeFsError } from '../../../electron/core/util/errors';
import { tempDir } from '../../helpers/temp-dir';

const details = { name: 'Head office', customer: 'ACME', technician: 'Dana', contactPerson: 'Mr. Roe', notes: '' };

test('creating a site writes its description and folders, and it opens again', async (t) => {
  const dir = join(await tempDir(t), 'site-a');
  const site = await SiteWorkspace.create(dir, details);
  const stored = JSON.parse(await readFile(join(dir, SITE_FILE), 'utf8'));
  assert.equal(stored.format, 'fieldkit-site');
  assert.equal(stored.name, 'Head office');
  for (const folder of SITE_FOLDERS) assert.ok((await readdir(dir)).includes(folder), folder);
  const again = await SiteWorkspace.open(dir);
  assert.equal(again.meta.id, site.meta.id);
  assert.equal(again.meta.contactPerson, 'Mr. Roe');
});

test('a site is never created over a folder holding other files or another site', async (t) => {
  const root = await tempDir(t);
  await writeFile(join(root, 'customer-notes.txt'), 'keep me');
  await assert.rejects(
    SiteWorkspace.create(root, details),
    (e: FieldkitError) => e.code === 'not-a-workspace' && /not empty/.test(e.message),
  );
  assert.equal(await readFile(join(root, 'customer-notes.txt'), 'utf8'), 'keep me');
  const site = join(root, 'site');
  await SiteWorkspace.create(site, details);
  await assert.rejects(SiteWorkspace.create(site, details), (e: FieldkitError) => e.code === 'workspace-exists');
});

test('an empty site name is refused with a hint', async (t) => {
  const dir = join(await tempDir(t), 's');
  await assert.rejects(
    SiteWorkspace.create(dir, { ...details, name: '   ' }),
    (e: FieldkitError) => e.code === 'invalid-input' && /name/.test(e.message),
  );
});

test('opening a folder that is not a site, or a file, gives a clear error', async (t) => {
  const root = await tempDir(t);
  await assert.rejects(
    SiteWorkspace.open(root),
    (e: FieldkitError) => e.code === 'not-a-workspace' && e.message.includes(SITE_FILE),
  );
  await writeFile(join(root, 'f'), 'x');
  await assert.rejects(SiteWorkspace.open(join(root, 'f')), (e: FieldkitError) => e.code === 'not-a-workspace');
  await assert.rejects(SiteWorkspace.open(join(root, 'missing')), (e: FieldkitError) => e.code === 'not-found');
});

test('a corrupt site file is reported and left exactly as it was', async (t) => {
  const dir = join(await tempDir(t), 'site');
  await SiteWorkspace.create(dir, details);
  const broken = '{"format": "fieldkit-site", "name": "Head off';
  await writeFile(join(dir, SITE_FILE), broken);
  await assert.rejects(
    SiteWorkspace.open(dir),
    (e: FieldkitError) => e.code === 'workspace-corrupt' && e.message.includes('did not change it'),
  );
  assert.equal(await readFile(join(dir, SITE_FILE), 'utf8'), broken);
});

test('workspace JSON documents: validated on write, previous version kept, corrupt ones backed up and refused', async (t) => {
  const site = await SiteWorkspace.create(join(await tempDir(t), 's'), details);
  const Schema = z.object({ phones: z.array(z.string()) });
  await site.writeJson('inventory/inventory.json', Schema, { phones: ['a'] });
  await site.writeJson('inventory/inventory.json', Schema, { phones: ['a', 'b'] });
  assert.deepEqual(JSON.parse(await readFile(site.path('inventory/inventory.json.bak'), 'utf8')), { phones: ['a'] });
  await assert.rejects(
    site.writeJson('inventory/inventory.json', Schema, { phones: [1] } as never),
    (e: FieldkitError) => e.code === 'invalid-input',
  );
  assert.deepEqual(await site.readJson('inventory/inventory.json', Schema), { phones: ['a', 'b'] });
  await writeFile(site.path('inventory/inventory.json'), '{"phones": [');
  await assert.rejects(
    site.readJson('inventory/inventory.json', Schema),
    (e: FieldkitError) => e.code === 'workspace-corrupt',
  );
  const files = await readdir(site.path('inventory'));
  assert.ok(
    files.some((f) => f.startsWith('inventory.json.corrupt-')),
    files.join(','),
  );
  assert.equal(await readFile(site.path('inventory/inventory.json'), 'utf8'), '{"phones": [');
});

test('paths that would leave the site folder are refused', async (t) => {
  const site = await SiteWorkspace.create(join(await tempDir(t), 's'), details);
  assert.throws(
    () => site.path('../outside.json'),
    (e: FieldkitError) => e.code === 'invalid-input',
  );
  assert.throws(
    () => site.path('configs', '..', '..', 'x'),
    (e: FieldkitError) => e.code === 'invalid-input',
  );
});

test('updating some details keeps the others', async (t) => {
  const site = await SiteWorkspace.create(join(await tempDir(t), 's'), details);
  await site.updateMeta({ notes: 'VLAN 20 for voice' });
  const reopened = await SiteWorkspace.open(site.root);
  assert.equal(reopened.meta.notes, 'VLAN 20 for voice');
  assert.equal(reopened.meta.customer, 'ACME');
  assert.equal(reopened.meta.technician, 'Dana');
});

test('recent sites: newest first, no duplicates, damaged list set aside', async (t) => {
  const root = await tempDir(t);
  const recent = new RecentSites(join(root, 'app'));
  const a = await SiteWorkspace.create(join(root, 'a'), { ...details, name: 'A' });
  const b = await SiteWorkspace.create(join(root, 'b'), { ...details, name: 'B' });
  await recent.remember(a.summary());
  await recent.remember(b.summary());
  await recent.remember(a.summary());
  assert.deepEqual(
    (await recent.list()).map((s) => s.name),
    ['A', 'B'],
  );
  await writeFile(recent.file, 'garbage');
  assert.deepEqual(await recent.list(), []);
  assert.ok((await readdir(join(root, 'app'))).some((f) => f.startsWith('recent-sites.json.corrupt-')));
});

test("file-system errors are put in a technician's words", () => {
  const err = describeFsError(Object.assign(new Error('x'), { code: 'ENOSPC' }), 'the inventory', '/x/inventory.json');
  assert.equal(err.code, 'disk-full');
  assert.match(err.message, /disk is full/);
});
