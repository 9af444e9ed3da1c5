// What the provisioning jobs need from the running app: the open site, the credential store and
// where to send from. Kept small so tests can build one around a temporary site.
import { webLoginFor } from './phone-web-access';
import type { SecretStore } from '../secrets/secret-store';
import type { SiteWorkspace } from '../workspace/site-workspace';
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
  /** Told the MACs a verify job found verified (the built-in server may then stop by itself). */
  onVerified?(macs: string[]): Promise<void>;
}

/**
 * The admin password to send to the phone's web UI, or undefined when none may be sent (the reason is
 * passed to `warn`): the address must be the phone's (provisioning/phone-web-access.ts), and the password
 * the one the phone takes (tried in order: Fieldkit's, the one entered as current, the factory default).
 */
export async function webPasswordFor(
  env: Pick<ProvisioningEnv, 'site' | 'secrets' | 'localAddress'>,
  phone: { mac: string; ip: string; httpPort?: number | null },
  warn: (message: string) => void,
  options: { timeoutMs?: number; signal?: AbortSignal; waitMs?: number } = {},
): Promise<string | undefined> {
  if (phone.httpPort === null) return undefined; // no web UI: nothing to log in to
  const login = await webLoginFor({
    site: env.site(),
    secrets: env.secrets,
    phone,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.waitMs ? { waitMs: options.waitMs } : {}),
    ...(env.localAddress ? { localAddress: env.localAddress } : {}),
  });
  if ('refused' in login) {
    warn(login.refused);
    return undefined;
  }
  if (login.source === 'factory-default')
    warn(
      `${phone.mac} still has the factory default admin password 22222; it is replaced when the phone takes its configuration.`,
    );
  return login.password;
}
