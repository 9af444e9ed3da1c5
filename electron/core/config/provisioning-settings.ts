// The technician's provisioning sheet for one site, validated at the boundary (UI, CLI, workspace file).

import { z } from 'zod';
import { parseMac, macFileStem } from '../phone/mac';
import { SUPPORTED_MODELS } from '../phone/models';
import { FieldkitError } from '../util/errors';
import { isValidHost } from './host-names';
import { isSecretParameter } from './parameter-rules';
import { isKnownParameter } from './known-parameters';

// Same set as cfg-format's value check: no line breaks or control characters in anything that
// ends up in a config file.
const CONTROL = /[\u0000-\u001F\u007F\u0085\u2028\u2029]/;
const safeText = (what: string) =>
  z.string().refine((s) => !CONTROL.test(s), { message: `${what} must not contain line breaks or control characters` });

const host = z.string().trim().refine(isValidHost, {
  message: 'must be an IP address or a host name (no "sip:", no port), e.g. 10.1.2.3 or osv.example.net',
});
const port = z.number().int().min(1, 'must be 1-65535').max(65535, 'must be 1-65535');

const sipServer = z.object({ host, port: port.optional() });

const overrides = z
  .record(z.string().trim().min(1, 'parameter name is empty'), safeText('An override value'))
  .refine((o) => Object.keys(o).every((k) => !CONTROL.test(k) && !/[:#"]/.test(k)), {
    message: "override parameter names must not contain ':', '#', '\"' or control characters",
  })
  // The site's files never hold a secret in clear: passwords go into Credentials (the OS keychain).
  .refine((o) => Object.keys(o).every((k) => !isSecretParameter(k)), {
    message:
      'passwords cannot be set as extra lines (they would be stored in the site folder in clear); set them in Credentials instead',
  });

export const TRANSPORTS = ['udp', 'tcp', 'tls'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export const siteSettingsSchema = z.object({
  /** Shown in generated file headers. */
  siteName: safeText('The site name').max(120).default(''),
  osv: z.object({
    proxy: sipServer,
    /** Defaults to the proxy when absent. */
    registrar: sipServer.optional(),
    backupProxy: sipServer.optional(),
    backupRegistrar: sipServer.optional(),
    transport: z.enum(TRANSPORTS).default('tls'),
    /**
     * Name under which the site's CA bundle (imported with `ca.import`) is published next to the configuration
     * files, and named in `sips trusted certificates` (and `https user certificates`). Empty: DEFAULT_CA_FILE.
     */
    trustedCaFile: safeText('The CA file name')
      .regex(/^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,63})?$/, 'must be a file name (letters, digits, dot, dash), no folders')
      .default(''),
    /**
     * guide §4.1: `server` = `sip centralized conf: 1` (always use the server's centralized conference);
     * `local` = `sip centralized conf: 0` (mix a 3-party conference on the phone unless already in a centralized one).
     */
    centralizedConference: z.enum(['server', 'local']).default('server'),
    /** SDES is the only key exchange the phones support (guide §8, DTP-74233). */
    srtp: z.enum(['disabled', 'preferred', 'required']).default('preferred'),
    /**
     * The guide's §4.2 example shows a phone-side realm equal to the directory number, but no public
     * source names a realm parameter (phone-facts §1). Empty = write none (the phone takes the realm from the
     * server's challenge). A name verified on a bench phone, with `{line}` for the line number, makes
     * Fieldkit write `<name>: <directory number>` for each line.
     */
    realmParameter: safeText('The realm parameter name')
      .regex(/^[^:#"]*$/, "must not contain ':', '#' or '\"'")
      // A realm is not a password, and a name Fieldkit already writes would silently replace it (every SIP
      // password set to the extension number, an unlocked admin password).
      .refine((name) => name === '' || !isSecretParameter(name.replaceAll('{line}', '1')), {
        message: 'names a password parameter; the realm option cannot set a password',
      })
      .refine((name) => name === '' || !isKnownParameter(name.replaceAll('{line}', '1')), {
        message:
          'names a parameter Fieldkit already writes or checks; give the realm parameter verified on a bench phone',
      })
      .default(''),
  }),
  ntp: z.object({ server1: host, server2: host.optional(), server3: host.optional() }),
  /** Mitel time zone name, e.g. DE-Berlin, AT-Vienna, CH-Zurich, GB-London, US-Eastern. */
  timeZone: safeText('The time zone').min(1).default('DE-Berlin'),
  vlan: z
    .object({ enabled: z.boolean().default(false), id: z.number().int().min(1).max(4094).optional() })
    .refine((v) => !v.enabled || v.id !== undefined, {
      message: 'a VLAN id (1-4094) is needed when VLAN tagging is on',
    })
    .prefault({}),
  provisioning: z.object({
    /** HTTPS is recommended (hardening); the built-in server speaks HTTP unless given a certificate. */
    protocol: z.enum(['HTTP', 'HTTPS', 'TFTP', 'FTP']).default('HTTP'),
    server: host,
    /** Folder on the server, without leading slash; '' = root. */
    path: safeText('The provisioning path')
      .regex(/^[^\s#"]*$/, 'must not contain spaces, # or "')
      .default(''),
    /** HTTP(S) port; TFTP and FTP have no port parameter on these phones (field-truth audit). */
    port: port.optional(),
    /** `ftp username` for FTP provisioning; the password is the credential ftp-password:<site>. */
    ftpUser: safeText('The FTP user name').max(64).optional(),
    /**
     * HTTPS provisioning: the phone checks the server's certificate against its trust store (a few public roots
     * plus `https user certificates`, XMLGUIDE p.205). `false` writes `https validate certificates: 0`: an
     * explicit site choice that the security checklist records as a deviation. Absent: true.
     */
    validateCertificates: z.boolean().optional(),
  }),
  resync: z
    .object({
      /**
       * Config files only by default: firmware changes go through Fieldkit's controlled waves, and a
       * nightly firmware resync would bypass them.
       */
      mode: z.enum(['none', 'config', 'firmware', 'both']).default('config'),
      time: z
        .string()
        .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be hh:mm, e.g. 03:00')
        .default('03:00'),
      maxDelayMinutes: z.number().int().min(0).max(1439).default(15),
    })
    .prefault({}),
  /** Hosts allowed to push XML to the phones; the provisioning server and `fieldkitHost` are added. */
  xmlPushAllowList: z.array(host).default([]),
  /** The technician laptop's address as the phones see it (XML push, reboot). */
  fieldkitHost: host.optional(),
  /**
   * Send web-UI passwords to phones behind a router, whose MAC the neighbour table cannot confirm
   * (provisioning/phone-web-access.ts). Off by default; on is a deviation the security checklist records.
   */
  allowRoutedWebLogin: z.boolean().default(false),
  /** Lock (`!`) the admin password and the OSV-critical parameters against local changes. */
  lockCritical: z.boolean().default(true),
  globalOverrides: overrides.default({}),
  modelOverrides: z.partialRecord(z.enum(SUPPORTED_MODELS), overrides).default({}),
});

export type SiteSettings = z.output<typeof siteSettingsSchema>;

/** The published name of the site's CA bundle when the settings name none. */
export const DEFAULT_CA_FILE = 'fieldkit-ca.pem';

export function caFileName(settings: SiteSettings): string {
  return settings.osv.trustedCaFile || DEFAULT_CA_FILE;
}
export type SiteSettingsInput = z.input<typeof siteSettingsSchema>;

export const phoneEntrySchema = z.object({
  mac: z
    .string()
    .refine((m) => parseMac(m) !== null, {
      message: 'is not a MAC address; write 12 hex digits, e.g. 00:08:5D:1A:2B:3C',
    })
    .transform(macFileStem),
  model: z.enum(SUPPORTED_MODELS),
  /**
   * The OSV directory number; also the SIP auth/user name (guide §4.2). Checked by the profile, not here, so that a
   * wrong sheet gets a DTP-73963 explanation.
   */
  directoryNumber: safeText('The directory number').trim().min(1, 'is empty'),
  displayName: safeText('The display name').max(64).default(''),
  location: safeText('The location').max(120).optional(),
  /**
   * The phone's admin password must be the explicit one stored for it (`phone-admin-password:<MAC>`), not the
   * one derived from the site secret: generation reports it missing until it is stored.
   */
  ownAdminPassword: z.boolean().default(false),
  /** The firmware the phone runs, when known (some parameters mean something else on older firmware). */
  firmware: z.string().max(40).optional(),
  overrides: overrides.default({}),
});

export type PhoneEntry = z.output<typeof phoneEntrySchema>;
export type PhoneEntryInput = z.input<typeof phoneEntrySchema>;

/** Parses the sheet; throws an error listing every problem with its path (e.g. `osv.proxy.host`). */
export function parseSiteSettings(input: unknown): SiteSettings {
  return parseOrExplain(siteSettingsSchema, input, 'The site settings are');
}

export function parsePhoneEntries(input: unknown): PhoneEntry[] {
  return parseOrExplain(z.array(phoneEntrySchema), input, 'The phone list is');
}

function parseOrExplain<T extends z.ZodType>(schema: T, input: unknown, subject: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  throw new FieldkitError('invalid-input', `${subject} not valid:\n- ${problems.join('\n- ')}`, { problems });
}
