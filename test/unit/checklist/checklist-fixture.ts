// A realistic site for the checklist tests: phones discovered by a scan, the technician's sheet, a generated
// configuration following the OSV profile, and the credentials it needs (in memory).
import { join } from 'node:path';
import { generate, parsePhoneEntries, parseSiteSettings, type SiteSettingsInput } from '../../../electron/core/config';
import { saveGenerated } from '../../../electron/core/provisioning/generated-store';
import { InventoryStore } from '../../../electron/core/inventory/inventory-store';
import { MemorySecretStore, secretKeys } from '../../../electron/core/secrets/secret-store';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { phoneRecord } from '../inventory/records';
import { tempDir } from '../../helpers/temp-dir';
import { answerItem, checklistStatus, type AnswerInput } from '../../../electron/core/checklist/checklist-runs';

export const PHONES = [
  {
    mac: '00:08:5D:1A:2B:3C',
    model: '6867i',
    dn: '2108189795',
    name: 'Anna Schmidt',
    ip: '198.18.0.21',
    firmware: '6.5.0.224',
  },
  {
    mac: '00:08:5D:1A:2B:3D',
    model: '6867i',
    dn: '2108189796',
    name: 'Reception',
    ip: '198.18.0.22',
    firmware: '6.5.0.224',
  },
  {
    mac: '00:10:BC:00:00:01',
    model: '6865i',
    dn: '2108189797',
    name: 'Store room',
    ip: '198.18.0.23',
    firmware: '6.5.0.224',
  },
] as const;

export const settingsInput: SiteSettingsInput = {
  siteName: 'Musterwerk Halle 3',
  osv: { proxy: { host: '198.18.0.10' }, trustedCaFile: 'osv-root-ca.pem', srtp: 'required' },
  ntp: { server1: '198.18.0.1' },
  provisioning: { protocol: 'HTTPS', server: 'prov.example.net', path: 'mitel' },
  fieldkitHost: '198.18.0.50',
};

/** Each phone's explicit admin password (instead of the one derived from the site secret) and SIP password. */
export function secretsFor(adminPassword = '3821390517'): MemorySecretStore {
  const store = new MemorySecretStore();
  for (const p of PHONES) {
    void store.set(secretKeys.phoneAdminPassword(p.mac.replace(/:/g, '')), adminPassword);
    void store.set(secretKeys.sipPassword(p.mac.replace(/:/g, '')), `sip-${p.dn}`);
  }
  return store;
}

export async function writeConfig(
  site: SiteWorkspace,
  patch: Partial<SiteSettingsInput> = {},
  dnOverride?: string,
): Promise<void> {
  const settings = parseSiteSettings({ ...settingsInput, ...patch });
  const phones = parsePhoneEntries(
    PHONES.map((p, i) => ({
      mac: p.mac,
      model: p.model,
      directoryNumber: i === 0 && dnOverride ? dnOverride : p.dn,
      displayName: p.name,
    })),
  );
  await saveGenerated(site, generate(settings, phones), '0.1.0');
}

export async function scanPhones(
  site: SiteWorkspace,
  firmware: Partial<Record<string, string>> = {},
  at = '2026-03-01T10:00:00.000Z',
): Promise<void> {
  const records = PHONES.map((p) =>
    phoneRecord({ ip: p.ip, mac: p.mac, model: p.model, firmware: firmware[p.mac] ?? p.firmware, at }),
  );
  await InventoryStore.for(site).applyScan(records, {
    ranges: ['198.18.0.0/24'],
    covers: (ip) => ip !== null && ip.startsWith('198.18.0.'),
    at,
  });
}

export async function importSheet(site: SiteWorkspace): Promise<void> {
  const csv = [
    'MAC;Directory number;Name;Location;Model',
    ...PHONES.map((p) => `${p.mac};${p.dn};${p.name};Hall 3;${p.model}`),
  ].join('\n');
  await InventoryStore.for(site).importSheet(csv, 'phones.csv', new Date('2026-03-01T09:00:00.000Z'));
}

/** A site in `dir` with sheet, scan and configuration; with the defaults every automatic item passes. */
export async function prepareSite(
  dir: string,
  config: Partial<SiteSettingsInput> = {},
  firmware: Partial<Record<string, string>> = {},
): Promise<SiteWorkspace> {
  const site = await SiteWorkspace.create(dir, {
    name: 'Musterwerk Halle 3',
    customer: 'Musterwerk GmbH',
    technician: 'Dana Weber',
    contactPerson: 'Jonas Keller',
  });
  await importSheet(site);
  await scanPhones(site, firmware);
  await writeConfig(site, config);
  return site;
}

/** A site whose automatic items all pass, removed when the test ends. */
export async function healthySite(t: { after(fn: () => Promise<void> | void): void }): Promise<SiteWorkspace> {
  return prepareSite(join(await tempDir(t, 'fk-checklist-'), 'site'));
}

/**
 * Answers every item of the open run that needs the technician: confirmations pass, failing checks become deviations.
 */
export async function answerEverything(site: SiteWorkspace, runId: string, secrets: MemorySecretStore): Promise<void> {
  const status = await checklistStatus(site, { secrets });
  for (const item of status.items) {
    if (item.outcome !== 'open' && item.outcome !== 'fail' && item.outcome !== 'warn') continue;
    const status: AnswerInput['status'] | undefined = item.allowed.includes('noted')
      ? 'noted'
      : item.allowed.includes('pass')
        ? 'pass'
        : item.allowed.includes('deviation')
          ? 'deviation'
          : undefined;
    if (!status) continue;
    await answerItem(
      site,
      {
        runId,
        itemId: item.id,
        status,
        ...(status === 'deviation'
          ? { reason: `Accepted for ${item.id} until the next maintenance window.`, agreedWith: 'Jonas Keller' }
          : {}),
      },
      { secrets },
    );
  }
}
