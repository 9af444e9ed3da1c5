// Where Fieldkit may send a phone's admin password, and which one the phone takes. HTTP Basic over plain
// HTTP hands the password to whoever answers at the address, and inventory addresses come from
// unauthenticated sources (SIP banners, provisioning requests, mDNS). So before any credential leaves:
//
//   - an address on one of the laptop's own segments must be, in this laptop's neighbour (ARP) table, the
//     MAC the inventory holds for the phone. No entry yet: Fieldkit opens (and closes) one TCP connection to
//     the phone's web port without sending anything, so the OS resolves it, and reads the table again.
//   - a loopback address (127.0.0.0/8, ::1) is this laptop itself: nothing on the LAN can answer it, and
//     it has no neighbour entry. The test labs and the demo run there. Allowed, by this explicit rule.
//   - an address behind a router cannot be checked (ARP shows only the router). Refused unless the site
//     allows it (site setting allowRoutedWebLogin), which the security checklist records as a deviation:
//     per-phone passwords then limit what a host posing as that phone learns to that phone's password.
//
// When the address passes, the candidates of web-logins.ts are tried on /sysinfo.html (at most three,
// the winner remembered per phone), so the action that follows (reboot, read, point) uses the right one.
import { connect } from 'node:net';
import { systemNeighbourReader, type NeighbourReader } from '../discovery/neighbours';
import { onLinkMatcher } from '../discovery/arp-budget';
import { macFileStem } from '../phone/mac';
import { readSysinfo, type PhoneCredentials } from '../phone/web-client';
import { isPhoneError } from '../phone/phone-error';
import { sharedRead } from '../util/fresh-read';
import { siteSecrets } from '../secrets/admin-passwords';
import {
  AllLoginsRejectedError,
  isLoopbackAddress,
  loginCandidates,
  rememberLoopbackPhone,
  tryLogins,
  type LoginSource,
} from '../secrets/web-logins';
import { loadSiteSettings } from './provisioning-settings-file';
import type { SecretStore } from '../secrets/secret-store';
import type { SiteWorkspace } from '../workspace/site-workspace';

export { isLoopbackAddress };

// The table as read at most a second ago answers every phone that asks meanwhile, and after priming only a read begun
// after the priming does: a reboot, verify or firmware run of 500 phones read it once per phone (an `ip neigh`
// process each, ~6 s of CPU per run of the site500 bench).
const neighbourTable = sharedRead(systemNeighbourReader(), 1000);

export type AddressVerdict =
  | { ok: true; how: 'loopback' | 'neighbour' | 'routed' }
  | { ok: false; reason: string; code: 'wrong-mac' | 'no-neighbour-entry' | 'routed' };

export interface AddressCheckDeps {
  neighbours?: NeighbourReader;
  /** Whether an address is on one of the laptop's own segments. */
  onLink?: (ip: string) => boolean;
  /** Makes the OS resolve the address (a TCP connection opened and closed, nothing sent). */
  prime?: (ip: string, port: number) => Promise<void>;
}

function primeByConnecting(ip: string, port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port, timeout: 1000 });
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.once('connect', done).once('timeout', done).once('error', done);
  });
}

/** Whether credentials for the phone `mac12` may go to `ip` (see the file comment). */
export async function checkPhoneAddress(
  ip: string,
  mac12: string,
  options: { allowRouted: boolean; port?: number | null },
  deps: AddressCheckDeps = {},
): Promise<AddressVerdict> {
  if (isLoopbackAddress(ip)) return { ok: true, how: 'loopback' };
  const onLink = deps.onLink ?? onLinkMatcher();
  if (!onLink(ip)) {
    return options.allowRouted
      ? { ok: true, how: 'routed' }
      : {
          ok: false,
          code: 'routed',
          reason: `${ip} is behind a router, so Fieldkit cannot check that the device there is phone ${mac12}; it sent no admin password. To allow it, turn on "send web-UI passwords to phones behind a router" in the site settings (the security checklist records it as a deviation).`,
        };
  }
  const lookup = async (read: NeighbourReader) => (await read().catch(() => [])).find((e) => e.ip === ip);
  let entry = await lookup(deps.neighbours ?? neighbourTable.recent);
  if (!entry) {
    await (deps.prime ?? primeByConnecting)(ip, options.port ?? 80);
    entry = await lookup(deps.neighbours ?? neighbourTable.fresh);
  }
  if (!entry)
    return {
      ok: false,
      code: 'no-neighbour-entry',
      reason: `Fieldkit could not see which device answers at ${ip} (it is not in this laptop's neighbour table), so it sent no admin password for ${mac12}. Check that the phone is on and on this segment, then try again.`,
    };
  const found = macFileStem(entry.mac);
  if (found !== mac12.toUpperCase())
    return {
      ok: false,
      code: 'wrong-mac',
      reason: `At ${ip} answers ${found}, but the inventory has ${mac12} there: Fieldkit sent no admin password. Scan again (the phone may have a new address) or check for a device posing as the phone.`,
    };
  return { ok: true, how: 'neighbour' };
}

export interface WebLoginRequest {
  site: SiteWorkspace;
  secrets: SecretStore;
  phone: { mac: string; ip: string; httpPort?: number | null };
  timeoutMs?: number;
  localAddress?: string;
  signal?: AbortSignal;
  /**
   * How long to keep asking a phone that does not answer (it is booting, e.g. right after a reboot) before
   * settling for the first candidate. Default 0: ask once.
   */
  waitMs?: number;
}

export type WebLogin = PhoneCredentials & {
  source: LoginSource;
  label: string;
  how: 'loopback' | 'neighbour' | 'routed';
};
export type WebLoginRefusal = { refused: string; rejected: boolean };

/**
 * The admin password to use on the phone's web UI, or why none is sent. Checks the address, then, when there
 * is more than one candidate, reads /sysinfo.html with each (the earlier winner first) until one is accepted.
 * A phone that does not answer gets the first candidate (the action that follows reports it).
 */
export async function webLoginFor(
  request: WebLoginRequest,
  deps: AddressCheckDeps = {},
): Promise<WebLogin | WebLoginRefusal> {
  const { site, phone } = request;
  const mac = phone.mac.toUpperCase();
  const settings = await loadSiteSettings(site).catch(() => undefined);
  const verdict = await checkPhoneAddress(
    phone.ip,
    mac,
    { allowRouted: settings?.settings?.allowRoutedWebLogin ?? false, port: phone.httpPort ?? null },
    deps,
  );
  if (!verdict.ok) return { refused: verdict.reason, rejected: false };
  const secrets = siteSecrets(request.secrets, site.meta.id);
  if (verdict.how === 'loopback') rememberLoopbackPhone(secrets, phone.ip, mac);
  const candidates = await loginCandidates(secrets, mac, { siteWide: true });
  const first = candidates[0]!;
  const chosen = (login: (typeof candidates)[number]): WebLogin => ({
    password: login.password,
    source: login.source,
    label: login.label,
    how: verdict.how,
  });
  // one candidate: nothing to choose. Otherwise one read of /sysinfo.html per candidate, the phone's last
  // winner first (usually the only request)
  if (candidates.length === 1) return chosen(first);
  const deadline = Date.now() + (request.waitMs ?? 0);
  for (;;) {
    try {
      const { login } = await tryLogins(
        secrets,
        mac,
        candidates,
        (l) =>
          readSysinfo(
            {
              host: phone.ip,
              port: phone.httpPort ?? 80,
              timeoutMs: request.timeoutMs ?? 5000,
              ...(request.localAddress ? { localAddress: request.localAddress } : {}),
              ...(request.signal ? { signal: request.signal } : {}),
            },
            { password: l.password },
          ),
        (e) => isPhoneError(e, 'auth-failed'),
      );
      return chosen(login);
    } catch (e) {
      if (e instanceof AllLoginsRejectedError)
        return {
          rejected: true,
          refused: `${phone.ip} (${mac}): ${e.message}. Enter the password it has now in the phone's detail (Inventory) under Admin passwords, or in Credentials, then try again.`,
        };
      if (isPhoneError(e, 'cancelled')) throw e;
      // not answering (booting): a guess now could be the password the phone had before it took its file
      if (Date.now() >= deadline || request.signal?.aborted) return chosen(first);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
