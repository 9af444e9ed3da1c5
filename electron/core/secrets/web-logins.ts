// Which admin passwords Fieldkit tries on a phone's web UI, in which order, and what each one is called.
// The one place that decides it: discovery, reboot, verify and the firmware runs all ask here.
//
//   1. the password Fieldkit sets on the phone (derived from the site secret, or the phone's explicit value)
//   2. the password the phone has now, when the technician entered it: the phone's own, else the site-wide
//      one (an earlier installer's, or an earlier Fieldkit that used one password for every phone)
//   3. the factory default 22222, for first contact ("factory default, replaced at provisioning")
//
// At most MAX_LOGIN_ATTEMPTS per phone and contact (a phone that rejects all three is reported, not hammered), the
// same value never twice, and the one that worked is remembered per phone and tried first next time; one that
// then fails falls back to the order above and is replaced by the one that works, or forgotten. Within a site
// the memory is kept in the site folder (login-memory.ts: the source's name only, never a password), so the
// next process (the CLI's reboot after its discover) starts with it. Where credentials may be sent at all is the
// caller's address check (provisioning/phone-web-access.ts), not this module's.
import { FACTORY_ADMIN_PASSWORD } from './admin-passwords';
import { loginMemoryOf, type LoginSource } from './login-memory';
import { secretKeys } from './secret-key';
import type { SecretStore } from './secret-store';

export type { LoginSource };

export const LOGIN_SOURCE_LABEL: Record<LoginSource, string> = {
  fieldkit: 'the admin password Fieldkit sets on this phone',
  'current-phone': 'the password the phone has now, entered in its detail or in Credentials',
  'current-site': 'the admin password all phones have now, entered in Credentials',
  'factory-default': 'factory default 22222, replaced at provisioning',
};

export interface WebLogin {
  password: string;
  source: LoginSource;
  /** In the technician's words, e.g. "factory default 22222, replaced at provisioning". */
  label: string;
}

export const MAX_LOGIN_ATTEMPTS = 3;

export function rememberLogin(secrets: SecretStore, mac12: string, source: LoginSource): void {
  loginMemoryOf(secrets).remember(mac12, source);
}

export function rememberedLogin(secrets: SecretStore, mac12: string): LoginSource | undefined {
  return loginMemoryOf(secrets).get(mac12);
}

/** The phone rejected every candidate, the remembered one included: nothing is tried first next time. */
export function forgetLogin(secrets: SecretStore, mac12: string): void {
  loginMemoryOf(secrets).forget(mac12);
}

export interface CandidateOptions {
  /**
   * Whether the site-wide "current" password may be offered. It opens every phone still on it, so it goes
   * only to an address whose device is known to be one of the site's phones.
   */
  siteWide: boolean;
}

const value = async (secrets: SecretStore, key: Parameters<SecretStore['get']>[0]) => {
  const v = await secrets.get(key).catch(() => undefined);
  return v === undefined || v === '' ? undefined : v;
};

/** The passwords to try on the phone with MAC `mac12` (null: not known), best first, at most three. */
export async function loginCandidates(
  secrets: SecretStore,
  mac12: string | null,
  options: CandidateOptions,
): Promise<WebLogin[]> {
  const mac = mac12?.toUpperCase() ?? null;
  const found: { source: LoginSource; password: string | undefined }[] = [];
  if (mac) {
    found.push({ source: 'fieldkit', password: await value(secrets, secretKeys.phoneAdminPassword(mac)) });
    found.push({ source: 'current-phone', password: await value(secrets, secretKeys.phoneCurrentAdminPassword(mac)) });
  }
  if (options.siteWide && !found.some((f) => f.source === 'current-phone' && f.password !== undefined))
    found.push({ source: 'current-site', password: await value(secrets, secretKeys.adminPassword()) });
  found.push({ source: 'factory-default', password: FACTORY_ADMIN_PASSWORD });
  const winner = mac ? rememberedLogin(secrets, mac) : undefined;
  if (winner) found.sort((a, b) => Number(b.source === winner) - Number(a.source === winner));
  const out: WebLogin[] = [];
  for (const f of found) {
    if (f.password === undefined || out.some((o) => o.password === f.password)) continue;
    out.push({ password: f.password, source: f.source, label: LOGIN_SOURCE_LABEL[f.source] });
  }
  // The factory default keeps its place when three others exist: it is what every new phone has.
  if (out.length > MAX_LOGIN_ATTEMPTS) {
    const factory = out.find((o) => o.source === 'factory-default')!;
    return [...out.filter((o) => o !== factory).slice(0, MAX_LOGIN_ATTEMPTS - 1), factory];
  }
  return out;
}

export class AllLoginsRejectedError extends Error {
  constructor(
    readonly tried: WebLogin[],
    readonly last: unknown,
  ) {
    super(
      `the phone rejected ${tried.length === 1 ? 'the admin password' : `all ${tried.length} admin passwords`} Fieldkit tried (${tried.map((t) => t.label).join('; ')})`,
    );
    this.name = 'AllLoginsRejectedError';
  }
}

/**
 * Runs `attempt` with each candidate until one is not rejected; remembers the winner for the phone (forgets the
 * phone's earlier winner when all are rejected).
 * Any failure other than a rejected password ends the loop at once (a phone that does not answer is not
 * tried three times).
 */
export async function tryLogins<T>(
  secrets: SecretStore,
  mac12: string | null,
  candidates: readonly WebLogin[],
  attempt: (login: WebLogin) => Promise<T>,
  isRejected: (error: unknown) => boolean,
): Promise<{ value: T; login: WebLogin }> {
  const tried: WebLogin[] = [];
  let last: unknown;
  for (const login of candidates.slice(0, MAX_LOGIN_ATTEMPTS)) {
    try {
      const result = await attempt(login);
      if (mac12) rememberLogin(secrets, mac12, login.source);
      return { value: result, login };
    } catch (e) {
      if (!isRejected(e)) throw e;
      tried.push(login);
      last = e;
    }
  }
  if (mac12) forgetLogin(secrets, mac12);
  throw new AllLoginsRejectedError(tried, last);
}

/**
 * Loopback addresses (the laptop itself: test labs, the demo) have no neighbour entry, so discovery cannot
 * learn a phone's MAC there before it logs in. The MAC a provisioning action checked for a loopback address
 * is remembered here (in memory), so a later scan can try that phone's own password.
 */
const loopbackPhones = new WeakMap<object, Map<string, string>>();

export function rememberLoopbackPhone(secrets: SecretStore, ip: string, mac12: string): void {
  const owner = (secrets as { store?: SecretStore }).store ?? secrets;
  let map = loopbackPhones.get(owner);
  if (!map) {
    map = new Map();
    loopbackPhones.set(owner, map);
  }
  map.set(ip, mac12.toUpperCase());
}

export function loopbackPhoneAt(secrets: SecretStore, ip: string): string | undefined {
  return loopbackPhones.get((secrets as { store?: SecretStore }).store ?? secrets)?.get(ip);
}

/** 127.0.0.0/8 and ::1: the laptop itself (no neighbour entry, nothing on the LAN can answer there). */
export function isLoopbackAddress(ip: string): boolean {
  const v4 = ip.replace(/^::ffff:/i, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || ip === '::1';
}

/**
 * What discovery may try on a device's /sysinfo.html. The MAC the neighbour table gives for the address
 * (or, on loopback, the one a provisioning action checked there) says which phone it is: its own passwords
 * are tried, and the site-wide one. An address with no known MAC (behind a router) gets only the factory
 * default, which is public: nothing that opens a provisioned phone goes to a device Fieldkit cannot name.
 */
export async function discoveryLogins(
  secrets: SecretStore,
  ip: string,
  neighbourMac: string | undefined,
): Promise<{ mac: string | null; candidates: WebLogin[] }> {
  const loopback = isLoopbackAddress(ip);
  const mac = neighbourMac
    ? neighbourMac.replace(/[:-]/g, '').toUpperCase()
    : loopback
      ? (loopbackPhoneAt(secrets, ip) ?? null)
      : null;
  return { mac, candidates: await loginCandidates(secrets, mac, { siteWide: mac !== null || loopback }) };
}
