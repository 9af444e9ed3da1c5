// Builds the firmware plan: which phones move from which version to which, which are skipped or
// excluded and why, and the guard rails the technician must see before confirming. Reads every
// candidate phone once over its web UI (version, configuration server, auto resync), and from the site's server
// the `.st` in home, the files the phones read (for `firmware server`, phone-facts §8) and each phone's <MAC>.cfg,
// which will carry its firmware pin; so the plan describes the phones as they are now.
import { randomBytes } from 'node:crypto';
import { compareFirmware, formatFirmwareVersion, OSV_MINIMUM, parseFirmwareVersion } from '../phone/firmware-version';
import { isSupportedModel, normaliseModel } from '../phone/models';
import { macFileStem, parseMac } from '../phone/mac';
import { isPhoneError } from '../phone/phone-error';
import { loadSitePhones } from '../provisioning/site-phones';
import { InventoryStore } from '../inventory/inventory-store';
import { mapBounded } from '../util/map-bounded';
import { FieldkitError } from '../util/errors';
import { sha256Hex } from '../util/hash';
import { provisionedAdminPassword, siteCredentialView } from '../provisioning/credentials';
import { describeLocation, locationFromUrl, pointsAt } from './firmware-server';
import { firmwareServerIn, readPins } from './pins';
import { GLOBAL_FILES } from './staging';
import { stagingFolder } from './paths';
import { readLibrary } from './library';
import { credentialsFor, readPhone } from './phone-access';
import { FirmwarePlanSchema, PlanRequestSchema } from './plan-types';
import type { SecretStore } from '../secrets/secret-store';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { FirmwareServer } from './firmware-server';
import type { LibraryEntry } from './library';
import type { PhoneReading } from './phone-access';
import type { FirmwarePlan, GuardRail, PhoneHome, PlannedPhone, PlanRequest, ResolvedTarget } from './plan-types';

export interface PlanDeps {
  site: SiteWorkspace;
  secrets: SecretStore;
  server: FirmwareServer;
  localAddress?: string;
}

const PLANS_DIR = 'firmware/plans';
const PROBE_CONCURRENCY = 32;

export function planPath(id: string): string {
  if (!/^[\w.-]{1,100}$/.test(id)) throw new FieldkitError('invalid-input', `"${id}" is not a firmware plan id.`);
  return `${PLANS_DIR}/${id}.json`;
}

export async function loadPlan(site: SiteWorkspace, id: string): Promise<FirmwarePlan> {
  const plan = await site.readJson(planPath(id), FirmwarePlanSchema);
  if (!plan) throw new FieldkitError('not-found', `No firmware plan ${id} in this site. Make the plan again.`);
  return plan;
}

function resolveTargets(
  request: ReturnType<typeof PlanRequestSchema.parse>,
  library: LibraryEntry[],
  rails: GuardRail[],
): ResolvedTarget[] {
  const resolved: ResolvedTarget[] = [];
  const byModel = new Map<string, Set<string>>();
  for (const t of request.targets) {
    const model = normaliseModel(t.model);
    const parsed = parseFirmwareVersion(t.version);
    if (!model || !isSupportedModel(model))
      throw new FieldkitError('invalid-input', `"${t.model}" is not a model Fieldkit flashes (6867i or 6865i).`);
    if (!parsed)
      throw new FieldkitError(
        'invalid-input',
        `"${t.version}" is not a firmware version; write four numbers, e.g. 6.5.0.224.`,
      );
    const version = formatFirmwareVersion(parsed);
    byModel.set(model, new Set([...(byModel.get(model) ?? []), version]));
    const entry = library.find((e) => e.model === model && e.version === version);
    if (!entry) {
      rails.push({
        id: 'target-not-in-library',
        severity: 'refuse',
        message: `There is no ${model} firmware ${version} in the site's firmware library.`,
        fix: 'Import the firmware package first (Firmware > Library).',
        macs: [],
      });
      continue;
    }
    if (!resolved.some((r) => r.libraryId === entry.id)) {
      resolved.push({
        model,
        version,
        libraryId: entry.id,
        sha256: entry.image.sha256,
        size: entry.image.size,
        stagingFolder: stagingFolder(model, version),
      });
    }
  }
  for (const [model, versions] of byModel) {
    if (versions.size > 1) {
      rails.push({
        id: 'two-versions-one-model',
        severity: 'refuse',
        message: `Two target versions for the ${model} (${[...versions].join(' and ')}): a server directory can hold only one ${model}.st (the file name is per model, phone-facts §2), so one run cannot move ${model} phones to two versions.`,
        fix: `Choose one version for the ${model}; run a second plan for the other.`,
        macs: [],
      });
    }
  }
  return resolved;
}

function homeOf(reading: PhoneReading, deps: PlanDeps): PhoneHome {
  const s = reading.configServer;
  const https = (s.protocol ?? '').toUpperCase() === 'HTTPS';
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(s)) if (typeof v === 'string') fields[k] = v;
  const location = deps.server.location;
  return {
    protocol: (s.protocol ?? '').toUpperCase(),
    server: (https ? s.httpsserv : s.httpserv) ?? '',
    port: (https ? s.httpsport : s.httpport) ?? '',
    path: ((https ? s.httpspath : s.httppath) ?? '').replace(/^\/+|\/+$/g, ''),
    autoResyncMode: s.autoResyncMode ?? '0',
    autoResyncTime: s.autoResyncTime ?? '',
    fields,
    onSiteServer: pointsAt(s, location),
  };
}

/**
 * Version of the `<model>.st` in the home directory (or in `folder` below it): null when there is none, 'unknown' when
 * it is not in the library.
 */
async function homeFirmware(
  deps: PlanDeps,
  library: LibraryEntry[],
  model: string,
  folder = '',
): Promise<string | null> {
  const target = folder === '' ? deps.server.home : (await deps.server.folder(folder)).target;
  const [state] = await target.stat([`${model}.st`]);
  if (!state?.exists) return null;
  let sha = state.sha256;
  if (!sha) {
    const bytes = await target.read(`${model}.st`);
    if (!bytes) return null;
    sha = sha256Hex(bytes);
  }
  return library.find((e) => e.model === model && e.image.sha256 === sha)?.version ?? 'unknown';
}

/**
 * The version a `firmware server` URL offers: read when the URL is a folder of the site's own server, else 'unknown'
 * (Fieldkit does not fetch from other servers).
 */
async function firmwareServerVersion(
  deps: PlanDeps,
  library: LibraryEntry[],
  model: string,
  url: string,
): Promise<string | null> {
  let where;
  try {
    where = locationFromUrl(url);
  } catch {
    return 'unknown';
  }
  const home = deps.server.location;
  if (where.protocol !== home.protocol || where.host !== home.host || where.port !== home.port) return 'unknown';
  const base = home.path === '' ? '' : `${home.path}/`;
  if (where.path !== home.path && !where.path.startsWith(base)) return 'unknown';
  return homeFirmware(deps, library, model, where.path.slice(base.length)).catch(() => 'unknown');
}

const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('utf8'));

/** A firmware-server-like field on /configurationServer.html, if a firmware shows one (not documented, §8). */
function localFirmwareField(fields: Record<string, string>): string | null {
  for (const [name, value] of Object.entries(fields))
    if (/firmware|fwserv|fw_?server/i.test(name) && value.trim() !== '') return value.trim();
  return null;
}

export function planToken(plan: Omit<FirmwarePlan, 'confirmToken'>): string {
  const essence = {
    targets: plan.targets.map((t) => [t.model, t.version, t.sha256]),
    options: plan.options,
    phones: plan.phones.map((p) => [p.mac, p.action, p.current, p.target, p.afterwards]),
  };
  return sha256Hex(JSON.stringify(essence)).slice(0, 16);
}

function summaryText(flash: PlannedPhone[], skip: number, exclude: number, targets: ResolvedTarget[]): string {
  const parts = targets.map((t) => {
    const phones = flash.filter((p) => p.model === t.model);
    return `${phones.length} ${t.model} to ${t.version}`;
  });
  return `Flash ${flash.length} phone(s): ${parts.join(', ')}; skip ${skip} already on target; exclude ${exclude}.`;
}

export async function makeFirmwarePlan(
  deps: PlanDeps,
  rawRequest: PlanRequest,
  now = new Date(),
): Promise<FirmwarePlan> {
  const parsedRequest = PlanRequestSchema.safeParse(rawRequest);
  if (!parsedRequest.success) {
    throw new FieldkitError(
      'invalid-input',
      `The firmware plan request is not valid: ${parsedRequest.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
    );
  }
  const request = parsedRequest.data;
  const rails: GuardRail[] = [];
  const library = await readLibrary(deps.site);
  const targets = resolveTargets(request, library, rails);
  const targetOf = new Map(targets.map((t) => [t.model, t.version]));

  const sel = request.selection;
  const selModels = new Set(sel.models.map((m) => normaliseModel(m) ?? m));
  const selVersions = new Set(
    sel.versions.map((v) => {
      const p = parseFirmwareVersion(v);
      return p ? formatFirmwareVersion(p) : v;
    }),
  );
  const selLocations = new Set(sel.locations.map((l) => l.trim().toLowerCase()));
  const selMacs = new Set(
    sel.macs.map((m) => {
      const p = parseMac(m);
      if (!p) throw new FieldkitError('invalid-input', `"${m}" in the selection is not a MAC address.`);
      return macFileStem(p);
    }),
  );

  const sitePhones = (await loadSitePhones(deps.site)).filter(
    (p) =>
      (selMacs.size === 0 || selMacs.has(p.mac)) &&
      (selLocations.size === 0 || selLocations.has(p.location.trim().toLowerCase())) &&
      (selModels.size === 0 ||
        (p.model !== null && selModels.has(p.model)) ||
        (p.unsupportedModel !== null && selModels.has(p.unsupportedModel))) &&
      (selVersions.size === 0 || (p.firmware !== null && selVersions.has(p.firmware))),
  );

  const homeFw = new Map<string, string | null>();
  for (const t of targets) homeFw.set(t.model, await homeFirmware(deps, library, t.model));
  // What the phones read at home, for `firmware server` (phone-facts §8) and to know each <MAC>.cfg is there.
  const globalText = await (async () => {
    for (const name of GLOBAL_FILES) {
      const t = text(await deps.server.home.read(name));
      if (t !== null) return t;
    }
    return null;
  })();
  const modelText = new Map<string, string | null>();
  for (const t of targets) modelText.set(t.model, text(await deps.server.home.read(`${t.model}.cfg`)));
  const pins = await readPins(deps.site);

  const phones = await mapBounded(sitePhones, PROBE_CONCURRENCY, async (p): Promise<PlannedPhone> => {
    const base: PlannedPhone = {
      mac: p.mac,
      ip: p.ip,
      httpPort: p.httpPort,
      sipPort: p.sipPort,
      model: p.model,
      location: p.location,
      current: p.firmware,
      target: p.model ? (targetOf.get(p.model) ?? null) : null,
      action: 'exclude',
      reason: null,
      home: null,
      homeFirmware: null,
      afterwards: null,
      firmwareServer: null,
      flags: [],
    };
    if (!p.model)
      return {
        ...base,
        reason: `unknown model${p.unsupportedModel ? ` "${p.unsupportedModel}"` : ''}: Fieldkit flashes 6867i and 6865i only`,
      };
    if (!base.target) return { ...base, reason: `no target version chosen for the ${p.model}` };
    if (!p.ip) return { ...base, reason: 'no known address: discover the phone first' };
    if (p.httpPort === null && p.sipPort === null)
      return {
        ...base,
        reason:
          'no scan has reached its web UI or SIP port (it may be slow or busy): scan it again with a longer timeout',
      };
    const phone = { mac: p.mac, ip: p.ip, httpPort: p.httpPort, sipPort: p.sipPort };
    const credentials = await credentialsFor(
      deps.site,
      deps.secrets,
      phone,
      request.options.requestTimeoutMs,
      deps.localAddress,
    );
    if ('refused' in credentials) return { ...base, reason: credentials.refused };
    let reading: PhoneReading;
    try {
      reading = await readPhone(
        { mac: p.mac, ip: p.ip, httpPort: p.httpPort, sipPort: p.sipPort },
        credentials,
        request.options.requestTimeoutMs,
        deps.localAddress,
      );
    } catch (e) {
      const why = isPhoneError(e, 'auth-failed')
        ? "the phone refused the admin password (enter the one it has now in the phone's detail under Admin passwords, or in Credentials)"
        : `not reachable: ${(e as Error).message}`;
      return { ...base, reason: why };
    }
    const flags: PlannedPhone['flags'] = credentials.source === 'factory-default' ? ['factory-default-password'] : [];
    const readMac = reading.mac ? macFileStem(reading.mac) : null;
    if (readMac && readMac !== p.mac)
      return {
        ...base,
        reason: `the phone at ${p.ip} is ${readMac}, not ${p.mac}: the inventory is out of date; discover again`,
      };
    if (reading.model && reading.model !== p.model)
      return { ...base, reason: `the phone says it is a ${reading.model}, the site says ${p.model}` };
    const current = reading.firmware;
    if (!current || !parseFirmwareVersion(current))
      return { ...base, reason: 'the phone did not report its firmware version' };
    const home = homeOf(reading, deps);
    const target = base.target;
    const targetParsed = parseFirmwareVersion(target)!;
    if (compareFirmware(targetParsed, OSV_MINIMUM) < 0) flags.push('below-osv-minimum');
    if (current === target) return { ...base, current, home, flags, action: 'skip', reason: `already on ${target}` };
    if (!home.onSiteServer)
      return {
        ...base,
        current,
        home,
        flags,
        reason: `it fetches its configuration from ${home.protocol || '?'} ${home.server || '(none)'}${home.path ? `/${home.path}` : ''}, not from the site's server ${describeLocation(deps.server.location)}: Fieldkit moves a phone through its <MAC>.cfg there. Point it at the site's server (DHCP option 66 or its provisioning), then plan again`,
      };
    const macText = text(await deps.server.home.read(`${p.mac}.cfg`));
    if (macText === null)
      return {
        ...base,
        current,
        home,
        flags,
        reason: `its ${p.mac}.cfg is not on the site's server: publish the configuration first (that file carries the phone's firmware pin)`,
      };
    const firmwareServer = firmwareServerIn([globalText, modelText.get(p.model) ?? null, macText]);
    const local = localFirmwareField(reading.otherFields);
    if (local !== null && local !== firmwareServer)
      return {
        ...base,
        current,
        home,
        flags,
        firmwareServer,
        reason: `its web UI shows a firmware server "${local}" that its files do not set: a local setting wins over its <MAC>.cfg (phone-facts §8), so a pin there would be ignored. Remove it on the phone, then plan again`,
      };
    if (firmwareServer !== null) flags.push('firmware-server-set');
    if (pins[p.mac]) flags.push('pinned-earlier');
    // Where the phone takes its firmware after the run if its pin is removed: its `firmware server`, else home.
    const homeVersion =
      firmwareServer !== null
        ? await firmwareServerVersion(deps, library, p.model, firmwareServer)
        : (homeFw.get(p.model) ?? null);
    const homeSafe = homeVersion === null || homeVersion === target;
    const nightly = home.autoResyncMode === '2' || home.autoResyncMode === '3';
    if (!homeSafe) {
      flags.push('flip-back-on-reboot');
      if (nightly) flags.push('nightly-re-upgrade');
    }
    const afterwards: PlannedPhone['afterwards'] = homeSafe ? 'home' : 'stay-pointed';
    return { ...base, current, home, homeFirmware: homeVersion, firmwareServer, flags, afterwards, action: 'flash' };
  });

  // Supported phones the inventory knows without a MAC cannot be named in a <MAC>.cfg nor verified.
  for (const d of await InventoryStore.for(deps.site).devices()) {
    const model = normaliseModel(d.record.model?.value);
    if (d.record.mac || !isSupportedModel(model) || d.state !== 'present') continue;
    if (selMacs.size > 0 || (selModels.size > 0 && !selModels.has(model))) continue;
    phones.push({
      mac: '',
      ip: d.record.ip,
      httpPort: d.record.httpPort,
      sipPort: d.record.sipPort,
      model,
      location: '',
      current: d.record.firmware?.value ?? null,
      target: targetOf.get(model) ?? null,
      action: 'exclude',
      reason: 'no known MAC address: read it from the phone (sysinfo) or the sheet first',
      home: null,
      homeFirmware: null,
      afterwards: null,
      firmwareServer: null,
      flags: [],
    });
  }

  const flash = phones.filter((p) => p.action === 'flash');
  const withFlag = (f: PlannedPhone['flags'][number]) => flash.filter((p) => p.flags.includes(f)).map((p) => p.mac);
  const belowOsv = withFlag('below-osv-minimum');
  if (belowOsv.length) {
    rails.push({
      id: 'below-osv-minimum',
      severity: 'warn',
      message: `${belowOsv.length} phone(s) go below 6.5.0.224, the minimum for OpenScape Voice (guide §2.1). Their OSV integration parameters (openscape enable, sip centralized conf; guide §3, §4.1) are not supported there and will be lost; the security checklist will ask for re-validation (guide §2.2).`,
      fix: 'Go ahead only for troubleshooting or interoperability (fallback, guide §3), and plan the way back.',
      macs: belowOsv,
    });
  }
  const nightly = withFlag('nightly-re-upgrade');
  if (nightly.length) {
    rails.push({
      id: 'nightly-re-upgrade',
      severity: 'info',
      message: `${nightly.length} phone(s) check firmware every night (auto resync mode 2 or 3) and their home serves another .st: without a pin they would silently flash it back at night (phone-facts §1, §2).`,
      fix: "Fieldkit keeps their firmware pin in their <MAC>.cfg (the staging folder whose .st is their new version), so the nightly check finds the version they run. Nothing is set on the phones themselves. When home serves the new version, the next run's plan removes the pins.",
      macs: nightly,
    });
  }
  const flip = withFlag('flip-back-on-reboot').filter((m) => !nightly.includes(m));
  if (flip.length) {
    rails.push({
      id: 'flip-back-on-reboot',
      severity: 'info',
      message: `${flip.length} phone(s) take firmware from a place whose .st is another version (or cannot be read): any reboot there would flash it back.`,
      fix: 'Fieldkit keeps their firmware pin in their <MAC>.cfg, naming the staging folder whose .st is their new version; their configuration still comes from home, so later publishes reach them. Generate writes the pins again every time.',
      macs: flip,
    });
  }
  const fwServer = flash.filter((p) => p.flags.includes('firmware-server-set'));
  if (fwServer.length) {
    const values = [...new Set(fwServer.map((p) => p.firmwareServer))].slice(0, 3).join(', ');
    rails.push({
      id: 'firmware-server-set',
      severity: 'info',
      message: `${fwServer.length} phone(s) take <model>.st from "firmware server" (${values}) set in the site's files, not from their configuration path (phone-facts §8).`,
      fix: "For the run, Fieldkit's pin at the end of their <MAC>.cfg (the file read last) takes its place. Afterwards the pin is removed only if that firmware server offers the new version; otherwise it stays.",
      macs: fwServer.map((p) => p.mac),
    });
  }
  const earlier = withFlag('pinned-earlier');
  if (earlier.length) {
    rails.push({
      id: 'pinned-earlier',
      severity: 'info',
      message: `${earlier.length} phone(s) carry a firmware pin from an earlier run.`,
      fix: 'This run replaces it with the folder of the new version, or removes it when home serves that version.',
      macs: earlier,
    });
  }
  const defaultPw = withFlag('factory-default-password');
  if (defaultPw.length) {
    rails.push({
      id: 'factory-default-password',
      severity: 'info',
      message: `${defaultPw.length} phone(s) accepted only the factory default admin password 22222: they have not taken a Fieldkit configuration yet.`,
      fix: 'Their reboot gives them their own admin password from their <MAC>.cfg (phone hardening); check that it is published.',
      macs: defaultPw,
    });
  }
  // Pre-flight (the run checks the same again before it stages anything).
  if (sitePhones.length > 0 && globalText === null) {
    rails.push({
      id: 'home-without-configuration',
      severity: 'refuse',
      message: `The site's server (${describeLocation(deps.server.location)}) serves no startup.cfg or aastra.cfg: after the reboot the phones would come back without their configuration (factory settings, admin password 22222).`,
      fix: 'Publish the configuration (Provisioning > Publish, or start the built-in server with the published set), then plan again.',
      macs: [],
    });
  }
  const credentials = await siteCredentialView(deps.site, deps.secrets);
  const noPassword: string[] = [];
  for (const p of flash) if ((await provisionedAdminPassword(credentials, p.mac)) === undefined) noPassword.push(p.mac);
  if (noPassword.length) {
    rails.push({
      id: 'credentials-missing',
      severity: 'refuse',
      message: `Fieldkit cannot tell the admin password of ${noPassword.length} phone(s): after the reboot they have the password of their configuration (derived from the site's admin secret, or their own where the site says so), and Fieldkit could not read them to verify.`,
      fix: "Enter the site's admin secret in Credentials (CLI: FIELDKIT_ADMIN_SECRET) and each phone's own admin password where the site sets one, then plan again.",
      macs: noPassword,
    });
  }
  const excluded = phones.filter((p) => p.action === 'exclude');
  if (excluded.length) {
    rails.push({
      id: 'excluded',
      severity: 'info',
      message: `${excluded.length} phone(s) are excluded; each row says why.`,
      fix: null,
      macs: excluded.map((p) => p.mac).filter(Boolean),
    });
  }
  if (flash.length === 0 && !rails.some((r) => r.severity === 'refuse')) {
    rails.push({
      id: 'nothing-to-do',
      severity: 'refuse',
      message: 'No phone needs flashing with this selection and these targets.',
      fix: 'Change the selection or the target versions.',
      macs: [],
    });
  }

  const skip = phones.filter((p) => p.action === 'skip').length;
  const byModel = targets.map((t) => {
    const ofModel = flash.filter((p) => p.model === t.model);
    const from: Record<string, number> = {};
    for (const p of ofModel) from[p.current ?? 'unknown'] = (from[p.current ?? 'unknown'] ?? 0) + 1;
    return { model: t.model, target: t.version, flash: ofModel.length, from };
  });
  const body: Omit<FirmwarePlan, 'confirmToken'> = {
    format: 'fieldkit-firmware-plan',
    formatVersion: 1,
    id: `${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`,
    createdAt: now.toISOString(),
    server: { ...deps.server.location },
    targets,
    options: request.options,
    phones,
    guardRails: rails,
    summary: {
      flash: flash.length,
      skip,
      exclude: excluded.length,
      byModel,
      text: summaryText(flash, skip, excluded.length, targets),
    },
  };
  const plan: FirmwarePlan = {
    ...body,
    confirmToken: rails.some((r) => r.severity === 'refuse') ? null : planToken(body),
  };
  await deps.site.writeJson(planPath(plan.id), FirmwarePlanSchema, plan);
  return plan;
}
