// `npm run dev:web`: Fieldkit in the browser with a watch loop. Vite rebuilds the renderer on every change and the
// browser host (the same one as without the loop, token and all) serves the new build; the open page reloads
// itself after each rebuild. Host options pass through, e.g. `npm run dev:web -- --port 5199 --open-site DIR`.
// Changes to electron/ need a restart (Ctrl+C, then run it again).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

process.env.FIELDKIT_LIVE_RELOAD = '1';
const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));
const serve = fileURLToPath(new URL('../electron/host/serve.ts', import.meta.url));

let host: ChildProcess | null = null;
const watcher = await build({ configFile, mode: 'development', logLevel: 'warn', build: { watch: {} } });
if (!('on' in watcher)) throw new Error('vite did not start in watch mode');

watcher.on('event', (event) => {
  if (event.code === 'ERROR') console.error(`Renderer build failed: ${event.error.message}`);
  if (event.code === 'BUNDLE_END' || event.code === 'ERROR') void event.result.close();
  if (event.code !== 'END') return;
  if (host) {
    console.log(`Renderer rebuilt at ${new Date().toLocaleTimeString()}; the page reloads.`);
    return;
  }
  host = spawn(process.execPath, ['--import', 'tsx', serve, ...process.argv.slice(2)], { stdio: 'inherit' });
  host.on('exit', (code) => {
    void watcher.close();
    process.exit(code ?? 0);
  });
});

const stop = () => {
  if (host) host.kill('SIGTERM');
  else process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
