// What the provisioning jobs need from the running app: the open site, the credential store and
// where to send from. Kept small so tests can build one around a temporary site.
import { secretKeys } from '../secrets/secret-store';
import type { SecretStore } from '../secrets/secret-store';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { PhoneOverride } from './provisioning-settings-file';
import type { FetchRecord } from './verify';

export interface ProvisioningEnv {
  site(): SiteWorkspace;
  secrets: SecretStore;
  /** Address to send from (XML push sender, SIP Via); default: chosen by the OS route. */
  localAddress?: string;
  /**
   * The built-in server's fetch log, when the phones fetch from it (undefined when they use another
   * server, whose log Fieldkit cannot read).
   */
  builtinFetches?(): Promise<FetchRecord[] | undefined>;
}

/** The admin password the phone has once provisioned: its own when the site says so, else the site's. */
export async function adminPasswordFor(
  secrets: SecretStore,
  mac: string,
  perPhone: Readonly<Record<string, PhoneOverride>>,
): Promise<string | undefined> {
  const key = perPhone[mac]?.ownAdminPassword ? secretKeys.phoneAdminPassword(mac) : secretKeys.adminPassword();
  const value = await secrets.get(key);
  return value === '' ? undefined : value;
}
