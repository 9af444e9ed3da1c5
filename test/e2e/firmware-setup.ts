// What the firmware specs set up through the contract, as the page calls it: a published site the runs can use.
import { testCa } from '../helpers/test-ca';
import { HTTP_CALL_PREFIX, TOKEN_HEADER } from '../../electron/api/transport';
import { SiteWorkspace } from '../../electron/core/workspace/site-workspace';
import { DEVICES_FILE, DevicesFileSchema } from '../../electron/core/inventory/inventory-files';
import { deviceFor } from '../integration/firmware/fixture';
import type { HostHandle } from './fixtures';

export const ADMIN = '4711';
/** The built-in server's random path key, fixed so the lab's phones can be given their URL before it starts. */
export const PATH_KEY = 'E2eFirmwareKey000000001';

/** The contract over the host's HTTP API, as the page calls it (for the set-up the firmware view needs). */
export async function api(host: HostHandle, name: string, input: unknown): Promise<unknown> {
  const url = new URL(host.url);
  const res = await fetch(`${url.origin}${HTTP_CALL_PREFIX}${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: url.searchParams.get('token')! },
    body: JSON.stringify(input),
  });
  const r = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!r.ok) throw new Error(`${name}: ${r.error?.message}`);
  return r.value;
}

/**
 * What a technician does before a firmware run: settings, credentials, sheet, generate, publish to the built-in
 * server. A run refuses to stage without the phones' configuration at home (pre-flight).
 */
export async function publishSite(host: HostHandle, macs: string[], port: number): Promise<void> {
  await prepareSite(host, macs, port);
  await publishBuiltin(host);
}

/** Settings, credentials, sheet, generated files and the built-in server running, with nothing published yet. */
export async function prepareSite(host: HostHandle, macs: string[], port: number): Promise<void> {
  await api(host, 'config.settings.save', {
    settings: {
      osv: { proxy: { host: '10.20.30.40' }, trustedCaFile: 'ca.pem' },
      ntp: { server1: '10.20.30.1' },
      provisioning: { protocol: 'HTTP', server: '127.0.0.1', port, path: 'prov' },
    },
  });
  await api(host, 'credentials.set', { key: 'phone-admin-password', value: ADMIN });
  await api(host, 'ca.import', { pem: (await testCa()).certPem }); // TLS (the default) needs the customer's CA
  for (const mac of macs) await api(host, 'credentials.set', { key: `sip-password:${mac}`, value: `Sip-${mac}` });
  await api(host, 'inventory.importCsv', { text: ['MAC,DN', ...macs.map((m, i) => `${m},${4200 + i}`)].join('\n') });
  await api(host, 'config.generate', {});
  await api(host, 'provisioning.server.start', {
    config: { address: '127.0.0.1', port, pathPrefix: 'prov', pathKey: PATH_KEY },
  });
}

/** Publishes the generated set to the built-in server and waits for the publish job. */
export async function publishBuiltin(host: HostHandle): Promise<void> {
  const preview = (await api(host, 'provisioning.preview', { targetId: 'builtin' })) as { token: string };
  const job = (await api(host, 'jobs.start', {
    kind: 'publish',
    params: { targetId: 'builtin', previewToken: preview.token },
  })) as { id: string };
  for (let i = 0; i < 200; i++) {
    const jobs = (await api(host, 'jobs.list', {})) as { id: string; state: string; error?: string }[];
    const state = jobs.find((j) => j.id === job.id);
    if (state?.state === 'succeeded') return;
    if (state && state.state !== 'running') throw new Error(`publish ${state.state}: ${state.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('publish did not finish');
}

/** Writes the site's inventory as if a scan had read these phones at `at` (now by default). */
export async function seedInventory(
  siteDir: string,
  phones: readonly Parameters<typeof deviceFor>[0][],
  at = new Date().toISOString(),
): Promise<SiteWorkspace> {
  const site = await SiteWorkspace.open(siteDir);
  await site.writeJson(DEVICES_FILE, DevicesFileSchema, {
    format: 'fieldkit-inventory',
    formatVersion: 1,
    updatedAt: at,
    devices: phones.map((p) => deviceFor(p, at)),
  });
  return site;
}
