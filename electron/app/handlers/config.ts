import { checkParameter, profileRules } from '../../core/config';
import { generateForSite, generatedFileText, lastGenerated } from '../../core/provisioning/config-generation';
import { loadManifest } from '../../core/provisioning/generated-store';
import {
  loadSiteSettings,
  saveSiteSettings,
  SITE_SETTINGS_FILE,
} from '../../core/provisioning/provisioning-settings-file';
import { SettingsInputSchema } from '../../api/calls/config';
import { loadSitePhones } from '../../core/provisioning/site-phones';
import { pinnedPhoneFiles } from '../../core/firmware/pins';
import { secretKeys } from '../../core/secrets/secret-store';
import { FieldkitError } from '../../core/util/errors';
import type { SecretKey } from '../../core/secrets/secret-store';
import type { MissingCredential } from '../../core/provisioning/config-generation';
import type { Handlers } from '../../api/dispatcher';
import type { SiteWorkspace } from '../../core/workspace/site-workspace';
import type { configCalls, SettingsInput } from '../../api/calls/config';
import type { AppContext } from '../app-context';

const CONTROL = /[\u0000-\u001F\u007F\u0085\u2028\u2029]/;

/** Refuses a credential the phones would not accept, naming why (never echoing the value). */
function checkCredential(key: SecretKey, value: string): void {
  if (key.startsWith('phone-admin-password')) {
    const problems = checkParameter('admin password', value, { osvProfile: true }).filter(
      (f) => f.severity === 'error',
    );
    if (problems.length > 0)
      throw new FieldkitError(
        'invalid-input',
        `The admin password cannot be used: ${problems.map((p) => `${p.message} ${p.fix}`).join(' ')}`,
      );
  } else if (key.startsWith('sip-password') && CONTROL.test(value)) {
    throw new FieldkitError('invalid-input', 'The SIP password must not contain line breaks or control characters.');
  }
}

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
        // firmware pins go into every regenerated <MAC>.cfg, so a later publish never flips a phone back
        phoneFiles: await pinnedPhoneFiles(app.currentSite()),
      }),
    'config.files': async ({ name }) => {
      const site = app.currentSite();
      return { generated: await lastGenerated(site), file: name ? await generatedFileText(site, name) : null };
    },
    'credentials.set': async ({ key, value }) => {
      checkCredential(key as SecretKey, value);
      await secrets.set(key as SecretKey, value);
      return { key, set: true as const };
    },
    'credentials.clear': async ({ key }) => {
      await secrets.delete(key as SecretKey);
      return { key, set: false as const };
    },
    'credentials.status': async () => {
      const site = app.currentSite();
      const keys = new Set(await secrets.list());
      const has = async (key: SecretKey) => keys.has(key) || ((await secrets.get(key)) ?? '') !== '';
      const { phones: perPhone } = await loadSiteSettings(site);
      const phones = [];
      for (const p of (await loadSitePhones(site)).filter((x) => x.inSheet)) {
        const own = perPhone[p.mac]?.ownAdminPassword ?? false;
        phones.push({
          mac: p.mac,
          directoryNumber: p.directoryNumber,
          sipPassword: await has(secretKeys.sipPassword(p.mac)),
          ownAdminPassword: own,
          adminPassword: await has(own ? secretKeys.phoneAdminPassword(p.mac) : secretKeys.adminPassword()),
        });
      }
      const missing: MissingCredential[] = [];
      const manifest = await loadManifest(site);
      const seen = new Set<string>();
      for (const file of manifest?.files ?? []) {
        for (const ref of file.secretRefs) {
          if (seen.has(ref.key)) continue;
          seen.add(ref.key);
          if (!(await has(ref.key as SecretKey)))
            missing.push({
              key: ref.key as SecretKey,
              ...(file.mac && ref.key.includes(':') ? { mac: file.mac } : {}),
              what: ref.missing,
            });
        }
      }
      return { keys: [...keys].sort(), adminPassword: await has(secretKeys.adminPassword()), phones, missing };
    },
  };
}
