// Loads renderer modules written with Svelte runes (`*.svelte.ts`) in Node's test runner.
import { register } from 'node:module';

let registered = false;

export async function importRunes<T>(url: URL): Promise<T> {
  if (!registered) {
    register('./svelte-hooks.mjs', import.meta.url);
    registered = true;
  }
  return (await import(url.href)) as T;
}
