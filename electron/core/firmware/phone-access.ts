// Reading and pointing one phone over its web UI, with the credentials the site holds for it.
import { getConfigurationServer, readSysinfo } from '../phone/web-client';
import { isPhoneError } from '../phone/phone-error';
import { webLoginFor } from '../provisioning/phone-web-access';
import type { ConfigServerSettings, PhoneCredentials, PhoneTarget } from '../phone/web-client';
import type { PhoneError } from '../phone/phone-error';
import type { SecretStore } from '../secrets/secret-store';
import type { LoginSource } from '../secrets/web-logins';
import type { SiteWorkspace } from '../workspace/site-workspace';

export { FACTORY_ADMIN_PASSWORD } from '../secrets/admin-passwords';

export interface FirmwarePhone {
  /** 12 uppercase hex digits. */
  mac: string;
  ip: string;
  httpPort: number | null;
  sipPort: number | null;
}

/** The admin password for the phone's web UI: address checked, candidates tried (provisioning/phone-web-access.ts). */
export async function credentialsFor(
  site: SiteWorkspace,
  secrets: SecretStore,
  phone: FirmwarePhone,
  timeoutMs: number,
  localAddress?: string,
): Promise<(PhoneCredentials & { source: LoginSource }) | { refused: string }> {
  const login = await webLoginFor({ site, secrets, phone, timeoutMs, ...(localAddress ? { localAddress } : {}) });
  return 'refused' in login ? { refused: login.refused } : { password: login.password, source: login.source };
}

export function webTarget(phone: FirmwarePhone, timeoutMs: number, localAddress?: string): PhoneTarget {
  return { host: phone.ip, port: phone.httpPort ?? 80, timeoutMs, ...(localAddress ? { localAddress } : {}) };
}

export interface PhoneReading {
  firmware: string | null;
  model: string | null;
  mac: string | null;
  configServer: ConfigServerSettings;
  /** Other fields of /configurationServer.html, e.g. a firmware server field if a firmware shows one. */
  otherFields: Record<string, string>;
}

/** Version from /sysinfo.html and the configuration server page. Throws PhoneError when unreachable. */
export async function readPhone(
  phone: FirmwarePhone,
  credentials: PhoneCredentials,
  timeoutMs: number,
  localAddress?: string,
): Promise<PhoneReading> {
  const target = webTarget(phone, timeoutMs, localAddress);
  const info = await readSysinfo(target, credentials);
  const cfg = await getConfigurationServer(target, credentials);
  return {
    firmware: info.firmwareVersion,
    model: info.model,
    mac: info.mac,
    configServer: cfg.settings,
    otherFields: cfg.otherFields,
  };
}

/** What a poll of a rebooting phone found. */
export type VersionPoll = { state: 'up'; version: string | null } | { state: 'down' } | { state: 'rejected' };

const DOWN: ReadonlySet<PhoneError['code']> = new Set(['unreachable', 'timeout', 'closed-without-answer']);

/**
 * Reads the running version with the first password the phone accepts. `rejected`: the phone is up but refuses
 * every password Fieldkit has (it came back with settings Fieldkit does not know, e.g. its factory default).
 */
export async function pollVersion(
  phone: FirmwarePhone,
  passwords: readonly PhoneCredentials[],
  timeoutMs: number,
  localAddress?: string,
): Promise<VersionPoll> {
  for (const credentials of passwords) {
    try {
      const info = await readSysinfo(webTarget(phone, timeoutMs, localAddress), credentials);
      return { state: 'up', version: info.firmwareVersion };
    } catch (e) {
      if (isPhoneError(e, 'auth-failed')) continue;
      if (isPhoneError(e) && DOWN.has(e.code)) return { state: 'down' };
      throw e;
    }
  }
  return { state: 'rejected' };
}

/** Just the running version, or null while the phone does not answer (booting or flashing). */
export async function readVersionIfUp(
  phone: FirmwarePhone,
  credentials: PhoneCredentials,
  timeoutMs: number,
  localAddress?: string,
): Promise<string | null> {
  try {
    const info = await readSysinfo(webTarget(phone, timeoutMs, localAddress), credentials);
    return info.firmwareVersion;
  } catch (e) {
    if (isPhoneError(e) && (e.code === 'unreachable' || e.code === 'timeout' || e.code === 'closed-without-answer'))
      return null;
    throw e;
  }
}
