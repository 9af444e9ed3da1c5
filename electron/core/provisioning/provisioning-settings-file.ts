// The site's provisioning settings as the workspace keeps them: `configs/site-settings.json` holds
// the OSV/site settings (validated with siteSettingsSchema) and the per-phone additions the sheet has
// no column for (extra parameters, own admin password). Secrets never go here: they live in the
// credential store.
import { z } from 'zod';
import { parseSiteSettings, phoneEntrySchema } from '../config/provisioning-settings';
import { parseMac, macFileStem } from '../phone/mac';
import { FieldkitError } from '../util/errors';
import type { SiteSettings, SiteSettingsInput } from '../config/provisioning-settings';
import type { SiteWorkspace } from '../workspace/site-workspace';

export const SITE_SETTINGS_FILE = 'configs/site-settings.json';

export const PhoneOverrideSchema = z.object({
  overrides: phoneEntrySchema.shape.overrides,
  ownAdminPassword: z.boolean().default(false),
});
export type PhoneOverride = z.output<typeof PhoneOverrideSchema>;

const macKey = z
  .string()
  .refine((m) => parseMac(m) !== null, { message: 'is not a MAC address; write 12 hex digits, e.g. 00085D1A2B3C' });

/** Stored as the technician entered it (defaults are applied on read, so later defaults reach old sites). */
export const SiteSettingsFileSchema = z.object({
  format: z.literal('fieldkit-site-settings'),
  formatVersion: z.literal(1),
  updatedAt: z.string(),
  settings: z.record(z.string(), z.unknown()),
  phones: z.record(macKey, PhoneOverrideSchema).default({}),
});
export type SiteSettingsFile = z.output<typeof SiteSettingsFileSchema>;

export interface StoredSiteSettings {
  /** Null when the site has no settings yet. */
  settings: SiteSettings | null;
  /** What was saved, for the form. */
  input: Record<string, unknown> | null;
  /** Per-phone additions keyed by 12 uppercase hex digits. */
  phones: Record<string, PhoneOverride>;
  updatedAt: string | null;
}

export async function loadSiteSettings(site: SiteWorkspace): Promise<StoredSiteSettings> {
  const file = await site.readJson(SITE_SETTINGS_FILE, SiteSettingsFileSchema);
  if (!file) return { settings: null, input: null, phones: {}, updatedAt: null };
  let settings: SiteSettings;
  try {
    settings = parseSiteSettings(file.settings);
  } catch (e) {
    throw new FieldkitError(
      'workspace-corrupt',
      `${site.path(SITE_SETTINGS_FILE)} holds settings Fieldkit cannot use. ${(e as Error).message}\nCorrect them in Provisioning > Settings and save again.`,
    );
  }
  return { settings, input: file.settings, phones: normalisePhones(file.phones), updatedAt: file.updatedAt };
}

/** The settings, or an error telling the technician to fill them in first. */
export async function requireSiteSettings(
  site: SiteWorkspace,
): Promise<StoredSiteSettings & { settings: SiteSettings }> {
  const stored = await loadSiteSettings(site);
  if (!stored.settings) {
    throw new FieldkitError(
      'not-found',
      'This site has no provisioning settings yet. Fill in Provisioning > Settings (OSV server, NTP, provisioning server) and save them first.',
    );
  }
  return stored as StoredSiteSettings & { settings: SiteSettings };
}

export interface SaveSiteSettingsInput {
  settings: SiteSettingsInput | Record<string, unknown>;
  /** Replaces every per-phone addition when given; kept as they are when left out. */
  phones?: Record<string, { overrides?: Record<string, string>; ownAdminPassword?: boolean }>;
}

/** Validates and saves; a bad value is an error naming its field (e.g. `osv.proxy.host`). */
export async function saveSiteSettings(
  site: SiteWorkspace,
  input: SaveSiteSettingsInput,
  now = new Date(),
): Promise<StoredSiteSettings> {
  const settings = parseSiteSettings(input.settings);
  // A damaged file stops the save (it is reported and kept), it is never silently replaced.
  const previous = await site.readJson(SITE_SETTINGS_FILE, SiteSettingsFileSchema);
  const phones = input.phones === undefined ? (previous?.phones ?? {}) : parsePhones(input.phones);
  const file: SiteSettingsFile = {
    format: 'fieldkit-site-settings',
    formatVersion: 1,
    updatedAt: now.toISOString(),
    settings: input.settings as Record<string, unknown>,
    phones: normalisePhones(phones),
  };
  await site.writeJson(SITE_SETTINGS_FILE, SiteSettingsFileSchema, file);
  return { settings, input: file.settings, phones: file.phones, updatedAt: file.updatedAt };
}

function parsePhones(input: Record<string, unknown>): Record<string, PhoneOverride> {
  const problems: string[] = [];
  const out: Record<string, PhoneOverride> = {};
  for (const [mac, value] of Object.entries(input)) {
    if (parseMac(mac) === null) {
      problems.push(`phones.${mac}: is not a MAC address; write 12 hex digits, e.g. 00085D1A2B3C`);
      continue;
    }
    const result = PhoneOverrideSchema.safeParse(value);
    if (result.success) out[mac] = result.data;
    else problems.push(...result.error.issues.map((i) => `phones.${mac}.${i.path.join('.')}: ${i.message}`));
  }
  if (problems.length > 0)
    throw new FieldkitError('invalid-input', `The per-phone settings are not valid:\n- ${problems.join('\n- ')}`, {
      problems,
    });
  return out;
}

function normalisePhones(phones: Record<string, PhoneOverride>): Record<string, PhoneOverride> {
  const out: Record<string, PhoneOverride> = {};
  for (const [mac, value] of Object.entries(phones)) out[macFileStem(mac)] = value;
  return out;
}
