// Provisioning settings, generation and credentials. Credentials are write-only: no call ever
// returns a stored value.
import { z } from 'zod';
import { FindingSchema as StoredFindingSchema } from '../../core/provisioning/generated-store';
import { call } from '../schema-kit';
import { Empty } from './common';

/** A finding as the UI shows it: the stored finding plus the guide section it comes from. */
const FindingSchema = StoredFindingSchema.extend({ section: z.string() });

const FileKind = z.enum(['global', 'model', 'phone']);
const FileEntrySchema = z.object({
  name: z.string(),
  kind: FileKind,
  model: z.string().optional(),
  mac: z.string().optional(),
});
const FileViewSchema = FileEntrySchema.extend({ text: z.string(), lines: z.number().int() });

const MissingCredentialSchema = z.object({ key: z.string(), mac: z.string().optional(), what: z.string() });

const PhoneOverrideInput = z.object({
  overrides: z.record(z.string().max(200), z.string().max(2000)).optional(),
  ownAdminPassword: z.boolean().optional(),
});

const SettingsViewSchema = z.object({
  /** As saved (the form's content); null before the first save. */
  settings: z.record(z.string(), z.unknown()).nullable(),
  phones: z.record(
    z.string(),
    z.object({ overrides: z.record(z.string(), z.string()), ownAdminPassword: z.boolean() }),
  ),
  updatedAt: z.string().nullable(),
});

const ProfileRuleSchema = z.object({
  id: z.string(),
  title: z.string(),
  source: z.string(),
  knownIssues: z.array(z.string()),
  rationale: z.string(),
  parameters: z.array(z.string()),
});

export const SecretKeyInput = z
  .string()
  .max(120)
  .regex(
    /^(phone-admin-password|phone-admin-password:[0-9A-F]{12}|sip-password:[0-9A-F]{12}|sftp-password:[A-Za-z0-9._-]{1,64}|sftp-private-key:[A-Za-z0-9._-]{1,64})$/,
    'is not a credential name: use phone-admin-password, phone-admin-password:<MAC>, sip-password:<MAC> (MAC as 12 uppercase hex digits), sftp-password:<target> or sftp-private-key:<target>',
  );

export const configCalls = {
  'config.settings.get': call(
    Empty,
    SettingsViewSchema,
    "The site's provisioning settings and per-phone additions (no secrets).",
  ),
  'config.settings.save': call(
    z
      .object({
        settings: z.record(z.string(), z.unknown()),
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
    z.object({
      generatedAt: z.string(),
      publishable: z.boolean(),
      readyToPublish: z.boolean(),
      findings: z.array(FindingSchema),
      files: z.array(FileViewSchema),
      missingCredentials: z.array(MissingCredentialSchema),
      phones: z.object({ generated: z.number().int(), skipped: z.number().int() }),
    }),
    'Generate every configuration file from the settings, the sheet and the inventory, validate and store them.',
  ),
  'config.files': call(
    z.object({ name: z.string().max(80).optional() }).strict(),
    z.object({
      generated: z
        .object({
          generatedAt: z.string(),
          publishable: z.boolean(),
          findings: z.array(FindingSchema),
          files: z.array(FileEntrySchema),
        })
        .nullable(),
      file: FileViewSchema.nullable(),
    }),
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
    z.object({
      /** Names of the stored credentials, never values. */
      keys: z.array(z.string()),
      adminPassword: z.boolean(),
      phones: z.array(
        z.object({
          mac: z.string(),
          directoryNumber: z.string(),
          sipPassword: z.boolean(),
          ownAdminPassword: z.boolean(),
          adminPassword: z.boolean(),
        }),
      ),
      missing: z.array(MissingCredentialSchema),
    }),
    'Which credentials are set for the site and its phones (never their values), and what is missing.',
  ),
} as const;
