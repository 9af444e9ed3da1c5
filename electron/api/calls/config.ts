// Provisioning settings, generation and credentials. Credentials are write-only: no call ever
// returns a stored value.
import { z } from 'zod';
import { boundedStrings, call, enteredOnly } from '../schema-kit';
import { siteSettingsSchema } from '../../core/config/provisioning-settings';
import { ProfileRuleSchema } from '../../core/config/profile-rule-schemas';
import { PhoneOverrideSchema } from '../../core/provisioning/provisioning-settings-file';
import {
  GeneratedFileViewSchema,
  GeneratedSetSchema,
  GenerateReportSchema,
  MissingCredentialSchema,
} from '../../core/provisioning/generation-schemas';
import { SecretKeySchema } from '../../core/secrets/secret-key';
import { LOGIN_SOURCES } from '../../core/secrets/login-memory';
import { Empty } from './common';

/**
 * The site's provisioning settings as the technician enters them: validated and stripped of unknown keys by the
 * settings schema itself, without its defaults (they apply when the settings are read), every text bounded.
 */
export const SettingsInputSchema = boundedStrings(enteredOnly(siteSettingsSchema), 2000);
export type SettingsInput = z.input<typeof SettingsInputSchema>;

const PhoneOverrideInput = z
  .object({
    overrides: z.record(z.string().max(200), z.string().max(2000)).optional(),
    ownAdminPassword: z.boolean().optional(),
  })
  .strict();

const SettingsViewSchema = z.object({
  /** As saved (the form's content); null before the first save. */
  settings: SettingsInputSchema.nullable(),
  phones: z.record(z.string(), PhoneOverrideSchema),
  updatedAt: z.string().nullable(),
});

/** One grammar for credential names (core/secrets/secret-key.ts). */
export const SecretKeyInput = SecretKeySchema;

const LoginSourceSchema = z.enum(LOGIN_SOURCES);

export const CredentialsStatusSchema = z.object({
  /** Names of the stored credentials, never values. */
  keys: z.array(z.string()),
  /** The site-wide admin password the phones have now (an earlier installer's), tried on first contact. */
  adminPassword: z.boolean(),
  /** The site secret every phone's admin password is derived from (admin-secret:<site>). */
  siteSecret: z.object({ key: z.string(), stored: z.boolean() }),
  phones: z.array(
    z.object({
      mac: z.string(),
      directoryNumber: z.string(),
      sipPassword: z.boolean(),
      ownAdminPassword: z.boolean(),
      /** Fieldkit can write an admin password for the phone (explicit, or derived from the site secret). */
      adminPassword: z.boolean(),
      /** Where the admin password Fieldkit sets comes from. */
      adminSource: z.enum(['explicit', 'derived', 'missing']),
      /** The technician entered the password the phone has now. */
      currentAdminPassword: z.boolean(),
      /** Which password the phone last accepted on its web UI (kept in the site, inventory/web-logins.json). */
      lastLogin: LoginSourceSchema.nullable(),
    }),
  ),
  missing: z.array(MissingCredentialSchema),
});

export const configCalls = {
  'config.settings.get': call(
    Empty,
    SettingsViewSchema,
    "The site's provisioning settings and per-phone additions (no secrets).",
  ),
  'config.settings.save': call(
    z
      .object({
        settings: SettingsInputSchema,
        phones: z.record(z.string().max(40), PhoneOverrideInput).optional(),
      })
      .strict(),
    SettingsViewSchema,
    "Validate and save the site's provisioning settings; an error names each wrong field.",
  ),
  'config.rules': call(
    Empty,
    z.array(ProfileRuleSchema),
    'The OSV integration rules with their guide sections, for explanations.',
  ),
  'config.generate': call(
    Empty,
    GenerateReportSchema,
    'Generate every configuration file from the settings, the sheet and the inventory, validate and store them.',
  ),
  'config.files': call(
    z.object({ name: z.string().max(80).optional() }).strict(),
    z.object({ generated: GeneratedSetSchema.nullable(), file: GeneratedFileViewSchema.nullable() }),
    'The last generated set (list and findings), and the text of one file when named (secrets hidden).',
  ),
  'credentials.set': call(
    z.object({ key: SecretKeyInput, value: z.string().min(1, 'is empty').max(16_384) }).strict(),
    z.object({ key: z.string(), set: z.literal(true) }),
    'Store a credential in the OS credential store; the value is never shown again nor written to the site.',
  ),
  'credentials.clear': call(
    z.object({ key: SecretKeyInput }).strict(),
    z.object({ key: z.string(), set: z.literal(false) }),
    'Remove a stored credential.',
  ),
  'credentials.status': call(
    Empty,
    CredentialsStatusSchema,
    'Which credentials are set for the site and its phones (never their values), and what is missing.',
  ),
} as const;
