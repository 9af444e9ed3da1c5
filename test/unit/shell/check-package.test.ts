import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPECTED_FUSES, REQUIRED_FILES, fuseProblems, packagingProblems } from '../../../build/check-package';

const good = [
  ...REQUIRED_FILES,
  '/dist/renderer/assets/index-abc.js',
  '/node_modules/zod/index.d.ts',
  '/node_modules/zod/index.js',
];

test('a clean listing passes', () => {
  assert.deepEqual(packagingProblems(good, ['typescript', 'vite']), []);
});

test('missing bundles, tests, sources, maps and dev dependencies are each reported', () => {
  const problems = packagingProblems(
    [
      '/package.json',
      '/dist/renderer/index.html',
      '/test/unit/a.test.ts',
      '/electron/main.ts',
      '/renderer/src/App.svelte',
      '/dist-electron/main.cjs.map',
      '/node_modules/typescript/lib/tsc.js',
      '/node_modules/@playwright/test/index.js',
    ],
    ['typescript', '@playwright/test', 'vite'],
  );
  const text = problems.join('\n');
  assert.match(text, /missing \/dist-electron\/main\.cjs/);
  assert.match(text, /missing \/dist-electron\/preload\.cjs/);
  assert.match(text, /test files: \/test\/unit\/a\.test\.ts/);
  assert.match(text, /source folders: .*\/electron\/main\.ts/);
  assert.match(text, /TypeScript sources/);
  assert.match(text, /source maps: \/dist-electron\/main\.cjs\.map/);
  assert.match(text, /dev dependency typescript/);
  assert.match(text, /dev dependency @playwright\/test/);
  assert.doesNotMatch(text, /dev dependency vite/);
});

test('fuse wire: expected states pass, Electron defaults fail on every configured fuse', () => {
  const order = [
    'runAsNode',
    'enableCookieEncryption',
    'enableNodeOptionsEnvironmentVariable',
    'enableNodeCliInspectArguments',
    'enableEmbeddedAsarIntegrityValidation',
    'onlyLoadAppFromAsar',
    'loadBrowserProcessSpecificV8Snapshot',
    'grantFileProtocolExtraPrivileges',
  ];
  const flipped: Record<string, unknown> = { version: '1' };
  order.forEach((name, i) => {
    flipped[String(i)] = name in EXPECTED_FUSES ? (EXPECTED_FUSES[name] ? 49 : 48) : 48;
  });
  assert.deepEqual(fuseProblems(flipped), []);
  const defaults: Record<string, unknown> = { version: '1' };
  [...'10110001'].forEach((c, i) => {
    defaults[String(i)] = c.charCodeAt(0);
  });
  // Electron's own defaults (RunAsNode on, cookie encryption off, ...) violate every fuse we configure.
  assert.equal(fuseProblems(defaults).length, Object.keys(EXPECTED_FUSES).length);
});
