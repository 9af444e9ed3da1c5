// `npm run dev:web`: Fieldkit in a browser, without Electron. Listens on 127.0.0.1 only.
// Options: --port N (default random), --open-site DIR, --data-dir DIR, --sites-dir DIR,
// --mdns-interface ADDR (e.g. 127.0.0.1: keep mDNS on loopback for tests and the demo)
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { FieldkitApp } from '../app/fieldkit-app';
import { nodePlatform } from '../app/node-platform';
import { startBrowserHost } from './browser-host';

export const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'open-site': { type: 'string' },
      'data-dir': { type: 'string' },
      'sites-dir': { type: 'string' },
      'mdns-interface': { type: 'string' },
    },
  });
  const app = new FieldkitApp(
    nodePlatform({
      appDataDir: values['data-dir'],
      defaultSitesRoot: values['sites-dir'],
      mdnsInterface: values['mdns-interface'],
    }),
  );
  if (values['open-site']) await app.openSite(values['open-site']);
  const host = await startBrowserHost({
    dispatch: app.dispatch,
    events: app.events,
    staticDir: RENDERER_DIR,
    port: values.port ? Number(values.port) : 0,
  });
  console.log(
    `Fieldkit is running. Open this address in a browser on this computer:\n\n  ${host.url}\n\nPress Ctrl+C to stop.`,
  );
  const stop = async () => {
    // Jobs get a moment to journal where they are; quitting must never hang on a stuck connection.
    setTimeout(() => process.exit(0), 5000).unref();
    await app.shutdown();
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(`Fieldkit could not start: ${(e as Error).message}`);
    process.exit(1);
  });
}
