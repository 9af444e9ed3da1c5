// Proves, per phone, that a reboot did what it should: the phone came back (SIP OPTIONS or its web
// server answers again within a time sized for a boot), fetched its files from the built-in server
// (when that server is used), runs the expected firmware (SIP banner or sysinfo), and shows the pushed
// settings where they can be read (/configurationServer.html, line 1 user on /sysinfo.html).
import {
  compareFirmware,
  formatFirmwareVersion,
  getConfigurationServer,
  isPhoneError,
  OSV_MINIMUM,
  parseFirmwareVersion,
  macFileStem,
  parseProvisioningUserAgent,
  readSysinfo,
  sipOptionsProbe,
} from '../phone';
import { sleep } from '../util/sleep';
import { FieldkitError } from '../util/errors';
import { phoneAnswers } from './reboot';
import type { ConfigServerSettings, SysinfoInfo } from '../phone';
import type { SiteSettings } from '../config';
import type { RebootTarget } from './reboot';

export type CheckId = 'came-back' | 'fetched' | 'firmware' | 'settings' | 'line';

export interface VerifyCheck {
  id: CheckId;
  /** null: could not be checked here (not applicable or no way to read it). */
  ok: boolean | null;
  detail: string;
}

export interface VerifyOutcome {
  mac: string;
  ip: string;
  verdict: 'verified' | 'failed';
  /** Plain words: why it failed; empty when verified. */
  reasons: string[];
  checks: VerifyCheck[];
  firmware: string | null;
  /** Time from the start of verification until the phone answered. */
  answeredAfterMs: number | null;
  at: string;
}

/** A fetch the built-in server logged (from its fetch log). */
export interface FetchRecord {
  at: string;
  /** File name asked for, e.g. 00085D1A2B3C.cfg. */
  name: string;
  /** MAC from the User-Agent, 12 uppercase hex digits, when it carried one. */
  mac: string | null;
  status: number;
}

/** The built-in server's log entry, as far as verification needs it. */
export interface ServerFetchEntry {
  at: string;
  file: string | null;
  status: number;
  userAgent: string | null;
}

/** Log entries with the phone's MAC read from its provisioning User-Agent (phone-facts §3). */
export function fetchRecords(entries: readonly ServerFetchEntry[]): FetchRecord[] {
  return entries.flatMap((e) => {
    if (e.file === null) return [];
    const mac = e.userAgent ? (parseProvisioningUserAgent(e.userAgent)?.mac ?? null) : null;
    return [{ at: e.at, name: e.file, mac: mac ? macFileStem(mac) : null, status: e.status }];
  });
}

export interface VerifyExpectations {
  directoryNumber?: string;
  /** Exact firmware wanted (e.g. after a wave); else at least the guide's minimum 6.5.0.224. */
  firmware?: string;
  /** The site's provisioning server as the phone should show it. */
  provisioning?: SiteSettings['provisioning'];
  resyncMode?: SiteSettings['resync']['mode'];
  /** When the phone was restarted; fetches before it do not count. */
  since?: string;
  /** Fetches of this phone logged by the built-in server; absent when another server is used. */
  fetches?: () => Promise<FetchRecord[]> | FetchRecord[];
  /** The last reboot did not restart this phone (its message): it had no reason to fetch anything. */
  notRestarted?: string;
}

export interface VerifyOptions {
  adminPassword?: string;
  /** How long a boot may take before the phone counts as not back. Default 180000 ms. */
  bootTimeoutMs?: number;
  pollMs?: number;
  requestTimeoutMs?: number;
  localAddress?: string;
  signal?: AbortSignal;
}

const RESYNC_CODE = { none: '0', config: '1', firmware: '2', both: '3' } as const;

async function waitUntilAnswers(target: RebootTarget, options: VerifyOptions): Promise<number | null> {
  const started = Date.now();
  const deadline = started + (options.bootTimeoutMs ?? 180_000);
  const poll = options.pollMs ?? 1000;
  for (;;) {
    throwIfAborted(options.signal, target);
    // SIP and the web server at once: verify reads the web UI next anyway, and a phone on TLS only is silent on SIP.
    if (await phoneAnswers(target, Math.min(2000, options.requestTimeoutMs ?? 2000), options.localAddress, 1, 0))
      return Date.now() - started;
    if (Date.now() + poll > deadline) return null;
    await sleep(poll, options.signal);
  }
}

/** A check cut short by cancel is no verdict: it must not be journaled as one, so resume checks the phone again. */
function throwIfAborted(signal: AbortSignal | undefined, target: RebootTarget): void {
  if (signal?.aborted)
    throw new FieldkitError('cancelled', `Cancelled while checking ${target.mac}; it was not judged.`);
}

export async function verifyPhone(
  target: RebootTarget,
  expect: VerifyExpectations,
  options: VerifyOptions = {},
): Promise<VerifyOutcome> {
  const checks: VerifyCheck[] = [];
  const timeoutMs = options.requestTimeoutMs ?? 3000;
  const local = options.localAddress ? { localAddress: options.localAddress } : {};
  const web = {
    host: target.ip,
    port: target.httpPort ?? 80,
    timeoutMs,
    ...local,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const finish = (firmware: string | null, answeredAfterMs: number | null): VerifyOutcome => {
    const reasons = checks.filter((c) => c.ok === false).map((c) => c.detail);
    return {
      mac: target.mac,
      ip: target.ip,
      verdict: reasons.length === 0 ? 'verified' : 'failed',
      reasons,
      checks,
      firmware,
      answeredAfterMs,
      at: new Date().toISOString(),
    };
  };

  const answeredAfterMs = await waitUntilAnswers(target, options);
  if (answeredAfterMs === null) {
    const minutes = Math.round((options.bootTimeoutMs ?? 180_000) / 1000);
    checks.push({
      id: 'came-back',
      ok: false,
      detail: `The phone did not answer again within ${minutes} s after the restart. Check its display: it may be stuck booting, without network, or at another address.`,
    });
    return finish(null, null);
  }
  checks.push({
    id: 'came-back',
    ok: true,
    detail: `Answering again (after ${(answeredAfterMs / 1000).toFixed(1)} s of waiting).`,
  });

  if (expect.notRestarted !== undefined) {
    checks.push({
      id: 'fetched',
      ok: null,
      detail: `Not checked: the last reboot did not restart this phone, so it had no reason to fetch its files (${expect.notRestarted.replace(/\.$/, '')}).`,
    });
  } else if (expect.fetches) {
    const since = expect.since ?? '';
    const mine = (await expect.fetches()).filter((f) => f.at >= since && f.mac === target.mac);
    const own = mine.find((f) => f.name.toUpperCase() === `${target.mac}.CFG` && f.status < 300);
    const names = [...new Set(mine.filter((f) => f.status < 300).map((f) => f.name))];
    checks.push(
      own
        ? { id: 'fetched', ok: true, detail: `Fetched ${names.join(', ')} from the built-in server.` }
        : {
            id: 'fetched',
            ok: false,
            detail:
              mine.length === 0
                ? 'The phone did not fetch anything from the built-in server after the restart. Check the configuration server it uses (DHCP option 66 or its web UI) and that the laptop firewall lets it in.'
                : `The phone asked the built-in server for ${[...new Set(mine.map((f) => `${f.name} (${f.status})`))].join(', ')}, but not successfully for its own ${target.mac}.cfg. Publish again and check the file is there.`,
          },
    );
  } else {
    checks.push({
      id: 'fetched',
      ok: null,
      detail: 'Not checked: the phones fetch from another server, whose log Fieldkit cannot read.',
    });
  }

  let sysinfo: SysinfoInfo | null = null;
  let sysinfoProblem: string | null = null;
  if (options.adminPassword !== undefined && target.httpPort !== null) {
    try {
      sysinfo = await readSysinfo(web, { password: options.adminPassword });
    } catch (e) {
      sysinfoProblem = isPhoneError(e) ? e.message : String(e);
    }
  }
  const firmware = await readFirmware(target, sysinfo, timeoutMs, options.localAddress);
  checks.push(firmwareCheck(firmware, expect.firmware));

  if (expect.directoryNumber) {
    if (sysinfo?.line1User) {
      checks.push(
        sysinfo.line1User === expect.directoryNumber
          ? { id: 'line', ok: true, detail: `Line 1 is ${sysinfo.line1User}.` }
          : {
              id: 'line',
              ok: false,
              detail: `Line 1 shows ${sysinfo.line1User}, but the sheet says ${expect.directoryNumber}: the phone did not take its own configuration file.`,
            },
      );
    } else {
      checks.push({
        id: 'line',
        ok: null,
        detail: sysinfoProblem ? `Line 1 not read: ${sysinfoProblem}` : "Line 1 not shown on the phone's status page.",
      });
    }
  }

  if (expect.provisioning) {
    if (options.adminPassword === undefined || target.httpPort === null) {
      checks.push({
        id: 'settings',
        ok: null,
        detail:
          options.adminPassword === undefined
            ? 'Settings not read: no admin password in Credentials.'
            : 'Settings not read: the phone has no web UI port.',
      });
    } else {
      try {
        const reading = await getConfigurationServer(web, { password: options.adminPassword });
        checks.push(settingsCheck(reading.settings, expect.provisioning, expect.resyncMode));
      } catch (e) {
        const message = isPhoneError(e) ? e.message : String(e);
        checks.push({
          id: 'settings',
          ok: isPhoneError(e, 'auth-failed') ? false : null,
          detail: isPhoneError(e, 'auth-failed')
            ? "The phone does not accept the site's admin password, so it did not take the generated configuration (or a local change overrides it)."
            : `Settings not read: ${message}`,
        });
      }
    }
  }
  throwIfAborted(options.signal, target);
  return finish(firmware, answeredAfterMs);
}

async function readFirmware(
  target: RebootTarget,
  sysinfo: SysinfoInfo | null,
  timeoutMs: number,
  localAddress?: string,
): Promise<string | null> {
  if (sysinfo?.firmware) return formatFirmwareVersion(sysinfo.firmware);
  if (target.sipPort === null) return sysinfo?.firmwareVersion ?? null;
  const r = await sipOptionsProbe({
    host: target.ip,
    port: target.sipPort ?? 5060,
    timeoutMs,
    ...(localAddress ? { localAddress } : {}),
  }).catch(() => null);
  if (r?.ok && r.banner?.firmware) return formatFirmwareVersion(r.banner.firmware);
  return sysinfo?.firmwareVersion ?? null;
}

export function firmwareCheck(found: string | null, expected?: string): VerifyCheck {
  if (found === null)
    return {
      id: 'firmware',
      ok: null,
      detail: 'Firmware not read: the phone showed it neither in its SIP answer nor on its status page.',
    };
  const version = parseFirmwareVersion(found);
  if (expected) {
    const want = parseFirmwareVersion(expected);
    if (version && want && compareFirmware(version, want) === 0)
      return { id: 'firmware', ok: true, detail: `Firmware ${found}, as expected.` };
    return {
      id: 'firmware',
      ok: false,
      detail: `Firmware is ${found}, expected ${expected}. The phone did not take the new firmware: check that ${expected}'s .st file is published and that it restarted with a full reboot (not FastReboot).`,
    };
  }
  if (version && compareFirmware(version, OSV_MINIMUM) < 0) {
    return {
      id: 'firmware',
      ok: false,
      detail: `Firmware ${found} is older than ${formatFirmwareVersion(OSV_MINIMUM)}, the minimum the OSV integration guide requires (§2.1). Upgrade it in Firmware.`,
    };
  }
  return {
    id: 'firmware',
    ok: true,
    detail: `Firmware ${found} (at least ${formatFirmwareVersion(OSV_MINIMUM)}, as the guide requires).`,
  };
}

export function settingsCheck(
  shown: ConfigServerSettings,
  provisioning: SiteSettings['provisioning'],
  resyncMode?: SiteSettings['resync']['mode'],
): VerifyCheck {
  const proto = provisioning.protocol.toLowerCase();
  const field = (suffix: 'serv' | 'path' | 'port'): keyof ConfigServerSettings =>
    (proto === 'tftp' ? (suffix === 'serv' ? 'tftp' : 'tftppath') : `${proto}${suffix}`) as keyof ConfigServerSettings;
  const wanted: [string, keyof ConfigServerSettings, string | undefined][] = [
    ['download protocol', 'protocol', provisioning.protocol],
    ['server', field('serv'), provisioning.server],
    ['path', field('path'), proto === 'tftp' && provisioning.path === '' ? undefined : provisioning.path],
    [
      'port',
      field('port'),
      provisioning.port === undefined || proto === 'tftp' ? undefined : String(provisioning.port),
    ],
    ['auto resync mode', 'autoResyncMode', resyncMode ? RESYNC_CODE[resyncMode] : undefined],
  ];
  const wrong = wanted.filter(
    ([, key, want]) =>
      want !== undefined &&
      (shown[key] ?? '').replace(/^\/+|\/+$/g, '') !== want.replace(/^\/+|\/+$/g, '') &&
      !(key === 'protocol' && (shown[key] ?? '').toUpperCase() === want),
  );
  if (wrong.length === 0)
    return {
      id: 'settings',
      ok: true,
      detail: `Configuration server ${provisioning.protocol} ${provisioning.server}${provisioning.port ? `:${provisioning.port}` : ''}/${provisioning.path}, as generated.`,
    };
  return {
    id: 'settings',
    ok: false,
    detail: `The phone shows ${wrong.map(([label, key, want]) => `${label} "${shown[key] ?? ''}" instead of "${want}"`).join(', ')}. A local change in the phone's web UI wins over server files: remove local settings on the phone (web UI reset, "remove local configuration") or lock the parameters, then reboot.`,
  };
}
