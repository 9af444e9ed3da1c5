import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  judgeFindings,
  parseAllowlist,
  runElectronegativity,
  type Finding,
} from '../../../build/electronegativity-gate';

describe('electronegativity gate', () => {
  test('really finds an insecure window (offline), so a clean run means something', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fk-eneg-canary-'));
    try {
      await mkdir(join(dir, 'electron'));
      await writeFile(
        join(dir, 'electron', 'main.ts'),
        [
          "import { BrowserWindow, shell } from 'electron';",
          'const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });',
          'w.webContents.on("new-window", (e: any, url: string) => shell.openExternal(url));',
        ].join('\n'),
      );
      const checks = new Set((await runElectronegativity(dir)).map((f) => f.check));
      for (const check of [
        'CONTEXT_ISOLATION_JS_CHECK',
        'SANDBOX_JS_CHECK',
        'OPEN_EXTERNAL_JS_CHECK',
        'LIMIT_NAVIGATION_GLOBAL_CHECK',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      ]) {
        assert.ok(checks.has(check), `expected ${check} among ${[...checks].join(', ')}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('only findings matching check and file of an allowlist entry pass', () => {
    const findings: Finding[] = [
      { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/shell/external-links.ts', line: 35, message: '' },
      { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main.ts', line: 3, message: '' },
      { check: 'NODE_INTEGRATION_JS_CHECK', file: 'electron/shell/external-links.ts', line: 1, message: '' },
    ];
    const allowlist = [
      { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/shell/external-links.ts', reason: 'x'.repeat(30) },
      { check: 'CSP_GLOBAL_CHECK', file: 'renderer/index.html', reason: 'x'.repeat(30) },
    ];
    const verdict = judgeFindings(findings, allowlist);
    assert.deepEqual(
      verdict.unjustified.map((f) => `${f.check} ${f.file}`),
      ['OPEN_EXTERNAL_JS_CHECK electron/main.ts', 'NODE_INTEGRATION_JS_CHECK electron/shell/external-links.ts'],
    );
    assert.equal(verdict.justified.length, 1);
    assert.deepEqual(
      verdict.unused.map((a) => a.check),
      ['CSP_GLOBAL_CHECK'],
    );
  });

  test('allowlist entries need a check, a file and a real reason', async () => {
    assert.throws(() => parseAllowlist('{}'), /JSON array/);
    assert.throws(() => parseAllowlist('[{"check":"X","reason":"long enough reason text here"}]'), /"file"/);
    assert.throws(() => parseAllowlist('[{"check":"X","file":"a.ts","reason":"ok"}]'), /real "reason"/);
    const committed = parseAllowlist(
      await readFile(new URL('../../../build/electronegativity-allowlist.json', import.meta.url), 'utf8'),
    );
    assert.ok(committed.length <= 3, 'the committed allowlist stays tiny');
  });
});
