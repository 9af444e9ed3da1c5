// "Generate" for a site: the sheet and the inventory become phone entries, the generator turns them
// and the site settings into files, the result is validated and stored in the site. Every finding
// carries its fix and the guide section behind it; missing credentials are listed by what to set.
import { generate, parameterRules, parsePhoneEntries, profileRules, redactCfgText, serializeCfg } from '../config';
import { readTextIfExists } from '../workspace/atomic-file';
import { FieldkitError } from '../util/errors';
import { saveGenerated, loadManifest, GENERATED_DIR } from './generated-store';
import { requireSiteSettings } from './provisioning-settings-file';
import { loadSitePhones } from './site-phones';
import type { Finding, GeneratedFile, GenerateResult, PhoneEntryInput, SiteSettings } from '../config';
import type { SecretKey, SecretStore } from '../secrets/secret-store';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { PhoneOverride } from './provisioning-settings-file';
import type { SitePhone } from './site-phones';
import type {
  ExplainedFinding,
  GeneratedFileView,
  GeneratedSet,
  GenerateReport,
  MissingCredential,
} from './generation-schemas';

export type { ExplainedFinding, GeneratedFileView, GenerateReport, MissingCredential };

const sections = new Map<string, string>([
  ...profileRules.map((r) => [r.id, r.source] as const),
  ...parameterRules.map((r) => [r.id, r.source] as const),
]);

export function findingSection(ruleId: string): string {
  const known = sections.get(ruleId);
  if (known) return known;
  if (ruleId.startsWith('sheet.')) return 'technician sheet; guide §4.2';
  if (ruleId.startsWith('generator.')) return 'Fieldkit generator; phone-facts §1';
  return 'Fieldkit';
}

export function explain(findings: readonly Finding[]): ExplainedFinding[] {
  return findings.map((f) => ({ ...f, section: findingSection(f.ruleId) }));
}

export interface PhoneEntriesResult {
  entries: PhoneEntryInput[];
  findings: Finding[];
  skipped: number;
}

/** Which sheet rows can become a <MAC>.cfg; the others become findings saying what to fill in. */
export function phoneEntriesFor(
  phones: readonly SitePhone[],
  perPhone: Readonly<Record<string, PhoneOverride>>,
): PhoneEntriesResult {
  const entries: PhoneEntryInput[] = [];
  const findings: Finding[] = [];
  let skipped = 0;
  for (const p of phones) {
    const file = `${p.mac}.cfg`;
    if (!p.inSheet) {
      skipped++;
      findings.push({
        severity: 'info',
        ruleId: 'sheet.not-in-sheet',
        file,
        message: `Discovered phone ${p.mac} (${p.model ?? 'model unknown'}${p.ip ? ` at ${p.ip}` : ''}) is not in the sheet, so no configuration was generated for it.`,
        fix: 'Add it to the sheet with its directory number if it should be provisioned.',
      });
      continue;
    }
    if (p.unsupportedModel !== null) {
      skipped++;
      findings.push({
        severity: 'warning',
        ruleId: 'sheet.unsupported-model',
        file,
        message: `Phone ${p.mac} is a "${p.unsupportedModel}" in the sheet; Fieldkit provisions only the 6867i and 6865i, so it was left out.`,
        fix: 'Correct the model in the sheet if it is a 6867i or 6865i.',
      });
      continue;
    }
    if (p.model === null) {
      skipped++;
      findings.push({
        severity: 'error',
        ruleId: 'sheet.model-unknown',
        file,
        message: `The model of phone ${p.mac} is not known: the sheet has no model for it and discovery has not seen it.`,
        fix: 'Add the model (6867i or 6865i) to the sheet, or discover the phones first.',
      });
      continue;
    }
    if (p.directoryNumber === '') {
      skipped++;
      findings.push({
        severity: 'error',
        ruleId: 'sheet.no-directory-number',
        file,
        message: `Phone ${p.mac} has no directory number in the sheet; it is also the SIP user name (guide §4.2).`,
        fix: 'Fill in the directory number for this MAC in the sheet.',
      });
      continue;
    }
    const extra = perPhone[p.mac];
    entries.push({
      mac: p.mac,
      model: p.model,
      directoryNumber: p.directoryNumber,
      displayName: p.displayName.slice(0, 64),
      ...(p.location ? { location: p.location.slice(0, 120) } : {}),
      ownAdminPassword: extra?.ownAdminPassword ?? false,
      overrides: extra?.overrides ?? {},
    });
  }
  return { entries, findings, skipped };
}

export async function missingCredentials(
  result: Pick<GenerateResult, 'files'>,
  store: SecretStore,
): Promise<MissingCredential[]> {
  const out = new Map<SecretKey, MissingCredential>();
  for (const file of result.files) {
    for (const ref of file.secretRefs) {
      if (out.has(ref.key)) continue;
      const value = await store.get(ref.key);
      if (value === undefined || value === '')
        out.set(ref.key, {
          key: ref.key,
          ...(file.mac && ref.key.includes(':') ? { mac: file.mac } : {}),
          what: ref.missing,
        });
    }
  }
  return [...out.values()];
}

export interface GenerateServiceOptions {
  fieldkitVersion: string;
  now?: Date;
  /**
   * Adds lines at the end of a phone's `<MAC>.cfg`, e.g. its firmware pin (injected by the app: provisioning does not
   * depend on firmware).
   */
  phoneFiles?: (mac: string, doc: GeneratedFile['doc']) => void;
}

export async function generateForSite(
  site: SiteWorkspace,
  store: SecretStore,
  options: GenerateServiceOptions,
): Promise<GenerateReport> {
  const { settings, phones: perPhone } = await requireSiteSettings(site);
  const phones = await loadSitePhones(site);
  const built = phoneEntriesFor(phones, perPhone);
  const entries = parsePhoneEntries(built.entries);
  const result = generateWith(settings, entries, options.fieldkitVersion, built.findings);
  for (const f of result.files) {
    if (f.kind !== 'phone' || !f.mac || !options.phoneFiles) continue;
    options.phoneFiles(f.mac, f.doc);
    f.text = serializeCfg(f.doc);
  }
  const manifest = await saveGenerated(site, result, options.fieldkitVersion, options.now);
  const missing = await missingCredentials(result, store);
  return {
    generatedAt: manifest.generatedAt,
    publishable: result.publishable,
    readyToPublish: result.publishable && missing.length === 0,
    findings: explain(result.findings),
    files: result.files.map((f) => fileView(f.name, f.kind, f.text, f.model, f.mac)),
    missingCredentials: missing,
    phones: { generated: entries.length, skipped: built.skipped },
  };
}

function generateWith(
  settings: SiteSettings,
  entries: Parameters<typeof generate>[1],
  version: string,
  sheetFindings: Finding[],
): GenerateResult {
  const result = generate(settings, entries, { fieldkitVersion: version });
  const findings = [...sheetFindings, ...result.findings];
  return { ...result, findings, publishable: !findings.some((f) => f.severity === 'error') };
}

function fileView(
  name: string,
  kind: GeneratedFileView['kind'],
  text: string,
  model?: string,
  mac?: string,
): GeneratedFileView {
  const shown = redactCfgText(text).text;
  return {
    name,
    kind,
    ...(model ? { model } : {}),
    ...(mac ? { mac } : {}),
    text: shown,
    lines: shown.split('\n').length,
  };
}

/** The last generated set as stored: file list and findings, without regenerating. */
export async function lastGenerated(site: SiteWorkspace): Promise<GeneratedSet | null> {
  const manifest = await loadManifest(site);
  if (!manifest) return null;
  return {
    generatedAt: manifest.generatedAt,
    publishable: manifest.publishable,
    findings: explain(manifest.findings),
    files: manifest.files.map((f) => ({
      name: f.name,
      kind: f.kind,
      ...(f.model ? { model: f.model } : {}),
      ...(f.mac ? { mac: f.mac } : {}),
    })),
  };
}

/** One stored generated file's text, redacted. */
export async function generatedFileText(site: SiteWorkspace, name: string): Promise<GeneratedFileView> {
  const manifest = await loadManifest(site);
  const entry = manifest?.files.find((f) => f.name === name);
  if (!entry)
    throw new FieldkitError(
      'not-found',
      `${name} is not in the generated set of this site. Generate first, or pick a file from the list.`,
    );
  const text = await readTextIfExists(site.path(GENERATED_DIR, entry.name));
  if (text === undefined)
    throw new FieldkitError('workspace-corrupt', `${entry.name} is missing from ${GENERATED_DIR}. Generate again.`);
  return fileView(entry.name, entry.kind, text, entry.model, entry.mac);
}
