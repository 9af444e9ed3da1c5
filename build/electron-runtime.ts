// Where the Electron runtime (the desktop binary) is, without downloading it: `require('electron')` would
// start a download when the binary is missing, which fails without internet and must never happen in a test.
// Same rules as node_modules/electron/index.js: path.txt names the binary inside dist/, and
// ELECTRON_OVERRIDE_DIST_PATH points at another folder.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ELECTRON_DIR = fileURLToPath(new URL('../node_modules/electron/', import.meta.url));

/** The Electron binary's path, or null when the runtime is not installed. */
export function electronBinary(env: NodeJS.ProcessEnv = process.env, electronDir = ELECTRON_DIR): string | null {
  let name: string | undefined;
  try {
    name = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
  } catch {
    name = undefined;
  }
  const path = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, name || 'electron')
    : name
      ? join(electronDir, 'dist', name)
      : null;
  return path && existsSync(path) ? path : null;
}

/** The script of the electron package that downloads the runtime (what its first run would do). */
export const ELECTRON_INSTALL_SCRIPT = join(ELECTRON_DIR, 'install.js');
