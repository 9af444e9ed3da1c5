// Everything the automatic checklist items look at, read from the site in one go: the inventory (devices
// joined with the technician's sheet), the generated configuration as each phone ends up with it, the
// firmware changes Fieldkit made, and whether the credential store holds usable admin passwords (booleans
// only: no secret value leaves this module). The engine is a pure function of this snapshot.
import { mergeEffectiveValues, normaliseParamName } from '../config/cfg-format';
import { SECRET_PLACEHOLDER } from '../config/generator';
import { loadGenerated } from '../provisioning/generated-store';
import { latestVerifyReport, type VerifyReport } from '../provisioning/verify-job';
import { InventoryStore } from '../inventory/inventory-store';
import { parseMac } from '../phone/mac';
import { readFirmwareChanges, type FirmwareChange } from '../firmware/firmware-changes';
import { siteSecrets } from '../secrets/admin-passwords';
import { loadCaBundle, serverCertificateView, type ServerCertificateView } from '../provisioning/site-certificates';
import { loadSiteSettings } from '../provisioning/provisioning-settings-file';
import type { CertificateInfo } from '../provisioning/certificates';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { SecretKey, SecretStore } from '../secrets/secret-store';
import type { InventoryRow } from '../inventory/inventory-rows';
import type { Finding } from '../config/parameter-rules';
import type { GeneratedFile } from '../config/generator';

export interface ConfigParam {
  value: string;
  lock: boolean;
  file: string;
  line: number;
  /** The value is a credential placeholder, filled in from the store when published. */
  secret: boolean;
}

export interface PhoneConfig {
  /** Canonical MAC, AA:BB:CC:DD:EE:FF. */
  mac: string;
  file: string;
  model: string | null;
  /** Normalised parameter name → what the phone ends up with (startup.cfg → <model>.cfg → <MAC>.cfg). */
  params: Record<string, ConfigParam>;
}

export type ConfigState =
  | { state: 'none' }
  | { state: 'unreadable'; message: string }
  | { state: 'generated'; generatedAt: string; findings: Finding[]; phones: PhoneConfig[] };

export interface CredentialState {
  key: SecretKey;
  stored: boolean;
  numeric: boolean;
  isDefault: boolean;
}

export type VerifyState =
  | { state: 'none' }
  | { state: 'unreadable'; message: string }
  | {
      state: 'verified';
      jobId: string;
      finishedAt: string;
      results: Pick<VerifyReport['results'][number], 'mac' | 'verdict' | 'reasons' | 'firmware'>[];
    };

export interface ChecklistInputs {
  /**
   * Phones of this integration: supported models seen by a scan, and sheet phones not seen yet. Gone phones are left
   * out.
   */
  phones: InventoryRow[];
  /** Other devices present on the scanned networks (not part of the integration). */
  otherDevices: InventoryRow[];
  config: ConfigState;
  firmwareChanges: FirmwareChange[];
  /** The latest verification of the phones after a reboot (phone reads). */
  verify: VerifyState;
  /** Admin password credentials the generated files use; null when no store was consulted. */
  adminCredentials: CredentialState[] | null;
  /** The site's CA bundle and the built-in HTTPS server's certificate (expiry is checked from them). */
  certificates?: { ca: CertificateInfo[] | null; server: ServerCertificateView | null; unreadable?: string };
  /** Site choices the checklist records as deviations. */
  siteOptions?: { allowRoutedWebLogin: boolean };
}

export function isIntegrationPhone(row: InventoryRow): boolean {
  if (row.presence === 'gone') return false;
  return row.classification === 'supported' || (row.classification === null && row.presence === 'expected');
}

function phoneConfigs(files: Awaited<ReturnType<typeof loadGenerated>>, rows: readonly InventoryRow[]): PhoneConfig[] {
  if (!files) return [];
  const byName = new Map(files.files.map((f) => [f.name, f]));
  const global =
    files.files.find((f) => f.kind === 'global' && f.name === 'startup.cfg') ??
    files.files.find((f) => f.kind === 'global');
  const modelOf = new Map(rows.filter((r) => r.mac).map((r) => [r.mac!, r.model]));
  const secretLines = new Set(files.files.flatMap((f) => f.secretRefs.map((r) => `${f.name}:${r.line}`)));
  const paramsOf = (docs: (GeneratedFile | undefined)[]): Record<string, ConfigParam> => {
    const params: Record<string, ConfigParam> = {};
    const sources = docs.filter((f) => f !== undefined).map((f) => ({ file: f.name, doc: f.doc }));
    for (const [key, p] of mergeEffectiveValues(sources)) {
      const secret = secretLines.has(`${p.file}:${p.line}`);
      params[key] = { value: secret ? SECRET_PLACEHOLDER : p.value, lock: p.lock, file: p.file, line: p.line, secret };
    }
    return params;
  };
  // The global and model files are the same for hundreds of phones: merged once per model, not once per phone.
  const sharedByModel = new Map<GeneratedFile | undefined, Record<string, ConfigParam>>();
  const shared = (modelFile: GeneratedFile | undefined) => {
    let params = sharedByModel.get(modelFile);
    if (!params) sharedByModel.set(modelFile, (params = paramsOf([global, modelFile])));
    return params;
  };
  return files.files
    .filter((f) => f.kind === 'phone' && f.mac)
    .map((file) => {
      const mac = parseMac(file.mac!) ?? file.mac!;
      const model = modelOf.get(mac) ?? /Mitel (68\d\di)/.exec(file.text)?.[1] ?? null;
      const modelFile = model ? byName.get(`${model}.cfg`) : undefined;
      const params: Record<string, ConfigParam> = { ...shared(modelFile) };
      Object.assign(params, paramsOf([file]));
      return { mac, file: file.name, model, params };
    });
}

async function credentialStates(
  store: SecretStore,
  files: Awaited<ReturnType<typeof loadGenerated>>,
): Promise<CredentialState[]> {
  const keys = new Set<SecretKey>();
  for (const f of files?.files ?? []) {
    for (const r of f.secretRefs) if (normaliseParamName(r.parameter) === 'admin password') keys.add(r.key);
  }
  const out: CredentialState[] = [];
  for (const key of [...keys].sort()) {
    const value = await store.get(key);
    const stored = value !== undefined && value !== '';
    out.push({ key, stored, numeric: stored && /^\d+$/.test(value), isDefault: value === '22222' });
  }
  return out;
}

/** Reads the site's data for the checklist. A damaged or hand-edited generated set becomes evidence, not a crash. */
export async function loadChecklistInputs(site: SiteWorkspace, secrets?: SecretStore): Promise<ChecklistInputs> {
  const rows = await InventoryStore.for(site).rows();
  let config: ConfigState = { state: 'none' };
  let generated: Awaited<ReturnType<typeof loadGenerated>> = undefined;
  try {
    generated = await loadGenerated(site);
    if (generated)
      config = {
        state: 'generated',
        generatedAt: generated.manifest.generatedAt,
        findings: generated.manifest.findings,
        phones: phoneConfigs(generated, rows),
      };
  } catch (e) {
    config = { state: 'unreadable', message: (e as Error).message };
  }
  let verify: VerifyState = { state: 'none' };
  try {
    const report = await latestVerifyReport(site);
    if (report)
      verify = {
        state: 'verified',
        jobId: report.jobId,
        finishedAt: report.finishedAt,
        results: report.results.map((r) => ({
          mac: r.mac,
          verdict: r.verdict,
          reasons: r.reasons,
          firmware: r.firmware,
        })),
      };
  } catch (e) {
    verify = { state: 'unreadable', message: (e as Error).message };
  }
  return {
    phones: rows.filter(isIntegrationPhone),
    verify,
    otherDevices: rows.filter((r) => !isIntegrationPhone(r) && r.presence === 'present'),
    config,
    firmwareChanges: await readFirmwareChanges(site),
    adminCredentials: secrets ? await credentialStates(siteSecrets(secrets, site.meta.id), generated) : null,
    certificates: await certificateInputs(site),
    siteOptions: {
      allowRoutedWebLogin:
        (await loadSiteSettings(site).catch(() => undefined))?.settings?.allowRoutedWebLogin ?? false,
    },
  };
}

async function certificateInputs(site: SiteWorkspace): Promise<NonNullable<ChecklistInputs['certificates']>> {
  try {
    const ca = await loadCaBundle(site);
    const server = await serverCertificateView(site);
    return { ca: ca?.certificates ?? null, server: server.kind === 'imported' ? server : null };
  } catch (e) {
    return { ca: null, server: null, unreadable: (e as Error).message };
  }
}
