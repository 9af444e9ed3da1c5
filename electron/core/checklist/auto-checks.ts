// The automatic checklist items: each a pure function of the site's data (ChecklistInputs), returning a
// status and the evidence behind it. The same data always gives the same result, so a result flips as
// soon as the inventory or the generated configuration changes.
import { isValidHost } from '../config/host-names';
import { assessFirmware } from '../phone/firmware-advisories';
import { compareFirmware, formatFirmwareVersion, OSV_MINIMUM, parseFirmwareVersion } from '../phone/firmware-version';
import { isMajorOrMinorChange } from '../firmware/firmware-changes';
import type { AutoCheckId } from './checklist.v1';
import type { ChecklistInputs, ConfigParam, PhoneConfig } from './checklist-inputs';

export type AutoStatus = 'pass' | 'warn' | 'fail' | 'unknown';

export interface AutoResult {
  status: AutoStatus;
  summary: string;
  evidence: string[];
}

export interface AutoContext {
  /** When the last checklist was completed; firmware changes after it are listed. */
  since: string | null;
}

const MAX_EVIDENCE = 25;
const TESTED_VERSION = '6.5.0.224';
const MIN = formatFirmwareVersion(OSV_MINIMUM);

function capped(lines: string[]): string[] {
  return lines.length <= MAX_EVIDENCE
    ? lines
    : [...lines.slice(0, MAX_EVIDENCE - 1), `… and ${lines.length - MAX_EVIDENCE + 1} more`];
}

const result = (status: AutoStatus, summary: string, evidence: string[] = []): AutoResult => ({
  status,
  summary,
  evidence: capped(evidence),
});
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A phone's own file is named generically so that phones with the same setting group into one evidence line. */
function where(p: ConfigParam): string {
  return `${/^[0-9A-F]{12}\.cfg$/.test(p.file) ? '<MAC>.cfg' : p.file} line ${p.line}`;
}

/** Groups phones by what a check says about them, so 200 identical phones make one evidence line. */
function groupPhones(
  phones: readonly PhoneConfig[],
  describe: (p: PhoneConfig) => { ok: boolean; text: string },
): { bad: string[]; good: string[]; badCount: number } {
  const groups = new Map<string, { ok: boolean; files: string[] }>();
  for (const phone of phones) {
    const d = describe(phone);
    const g = groups.get(d.text) ?? { ok: d.ok, files: [] };
    g.files.push(phone.file);
    groups.set(d.text, g);
  }
  const line = (text: string, files: string[]) =>
    files.length === phones.length && phones.length > 1
      ? `${text} (all ${phones.length} phones)`
      : `${text}: ${files.slice(0, 6).join(', ')}${files.length > 6 ? ` and ${files.length - 6} more` : ''}`;
  const bad: string[] = [];
  const good: string[] = [];
  let badCount = 0;
  for (const [text, g] of groups) {
    if (g.ok) good.push(line(text, g.files));
    else {
      bad.push(line(text, g.files));
      badCount += g.files.length;
    }
  }
  return { bad, good, badCount };
}

type PhoneCheck = (phone: PhoneConfig) => { ok: boolean; text: string };

function configCheck(
  inputs: ChecklistInputs,
  passSummary: string,
  failSummary: (n: number) => string,
  check: PhoneCheck,
): AutoResult {
  const config = inputs.config;
  if (config.state === 'none')
    return result('unknown', 'No configuration has been generated for this site yet.', [
      'Generate the configuration in the Provisioning place.',
    ]);
  if (config.state === 'unreadable')
    return result('unknown', 'The generated configuration could not be read.', [config.message]);
  if (config.phones.length === 0)
    return result('unknown', 'The generated configuration has no phone files.', [
      'Add the phones to the sheet and generate again.',
    ]);
  const { bad, good, badCount } = groupPhones(config.phones, check);
  return badCount > 0 ? result('fail', failSummary(badCount), [...bad, ...good]) : result('pass', passSummary, good);
}

function value(p: PhoneConfig, key: string): ConfigParam | undefined {
  return p.params[key];
}

function show(p: ConfigParam | undefined, name: string): string {
  return p
    ? `${name}: ${p.secret ? '(from the credential store)' : p.value} (${where(p)}${p.lock ? ', locked' : ''})`
    : `${name} not set`;
}

function firmwareRows(inputs: ChecklistInputs) {
  return inputs.phones.map((r) => ({ row: r, version: parseFirmwareVersion(r.firmware) }));
}

function phoneName(r: ChecklistInputs['phones'][number]): string {
  return [r.displayName, r.mac ?? r.ip ?? r.key, r.model, r.directoryNumber ? `DN ${r.directoryNumber}` : '']
    .filter(Boolean)
    .join(' ');
}

const LOCKED_PARAMETERS = [
  'admin password',
  'openscape enable',
  'sip transport protocol',
  'contact rcs',
  'xml application post list',
  'download protocol',
];

export const autoChecks: Record<AutoCheckId, (inputs: ChecklistInputs, ctx: AutoContext) => AutoResult> = {
  'phone-firmware-minimum': (inputs) => {
    const rows = firmwareRows(inputs);
    if (rows.length === 0)
      return result('unknown', 'No phones in the inventory yet.', [
        'Discover the phones or import the sheet in the Inventory place.',
      ]);
    const below = rows.filter((r) => r.version && compareFirmware(r.version, OSV_MINIMUM) < 0);
    const unknown = rows.filter((r) => !r.version);
    const ok = rows.filter((r) => r.version && compareFirmware(r.version, OSV_MINIMUM) >= 0);
    const evidence = [
      ...below.map((r) => `${phoneName(r.row)}: ${r.row.firmware} is below ${MIN}`),
      ...unknown.map(
        (r) =>
          `${phoneName(r.row)}: firmware not known (${r.row.presence === 'expected' ? 'not seen by a scan yet' : 'not reported'})`,
      ),
      ...byVersion(ok.map((r) => r.row.firmware!)).map(([v, n]) => `${v} on ${plural(n, 'phone')} (meets ${MIN})`),
    ];
    if (below.length > 0) return result('fail', `${plural(below.length, 'phone')} below ${MIN}.`, evidence);
    if (unknown.length > 0)
      return result(
        ok.length > 0 ? 'warn' : 'unknown',
        `Firmware not known for ${plural(unknown.length, 'phone')}; the others meet ${MIN}.`,
        evidence,
      );
    return result('pass', `All ${plural(ok.length, 'phone')} run ${MIN} or later.`, evidence);
  },

  'firmware-advisories': (inputs) => {
    const rows = inputs.phones.filter((r) => r.firmware);
    if (rows.length === 0)
      return result('unknown', 'No phone firmware known yet.', ['Discover the phones in the Inventory place.']);
    const affected: string[] = [];
    const possibly: string[] = [];
    for (const r of rows) {
      const a = assessFirmware(r.firmware, r.model);
      if (a.vulnerable.length) affected.push(`${phoneName(r)} ${r.firmware}: ${a.vulnerable.join(', ')}`);
      else if (a.possiblyVulnerable.length)
        possibly.push(`${phoneName(r)} ${r.firmware}: possibly ${a.possiblyVulnerable.join(', ')}`);
    }
    const clean = rows.length - affected.length - possibly.length;
    const evidence = [
      ...affected,
      ...possibly,
      ...(clean ? [`${plural(clean, 'phone')} not affected by the advisories Fieldkit knows`] : []),
    ];
    if (affected.length)
      return result(
        'fail',
        `${plural(affected.length, 'phone')} run firmware with published vulnerabilities.`,
        evidence,
      );
    if (possibly.length)
      return result(
        'warn',
        `${plural(possibly.length, 'phone')} may be affected (advisory build numbers not public).`,
        evidence,
      );
    return result('pass', 'No phone runs firmware affected by a known advisory.', evidence);
  },

  'firmware-changes': (inputs, ctx) => {
    const changes = inputs.firmwareChanges.filter((c) => ctx.since === null || c.at > ctx.since);
    const sinceText = ctx.since ? `since the last checklist (${ctx.since.slice(0, 10)})` : 'for this site';
    if (changes.length === 0) return result('pass', `No firmware changes made by Fieldkit ${sinceText}.`);
    const groups = new Map<string, number>();
    for (const c of changes) groups.set(`${c.from} → ${c.to}`, (groups.get(`${c.from} → ${c.to}`) ?? 0) + 1);
    // A phone counts by where its last change left it: one moved below the minimum and back again is fine now.
    const last = new Map<string, (typeof changes)[number]>();
    for (const c of [...changes].sort((a, b) => a.at.localeCompare(b.at))) last.set(c.mac, c);
    const isBelow = (version: string) => {
      const v = parseFirmwareVersion(version);
      return v !== null && compareFirmware(v, OSV_MINIMUM) < 0;
    };
    const below = [...last.values()].filter((c) => isBelow(c.to));
    const wasBelow = new Set(changes.filter((x) => isBelow(x.to)).map((x) => x.mac));
    const wentBack = [...last.values()].filter((c) => !isBelow(c.to) && wasBelow.has(c.mac));
    const evidence = [...groups].map(([k, n]) => {
      const [from, to] = k.split(' → ') as [string, string];
      return `${k} on ${plural(n, 'phone')} (${isMajorOrMinorChange(from, to) ? 'major/minor change' : 'patch/build change'})`;
    });
    if (wentBack.length)
      evidence.push(`${plural(wentBack.length, 'phone')} went below ${MIN} and back; they run ${MIN} or later now.`);
    if (below.length)
      return result(
        'fail',
        `${plural(below.length, 'phone')} ${below.length === 1 ? 'was' : 'were'} left on firmware below ${MIN} by Fieldkit: the OSV parameters are lost there.`,
        evidence,
      );
    return result('pass', `${plural(changes.length, 'firmware change')} ${sinceText}.`, evidence);
  },

  'auto-resync-firmware': (inputs) =>
    configCheck(
      inputs,
      'No phone fetches firmware by automatic resync.',
      (n) => `${plural(n, 'phone')} would fetch firmware at the nightly resync.`,
      (p) => {
        const mode = value(p, 'auto resync mode');
        return { ok: !mode || mode.value === '0' || mode.value === '1', text: show(mode, 'auto resync mode') };
      },
    ),

  'openscape-enable': (inputs) =>
    configCheck(
      inputs,
      'openscape enable: 1 on every phone.',
      (n) => `OSV features stay off on ${plural(n, 'phone')}.`,
      (p) => {
        const v = value(p, 'openscape enable');
        return { ok: v?.value === '1', text: show(v, 'openscape enable') };
      },
    ),

  'centralized-conf': (inputs) => {
    const r = configCheck(
      inputs,
      'sip centralized conf is 0 or 1 on every phone.',
      (n) => `sip centralized conf is missing or not 0/1 on ${plural(n, 'phone')}.`,
      (p) => {
        const v = value(p, 'sip centralized conf');
        return { ok: v?.value === '0' || v?.value === '1', text: show(v, 'sip centralized conf') };
      },
    );
    return r;
  },

  'digest-dn': (inputs) => {
    const sheetProblems = inputs.phones
      .filter((r) => r.flags.dnNotNumeric)
      .map((r) => `Sheet: ${phoneName(r)} has a directory number with other characters than digits`);
    const r = configCheck(
      inputs,
      'Line 1 auth name and user name are the numeric directory number on every phone.',
      (n) => `${plural(n, 'phone')} use a user name that is not a numeric directory number (DTP-73963).`,
      (p) => {
        const user = value(p, 'sip line1 user name') ?? value(p, 'sip user name');
        const auth = value(p, 'sip line1 auth name') ?? value(p, 'sip auth name');
        const ok = Boolean(user && /^\d+$/.test(user.value) && (!auth || auth.value === user.value));
        const text = ok
          ? 'auth name = user name = directory number (digits only)'
          : `${show(auth, 'auth name')}; ${show(user, 'user name')}`;
        return { ok, text: ok ? text : `${p.file}: ${text}` };
      },
    );
    if (sheetProblems.length === 0) return r;
    return result(
      'fail',
      `${r.status === 'fail' ? r.summary + ' ' : ''}${plural(sheetProblems.length, 'directory number')} on the sheet are not numeric (DTP-73963).`,
      [...sheetProblems, ...r.evidence],
    );
  },

  'tls-transport': (inputs) =>
    configCheck(
      inputs,
      'SIP over TLS with a CA file on every phone.',
      (n) => `${plural(n, 'phone')} do not use TLS with a trusted CA file.`,
      (p) => {
        const t = value(p, 'sip transport protocol');
        const ca = value(p, 'sips trusted certificates');
        if (t?.value !== '4') return { ok: false, text: `${show(t, 'sip transport protocol')} (4 = TLS)` };
        if (!ca || ca.value.trim() === '') return { ok: false, text: 'TLS without sips trusted certificates' };
        return { ok: true, text: `TLS; sips trusted certificates: ${ca.value}` };
      },
    ),

  'supported-models': (inputs) => {
    if (inputs.phones.length === 0)
      return result('unknown', 'No phones in the inventory yet.', [
        'Discover the phones or import the sheet in the Inventory place.',
      ]);
    const mismatch = inputs.phones
      .filter((r) => r.flags.modelMismatch)
      .map((r) => `${phoneName(r)}: reported model differs from the sheet`);
    const counts = byVersion(inputs.phones.map((r) => r.model ?? 'model unknown')).map(
      ([m, n]) => `${m}: ${plural(n, 'phone')}`,
    );
    const others = inputs.otherDevices.length
      ? [`${plural(inputs.otherDevices.length, 'other device')} on the scanned networks (not part of the integration)`]
      : [];
    if (mismatch.length)
      return result('fail', `${plural(mismatch.length, 'phone')} differ from the sheet.`, [
        ...mismatch,
        ...counts,
        ...others,
      ]);
    return result('pass', `All ${plural(inputs.phones.length, 'phone')} are 6867i/6865i as on the sheet.`, [
      ...counts,
      ...others,
    ]);
  },

  'tested-version': (inputs) => {
    const known = inputs.phones
      .map((r) => r.firmware)
      .filter((f): f is string => Boolean(f && parseFirmwareVersion(f)));
    if (known.length === 0) return result('unknown', 'No phone firmware known yet.');
    const versions = byVersion(known.map((f) => formatFirmwareVersion(parseFirmwareVersion(f)!)));
    const evidence = versions.map(
      ([v, n]) => `${v} on ${plural(n, 'phone')}${v === TESTED_VERSION ? ' (tested version)' : ''}`,
    );
    if (versions.every(([v]) => v === TESTED_VERSION))
      return result('pass', `All phones run the tested version ${TESTED_VERSION}.`, evidence);
    return result(
      'warn',
      `Some phones run another version than the tested ${TESTED_VERSION}: check the common compatibility matrix.`,
      evidence,
    );
  },

  'config-findings': (inputs) => {
    const c = inputs.config;
    if (c.state === 'none')
      return result('unknown', 'No configuration has been generated for this site yet.', [
        'Generate the configuration in the Provisioning place.',
      ]);
    if (c.state === 'unreadable') return result('fail', 'The generated configuration could not be read.', [c.message]);
    const errors = c.findings.filter((f) => f.severity === 'error');
    const warnings = c.findings.filter((f) => f.severity === 'warning');
    const line = (f: (typeof c.findings)[number]) => `${f.severity}: ${f.file ? `${f.file}: ` : ''}${f.message}`;
    if (errors.length)
      return result(
        'fail',
        `${plural(errors.length, 'error')} in the generated configuration.`,
        [...errors, ...warnings].map(line),
      );
    return result(
      warnings.length ? 'warn' : 'pass',
      warnings.length
        ? `No errors; ${plural(warnings.length, 'warning')}.`
        : `No errors or warnings (generated ${c.generatedAt.slice(0, 16).replace('T', ' ')}).`,
      warnings.map(line),
    );
  },

  'admin-password': (inputs) => {
    const r = configCheck(
      inputs,
      'Every phone gets an admin password from the credential store.',
      (n) => `${plural(n, 'phone')} keep or get the default admin password.`,
      (p) => {
        const v = value(p, 'admin password');
        if (!v) return { ok: false, text: 'admin password not set: the phone keeps 22222' };
        if (!v.secret)
          return {
            ok: v.value !== '22222',
            text:
              v.value === '22222'
                ? `admin password is 22222 (${where(v)})`
                : `admin password written in clear (${where(v)})`,
          };
        return { ok: true, text: show(v, 'admin password') };
      },
    );
    if (r.status !== 'pass') return r;
    const creds = inputs.adminCredentials;
    if (creds === null)
      return result(
        'warn',
        'The configuration takes the admin password from the credential store; the store was not consulted.',
        r.evidence,
      );
    const missing = creds
      .filter((c) => !c.stored)
      .map((c) => `credential ${c.key}: not stored (publishing is refused until it is set)`);
    const defaults = creds.filter((c) => c.isDefault).map((c) => `credential ${c.key}: is the factory default 22222`);
    const fine = creds
      .filter((c) => c.stored && !c.isDefault)
      .map((c) => `credential ${c.key}: stored, not the default`);
    if (defaults.length)
      return result('fail', 'A stored admin password is the factory default 22222.', [
        ...defaults,
        ...missing,
        ...fine,
        ...r.evidence,
      ]);
    if (missing.length)
      return result('fail', 'An admin password the configuration needs is not in the credential store.', [
        ...missing,
        ...fine,
        ...r.evidence,
      ]);
    if (inputs.siteOptions?.allowRoutedWebLogin)
      return result(
        'warn',
        'Web-UI passwords may go to phones behind a router, where Fieldkit cannot check the MAC at the address (site setting): a deviation to record.',
        [...fine, ...r.evidence],
      );
    return result('pass', 'Every phone gets its own admin password that is not 22222.', [...fine, ...r.evidence]);
  },

  'numeric-passwords': (inputs) => {
    const c = inputs.config;
    if (c.state !== 'generated') return result('unknown', 'No readable generated configuration yet.');
    const clearFindings = c.findings
      .filter((f) => f.ruleId === 'param.numeric-password')
      .map((f) => `${f.file ?? ''}: ${f.message}`);
    const creds = inputs.adminCredentials;
    const nonNumeric = (creds ?? [])
      .filter((k) => k.stored && !k.numeric)
      .map((k) => `credential ${k.key}: contains characters other than digits`);
    const evidence = [...clearFindings, ...nonNumeric];
    if (evidence.length)
      return result(
        'fail',
        'A password has characters other than digits: the phone would fall back to its default.',
        evidence,
      );
    if (creds === null)
      return result('warn', 'No non-numeric password in the configuration; the credential store was not consulted.');
    return result(
      'pass',
      'All passwords are digits only.',
      (creds ?? []).filter((k) => k.stored).map((k) => `credential ${k.key}: digits only`),
    );
  },

  'locked-parameters': (inputs) =>
    configCheck(
      inputs,
      `${LOCKED_PARAMETERS.join(', ')} locked on every phone.`,
      (n) => `${plural(n, 'phone')} have critical parameters that can be changed on the phone.`,
      (p) => {
        const unlocked = LOCKED_PARAMETERS.filter((k) => !value(p, k)?.lock);
        return {
          ok: unlocked.length === 0,
          text: unlocked.length ? `not locked: ${unlocked.join(', ')}` : 'all critical parameters locked with !',
        };
      },
    ),

  'contact-rcs': (inputs) =>
    configCheck(
      inputs,
      'contact rcs: 0 on every phone.',
      (n) => `${plural(n, 'phone')} may contact Mitel's redirection service.`,
      (p) => {
        const v = value(p, 'contact rcs');
        return { ok: v?.value === '0', text: show(v, 'contact rcs') };
      },
    ),

  'xml-post-list': (inputs) =>
    configCheck(
      inputs,
      'XML push is limited to named hosts on every phone.',
      (n) => `${plural(n, 'phone')} have no valid XML push list.`,
      (p) => {
        const v = value(p, 'xml application post list');
        const hosts = (v?.value ?? '')
          .split(',')
          .map((h) => h.trim())
          .filter(Boolean);
        const ok = hosts.length > 0 && hosts.every(isValidHost);
        return { ok, text: show(v, 'xml application post list') };
      },
    ),

  'https-provisioning': (inputs) =>
    configCheck(
      inputs,
      'Every phone fetches its configuration over HTTPS and checks the server certificate.',
      (n) => `${plural(n, 'phone')} fetch their configuration without HTTPS, or without checking the server.`,
      (p) => {
        const v = value(p, 'download protocol');
        const validate = value(p, 'https validate certificates');
        if (v?.value === 'HTTPS' && validate?.value === '0')
          return {
            ok: false,
            text: `${show(v, 'download protocol')}; ${show(validate, 'https validate certificates')}`,
          };
        return { ok: v?.value === 'HTTPS', text: show(v, 'download protocol') };
      },
    ),

  'certificate-expiry': (inputs) => {
    const c = inputs.certificates;
    if (!c) return result('unknown', 'The certificates were not read.');
    if (c.unreadable) return result('fail', 'A certificate of the site cannot be read.', [c.unreadable]);
    const all = [
      ...(c.ca ?? []).map((x) => ({ what: 'CA', ...x })),
      ...(c.server?.certificate ? [{ what: 'built-in HTTPS server', ...c.server.certificate }] : []),
    ];
    if (all.length === 0)
      return result('unknown', 'No certificate is imported: Fieldkit cannot read expiry dates.', [
        "Import the customer's CA certificate (Provisioning > Certificates, or fieldkit ca import <file.pem>).",
      ]);
    const line = (x: (typeof all)[number]) =>
      `${x.what} ${x.subject}: expires ${x.notAfter.slice(0, 10)} (${x.daysLeft < 0 ? 'expired' : `in ${x.daysLeft} days`})`;
    const expired = all.filter((x) => x.daysLeft < 0);
    const soon = all.filter((x) => x.daysLeft >= 0 && x.daysLeft < 60);
    if (expired.length) return result('fail', `${plural(expired.length, 'certificate')} expired.`, all.map(line));
    if (soon.length)
      return result(
        'warn',
        `${plural(soon.length, 'certificate')} expire within 60 days: plan the renewal.`,
        all.map(line),
      );
    const first = all.reduce((a, b) => (a.daysLeft <= b.daysLeft ? a : b));
    return result('pass', `No certificate expires before ${first.notAfter.slice(0, 10)}.`, all.map(line));
  },

  'phone-verify': (inputs) => {
    const v = inputs.verify;
    if (v.state === 'none')
      return result('unknown', 'The phones have not been verified after a reboot yet.', [
        'Publish, reboot and verify the phones in the Provisioning place.',
      ]);
    if (v.state === 'unreadable') return result('unknown', 'The latest verification could not be read.', [v.message]);
    const failed = v.results.filter((r) => r.verdict === 'failed');
    const verified = new Set(v.results.map((r) => r.mac));
    const missing = inputs.phones
      .filter((p) => p.mac && !verified.has(p.mac.replace(/:/g, '')))
      .map((p) => `${phoneName(p)}: not in the latest verification`);
    const evidence = [
      `Verification ${v.jobId}, finished ${v.finishedAt.slice(0, 16).replace('T', ' ')} UTC: ${v.results.length - failed.length} of ${v.results.length} verified`,
      ...failed.map((r) => `${r.mac}: ${r.reasons.join(' ')}`),
      ...missing,
    ];
    if (failed.length) return result('fail', `${plural(failed.length, 'phone')} failed verification.`, evidence);
    if (missing.length)
      return result('warn', `${plural(missing.length, 'phone')} of the inventory were not verified.`, evidence);
    return result('pass', `All ${plural(v.results.length, 'phone')} verified after their reboot.`, evidence);
  },

  'srtp-sdes': (inputs) =>
    configCheck(
      inputs,
      'SRTP on with TLS signalling on every phone (SDES).',
      (n) => `${plural(n, 'phone')} have no SRTP, or SDES keys would travel without TLS.`,
      (p) => {
        const srtp = value(p, 'sip line1 srtp mode') ?? value(p, 'sip srtp mode');
        const tls = value(p, 'sip transport protocol')?.value === '4';
        const on = srtp?.value === '1' || srtp?.value === '2';
        const text = `${show(srtp, 'srtp mode')}${on ? (tls ? ', TLS signalling' : ', signalling not TLS') : ''}`;
        return { ok: on && tls, text };
      },
    ),
};

function byVersion(values: string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
