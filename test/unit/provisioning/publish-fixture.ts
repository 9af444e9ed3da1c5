// A site with a generated configuration for `count` phones and their SIP passwords in a memory store.
import { join } from 'node:path';
import { generate, parsePhoneEntries, parseSiteSettings } from '../../../electron/core/config';
import { saveGenerated } from '../../../electron/core/provisioning/generated-store';
import { MemorySecretStore, secretKeys } from '../../../electron/core/secrets/secret-store';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';

// Ten digits, not a five-digit PIN: the tests search the site's files for every secret, and those files hold
// 64-digit hex digests, in which a five-digit string turns up by chance (CI once found "73519" in a manifest).
export const ADMIN_PASSWORD = '3351986420';

export interface PublishFixture {
  site: SiteWorkspace;
  secrets: MemorySecretStore;
  macs: string[];
  /** Every secret value the site's files must never contain. */
  secretValues: string[];
}

export function fixtureMac(i: number): string {
  return `00085D${(0x100000 + i).toString(16).toUpperCase().padStart(6, '0')}`;
}

export async function siteWithConfigs(
  dir: string,
  count: number,
  provisioning: { server: string; port: number; path: string } = { server: '127.0.0.1', port: 8080, path: 'prov' },
): Promise<PublishFixture> {
  const site = await SiteWorkspace.create(join(dir, 'site'), { name: 'Publish test' });
  const macs = Array.from({ length: count }, (_, i) => fixtureMac(i));
  const settings = parseSiteSettings({
    osv: { proxy: { host: '198.18.0.10', port: 5061 }, trustedCaFile: 'osv-ca.pem' },
    ntp: { server1: '198.18.0.3' },
    provisioning: { protocol: 'HTTP', ...provisioning },
  });
  const phones = parsePhoneEntries(
    macs.map((mac, i) => ({
      mac,
      model: i % 2 ? '6865i' : '6867i',
      directoryNumber: String(2108180000 + i),
      displayName: `Phone ${i}`,
    })),
  );
  await saveGenerated(site, generate(settings, phones), '0.1.0');
  const secrets = new MemorySecretStore();
  const secretValues = [ADMIN_PASSWORD];
  await secrets.set(secretKeys.adminPassword(), ADMIN_PASSWORD);
  for (const [i, mac] of macs.entries()) {
    const value = `SipSecret-${i}-zq${(i * 7919) % 100000}`;
    secretValues.push(value);
    await secrets.set(secretKeys.sipPassword(mac), value);
  }
  return { site, secrets, macs, secretValues };
}

/** Regenerates with a changed display name for the first phone (a real change to publish). */
export async function regenerateWithChange(
  fx: PublishFixture,
  provisioning: { server: string; port: number; path: string } = { server: '127.0.0.1', port: 8080, path: 'prov' },
): Promise<void> {
  const settings = parseSiteSettings({
    osv: { proxy: { host: '198.18.0.10', port: 5061 }, trustedCaFile: 'osv-ca.pem' },
    ntp: { server1: '198.18.0.3' },
    provisioning: { protocol: 'HTTP', ...provisioning },
  });
  const phones = parsePhoneEntries(
    fx.macs.map((mac, i) => ({
      mac,
      model: i % 2 ? '6865i' : '6867i',
      directoryNumber: String(2108180000 + i),
      displayName: i === 0 ? 'Renamed' : `Phone ${i}`,
    })),
  );
  await saveGenerated(fx.site, generate(settings, phones), '0.1.0');
}
