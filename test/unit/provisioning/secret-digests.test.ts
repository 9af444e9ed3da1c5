// Older versions journaled plain SHA-256 digests of published files (an offline oracle for the passwords
// in them, issue 13 §1). Opening the site removes them from journals, previews and manifests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { purgeSecretDigests, journalTags } from '../../../electron/core/provisioning/secret-digests';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { tempDir } from '../../helpers/temp-dir';

const SHA = 'a'.repeat(64);

test('old journals, previews and manifests lose their plain digests; everything else stays as it was', async (t) => {
  const dir = await tempDir(t);
  const site = await SiteWorkspace.create(join(dir, 'site'), { name: 'Old' });
  const journal = [
    { type: 'job-started', kind: 'publish', params: { targetId: 'builtin' } },
    { type: 'step-begin', key: 'publish:0' },
    { type: 'step-done', key: 'publish:0', result: [{ name: 'startup.cfg', sha256: SHA, size: 10, publishedAt: 'x' }] },
    { type: 'step-done', key: 'plan', result: { sha256: 'b'.repeat(64), note: 'a firmware image digest stays' } },
  ];
  const path = site.path('journal', '20250101-000000-abcdef.jsonl');
  await writeFile(path, `${journal.map((e) => JSON.stringify(e)).join('\n')}\n{"type":"step-be`);
  const previewDir = join(dir, 'data', 'previews', site.meta.id);
  await mkdir(previewDir, { recursive: true });
  await writeFile(
    join(previewDir, 'builtin.json'),
    JSON.stringify({ files: [{ newSha256: SHA, remoteSha256: null }] }),
  );
  await mkdir(site.path('configs', 'published', 'builtin'), { recursive: true });
  await writeFile(
    site.path('configs', 'published', 'builtin', 'manifest.json'),
    JSON.stringify({
      files: [
        { name: 'a.cfg', digest: `sha256:${SHA}` },
        { name: 'b.cfg', digest: 'hmac-sha256:k:c' },
      ],
    }),
  );
  const purged = await purgeSecretDigests(site, join(dir, 'data'));
  assert.deepEqual(purged, { journals: 1, digests: 1, previews: 1, manifests: 1 });
  const text = await readFile(path, 'utf8');
  assert.ok(!text.includes(SHA), 'the plain digest is gone');
  assert.ok(text.includes('b'.repeat(64)), "a firmware image's digest (no secret in it) stays");
  assert.ok(text.endsWith('{"type":"step-be'), 'a torn last line stays as it was');
  assert.deepEqual(await readdir(previewDir), []);
  const manifest = await readFile(site.path('configs', 'published', 'builtin', 'manifest.json'), 'utf8');
  assert.ok(!manifest.includes(SHA) && manifest.includes('hmac-sha256:k:c'));
  assert.deepEqual(await purgeSecretDigests(site, join(dir, 'data')), {
    journals: 0,
    digests: 0,
    previews: 0,
    manifests: 0,
  });
  assert.deepEqual([...(await journalTags(site))], ['abcdef']);
});

test('a file unchanged since this machine checked it is not read again; a changed one, or another machine, is', async (t) => {
  const dir = await tempDir(t);
  const site = await SiteWorkspace.create(join(dir, 'site'), { name: 'Old' });
  const data = join(dir, 'data');
  const step = (sha: string) =>
    JSON.stringify({ type: 'step-done', key: 'publish:0', result: [{ name: 'a.cfg', sha256: sha, size: 1 }] });
  const path = site.path('journal', '20250101-000000-abcdef.jsonl');
  await writeFile(path, `${step(SHA)}\n`);
  assert.equal((await purgeSecretDigests(site, data)).digests, 1);
  // Same size and time as when it was checked: proof that it is not read (nothing an open can see changed).
  const checked = await stat(path);
  const planted = (await readFile(path, 'utf8')).replace('"name":"a.cfg"', `"sha256":"${'c'.repeat(3)}"`);
  assert.equal(Buffer.byteLength(planted), checked.size);
  await writeFile(path, planted);
  await utimes(path, checked.atime, checked.mtime);
  assert.equal((await purgeSecretDigests(site, data)).digests, 0, 'an unchanged file is skipped');
  // appended to since (a job ran, or an older Fieldkit wrote): read again
  await appendFile(path, `${step(SHA)}\n`);
  assert.equal((await purgeSecretDigests(site, data)).digests, 2);
  assert.ok(!(await readFile(path, 'utf8')).includes(SHA));
  // another machine (its own data folder) checks every file once
  await writeFile(path, `${step(SHA)}\n`);
  await utimes(path, checked.atime, checked.mtime);
  assert.equal((await purgeSecretDigests(site, join(dir, 'other-machine'))).digests, 1);
  const record = await readdir(join(data, 'digest-purge'));
  assert.deepEqual(record, [`${site.meta.id}.json`]);
});
