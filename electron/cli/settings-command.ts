// `fieldkit settings show|set --file settings.json`: the site's provisioning settings (OSV, NTP, provisioning
// server, ...), validated by the contract exactly as the app's form is; an error names each wrong field.
import { decodeText, readInputFile } from './read-text-file';
import { EXIT, parseOptions, printJson, UsageError, type CliCommand } from './command';
import type { CallInput, CallOutput } from '../api/contract';

type SettingsView = CallOutput<'config.settings.get'>;

/** A settings file is small; this bounds what is read before the contract checks it. */
const SETTINGS_MAX_BYTES = 1024 * 1024;

function describe(view: SettingsView): string {
  const s = view.settings;
  if (!s) return 'This site has no provisioning settings yet: fieldkit settings set --file settings.json.';
  const phones = Object.keys(view.phones).length;
  return [
    `OSV proxy:            ${s.osv.proxy.host}${s.osv.proxy.port ? `:${s.osv.proxy.port}` : ''} (${s.osv.transport ?? 'tls'})`,
    `NTP:                  ${[s.ntp.server1, s.ntp.server2, s.ntp.server3].filter(Boolean).join(', ')}`,
    `Provisioning server:  ${s.provisioning.protocol ?? 'HTTP'} ${s.provisioning.server}${s.provisioning.port ? `:${s.provisioning.port}` : ''}/${s.provisioning.path ?? ''}`,
    `Time zone:            ${s.timeZone ?? 'DE-Berlin'}`,
    `Per-phone additions:  ${phones} phone(s)`,
    `Saved:                ${view.updatedAt ?? 'never'}`,
    '(--json prints every setting as saved)',
  ].join('\n');
}

export const settingsCommand: CliCommand = {
  name: 'settings',
  summary: "Show the site's provisioning settings, or set them from a JSON file (validated, errors name the field).",
  usage: [
    'fieldkit settings show --site DIR [--json]',
    '       fieldkit settings set --file settings.json --site DIR [--json]',
    '  The file holds {"settings": {...}, "phones": {...}} as "settings show --json" prints it, or the settings',
    '  object alone. Per-phone additions are replaced only when the file has "phones". Passwords never go here:',
    '  they come from the environment (see "fieldkit credentials status").',
  ].join('\n'),
  async run(ctx) {
    const [action, ...rest] = ctx.args;
    if (action === 'show') {
      parseOptions(rest, {});
      const view = await ctx.call('config.settings.get', {});
      if (ctx.json) printJson(ctx.io, view);
      else ctx.io.out(describe(view));
      return EXIT.ok;
    }
    if (action === 'set') {
      const { values } = parseOptions(rest, { file: { type: 'string' } });
      if (!values.file) throw new UsageError('Give the settings file: --file settings.json.');
      const text = decodeText(await readInputFile(values.file, 'The settings file', SETTINGS_MAX_BYTES));
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new UsageError(`${values.file} is not JSON: ${(e as Error).message}`);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new UsageError(`${values.file} must hold a JSON object: {"settings": {...}} or the settings alone.`);
      const wrapped = 'settings' in parsed ? (parsed as Record<string, unknown>) : { settings: parsed };
      const input = {
        settings: wrapped.settings,
        ...(wrapped.phones !== undefined ? { phones: wrapped.phones } : {}),
      } as CallInput<'config.settings.save'>;
      const view = await ctx.call('config.settings.save', input);
      if (ctx.json) printJson(ctx.io, view);
      else ctx.io.out(`Saved.\n${describe(view)}`);
      return EXIT.ok;
    }
    throw new UsageError('Say "settings show" or "settings set --file settings.json".');
  },
};
