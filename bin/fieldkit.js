#!/usr/bin/env node
// `npx fieldkit …` in a checkout. Runs the bundled CLI (dist-electron/cli/, made by `npm install`/`npm ci`
// through the prepare script, by `npm run build` and by `npm run build:cli`) while it is at least as new as
// every source file it was built from. Otherwise it runs the TypeScript sources through tsx and says so once
// on stderr: an edited or freshly pulled checkout never runs stale code, it only starts slower.
import { readFileSync, statSync } from 'node:fs';
import module from 'node:module';

const root = new URL('../', import.meta.url);
const bundle = new URL('dist-electron/cli/fieldkit.mjs', root);

function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(new URL('dist-electron/cli/inputs.json', root), 'utf8'));
    return inputs.every((path) => statSync(new URL(path, root)).mtimeMs <= built);
  } catch {
    return false;
  }
}

if (bundleIsFresh()) {
  // Node 22.1+ keeps the compiled bundle between runs (about a third of a start); older Node has no such cache.
  module.enableCompileCache?.();
  await import(bundle.href);
} else {
  process.stderr.write(
    'fieldkit: starting from the TypeScript sources (the CLI bundle is missing or older than them; "npm run build:cli" makes it).\n',
  );
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../electron/cli.ts');
  process.exitCode = await main();
}
