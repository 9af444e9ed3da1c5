// "Generate" for a site: the sheet and the inventory become phone entries, the generator turns them
// and the site settings into files, the result is validated and stored in the site. Every finding
// carries its fix and the guide section behind it; missing credentials are listed by what to set.
import {
  caFileName,
  generate,
  parameterRules,
  parsePhoneEntries,
  profileRules,
  provisioningPath,
  redactCfgText,
  serializeCfg,
} from '../config';
import { createCfgDocument } from '../config/cfg-format';
import { siteAdminSecret } from '../secrets/admin-passwords';
import { readTextIfExists } from '../workspace/atomic-file';
import { FieldkitError } from '../util/errors';
import { siteCredentialView } from './credentials';
import {
  EXPIRY_WARNING_DAYS,
  SELF_SIGNED_TRUST_FILE,
  loadCaBundle,
  selfSignedCertificate,
  serverCertificateView,
} from './site-certificates';
import { loadServerConfig, serverConfigWithKey, servedPath } from './targets-config';
import { saveGenerated, loadManifest, GENERATED_DIR } from './generated-store';
import { requireSiteSettings } from './provisioning-settings-file';
import { loadSitePhones } from './site-phones';
import type { Finding, GenerateResult, GeneratedFile, PhoneEntryInput, ProfileContext, SiteSettings } from '../config';
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
      ...(p.firmware ? { firmware: p.firmware } : {}),
    });
  }
  return { entries, findings, skipped };
}

/**
 * Every credential the files need that the store cannot give (derived passwords count as given when the
 * site has its secret). `store` should be the site's view (siteCredentialView).
 */
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

/** Which phones miss credentials, and whether a credential every phone needs is missing. */
export function credentialSummary(
  result: Pick<GenerateResult, 'files'>,
  missing: readonly MissingCredential[],
): GenerateReport['credentials'] {
  const phoneFiles = result.files.filter((f) => f.kind === 'phone' && f.mac);
  const incomplete = new Set<string>();
  let siteWide = false;
  for (const m of missing) {
    const owner = phoneFiles.find((f) => f.secretRefs.some((r) => r.key === m.key));
    const global = result.files.some((f) => f.kind !== 'phone' && f.secretRefs.some((r) => r.key === m.key));
    if (global || !owner) siteWide = true;
    if (owner?.mac) incomplete.add(owner.mac);
  }
  return {
    readyPhones: phoneFiles.length - incomplete.size,
    incompletePhones: [...incomplete].sort(),
    siteWideMissing: siteWide,
  };
}

export interface GenerateServiceOptions {
  fieldkitVersion: string;
  now?: Date;
  /** Fieldkit's data folder: where this laptop's self-signed HTTPS certificate is (lab and demo). */
  appDataDir?: string;
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
  const around = await generationContext(site, settings, options);
  const result = generateWith(settings, entries, options.fieldkitVersion, [...built.findings, ...around.findings], {
    ...around.context,
    siteId: site.meta.id,
  });
  for (const f of result.files) {
    if (f.kind !== 'phone' || !f.mac || !options.phoneFiles) continue;
    options.phoneFiles(f.mac, f.doc);
    f.text = serializeCfg(f.doc);
  }
  result.files.push(...around.assets);
  // the site's admin secret is made when first needed: now, when the files first name derived passwords
  await siteAdminSecret(store, site.meta.id, { create: true });
  const manifest = await saveGenerated(site, result, options.fieldkitVersion, options.now);
  const missing = await missingCredentials(result, await siteCredentialView(site, store));
  return {
    generatedAt: manifest.generatedAt,
    publishable: result.publishable,
    readyToPublish: result.publishable && missing.length === 0,
    findings: explain(result.findings),
    files: result.files.map((f) => fileView(f.name, f.kind, f.text, f.model, f.mac)),
    missingCredentials: missing,
    phones: { generated: entries.length, skipped: built.skipped },
    credentials: credentialSummary(result, missing),
  };
}

function generateWith(
  settings: SiteSettings,
  entries: Parameters<typeof generate>[1],
  version: string,
  extraFindings: Finding[],
  context: ProfileContext,
): GenerateResult {
  const result = generate(settings, entries, { fieldkitVersion: version, ...context });
  const findings = [...extraFindings, ...result.findings];
  return { ...result, findings, publishable: !findings.some((f) => f.severity === 'error') };
}

/**
 * Whether the site's settings point the phones at this site's built-in server (same protocol, port and
 * folder, and its address or none chosen yet): then the generated path carries the server's key.
 */
export async function builtinServerFor(
  site: SiteWorkspace,
  settings: SiteSettings,
): Promise<Awaited<ReturnType<typeof serverConfigWithKey>> | undefined> {
  const config = await loadServerConfig(site).catch(() => undefined);
  if (!config) return undefined;
  const p = settings.provisioning;
  const https = p.protocol === 'HTTPS';
  if (!https && p.protocol !== 'HTTP') return undefined;
  const norm = (path: string) => path.replace(/^\/+|\/+$/g, '');
  const samePort = (p.port ?? (https ? 443 : 80)) === config.port;
  const sameHost = config.address === '' || config.address === '0.0.0.0' || config.address === p.server;
  if (config.https !== https || !samePort || !sameHost || norm(p.path) !== norm(config.pathPrefix)) return undefined;
  return serverConfigWithKey(site);
}

/** The phones' provisioning settings as generated: the path with the built-in server's key when it applies. */
export async function effectiveProvisioning(
  site: SiteWorkspace,
  settings: SiteSettings,
): Promise<SiteSettings['provisioning']> {
  const builtin = await builtinServerFor(site, settings);
  return builtin
    ? { ...settings.provisioning, path: provisioningPath(settings, { pathKey: builtin.pathKey }) }
    : settings.provisioning;
}

function asset(name: string, text: string): GeneratedFile {
  return { name, kind: 'asset', doc: createCfgDocument(), text, secretRefs: [] };
}

/** What generation needs besides the settings: the built-in server, the CA bundle, the HTTPS trust file. */
async function generationContext(
  site: SiteWorkspace,
  settings: SiteSettings,
  options: GenerateServiceOptions,
): Promise<{ context: ProfileContext; assets: GeneratedFile[]; findings: Finding[] }> {
  const findings: Finding[] = [];
  const assets: GeneratedFile[] = [];
  const context: ProfileContext = {};
  const now = options.now ?? new Date();
  const builtin = await builtinServerFor(site, settings);
  if (builtin) {
    context.pathKey = builtin.pathKey;
    if (builtin.digest.enabled) context.httpDigest = true;
    findings.push({
      severity: 'info',
      ruleId: 'site.provisioning',
      file: 'startup.cfg',
      message: `The phones fetch from this site's built-in server, so their path is ${servedPath(builtin)} (the folder plus the server's random key: the server answers nothing outside it).`,
      fix: 'Nothing to do; generate again if the server settings change.',
    });
  }
  const https = settings.provisioning.protocol === 'HTTPS';
  const validate = settings.provisioning.validateCertificates !== false;
  const bundle = await loadCaBundle(site, now).catch((e: unknown) => {
    findings.push({
      severity: 'error',
      ruleId: 'osv.tls',
      message: `The site's CA bundle cannot be read: ${(e as Error).message}`,
      fix: 'Import the CA certificate again (CLI: fieldkit ca import <file.pem> --site DIR).',
    });
    return undefined;
  });
  let caNeeded = settings.osv.transport === 'tls';
  if (https && validate && builtin && !(await serverCertificateView(site, now)).certificate) {
    // the lab's self-signed certificate: the phones can only trust it as a user certificate
    if (options.appDataDir) {
      assets.push(asset(SELF_SIGNED_TRUST_FILE, (await selfSignedCertificate(options.appDataDir)).cert));
      context.httpsTrustFile = SELF_SIGNED_TRUST_FILE;
    }
    findings.push({
      severity: 'warning',
      ruleId: 'harden.https-trust',
      file: 'startup.cfg',
      message:
        "The built-in HTTPS server uses this laptop's self-signed certificate: for the lab and the demo only. Phones trust it only after loading it (https user certificates) over a connection they already trust.",
      fix: "Import a certificate issued by the customer's CA for the built-in server (Provisioning > Certificates), with that CA in the site's CA bundle.",
    });
  } else if (https && validate) caNeeded = true;
  if (https && !validate)
    findings.push({
      severity: 'warning',
      ruleId: 'harden.https-trust',
      file: 'startup.cfg',
      message:
        'HTTPS certificate validation is off (https validate certificates: 0): the phones accept any server, so HTTPS gives no protection against a host posing as the provisioning server.',
      fix: "Turn validation on with the customer's CA bundle imported, or record the deviation in the security checklist with the customer (guide §2.2).",
    });
  if (caNeeded && !bundle)
    findings.push({
      severity: 'error',
      ruleId: 'osv.tls',
      file: 'startup.cfg',
      message: `${settings.osv.transport === 'tls' ? 'SIP over TLS' : 'HTTPS provisioning'} needs the customer's CA certificate on the phones, and this site has none imported: the phones could not trust ${settings.osv.transport === 'tls' ? 'OpenScape Voice' : 'the provisioning server'} (guide §5).`,
      fix: 'Import the CA certificate (PEM) that issued the OSV and provisioning server certificates: Provisioning > Certificates, or fieldkit ca import <file.pem> --site DIR. Or choose another transport and record the deviation.',
    });
  if (bundle) {
    assets.push(asset(caFileName(settings), bundle.pem));
    for (const c of bundle.certificates) {
      if (c.daysLeft < 0)
        findings.push({
          severity: 'error',
          ruleId: 'osv.tls',
          file: caFileName(settings),
          message: `The CA certificate ${c.subject} expired on ${c.notAfter}.`,
          fix: 'Import the renewed CA certificate from the customer.',
        });
      else if (c.daysLeft < EXPIRY_WARNING_DAYS)
        findings.push({
          severity: 'warning',
          ruleId: 'osv.tls',
          file: caFileName(settings),
          message: `The CA certificate ${c.subject} expires in ${c.daysLeft} days (${c.notAfter}).`,
          fix: 'Plan the renewal with the customer and import the new CA certificate before then.',
        });
    }
  }
  return { context, assets, findings };
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
