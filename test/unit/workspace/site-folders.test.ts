// Bad input ends with a clear error (issue 13 §6) and the renderer is not trusted with the file system
// (issue 13 §7): sites are made only under the sites root or a folder picked in the OS dialog; kernel file
// systems are refused at once (site create /proc/x never returned before).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SiteFolderPolicy } from '../../../electron/core/workspace/site-folders';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { tempDir } from '../../helpers/temp-dir';

test('site create on /proc, /sys and /dev ends at once with a clear error', async (t) => {
  for (const dir of ['/proc/fieldkit-test', '/proc/self/fk', '/sys/fk', '/dev/fk']) {
    const started = performance.now();
    await assert.rejects(SiteWorkspace.create(dir, { name: 'x' }), /kernel|system folder/, dir);
    assert.ok(performance.now() - started < 2000, `${dir} answered at once`);
  }
  const dir = await tempDir(t);
  await writeFile(join(dir, 'file'), 'x');
  await assert.rejects(SiteWorkspace.create(join(dir, 'file', 'site'), { name: 'x' }), /is a file, not a folder/);
  const site = await SiteWorkspace.create(join(dir, 'a', 'b', 'site'), { name: 'Deep' });
  assert.equal(site.meta.name, 'Deep', 'missing folders above are made one level at a time');
});

test('only under the sites root, or in or directly inside a folder picked in the dialog; no symlink out', async (t) => {
  const dir = await tempDir(t);
  const root = join(dir, 'Sites');
  await mkdir(root);
  const policy = new SiteFolderPolicy(root);
  assert.equal(await policy.assertCreatable(join(root, 'acme')), join(root, 'acme'));
  assert.equal(await policy.assertCreatable('relative-name'), join(root, 'relative-name'), 'relative to the root');
  await assert.rejects(
    policy.assertCreatable('/etc/fieldkit-sectest'),
    /creates sites under .*Sites, not in \/etc\/fieldkit-sectest/,
  );
  await assert.rejects(policy.assertCreatable(join(root, '..', 'outside')), /not in/);
  await assert.rejects(policy.assertCreatable(root), /not in/, 'the root itself is not a site');
  await symlink('/etc', join(root, 'etc-link'));
  await assert.rejects(policy.assertCreatable(join(root, 'etc-link', 'x')), /not in/, 'a symlink does not lead out');
  policy.rememberPicked(join(dir, 'picked'));
  assert.equal(await policy.assertCreatable(join(dir, 'picked', 'site')), join(dir, 'picked', 'site'));
  assert.equal(await policy.assertCreatable(join(dir, 'picked')), join(dir, 'picked'));
  await assert.rejects(policy.assertCreatable(join(dir, 'picked', 'a', 'b')), /or in a folder you picked/);
});
