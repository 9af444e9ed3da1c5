// Bundles the Electron main process and the preload into dist-electron/ (CommonJS, no source maps).
// `npm run build:electron`. The preload imports only electron/api/transport.ts (no zod, no core code),
// so it stays tiny and sandbox-safe.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { build, type BuildOptions, type OutputFile, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OUT_DIR = join(ROOT, 'dist-electron');

/** Native add-ons and optional native helpers are never bundled; their JS callers fall back when absent. */
const NATIVE_EXTERNALS = ['electron', 'cpu-features', 'bufferutil', 'utf-8-validate'];

const nativeAddonsExternal: Plugin = {
  name: 'native-addons-external',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (args) => ({ path: args.path, external: true }));
  },
};

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: ['node22'],
  sourcemap: false,
  legalComments: 'none',
  external: NATIVE_EXTERNALS,
  logLevel: 'warning',
};

export const mainOptions: BuildOptions = {
  ...common,
  entryPoints: [join(ROOT, 'electron/main.ts')],
  outfile: join(OUT_DIR, 'main.cjs'),
  plugins: [nativeAddonsExternal],
};

export const preloadOptions: BuildOptions = {
  ...common,
  entryPoints: [join(ROOT, 'electron/preload.ts')],
  outfile: join(OUT_DIR, 'preload.cjs'),
};

/** Builds both bundles; with write=false the files are returned instead of written. */
export async function bundleElectron(write = true): Promise<{ main: OutputFile[]; preload: OutputFile[] }> {
  const [main, preload] = await Promise.all([build({ ...mainOptions, write }), build({ ...preloadOptions, write })]);
  return { main: main.outputFiles ?? [], preload: preload.outputFiles ?? [] };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const { main, preload } = await bundleElectron(false);
  await mkdir(OUT_DIR, { recursive: true });
  for (const file of [...main, ...preload]) {
    await writeFile(file.path, file.contents);
    console.log(`${file.path.slice(ROOT.length)}  ${(file.contents.byteLength / 1024).toFixed(1)} KiB`);
  }
  console.log(`electron bundles built in ${Date.now() - started} ms`);
}
