import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../../electron/cli';
import { tempDir } from '../../helpers/temp-dir';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

test('fieldkit inventory import, list and export on a site folder', async (t) => {
  const root = await tempDir(t);
  const before = process.env.FIELDKIT_DATA_DIR;
  process.env.FIELDKIT_DATA_DIR = join(root, 'appdata');
  t.after(() => {
    if (before === undefined) delete process.env.FIELDKIT_DATA_DIR;
    else process.env.FIELDKIT_DATA_DIR = before;
  });
  const site = join(root, 'site');
  assert.equal((await cli(['site', 'create', site, '--name', 'CLI site'])).code, 0);

  // A Windows-1252 file (ü in a name) with one bad row: imported rows land, the bad row is reported, exit code 1.
  const csv = Buffer.concat([
    Buffer.from('MAC;DN;Name\r\n00085D000001;100;M'),
    Buffer.from([0xfc]),
    Buffer.from('ller\r\nnope;101;X\r\n'),
  ]);
  await writeFile(join(root, 'plan.csv'), csv);
  const imported = await cli(['inventory', 'import', join(root, 'plan.csv'), '--site', site, '--json']);
  assert.equal(imported.code, 1);
  const result = JSON.parse(imported.out);
  assert.equal(result.imported, 1);
  assert.match(result.errors[0].message, /^Row 3: "nope" is not a MAC address/);

  const list = await cli(['inventory', 'list', '--site', site, '--json']);
  assert.equal(list.code, 0);
  const rows = JSON.parse(list.out);
  assert.deepEqual(
    rows.map((r: { mac: string; displayName: string; presence: string }) => [r.mac, r.displayName, r.presence]),
    [['00:08:5D:00:00:01', 'Müller', 'expected']],
  );
  const human = await cli(['inventory', 'list', '--site', site]);
  assert.match(human.out, /00:08:5D:00:00:01\s+-\s+-\s+expected/);

  const out = join(root, 'export.csv');
  assert.equal((await cli(['inventory', 'export', '--out', out, '--site', site])).code, 0);
  assert.match(
    await readFile(out, 'utf8'),
    /^MAC,IP,Model,Firmware,Status,Classification,Change,Directory number,Display name,Location/,
  );
  const asJson = JSON.parse((await cli(['inventory', 'export', '--site', site, '--json'])).out);
  assert.match(asJson.fileName, /^inventory-CLI-site-/);

  const noSite = await cli(['inventory', 'list']);
  assert.equal(noSite.code, 2);
  assert.match(noSite.err, /--site DIR/);
  const missing = await cli(['inventory', 'import', join(root, 'nope.csv'), '--site', site]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /not found/);
  assert.equal((await cli(['inventory', 'frobnicate', '--site', site])).code, 2);
});
