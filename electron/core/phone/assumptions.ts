// Every assumption Fieldkit makes about a phone, checked against one capture (probe.ts): did it hold on this phone?
// Each names the section of docs/phone-facts.md it rests on, so a real phone that differs points at the fact to fix.
import { z } from 'zod';
import { parseSipBanner, parseProvisioningUserAgent } from './banner';
import { formatFirmwareVersion } from './firmware-version';
import { isSupportedModel } from './models';
import { parseSysinfo } from './sysinfo';
import { CONFIG_SERVER_FIELDS, isSessionExpiredAnswer, parseBasicRealm, readRealm } from './web-client';
import type { PhoneCapture } from './probe';

export const AssumptionResultSchema = z.object({
  id: z.string(),
  /** The assumption in plain words. */
  assumption: z.string(),
  /** true: it held on this phone; false: it did not; 'unknown': the capture cannot tell (e.g. a page not read). */
  held: z.union([z.boolean(), z.literal('unknown')]),
  /** What the capture showed. */
  detail: z.string(),
  /** Where Fieldkit's assumption comes from, e.g. "phone-facts §3". */
  source: z.string(),
});
export type AssumptionResult = z.infer<typeof AssumptionResultSchema>;

type Verdict = { held: boolean | 'unknown'; detail: string };
interface Assumption {
  id: string;
  assumption: string;
  source: string;
  check(c: PhoneCapture): Verdict;
}

const header = (headers: readonly [string, string][], name: string): string | null =>
  headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1] ?? null;
const unknown = (detail: string): Verdict => ({ held: 'unknown', detail });
const sysinfoOf = (c: PhoneCapture) => (c.sysinfo.html === null ? null : parseSysinfo(c.sysinfo.html));
const notRead = (what: string, state: string, error: string | null): Verdict =>
  unknown(`${what} was not read (${state}${error ? `: ${error}` : ''}).`);

export const ASSUMPTIONS: readonly Assumption[] = [
  {
    id: 'sip-options-answered',
    assumption: 'The phone answers SIP OPTIONS on UDP (discovery, "came back" after a reboot).',
    source: 'phone-facts §5, §10',
    check: (c) =>
      c.sip.state === 'read'
        ? { held: true, detail: `Answered ${c.sip.status} ${c.sip.reason ?? ''} on UDP ${c.sip.port}.` }
        : {
            held: false,
            detail: `No answer on UDP ${c.sip.port} (${c.sip.error ?? 'none'}); with TLS signalling this is expected.`,
          },
  },
  {
    id: 'sip-server-banner',
    assumption: 'SIP answers carry "Server: Aastra|Mitel <model>/<version>".',
    source: 'phone-facts §3',
    check: (c) => {
      if (c.sip.state !== 'read') return unknown('No SIP answer to read.');
      const raw = header(c.sip.headers, 'Server') ?? header(c.sip.headers, 'User-Agent');
      const banner = raw ? parseSipBanner(raw) : null;
      if (!raw) return { held: false, detail: 'The answer has neither a Server nor a User-Agent header.' };
      return banner?.mitel && banner.model && banner.firmware
        ? { held: true, detail: `"${raw}"` }
        : { held: false, detail: `"${raw}" is not in that form.` };
    },
  },
  {
    id: 'http-basic-auth',
    assumption: 'The web UI answers an unauthenticated request with 401 and "WWW-Authenticate: Basic".',
    source: 'phone-facts §3',
    check: (c) => {
      if (c.http.state !== 'read') return notRead('The web UI', c.http.state, c.http.error);
      const auth = header(c.http.headers, 'www-authenticate');
      return c.http.status === 401 && auth && /^\s*basic\b/i.test(auth)
        ? { held: true, detail: `401 with "${auth}".` }
        : {
            held: false,
            detail: `Answered ${c.http.status}${auth ? ` with "${auth}"` : ' without WWW-Authenticate'}.`,
          };
    },
  },
  {
    id: 'realm-names-model',
    assumption: 'The 401 realm is "Aastra <model>" or "Mitel <model>".',
    source: 'phone-facts §3',
    check: (c) => {
      if (c.http.state !== 'read') return notRead('The web UI', c.http.state, c.http.error);
      const realm = parseBasicRealm(header(c.http.headers, 'www-authenticate') ?? undefined);
      if (realm === null) return { held: false, detail: 'No realm.' };
      const { model } = readRealm(realm); // as the sweep reads it
      return model
        ? { held: true, detail: `realm="${realm}" (model ${model})` }
        : { held: false, detail: `realm="${realm}": no model Fieldkit recognises after "Aastra"/"Mitel".` };
    },
  },
  {
    id: 'server-aragorn',
    assumption: 'The web server names itself "Server: Aragorn".',
    source: 'phone-facts §3',
    check: (c) => {
      if (c.http.state !== 'read') return notRead('The web UI', c.http.state, c.http.error);
      const server = header(c.http.headers, 'server');
      return server && /^aragorn\b/i.test(server)
        ? { held: true, detail: `Server: ${server}` }
        : { held: false, detail: server ? `Server: ${server}` : 'No Server header.' };
    },
  },
  {
    id: 'sysinfo-readable',
    assumption: "/sysinfo.html can be read with the site's admin password over HTTP Basic.",
    source: 'phone-facts §3, §9',
    check: (c) =>
      c.sysinfo.state === 'read'
        ? { held: true, detail: 'Read.' }
        : c.sysinfo.state === 'auth-failed'
          ? { held: false, detail: 'The phone rejected the admin password.' }
          : notRead('/sysinfo.html', c.sysinfo.state, c.sysinfo.error),
  },
  {
    id: 'no-session-expired',
    assumption: 'A "Session Expired" page is answered by logging in again, and then the page comes.',
    source: 'phone-facts §11',
    check: (c) =>
      c.sysinfo.html === null
        ? notRead('/sysinfo.html', c.sysinfo.state, c.sysinfo.error)
        : isSessionExpiredAnswer(c.sysinfo.html)
          ? { held: false, detail: 'The page still says "Session Expired" after logging in again.' }
          : { held: true, detail: 'The page came (after any re-login).' },
  },
  {
    id: 'sysinfo-firmware-version',
    assumption: 'sysinfo has a "Firmware Version" row with four numbers.',
    source: 'phone-facts §3',
    check: (c) => {
      const s = sysinfoOf(c);
      if (!s) return notRead('/sysinfo.html', c.sysinfo.state, c.sysinfo.error);
      return s.firmware
        ? { held: true, detail: `Firmware Version ${formatFirmwareVersion(s.firmware)}.` }
        : { held: false, detail: s.firmwareVersion ? `"${s.firmwareVersion}" is not four numbers.` : 'No such row.' };
    },
  },
  {
    id: 'sysinfo-platform',
    assumption: 'sysinfo has a "Platform" row "<model> Revision <n>" naming a 6867i or 6865i.',
    source: 'phone-facts §3, §1',
    check: (c) => {
      const s = sysinfoOf(c);
      if (!s) return notRead('/sysinfo.html', c.sysinfo.state, c.sysinfo.error);
      if (!s.platform) return { held: false, detail: 'No Platform row.' };
      return s.model && isSupportedModel(s.model) && s.hardwareRevision !== null
        ? { held: true, detail: `Platform "${s.platform}".` }
        : { held: false, detail: `Platform "${s.platform}".` };
    },
  },
  {
    id: 'sysinfo-mac',
    assumption: 'sysinfo has a MAC address row (used to check that the phone at an address is the one expected).',
    source: 'phone-facts §3',
    check: (c) => {
      const s = sysinfoOf(c);
      if (!s) return notRead('/sysinfo.html', c.sysinfo.state, c.sysinfo.error);
      return s.mac
        ? { held: true, detail: `MAC ${s.mac}.` }
        : { held: false, detail: 'No MAC row Fieldkit recognises.' };
    },
  },
  {
    id: 'sysinfo-line1',
    assumption: 'sysinfo shows line 1 as "<user>@<host>" (verify compares it with the directory number).',
    source: 'phone-facts §3',
    check: (c) => {
      const s = sysinfoOf(c);
      if (!s) return notRead('/sysinfo.html', c.sysinfo.state, c.sysinfo.error);
      return s.line1User
        ? { held: true, detail: `Line 1 user ${s.line1User}.` }
        : unknown('No line 1 row: the phone may have no SIP account yet.');
    },
  },
  {
    id: 'banner-agrees-with-sysinfo',
    assumption: 'The SIP banner and sysinfo name the same firmware.',
    source: 'phone-facts §3',
    check: (c) => {
      const s = sysinfoOf(c);
      const raw = header(c.sip.headers, 'Server') ?? header(c.sip.headers, 'User-Agent');
      const banner = raw ? parseSipBanner(raw) : null;
      if (!s?.firmware || !banner?.firmware) return unknown('One of the two was not read.');
      const a = formatFirmwareVersion(s.firmware);
      const b = formatFirmwareVersion(banner.firmware);
      return { held: a === b, detail: `sysinfo ${a}, banner ${b}.` };
    },
  },
  {
    id: 'config-server-form',
    assumption: `/configurationServer.html has the form fields Fieldkit reads (${CONFIG_SERVER_FIELDS.join(', ')}).`,
    source: 'phone-facts §4',
    check: (c) => {
      if (c.configurationServer.state !== 'read')
        return notRead('/configurationServer.html', c.configurationServer.state, c.configurationServer.error);
      const missing = CONFIG_SERVER_FIELDS.filter((f) => !(f in c.configurationServer.fields));
      return missing.length === 0
        ? { held: true, detail: 'All fields are there.' }
        : { held: false, detail: `Missing: ${missing.join(', ')}.` };
    },
  },
  {
    id: 'no-local-firmware-server-field',
    assumption:
      '/configurationServer.html has no firmware server field set (a local one would beat the pin in <MAC>.cfg).',
    source: 'phone-facts §8',
    check: (c) => {
      if (c.configurationServer.state !== 'read')
        return notRead('/configurationServer.html', c.configurationServer.state, c.configurationServer.error);
      const field = Object.entries(c.configurationServer.fields).find(([n]) => /firmware|fwserv|fw_?server/i.test(n));
      if (!field) return { held: true, detail: 'No such field on the page.' };
      return field[1] === ''
        ? { held: true, detail: `Field "${field[0]}" is there, empty.` }
        : { held: false, detail: `Field "${field[0]}" = "${field[1]}".` };
    },
  },
  {
    id: 'provisioning-user-agent',
    assumption: 'The provisioning User-Agent is "<Aastra|Mitel><model> MAC:<mac> V:<version>-SIP".',
    source: 'phone-facts §3',
    check: (c) => {
      if (c.provisioningUserAgent === null)
        return unknown('The built-in server has not seen a request from this phone.');
      const ua = parseProvisioningUserAgent(c.provisioningUserAgent);
      return ua?.mac && ua.firmware
        ? { held: true, detail: `"${c.provisioningUserAgent}"` }
        : { held: false, detail: `"${c.provisioningUserAgent}" is not in that form.` };
    },
  },
];

export function checkAssumptions(capture: PhoneCapture): AssumptionResult[] {
  return ASSUMPTIONS.map((a) => {
    const verdict = a.check(capture);
    return { id: a.id, assumption: a.assumption, held: verdict.held, detail: verdict.detail, source: a.source };
  });
}
