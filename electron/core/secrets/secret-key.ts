// The one grammar of credential names. Every place that names a credential (the store, the contract's
// input, the CLI's environment variables, the UI) derives from the table below, so a new kind of secret
// is added in one line. A name is `<kind>` or `<kind>:<id>`; the id says whose secret it is (a phone's
// MAC, a publishing target, a site).
import { z } from 'zod';

const MAC = /^[0-9A-F]{12}$/;
const TARGET = /^[A-Za-z0-9._-]{1,64}$/;
/** Site ids are UUIDs; an older or hand-made site may have another short id. */
const SITE = /^[A-Za-z0-9._-]{1,64}$/;
const BY_MAC = { pattern: MAC, what: 'a MAC (12 uppercase hex digits)' };
const BY_TARGET = { pattern: TARGET, what: 'a target id' };
const BY_SITE = { pattern: SITE, what: 'a site id' };

interface KindSpec {
  /** What the id is; null: the kind has no id. */
  id: { pattern: RegExp; what: string } | null;
  /** In the technician's words, for lists and errors. */
  describe: string;
}

export const SECRET_KINDS = {
  'phone-admin-password': {
    id: null,
    describe:
      'the admin password the phones have now, site-wide (set by an earlier installer or an earlier Fieldkit); tried, never written',
  },
  'phone-admin-password:': {
    id: BY_MAC,
    describe: "the admin password Fieldkit sets on this phone instead of the one it derives from the site's secret",
  },
  'phone-current-admin-password:': {
    id: BY_MAC,
    describe: 'the admin password this phone has now (e.g. set by a previous installer); tried, never written',
  },
  'admin-secret:': {
    id: BY_SITE,
    describe: "the site's secret from which every phone's admin password is derived",
  },
  'http-digest-password:': {
    id: BY_MAC,
    describe: 'the HTTP digest password the built-in server asks this phone for (derived from the site secret)',
  },
  'sip-password:': {
    id: BY_MAC,
    describe: "the phone's SIP password",
  },
  'sftp-password:': { id: BY_TARGET, describe: 'the SFTP password of a target' },
  'sftp-private-key:': {
    id: BY_TARGET,
    describe: 'the SSH private key (PEM/OpenSSH) of a target',
  },
  'sftp-key-passphrase:': {
    id: BY_TARGET,
    describe: "the passphrase of a target's SSH private key",
  },
  'ftp-password:': {
    id: BY_SITE,
    describe: 'the password the phones use for FTP provisioning (ftp password)',
  },
  'https-key:': {
    id: BY_SITE,
    describe: "the private key of the built-in HTTPS server's certificate",
  },
} as const satisfies Record<string, KindSpec>;

type KindName = keyof typeof SECRET_KINDS;
type WithId = Extract<KindName, `${string}:`>;

/** A credential name: `phone-admin-password`, or `<kind>:<id>` for the kinds that take an id. */
export type SecretKey = 'phone-admin-password' | `${WithId}${string}`;

export interface ParsedSecretKey {
  /** The kind without its colon, e.g. `sip-password`. */
  kind: string;
  id: string | null;
}

/** Splits a name into kind and id, or returns why it is not one. */
export function parseSecretKey(text: string): ParsedSecretKey | { error: string } {
  if (typeof text !== 'string' || text.length > 120) return { error: 'is not a credential name' };
  if (text === 'phone-admin-password') return { kind: text, id: null };
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon + 1);
  const spec = (SECRET_KINDS as Record<string, KindSpec>)[kind];
  if (!spec?.id) return { error: `is not a credential name: use ${secretKeyExamples()}` };
  const id = text.slice(colon + 1);
  if (!spec.id.pattern.test(id))
    return { error: `is not a credential name: after "${kind}" comes ${spec.id.what}, not "${id.slice(0, 40)}"` };
  return { kind: kind.slice(0, -1), id };
}

export function isSecretKey(text: string): text is SecretKey {
  return !('error' in parseSecretKey(text));
}

export function secretKeyExamples(): string {
  return 'phone-admin-password, phone-admin-password:<MAC>, phone-current-admin-password:<MAC>, admin-secret:<site>, http-digest-password:<MAC>, sip-password:<MAC> (MAC as 12 uppercase hex digits), sftp-password:<target>, sftp-private-key:<target>, sftp-key-passphrase:<target>, ftp-password:<site> or https-key:<site>';
}

/** The runtime schema of a credential name, for every boundary (API input, files, environment). */
export const SecretKeySchema = z
  .string()
  .max(120)
  .superRefine((text, ctx) => {
    const parsed = parseSecretKey(text);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
  })
  .transform((text) => text as SecretKey);

export function describeSecretKey(key: SecretKey): string {
  const parsed = parseSecretKey(key);
  if ('error' in parsed) return key;
  const spec = (SECRET_KINDS as Record<string, KindSpec>)[parsed.id === null ? parsed.kind : `${parsed.kind}:`]!;
  return parsed.id === null ? spec.describe : `${spec.describe} (${parsed.id})`;
}

export const secretKeys = {
  /** What the phones have now, site-wide: tried on the web UI, never written into a file. */
  adminPassword: (): SecretKey => 'phone-admin-password',
  /** The admin password Fieldkit sets on one phone instead of the derived one. */
  phoneAdminPassword: (mac12: string): SecretKey => `phone-admin-password:${mac12}`,
  /** What one phone has now (entered by the technician): tried on the web UI, never written. */
  phoneCurrentAdminPassword: (mac12: string): SecretKey => `phone-current-admin-password:${mac12}`,
  adminSecret: (siteId: string): SecretKey => `admin-secret:${siteId}`,
  httpDigestPassword: (mac12: string): SecretKey => `http-digest-password:${mac12}`,
  sipPassword: (mac12: string): SecretKey => `sip-password:${mac12}`,
  sftpPassword: (targetId: string): SecretKey => `sftp-password:${targetId}`,
  sftpPrivateKey: (targetId: string): SecretKey => `sftp-private-key:${targetId}`,
  sftpKeyPassphrase: (targetId: string): SecretKey => `sftp-key-passphrase:${targetId}`,
  ftpPassword: (siteId: string): SecretKey => `ftp-password:${siteId}`,
  httpsKey: (siteId: string): SecretKey => `https-key:${siteId}`,
};

// ---- environment variables (the CLI's credential store) -------------------------------------------

/** `sip-password:00085D1A2B3C` -> `FIELDKIT_SECRET_SIP_PASSWORD_00085D1A2B3C`. */
export function envNameFor(key: SecretKey): string {
  if (key === 'phone-admin-password') return 'FIELDKIT_ADMIN_PASSWORD';
  return `FIELDKIT_SECRET_${key.toUpperCase().replace(/[:.-]/g, '_')}`;
}

const ENV_KINDS = Object.keys(SECRET_KINDS)
  .filter((k) => k.endsWith(':'))
  .map((k) => ({ kind: k, env: `${k.slice(0, -1).toUpperCase().replace(/-/g, '_')}_` }))
  // longest first: PHONE_CURRENT_ADMIN_PASSWORD_ before PHONE_ADMIN_PASSWORD_ cannot be confused, but be safe
  .sort((a, b) => b.env.length - a.env.length);

/** The credential an environment variable holds, where its name says (ids come back upper-cased). */
export function secretKeyForEnvName(name: string): SecretKey | undefined {
  if (name === 'FIELDKIT_ADMIN_PASSWORD') return 'phone-admin-password';
  if (!name.startsWith('FIELDKIT_SECRET_')) return undefined;
  const rest = name.slice('FIELDKIT_SECRET_'.length);
  const match = ENV_KINDS.find((k) => rest.startsWith(k.env) && rest.length > k.env.length);
  if (!match) return undefined;
  const key = `${match.kind}${rest.slice(match.env.length)}`;
  return isSecretKey(key) ? key : undefined;
}
