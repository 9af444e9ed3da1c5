// The core is plain Node: anything under electron/core/ that reaches for Electron fails this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CORE = join(ROOT, 'electron', 'core');

/** import/export-from, side-effect import, require() and dynamic import() of 'electron' or 'electron/...'. */
const ELECTRON_IMPORT = /(?:\bfrom\s*|\bimport\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)(['"`])electron(?:\/[^'"`]*)?\1/;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(c|m)?(t|j)sx?$/.test(name)) out.push(path);
  }
  return out;
}

test('the pattern catches every way of importing electron', () => {
  for (const line of [
    "import { app } from 'electron';",
    'import type { App } from "electron";',
    "import 'electron';",
    "export { shell } from 'electron/main';",
    "const { app } = require('electron');",
    'const e = await import(`electron`);',
    "const e = require ( 'electron' )",
  ])
    assert.match(line, ELECTRON_IMPORT, line);
  for (const line of [
    "import { x } from './electron';",
    "import { x } from 'electron-store';",
    '// talks to electronics',
  ]) {
    assert.doesNotMatch(line, ELECTRON_IMPORT, line);
  }
});

test('nothing under electron/core/ imports electron', () => {
  const files = sources(CORE);
  assert.ok(files.length > 0, 'electron/core/ holds sources');
  const offenders = files.filter((f) => ELECTRON_IMPORT.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
  assert.deepEqual(offenders, [], `these core files import electron: ${offenders.join(', ')}`);
});
