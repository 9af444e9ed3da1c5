// Reading and pointing one phone over its web UI, with the credentials the site holds for it.
import { getConfigurationServer, readSysinfo, setConfigurationServer } from '../phone/web-client';
import { isPhoneError } from '../phone/phone-error';
import { webLoginFor } from '../provisioning/phone-web-access';
import type { ConfigServerSettings, PhoneCredentials, PhoneTarget } from '../phone/web-client';
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
  return { firmware: info.firmwareVersion, model: info.model, mac: info.mac, configServer: cfg.settings };
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

export async function pointPhone(
  phone: FirmwarePhone,
  credentials: PhoneCredentials,
  fields: ConfigServerSettings,
  timeoutMs: number,
  localAddress?: string,
): Promise<void> {
  await setConfigurationServer(webTarget(phone, timeoutMs, localAddress), credentials, fields);
}
