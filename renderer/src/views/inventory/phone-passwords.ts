// One phone's admin passwords as the technician sees them: whether the password it has now was entered, where
// the one Fieldkit sets comes from, and which one the phone last accepted. Never a value: only names and states.
import type { CallOutput } from '$api/contract';

type Status = CallOutput<'credentials.status'>;
export type LoginSource = NonNullable<Status['phones'][number]['lastLogin']>;

export interface PhonePasswordState {
  /** The password the phone has now was entered (phone-current-admin-password:<MAC>). */
  current: boolean;
  /** Where the password Fieldkit sets comes from. */
  source: 'explicit' | 'derived' | 'missing';
  /** The site marks the phone as having its own admin password: nothing is derived for it. */
  ownAdminPassword: boolean;
  lastLogin: LoginSource | null;
}

export const currentKey = (mac: string) => `phone-current-admin-password:${mac}` as const;
export const setKey = (mac: string) => `phone-admin-password:${mac}` as const;

/** The state of one phone, also for a phone the sheet does not list (then from the stored names alone). */
export function phonePasswordState(status: Status, mac: string): PhonePasswordState {
  const listed = status.phones.find((p) => p.mac === mac);
  if (listed)
    return {
      current: listed.currentAdminPassword,
      source: listed.ownAdminPassword && listed.adminSource === 'derived' ? 'missing' : listed.adminSource,
      ownAdminPassword: listed.ownAdminPassword,
      lastLogin: listed.lastLogin,
    };
  const keys = new Set(status.keys);
  return {
    current: keys.has(currentKey(mac)),
    source: keys.has(setKey(mac)) ? 'explicit' : status.siteSecret.stored ? 'derived' : 'missing',
    ownAdminPassword: false,
    lastLogin: null,
  };
}

/** What the phone last accepted on its web UI (this session), in a technician's words. */
export const LAST_LOGIN_TEXT: Record<LoginSource, string> = {
  fieldkit: 'accepted the password Fieldkit sets',
  'current-phone': 'accepted the password it has now (entered here)',
  'current-site': "accepted the site's previous admin password",
  'factory-default': 'factory default 22222, replaced at provisioning',
};

export function setSourceText(state: PhonePasswordState): string {
  if (state.source === 'explicit') return 'Own value stored';
  if (state.source === 'derived') return 'Derived from the site secret';
  return state.ownAdminPassword ? 'Missing: this phone needs its own' : 'Missing: no site secret yet';
}
