// Playwright global set-up: the browser host serves the built renderer (dist/renderer), so a spec run after editing
// the UI or the contract would test the previous build and pass against code that no longer exists. Rebuild first
// when any source the renderer bundles is newer than the build.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What the renderer bundle is made of: its own sources and the contract with the core schemas it imports. */
const SOURCES = ['renderer', 'electron/api', 'electron/core'];
const BUILT = join(ROOT, 'dist/renderer/index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(BUILT).mtimeMs;
  } catch {
    return 0;
  }
}

export default function freshRenderer(): void {
  const sources = Math.max(...SOURCES.map((dir) => newestMtime(join(ROOT, dir))));
  if (sources <= builtAt()) return;
  process.stdout.write('The renderer build is older than its sources: rebuilding it before the end-to-end tests.\n');
  execFileSync('npm', ['run', '--silent', 'build:renderer'], { cwd: ROOT, stdio: 'inherit' });
}
