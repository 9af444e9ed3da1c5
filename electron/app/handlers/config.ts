import { profileRules } from '../../core/config';
import { generateForSite, generatedFileText, lastGenerated } from '../../core/provisioning/config-generation';
import {
  loadSiteSettings,
  saveSiteSettings,
  SITE_SETTINGS_FILE,
} from '../../core/provisioning/provisioning-settings-file';
import { SettingsInputSchema } from '../../api/calls/config';
import { checkCredential, credentialStatus } from '../../core/provisioning/credentials';
import { pinnedPhoneFiles } from '../../core/firmware/pins';
import { FieldkitError } from '../../core/util/errors';
import type { Handlers } from '../../api/dispatcher';
import type { SiteWorkspace } from '../../core/workspace/site-workspace';
import type { configCalls, SettingsInput } from '../../api/calls/config';
import type { AppContext } from '../app-context';

/** Stored settings as the form shows them: the contract's view of them (unknown keys of older files dropped). */
function enteredSettings(site: SiteWorkspace, stored: Record<string, unknown> | null): SettingsInput | null {
  if (stored === null) return null;
  const parsed = SettingsInputSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  throw new FieldkitError(
    'workspace-corrupt',
    `${site.path(SITE_SETTINGS_FILE)} holds settings Fieldkit cannot use: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. Correct them in Provisioning > Settings and save again.`,
  );
}

export function configHandlers(
  app: Pick<AppContext, 'currentSite' | 'platform'>,
): Pick<Handlers, keyof typeof configCalls> {
  const secrets = app.platform.secrets;
  const settingsView = async () => {
    const site = app.currentSite();
    const s = await loadSiteSettings(site);
    return { settings: enteredSettings(site, s.input), phones: s.phones, updatedAt: s.updatedAt };
  };
  return {
    'config.settings.get': settingsView,
    'config.settings.save': async ({ settings, phones }) => {
      // `settings` is what the contract parsed (known keys only, bounded), never the raw payload.
      const site = app.currentSite();
      const saved = await saveSiteSettings(site, { settings, ...(phones ? { phones } : {}) });
      return { settings: enteredSettings(site, saved.input), phones: saved.phones, updatedAt: saved.updatedAt };
    },
    'config.rules': async () =>
      profileRules.map((r) => ({ ...r, knownIssues: [...r.knownIssues], parameters: [...r.parameters] })),
    'config.generate': async () =>
      generateForSite(app.currentSite(), secrets, {
        fieldkitVersion: app.platform.version,
        appDataDir: app.platform.appDataDir,
        // firmware pins go into every regenerated <MAC>.cfg, so a later publish never flips a phone back
        phoneFiles: await pinnedPhoneFiles(app.currentSite()),
      }),
    'config.files': async ({ name }) => {
      const site = app.currentSite();
      return { generated: await lastGenerated(site), file: name ? await generatedFileText(site, name) : null };
    },
    'credentials.set': async ({ key, value }) => {
      checkCredential(key, value);
      await secrets.set(key, value);
      return { key, set: true as const };
    },
    'credentials.clear': async ({ key }) => {
      await secrets.delete(key);
      return { key, set: false as const };
    },
    'credentials.status': async () => credentialStatus(app.currentSite(), secrets),
  };
}
