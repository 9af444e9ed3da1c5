// bin/fieldkit.js, the `npx fieldkit` entry: the bundle while it is fresh, the sources (with one line saying
// so) when it is missing or older than a source it was built from; and a closed pipe ends the output quietly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, withEnv } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

test('the bundle runs while it is fresh; a newer source or a missing list falls back to the sources, saying so', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'bin'));
  await copyFile(join(ROOT, 'bin', 'fieldkit.js'), join(dir, 'bin', 'fieldkit.js'));
  await copyFile(join(ROOT, 'package.json'), join(dir, 'package.json'));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  await symlink(join(ROOT, 'electron'), join(dir, 'electron'));
  await mkdir(join(dir, 'dist-electron', 'cli'), { recursive: true });
  const stub = join(dir, 'dist-electron', 'cli', 'fieldkit.mjs');
  await writeFile(stub, "console.log('from the bundle');\n");
  await writeFile(join(dir, 'dist-electron', 'cli', 'inputs.json'), JSON.stringify({ inputs: ['package.json'] }));
  const past = new Date(Date.now() - 60_000);
  await utimes(join(dir, 'package.json'), past, past);

  const fresh = run('node', [join(dir, 'bin', 'fieldkit.js'), '--version']);
  assert.equal(fresh.stdout, 'from the bundle\n');
  assert.equal(fresh.stderr, '');

  const future = new Date(Date.now() + 60_000);
  await utimes(join(dir, 'package.json'), future, future);
  const stale = run('node', [join(dir, 'bin', 'fieldkit.js'), '--version']);
  assert.equal(stale.status, 0, stale.stderr);
  assert.match(stale.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.match(stale.stderr, /^fieldkit: starting from the TypeScript sources .*npm run build:cli/);

  await utimes(join(dir, 'package.json'), past, past);
  await rm(join(dir, 'dist-electron', 'cli', 'inputs.json'));
  assert.match(
    run('node', [join(dir, 'bin', 'fieldkit.js'), '--version']).stderr,
    /starting from the TypeScript sources/,
  );
});

test('a closed pipe ends the output quietly: no EPIPE stack trace, exit code 0 (security review D12)', async (t) => {
  const dir = await tempDir(t);
  withEnv(t, { FIELDKIT_DATA_DIR: join(dir, 'data') });
  const site = join(dir, 'site');
  assert.equal((await cli(['site', 'create', site, '--name', 'Pipe'])).code, 0);
  const rows = Array.from(
    { length: 600 },
    (_, i) => `00085D${(0x100000 + i).toString(16).toUpperCase()};${2000 + i};Phone ${i}`,
  );
  await writeFile(join(dir, 'sheet.csv'), ['MAC;DN;Name', ...rows].join('\n'));
  assert.equal((await cli(['inventory', 'import', join(dir, 'sheet.csv'), '--site', site])).code, 0);
  const full = await cli(['inventory', 'list', '--json', '--site', site]);
  assert.ok(full.out.length > 256 * 1024, 'more than the pipe holds, so the writer meets the closed end');

  const piped = run(
    'bash',
    [
      '-c',
      `node "${join(ROOT, 'bin', 'fieldkit.js')}" inventory list --json --site "${site}" | head -c 100 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`,
    ],
    { FIELDKIT_DATA_DIR: join(dir, 'data') },
  );
  assert.match(piped.stdout, /^exit=0$/m, piped.stderr);
  assert.doesNotMatch(piped.stderr, /EPIPE|Error|at /, piped.stderr);
});
