// The layer rules (README.md "Rules that keep it easy to change") are ESLint rules (eslint.config.js,
// build/layers.js). These tests lint small sources placed at real paths, so a rule that stops working fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(ROOT, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId !== 'import-x/order' && m.ruleId !== '@typescript-eslint/no-unused-vars')
    .map((m) => `${m.ruleId}: ${m.message}`);
}

const refused: Array<[file: string, source: string, rule: string]> = [
  ['electron/core/phone/x.ts', "import { app } from 'electron';\nexport const a = app;\n", 'no-restricted-imports'],
  [
    'electron/core/util/x.ts',
    "import { x } from '../phone/mac';\nexport const a = x;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'electron/core/provisioning/x.ts',
    "import { stagingFolder } from '../firmware/paths';\nexport const a = stagingFolder;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'electron/core/discovery/x.ts',
    "import { parseSheet } from '../inventory/sheet';\nexport const a = parseSheet;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'electron/core/config/x.ts',
    "import { calls } from '../../api/contract';\nexport const a = calls;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'electron/api/x.ts',
    "import { FieldkitApp } from '../app/fieldkit-app';\nexport const a = FieldkitApp;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'electron/app/x.ts',
    "import { startBrowserHost } from '../host/browser-host';\nexport const a = startBrowserHost;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'renderer/src/lib/x.ts',
    "import { parseMac } from '../../../electron/core/phone/mac';\nexport const a = parseMac;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'test/sim/x.ts',
    "import { parseMac } from '../../electron/core/phone/mac';\nexport const a = parseMac;\n",
    'import-x/no-restricted-paths',
  ],
  [
    'electron/cli/x-command.ts',
    "import { parseMac } from '../core/phone/mac';\nexport const a = parseMac;\n",
    '@typescript-eslint/no-restricted-imports',
  ],
];

for (const [file, source, rule] of refused) {
  test(`lint refuses ${file}: ${source.split('\n')[0]}`, async () => {
    const found = await problems(file, source);
    assert.ok(
      found.some((p) => p.startsWith(`${rule}:`)),
      `expected ${rule}, got: ${found.join(' | ') || 'nothing'}`,
    );
  });
}

const allowed: Array<[file: string, source: string]> = [
  ['electron/core/firmware/x.ts', "import { parseMac } from '../phone/mac';\nexport const a = parseMac;\n"],
  [
    'electron/core/checklist/x.ts',
    "import { stagingFolder } from '../firmware/paths';\nexport const a = stagingFolder;\n",
  ],
  ['electron/app/x.ts', "import { calls } from '../api/contract';\nexport const a = calls;\n"],
  [
    'electron/cli/x-command.ts',
    "import type { SiteWorkspace } from '../core/workspace/site-workspace';\nexport type A = SiteWorkspace;\n",
  ],
];

for (const [file, source] of allowed) {
  test(`lint accepts ${file}: ${source.split('\n')[0]}`, async () => {
    assert.deepEqual(await problems(file, source), []);
  });
}
