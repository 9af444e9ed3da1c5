// Bundles the `fieldkit` CLI into dist-electron/cli/ (ESM) so that `npx fieldkit` starts plain JavaScript
// instead of compiling TypeScript at every start. What a start costs was measured with node --cpu-prof:
// compiling the bundle, building the contract's zod schemas, and initialising ssh2 (its crypto) and the mDNS
// stack. So:
// - --version and --help load only the entry chunk: the app is a separate chunk imported when a command runs;
// - ssh2-sftp-client and bonjour-service stay out of the bundle and load from node_modules when first
//   constructed (a command that never connects over SFTP or browses mDNS never loads them);
// - zod's messages are bundled in English only (its other locales are half of its code);
// - native add-ons and playwright-core are never bundled (their callers fall back or load them on demand).
// Also writes dist-electron/cli/inputs.json, the source files the bundle was made from: bin/fieldkit.js uses
// the bundle only while none of them is newer, so an edited checkout never runs stale code.
// `npm run build:cli`; run by `npm install` / `npm ci` (prepare) and by `npm run build`.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI_DIR = join(ROOT, 'dist-electron', 'cli');
const CLI_INPUTS = join(CLI_DIR, 'inputs.json');

/**
 * Packages whose one export is a class, loaded when the first instance is made. `vendored`: bundled into one
 * minified CommonJS file of its own (dist-electron/cli/vendor/), loaded from there (else from node_modules).
 * ssh2 is about 40 files: a profile of \`fieldkit push\` showed ~150 ms of the first connection spent resolving,
 * reading and compiling them one by one.
 */
const LOAD_ON_FIRST_USE: Record<string, { export: string; vendored?: boolean }> = {
  'ssh2-sftp-client': { export: 'default', vendored: true },
  'bonjour-service': { export: 'Bonjour' },
};
const VENDOR_DIR = join(CLI_DIR, 'vendor');

const loadOnFirstUse: Plugin = {
  name: 'load-on-first-use',
  setup(b) {
    const names = Object.keys(LOAD_ON_FIRST_USE).map((n) => n.replace(/[-/]/g, '\\$&'));
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'load-on-first-use',
    }));
    b.onLoad({ filter: /.*/, namespace: 'load-on-first-use' }, (args) => {
      const name = args.path;
      const { export: exported, vendored } = LOAD_ON_FIRST_USE[name]!;
      const pick = exported === 'default' ? '(m.default ?? m)' : `m.${exported}`;
      // the chunk that holds this code is in dist-electron/cli/ or in its chunks/ folder
      const vendorFile = `vendor/${name}.cjs`;
      const requireIt = vendored
        ? [
            'const r = createRequire(import.meta.url);',
            `const vendor = new URL(${JSON.stringify(vendorFile)}, new URL(import.meta.url.includes('/chunks/') ? '../' : './', import.meta.url));`,
            `const m = (() => { try { return r(fileURLToPath(vendor)); } catch { return r(${JSON.stringify(name)}); } })();`,
          ]
        : [`const m = createRequire(import.meta.url)(${JSON.stringify(name)});`];
      return {
        loader: 'js',
        contents: [
          "import { createRequire } from 'node:module';",
          "import { fileURLToPath } from 'node:url';",
          `let loaded;`,
          `const load = () => (loaded ??= (() => { ${requireIt.join(' ')} return ${pick}; })());`,
          // A constructor that returns an object makes `new` give that object: the real instance.
          `const Lazy = function (...args) { return new (load())(...args); };`,
          exported === 'default' ? 'export default Lazy;' : `export { Lazy as ${exported} };`,
        ].join('\n'),
      };
    });
  },
};

/** zod's messages in English only: its other 60 locales are half of its code, and Fieldkit never selects one. */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(args.resolveDir, '..', 'locales', 'index.js'), namespace: 'zod-english-only' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      loader: 'js',
      resolveDir: join(args.path, '..'),
      contents: "export { default as en } from './en.js';\n",
    }));
  },
};

const nativeAddonsExternal: Plugin = {
  name: 'native-addons-external',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (args) => ({ path: args.path, external: true }));
  },
};

export const cliOptions: BuildOptions = {
  entryPoints: { fieldkit: join(ROOT, 'build', 'cli-entry.ts') },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: ['node20'],
  outdir: CLI_DIR,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  external: ['electron', 'cpu-features', 'bufferutil', 'utf-8-validate', 'playwright-core'],
  plugins: [loadOnFirstUse, zodEnglishOnly, nativeAddonsExternal],
  // Bundled CommonJS packages expect require, __filename and __dirname.
  banner: {
    js: [
      "import { createRequire as __fkRequire } from 'node:module';",
      "import { fileURLToPath as __fkPath } from 'node:url';",
      "import { dirname as __fkDirname } from 'node:path';",
      'const require = __fkRequire(import.meta.url);',
      'const __filename = __fkPath(import.meta.url);',
      'const __dirname = __fkDirname(__filename);',
    ].join(' '),
  },
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

/** One minified CommonJS file per vendored package (see LOAD_ON_FIRST_USE). */
function vendorOptions(name: string): BuildOptions {
  return {
    entryPoints: { [name]: createRequire(import.meta.url).resolve(name) },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: ['node20'],
    outdir: VENDOR_DIR,
    outExtension: { '.js': '.cjs' },
    // ssh2 tries its optional native parts in try/catch and falls back to Node's crypto without them
    external: ['cpu-features'],
    plugins: [nativeAddonsExternal],
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  };
}

/** Builds the bundle and its list of inputs; returns the size of every output in bytes. */
export async function bundleCli(): Promise<Record<string, number>> {
  await rm(CLI_DIR, { recursive: true, force: true });
  const vendored = await Promise.all(
    Object.entries(LOAD_ON_FIRST_USE)
      .filter(([, v]) => v.vendored)
      .map(([name]) => build(vendorOptions(name))),
  );
  const result = await build(cliOptions);
  const inputs = Object.keys(result.metafile!.inputs)
    .filter((p) => !p.includes('node_modules/') && !p.includes(':'))
    .map((p) => relative(ROOT, join(ROOT, p)))
    .sort();
  await mkdir(CLI_DIR, { recursive: true });
  await writeFile(CLI_INPUTS, `${JSON.stringify({ inputs: [...inputs, 'package.json'] }, null, 2)}\n`);
  return Object.fromEntries(
    [result, ...vendored]
      .flatMap((r) => Object.entries(r.metafile!.outputs))
      .map(([path, out]) => [relative(ROOT, join(ROOT, path)), out.bytes]),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const outputs = await bundleCli();
  for (const [path, bytes] of Object.entries(outputs)) console.log(`${path}  ${(bytes / 1024).toFixed(1)} KiB`);
  console.log(`CLI bundle built in ${Date.now() - started} ms`);
}
