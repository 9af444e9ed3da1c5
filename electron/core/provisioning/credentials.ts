// Credentials as the technician manages them: what may be stored under which name (checked before it is
// stored, never echoed), and which are set for the site and each phone (never their values).
import { checkParameter } from '../config';
import { FieldkitError } from '../util/errors';
import {
  checkEnteredSiteSecret,
  isPhonePassword,
  siteSecrets,
  FACTORY_ADMIN_PASSWORD,
  type SiteSecrets,
} from '../secrets/admin-passwords';
import { parseSecretKey, secretKeys, type SecretKey } from '../secrets/secret-key';
import { rememberedLogin, type LoginSource } from '../secrets/web-logins';
import { loadManifest } from './generated-store';
import { loadSiteSettings } from './provisioning-settings-file';
import { loadSitePhones } from './site-phones';
import type { MissingCredential } from './config-generation';
import type { SecretStore } from '../secrets/secret-store';
import type { SiteWorkspace } from '../workspace/site-workspace';

const CONTROL = /[\u0000-\u001F\u007F\u0085\u2028\u2029]/;

/** Refuses a value the phones (or Fieldkit) could not use, naming why without echoing it. */
export function checkCredential(key: SecretKey, value: string): void {
  const parsed = parseSecretKey(key);
  const kind = 'error' in parsed ? '' : parsed.kind;
  const refuse = (why: string) => {
    throw new FieldkitError('invalid-input', why);
  };
  switch (kind) {
    case 'phone-admin-password':
      if (parsed && 'id' in parsed && parsed.id !== null) {
        // the password Fieldkit writes on one phone
        const problems = checkParameter('admin password', value, { osvProfile: true }).filter(
          (f) => f.severity === 'error',
        );
        if (problems.length > 0)
          refuse(`The admin password cannot be used: ${problems.map((p) => `${p.message} ${p.fix}`).join(' ')}`);
        return;
      }
      // the site-wide password the phones have now: any value the phones accept, 22222 included
      if (!isPhonePassword(value))
        refuse(
          'A phone admin password is an integer from 0 to 4294967295 (digits only): the phones accept nothing else, so this cannot be what they have now.',
        );
      if (value === FACTORY_ADMIN_PASSWORD)
        refuse(
          '22222 is the factory default: Fieldkit tries it by itself on first contact, so there is no need to store it.',
        );
      return;
    case 'phone-current-admin-password':
      if (!isPhonePassword(value))
        refuse(
          'A phone admin password is an integer from 0 to 4294967295 (digits only): the phones accept nothing else, so this cannot be what the phone has now.',
        );
      return;
    case 'admin-secret': {
      const problem = checkEnteredSiteSecret(value);
      if (problem) refuse(problem);
      return;
    }
    case 'sip-password':
    case 'ftp-password':
      if (CONTROL.test(value)) refuse('The password must not contain line breaks or control characters.');
      return;
    default:
      return;
  }
}

export interface PhoneCredentialState {
  mac: string;
  directoryNumber: string;
  sipPassword: boolean;
  ownAdminPassword: boolean;
  adminPassword: boolean;
  adminSource: 'explicit' | 'derived' | 'missing';
  currentAdminPassword: boolean;
  lastLogin: LoginSource | null;
}

export interface CredentialStatus {
  keys: SecretKey[];
  adminPassword: boolean;
  siteSecret: { key: string; stored: boolean };
  phones: PhoneCredentialState[];
  missing: MissingCredential[];
}

/** The credential store as this site sees it: derived admin passwords, except for "own admin password" phones. */
export async function siteCredentialView(site: SiteWorkspace, store: SecretStore): Promise<SiteSecrets> {
  const { phones } = await loadSiteSettings(site).catch(() => ({
    phones: {} as Record<string, { ownAdminPassword: boolean }>,
  }));
  return siteSecrets(store, site.meta.id).withExplicitAdmin(
    Object.entries(phones)
      .filter(([, p]) => p.ownAdminPassword)
      .map(([mac]) => mac),
  );
}

/**
 * The admin password a phone has once it took its configuration: its explicit one, else the one derived from the
 * site secret (never for an "own admin password" phone); undefined when there is none yet. Nothing is made here.
 */
export async function provisionedAdminPassword(view: SiteSecrets, mac12: string): Promise<string | undefined> {
  const mac = mac12.toUpperCase();
  if ((await view.adminSource(mac)) === 'missing') return undefined;
  const value = await view.get(secretKeys.phoneAdminPassword(mac));
  return value === '' ? undefined : value;
}

export async function credentialStatus(site: SiteWorkspace, store: SecretStore): Promise<CredentialStatus> {
  const secrets = await siteCredentialView(site, store);
  const keys = new Set(await store.list());
  const has = async (key: SecretKey) => keys.has(key) || ((await store.get(key)) ?? '') !== '';
  const { phones: perPhone } = await loadSiteSettings(site);
  const phones: PhoneCredentialState[] = [];
  for (const p of (await loadSitePhones(site)).filter((x) => x.inSheet)) {
    const own = perPhone[p.mac]?.ownAdminPassword ?? false;
    const source = await secrets.adminSource(p.mac);
    phones.push({
      mac: p.mac,
      directoryNumber: p.directoryNumber,
      sipPassword: await has(secretKeys.sipPassword(p.mac)),
      ownAdminPassword: own,
      adminPassword: own ? source === 'explicit' : source !== 'missing',
      adminSource: source,
      currentAdminPassword: await has(secretKeys.phoneCurrentAdminPassword(p.mac)),
      lastLogin: rememberedLogin(secrets, p.mac) ?? null,
    });
  }
  const missing: MissingCredential[] = [];
  const manifest = await loadManifest(site);
  const seen = new Set<string>();
  for (const file of manifest?.files ?? []) {
    for (const ref of file.secretRefs) {
      if (seen.has(ref.key)) continue;
      seen.add(ref.key);
      const value = await secrets.get(ref.key);
      if (value === undefined || value === '')
        missing.push({
          key: ref.key,
          ...(file.mac && ref.key.includes(':') ? { mac: file.mac } : {}),
          what: ref.missing,
        });
    }
  }
  const secretKey = secretKeys.adminSecret(site.meta.id);
  return {
    keys: [...keys].sort(),
    adminPassword: await has(secretKeys.adminPassword()),
    siteSecret: { key: secretKey, stored: ((await store.get(secretKey)) ?? '') !== '' },
    phones,
    missing,
  };
}
