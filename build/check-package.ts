// `npm run test:package`: builds, packages `--linux dir` offline with a stand-in Electron binary, and
// checks what a user would receive: app.asar holds main, preload and the built renderer and no tests,
// sources, source maps or dev dependencies; the Electron fuses are flipped as configured.
// `--skip-renderer` bundles only the Electron side and uses the dist/renderer already there.
//
// The stand-in binary carries a fuse wire (sentinel + Electron's default states) so that electron-builder's
// electronFuses step runs for real here instead of failing with "Could not find sentinel"; the check then
// reads the wire back and proves every configured fuse was flipped.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RELEASE_DIR = join(ROOT, 'release', 'linux-unpacked');
const requireHere = createRequire(import.meta.url);

export const REQUIRED_FILES = [
  '/package.json',
  '/dist-electron/main.cjs',
  '/dist-electron/preload.cjs',
  '/dist/renderer/index.html',
];

/** What must never ship, whatever the file list says. */
export function packagingProblems(paths: readonly string[], devDependencies: readonly string[]): string[] {
  const problems: string[] = [];
  const present = new Set(paths);
  for (const file of REQUIRED_FILES) if (!present.has(file)) problems.push(`missing ${file}`);
  const offending = (label: string, test: (p: string) => boolean) => {
    const hits = paths.filter(test);
    if (hits.length > 0)
      problems.push(`${label}: ${hits.slice(0, 5).join(', ')}${hits.length > 5 ? ` and ${hits.length - 5} more` : ''}`);
  };
  offending('test files', (p) => /^\/(test|tests|e2e)(\/|$)/.test(p) || /\.(test|spec)\.[cm]?[jt]s$/.test(p));
  offending('source folders', (p) => /^\/(electron|renderer|build|bin|\.ci)(\/|$)/.test(p));
  offending('TypeScript sources', (p) => /\.(ts|tsx|mts|cts)$/.test(p) && !/\.d\.[cm]?ts$/.test(p));
  offending('Svelte sources', (p) => p.endsWith('.svelte'));
  offending('source maps', (p) => p.endsWith('.map'));
  for (const dep of devDependencies)
    offending(`dev dependency ${dep}`, (p) => p === `/node_modules/${dep}` || p.startsWith(`/node_modules/${dep}/`));
  return problems;
}

// @electron/fuses FuseV1Options order and byte values ('0' off, '1' on).
const FUSE_NAMES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
const ELECTRON_DEFAULT_WIRE = '10110001';
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
export const EXPECTED_FUSES: Record<string, boolean> = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};

/** Differences between the fuse wire found in a binary and EXPECTED_FUSES. */
export function fuseProblems(wire: Record<string, unknown>): string[] {
  return Object.entries(EXPECTED_FUSES).flatMap(([name, expected]) => {
    const state = wire[String(FUSE_NAMES.indexOf(name as (typeof FUSE_NAMES)[number]))];
    const want = expected ? 49 : 48;
    return state === want
      ? []
      : [
          `fuse ${name} is ${state === 49 ? 'on' : state === 48 ? 'off' : String(state)}, expected ${expected ? 'on' : 'off'}`,
        ];
  });
}

/** A stand-in for the Electron folder: a shell script that carries a version-1 fuse wire in Electron's defaults. */
async function standInElectron(dir: string): Promise<string> {
  await mkdir(join(dir, 'resources'), { recursive: true });
  const binary = join(dir, 'electron');
  await writeFile(binary, `#!/bin/sh\n# ${FUSE_SENTINEL}\u0001\u0008${ELECTRON_DEFAULT_WIRE}\nexit 0\n`, 'latin1');
  await chmod(binary, 0o755);
  return dir;
}

function run(label: string, command: string, args: string[]): number {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    timeout: 600_000,
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`${label} failed (exit ${result.status ?? result.signal})`);
  }
  return Date.now() - started;
}

async function main(): Promise<number> {
  const skipRenderer = process.argv.includes('--skip-renderer');
  const timings: string[] = [];
  timings.push(`build ${run('build', 'npm', ['run', skipRenderer ? 'build:electron' : 'build'])} ms`);

  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const electronVersion = (requireHere('electron/package.json') as { version: string }).version;
  const temp = await mkdtemp(join(tmpdir(), 'fk-package-'));
  try {
    const fake = await standInElectron(join(temp, 'electron-dist'));
    await rm(RELEASE_DIR, { recursive: true, force: true });
    timings.push(
      `electron-builder ${run('electron-builder', 'npx', [
        'electron-builder',
        '-c',
        'build/electron-builder.yml',
        '--linux',
        'dir',
        '--publish',
        'never',
        `-c.electronDist=${fake}`,
        `-c.electronVersion=${electronVersion}`,
      ])} ms`,
    );
  } finally {
    await rm(temp, { recursive: true, force: true });
  }

  const asar = requireHere('@electron/asar') as { listPackage(path: string, options: object): string[] };
  const { getCurrentFuseWire } = requireHere('@electron/fuses') as {
    getCurrentFuseWire(path: string): Promise<Record<string, unknown>>;
  };
  const archive = join(RELEASE_DIR, 'resources', 'app.asar');
  const paths = asar.listPackage(archive, {}).map((p) => p.replaceAll('\\', '/'));
  const problems = [
    ...packagingProblems(paths, Object.keys(pkg.devDependencies ?? {})),
    ...fuseProblems(await getCurrentFuseWire(join(RELEASE_DIR, 'fieldkit'))),
  ];
  const appFiles = paths.filter((p) => !p.startsWith('/node_modules'));
  const modules = new Set(
    paths
      .filter((p) => /^\/node_modules\/(@[^/]+\/)?[^@/][^/]*/.test(p))
      .map((p) =>
        p
          .split('/')
          .slice(2, p.startsWith('/node_modules/@') ? 4 : 3)
          .join('/'),
      ),
  );
  console.log(`app.asar: ${paths.length} entries; app files: ${appFiles.filter((p) => /\.\w+$/.test(p)).join(', ')}`);
  console.log(`production modules (${modules.size}): ${[...modules].sort().join(' ')}`);
  console.log(
    `fuses: ${Object.entries(EXPECTED_FUSES)
      .map(([k, v]) => `${k}=${v ? 'on' : 'off'}`)
      .join(' ')}`,
  );
  console.log(`timings: ${timings.join(', ')}`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`PROBLEM  ${p}`);
    console.error(`package check: FAILED (${problems.length} problem(s))`);
    return 1;
  }
  console.log('package check: passed');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`package check: ERROR ${(e as Error)?.message ?? e}`);
      process.exit(1);
    },
  );
}
