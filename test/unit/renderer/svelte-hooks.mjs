// Node module hooks for the renderer's unit tests: a `.svelte.ts` module (a state class with runes) is turned into
// plain JavaScript by esbuild, then compiled by Svelte's own compiler, as Vite does for the app.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.svelte.ts')) return nextLoad(url, context);
  const [{ transform }, { compileModule }] = await Promise.all([import('esbuild'), import('svelte/compiler')]);
  const filename = fileURLToPath(url);
  const ts = await readFile(filename, 'utf8');
  const js = (await transform(ts, { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: filename })).code;
  const compiled = compileModule(js, { filename, generate: 'client', dev: false });
  return { format: 'module', source: compiled.js.code, shortCircuit: true };
}
