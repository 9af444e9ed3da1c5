// `npm run demo`: a lab of 24 simulated phones on loopback and Fieldkit in the browser, pointed at each
// other, so a newcomer sees Fieldkit do its job in one command. Nothing leaves the machine: the phones
// live on 127.77.0.x, the built-in provisioning server and the app on 127.0.0.1, mDNS stays on loopback.
// Options: --port N (browser host port, default random), --keep (keep the demo site folder afterwards).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { FieldkitApp } from '../../electron/app/fieldkit-app';
import { nodePlatform } from '../../electron/app/node-platform';
import { MemorySecretStore, secretKeys } from '../../electron/core/secrets/secret-store';
import { saveScanSettings } from '../../electron/core/inventory/remembered-scan';
import { startBrowserHost } from '../../electron/host/browser-host';
import { RENDERER_DIR } from '../../electron/host/serve';
import { makeTestCa } from '../helpers/test-ca';
import { startLab } from './lab';
import { parseLabSpec, type LabSpecInput } from './lab-spec';
import { buildFirmwareImage } from './firmware-image';
import type { CallName, CallOutput } from '../../electron/api/contract';

const DEMO_LAB = fileURLToPath(new URL('./labs/demo-24.json', import.meta.url));
const PROVISIONING_PORT = 8667;
/** The admin password Fieldkit gives the phones (numeric, not the factory 22222). */
const DEMO_ADMIN_PASSWORD = '482913';

/** Ports below 1024 need root; without it the demo moves the phones' web UI to 8080/8443. */
function unprivilegedPorts(spec: LabSpecInput): LabSpecInput {
  if (process.getuid?.() === 0) return spec;
  const move = (p: number | null | undefined) => (p === 80 ? 8080 : p === 443 ? 8443 : p);
  return {
    ...spec,
    groups: spec.groups.map((g) => ({
      ...g,
      ...(g.ports
        ? { ports: Object.fromEntries(Object.entries(g.ports).map(([k, v]) => [k, move(v as number | null)])) }
        : {}),
    })) as LabSpecInput['groups'],
  };
}

async function main() {
  const { values } = parseArgs({ options: { port: { type: 'string' }, keep: { type: 'boolean' } } });
  const root = await mkdtemp(join(tmpdir(), 'fieldkit-demo-'));
  const spec = parseLabSpec(unprivilegedPorts(JSON.parse(await readFile(DEMO_LAB, 'utf8'))), DEMO_LAB);
  const webPorts = process.getuid?.() === 0 ? { http: [80], https: [443] } : { http: [8080], https: [8443] };

  const secrets = new MemorySecretStore({ [secretKeys.adminPassword()]: DEMO_ADMIN_PASSWORD });
  const app = new FieldkitApp(
    nodePlatform({
      appDataDir: join(root, 'data'),
      defaultSitesRoot: join(root, 'sites'),
      secrets,
      mdnsInterface: '127.0.0.1',
    }),
  );
  const call = async <N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>> => {
    const r = await app.dispatch(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as CallOutput<N>;
  };

  await call('site.create', {
    dir: join(root, 'sites', 'demo'),
    name: 'Demo: head office (simulated phones)',
    customer: 'Example Logistics GmbH',
    technician: 'Demo technician',
    contactPerson: 'Ms. Example (IT)',
    notes: 'A lab of simulated Mitel 6867i/6865i phones on 127.77.0.x. Nothing here touches a real network.',
  });
  const server = await call('provisioning.server.start', { config: { address: '127.0.0.1', port: PROVISIONING_PORT } });
  // the lab's DHCP option 66 names the built-in server as it serves: under its random key
  const lab = await startLab(spec, { mode: 'loopback', provisioningUrl: server.url });
  await call('ca.import', { pem: (await makeTestCa({ name: 'Demo customer CA' })).certPem });

  const site = app.currentSite();
  const addresses = lab.devices.map((d) => d.address);
  await saveScanSettings(site, {
    ranges: [`${addresses[0]}-${addresses.at(-1)}`],
    sipPorts: [5060],
    httpPorts: webPorts.http,
    httpsPorts: webPorts.https,
    onlyListedPorts: true,
  });
  await call('config.settings.save', {
    settings: {
      siteName: site.meta.name,
      osv: { proxy: { host: '127.0.0.10', port: 5061 }, trustedCaFile: 'osv-ca.pem' },
      ntp: { server1: '127.0.0.11' },
      provisioning: { protocol: 'HTTP', server: '127.0.0.1', port: PROVISIONING_PORT },
      fieldkitHost: '127.0.0.1',
    },
  });
  // The technician's sheet: directory numbers and names for the 20 phones of the lab.
  const rows = lab.phones.map(
    (p, i) =>
      `${p.mac};${2108189700 + i};${p.model === '6867i' ? 'Desk' : 'Counter'} ${i + 1};Floor ${1 + (i % 3)};${p.model}`,
  );
  await call('inventory.importCsv', {
    text: ['MAC;Directory number;Display name;Location;Model', ...rows].join('\n'),
    fileName: 'demo-sheet.csv',
  });
  for (const [i, p] of lab.phones.entries())
    await secrets.set(secretKeys.sipPassword(p.mac.replace(/[^0-9A-Fa-f]/g, '').toUpperCase()), `demo-sip-${1000 + i}`);

  // Firmware "downloaded from the partner portal": simulator images a technician can fall back or upgrade to.
  for (const [model, version] of [
    ['6867i', '6.5.0.224'],
    ['6867i', '6.4.0.140'],
    ['6865i', '6.5.0.224'],
    ['6865i', '6.4.0.140'],
  ] as const) {
    const dir = join(root, 'downloads', `${model}-${version}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${model}.st`), buildFirmwareImage({ model, version }));
    await call('firmware.import', { path: join(dir, `${model}.st`), model, version, confirmVersion: true });
  }

  const host = await startBrowserHost({
    dispatch: app.dispatch,
    events: app.events,
    staticDir: RENDERER_DIR,
    port: values.port ? Number(values.port) : 0,
  });
  console.log(
    [
      '',
      `Fieldkit demo: ${lab.devices.length} simulated devices (${lab.phones.length} Mitel 6867i/6865i) on ${addresses[0]} … ${addresses.at(-1)}`,
      `Built-in provisioning server: ${server.running ? server.url : `not running (${server.problem ?? 'unknown reason'})`}`,
      `Demo site folder: ${site.root}`,
      '',
      'Open this address in a browser on this computer:',
      '',
      `  ${host.url}`,
      '',
      'Try: Inventory → Scan (the lab range is filled in), Provisioning → Generate, preview, publish, reboot, verify,',
      'Firmware → plan a fallback to 6.4.0.140 or an upgrade to 6.5.0.224 (both in the library),',
      'Checklist → walk it and create the customer report.',
      'Press Ctrl+C to stop; the lab and the demo folder are removed (keep the folder with --keep).',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.shutdown();
    await host.close();
    await lab.stop();
    if (!values.keep) await rm(root, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`The demo could not start: ${(e as Error).message}`);
  process.exit(1);
});
