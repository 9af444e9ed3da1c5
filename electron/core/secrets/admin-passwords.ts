// Per-phone admin passwords. One site-wide admin password means one leak opens every phone (a fetched
// startup.cfg, a rogue host that answers like a phone and receives the Basic credentials). So each phone
// gets its own, derived from a site secret and its MAC:
//
//   password = 1,000,000,000 + (first 8 bytes of HMAC-SHA256(site secret, "fieldkit/admin-password/v1/" + MAC)
//              mod 3,294,967,296)
//
// a ten-digit integer inside the phones' range 0-4294967295 (phone-facts §1 Passwords: integers only), never
// 22222, about 31.6 bits per phone. The site secret (256 random bits) lives only in the credential store
// (`admin-secret:<site id>`): knowing one phone's password says nothing about another's. An explicit value
// stored for a phone (`phone-admin-password:<MAC>`) replaces the derived one.
//
// The same secret derives the optional HTTP digest password the built-in server asks each phone for.
import { createHmac, randomBytes } from 'node:crypto';
import { FieldkitError } from '../util/errors';
import { envNameFor, secretKeys, type SecretKey } from './secret-key';
import type { SecretStore } from './secret-store';

export const FACTORY_ADMIN_PASSWORD = '22222';
/** Valid admin and user passwords: integers 0-4294967295 (phone-facts §1, UG-PW). */
export const PHONE_PASSWORD_MAX = 4_294_967_295;
const DERIVED_MIN = 1_000_000_000;
const DERIVED_SPAN = BigInt(PHONE_PASSWORD_MAX - DERIVED_MIN + 1);
/** 64 hex digits: 256 bits. */
const SECRET_PATTERN = /^[0-9a-f]{64}$/;
const MIN_ENTERED_SECRET = 16;

function hmac(secret: string, label: string, mac12: string): Buffer {
  return createHmac('sha256', secret).update(`fieldkit/${label}/v1/${mac12.toUpperCase()}`).digest();
}

export function deriveAdminPassword(siteSecret: string, mac12: string): string {
  const n = hmac(siteSecret, 'admin-password', mac12).readBigUInt64BE(0);
  return String(BigInt(DERIVED_MIN) + (n % DERIVED_SPAN));
}

const DIGEST_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** 20 characters (the phone's limit for `http digest password`, AG331 p.A-81), about 116 bits. */
export function deriveDigestPassword(siteSecret: string, mac12: string): string {
  const bytes = hmac(siteSecret, 'http-digest', mac12);
  let out = '';
  for (let i = 0; i < 20; i++) out += DIGEST_ALPHABET[bytes[i]! % DIGEST_ALPHABET.length];
  return out;
}

/** The user name a phone sends for HTTP digest to the built-in server (at most 40 characters). */
export function digestUserFor(mac12: string): string {
  return `fk${mac12.toUpperCase()}`;
}

/** Whether `value` is a password the phones accept: an integer 0-4294967295, digits only. */
export function isPhonePassword(value: string): boolean {
  return /^\d{1,10}$/.test(value) && Number(value) <= PHONE_PASSWORD_MAX;
}

/** A value the technician types as a site secret: at least 16 characters, no control characters. */
export function checkEnteredSiteSecret(value: string): string | undefined {
  if (value.length < MIN_ENTERED_SECRET)
    return `A site secret must be at least ${MIN_ENTERED_SECRET} characters long (Fieldkit makes one of 64 random hex digits when you let it).`;
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'A site secret must not contain control characters.';
  return undefined;
}

/**
 * The site's admin secret: the stored one, or (when `create` and the store keeps what it is given) a new
 * random one. A store that forgets (the CLI's environment) never gets an invented secret: the phones would
 * be given passwords nobody can reproduce.
 */
export async function siteAdminSecret(
  store: SecretStore,
  siteId: string,
  options: { create: boolean },
): Promise<string | undefined> {
  const key = secretKeys.adminSecret(siteId);
  const stored = await store.get(key);
  if (stored !== undefined && stored !== '') return stored;
  if (!options.create || store.persistent === false) return undefined;
  const fresh = randomBytes(32).toString('hex');
  await store.set(key, fresh);
  return fresh;
}

export function missingSiteSecretMessage(store: SecretStore, siteId: string): string {
  return store.persistent === false
    ? `This site has no admin secret, from which Fieldkit derives each phone's admin password. Set FIELDKIT_ADMIN_SECRET (or ${envNameFor(secretKeys.adminSecret(siteId))}) to the site's secret: the one the desktop app shows under Credentials, or a new random value of 64 hex digits for a new site (e.g. node -e "console.log(require('crypto').randomBytes(32).toString('hex'))"), and keep it with the site's other credentials.`
    : "This site has no admin secret yet, from which Fieldkit derives each phone's admin password. Generate the configuration once (Fieldkit makes one), or enter the site's secret under Credentials.";
}

export function isGeneratedSecret(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

/**
 * The credential store as one site sees it: `phone-admin-password:<MAC>` is the phone's explicit value or,
 * without one, the password derived from the site's secret (made when first needed); likewise
 * `http-digest-password:<MAC>`. Everything else passes through. Nothing derived is ever stored.
 */
export class SiteSecrets implements SecretStore {
  constructor(
    readonly store: SecretStore,
    private readonly siteId: string | (() => string),
    /** Phones whose admin password must be their explicit one ("own admin password"): nothing is derived for them. */
    private readonly explicitAdmin: ReadonlySet<string> = new Set(),
  ) {}

  /** The same view, with these phones taking only an explicitly stored admin password. */
  withExplicitAdmin(macs: Iterable<string>): SiteSecrets {
    return new SiteSecrets(
      this.store,
      this.siteId,
      new Set([...this.explicitAdmin, ...[...macs].map((m) => m.toUpperCase())]),
    );
  }

  get persistent(): boolean | undefined {
    return this.store.persistent;
  }

  get id(): string {
    return typeof this.siteId === 'string' ? this.siteId : this.siteId();
  }

  async get(key: SecretKey): Promise<string | undefined> {
    const own = await this.store.get(key);
    if (own !== undefined && own !== '') return own;
    const derive = key.startsWith('phone-admin-password:')
      ? this.explicitAdmin.has(key.slice(key.indexOf(':') + 1))
        ? undefined
        : deriveAdminPassword
      : key.startsWith('http-digest-password:')
        ? deriveDigestPassword
        : undefined;
    if (!derive) return own;
    const secret = await siteAdminSecret(this.store, this.id, { create: true });
    return secret === undefined ? undefined : derive(secret, key.slice(key.indexOf(':') + 1));
  }

  /** Where the password Fieldkit sets on this phone comes from, without revealing it. */
  async adminSource(mac12: string): Promise<'explicit' | 'derived' | 'missing'> {
    const own = await this.store.get(secretKeys.phoneAdminPassword(mac12));
    if (own !== undefined && own !== '') return 'explicit';
    return (await siteAdminSecret(this.store, this.id, { create: false })) !== undefined ? 'derived' : 'missing';
  }

  set(key: SecretKey, value: string): Promise<void> {
    return this.store.set(key, value);
  }
  delete(key: SecretKey): Promise<void> {
    return this.store.delete(key);
  }
  list(): Promise<SecretKey[]> {
    return this.store.list();
  }
}

/** A store bound to a site: itself when it already is one. */
export function siteSecrets(store: SecretStore, siteId: string | (() => string)): SiteSecrets {
  return store instanceof SiteSecrets ? store : new SiteSecrets(store, siteId);
}

export function requireSiteSecret(secret: string | undefined, store: SecretStore, siteId: string): string {
  if (secret === undefined) throw new FieldkitError('not-found', missingSiteSecretMessage(store, siteId));
  return secret;
}
