// Every "phone-facts §n" in the tree points at a section docs/phone-facts.md has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', 'dist-electron', 'release', 'test-results', '.git']);

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (/\.(ts|svelte|md)$/.test(name)) out.push(path);
  }
  return out;
}

test('every phone-facts citation names an existing section', () => {
  const facts = readFileSync(join(root, 'docs', 'phone-facts.md'), 'utf8');
  const sections = new Set([...facts.matchAll(/^## §(\d+) /gm)].map((m) => Number(m[1])));
  for (const n of [1, 2, 3, 4, 5, 6]) assert.ok(sections.has(n), `§${n} is in docs/phone-facts.md`);
  const wrong: string[] = [];
  let cited = 0;
  for (const file of ['electron', 'test', 'renderer/src', 'docs'].flatMap((d) => files(join(root, d)))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/phone-facts ((?:§\d+[^;()\n"'`]{0,40}?)+)(?=[;()\n"'`]|$)/g)) {
      for (const s of m[1]!.matchAll(/§(\d+)/g)) {
        cited++;
        if (!sections.has(Number(s[1]))) wrong.push(`${file.slice(root.length)}: phone-facts §${s[1]}`);
      }
    }
  }
  assert.ok(cited > 100, `found ${cited} citations`);
  assert.deepEqual(wrong, []);
});
