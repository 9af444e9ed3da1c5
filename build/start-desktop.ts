// `npm start`: builds Fieldkit and runs the desktop app. The Electron runtime is downloaded once, the first
// time (it needs internet then). When it is missing and cannot be had, this ends in one sentence a technician
// can act on, not a stack trace: the browser host (`npm run dev:web`) opens the same app now.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ELECTRON_INSTALL_SCRIPT, electronBinary } from './electron-runtime';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const RUNTIME_MISSING =
  "Fieldkit's desktop runtime (Electron) is not installed and downloading it needs internet once, so connect and run npm start again; until then, npm run dev:web opens the same app in your browser.";

/** Downloads the runtime like the electron package's first run; quiet, true when the binary is there after. */
function download(): boolean {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') return false;
  console.log('Downloading the Electron runtime (once; about 100 MB)…');
  const result = spawnSync(process.execPath, [ELECTRON_INSTALL_SCRIPT], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'ignore'],
    timeout: 30 * 60_000,
  });
  return result.status === 0 && electronBinary() !== null;
}

function main(): void {
  const binary = electronBinary() ?? (download() ? electronBinary() : null);
  if (!binary) {
    console.error(RUNTIME_MISSING);
    process.exitCode = 1;
    return;
  }
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    process.exitCode = build.status ?? 1;
    return;
  }
  const app = spawn(binary, ['.', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.kill(signal));
  app.on('exit', (code, signal) => (process.exitCode = code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
