// The phone's web UI as an API: fingerprint, read status, restart, set the configuration server,
// XML push. Every call opens its own connection (no reuse), is bounded in time and size, and
// fails with a PhoneError a technician can act on. Passwords never appear in messages.

import { Buffer } from 'node:buffer';
import { httpExchange } from './http-exchange';
import { parseFormValues } from './html-form';
import { normaliseModel } from './models';
import { PhoneError } from './phone-error';
import { MAX_SYSINFO_CHARS, parseSysinfo } from './sysinfo';
import type { HttpExchangeResponse, Scheme } from './http-exchange';
import type { SysinfoInfo } from './sysinfo';

export interface PhoneTarget {
  host: string;
  /** Default 80 for http, 443 for https. */
  port?: number;
  scheme?: Scheme;
  /** Overall deadline per HTTP request. Default 5000 ms. */
  timeoutMs?: number;
  localAddress?: string;
  /** Aborting ends the request at once (error code 'cancelled'). */
  signal?: AbortSignal;
}

export interface PhoneCredentials {
  /** Default `admin` (phone-facts §3 "Auth is HTTP Basic"). */
  username?: string;
  password: string;
}

const DEFAULT_TIMEOUT_MS = 5000;
const MAX_PAGE_BYTES = 1024 * 1024;

function endpoint(target: PhoneTarget): {
  host: string;
  port: number;
  scheme: Scheme;
  timeoutMs: number;
  localAddress?: string;
  signal?: AbortSignal;
} {
  const scheme = target.scheme ?? 'http';
  const port = target.port ?? (scheme === 'https' ? 443 : 80);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PhoneError('bad-input', target.host, `Port ${port} is not a port number (1-65535).`);
  }
  return {
    host: target.host,
    port,
    scheme,
    timeoutMs: target.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    localAddress: target.localAddress,
    signal: target.signal,
  };
}

function basicAuth(credentials: PhoneCredentials): [string, string] {
  const user = credentials.username ?? 'admin';
  return ['Authorization', `Basic ${Buffer.from(`${user}:${credentials.password}`, 'utf8').toString('base64')}`];
}

function authFailed(host: string): PhoneError {
  return new PhoneError(
    'auth-failed',
    host,
    `The phone at ${host} rejected the admin password. Enter the password it has now in the phone's detail (Inventory) under Admin passwords, or in Credentials.`,
  );
}

function bodyText(res: HttpExchangeResponse): string {
  return res.body.toString('latin1');
}

function expectOk(res: HttpExchangeResponse, host: string, page: string): void {
  if (res.status === 401) throw authFailed(host);
  if (res.status === 404)
    throw new PhoneError('not-a-phone', host, `${host} has no ${page} page; it is probably not a Mitel 6800 phone.`);
  if (res.status !== 200)
    throw new PhoneError('protocol', host, `${host} answered ${res.status} ${res.reason} for ${page}.`);
}

// ---------------------------------------------------------------------------------------------
// Fingerprint

export interface WebFingerprint {
  status: number;
  /** Basic realm, e.g. `Aastra 6757i` (phone-facts §3). */
  realm: string | null;
  /** `Server:` header; phones send `Aragorn` (phone-facts §3). */
  server: string | null;
  /** Model named in the realm (ELX reads `realm="Aastra (.+)"`; `Mitel` prefix accepted too, phone-facts §3). */
  modelFromRealm: string | null;
  prefix: 'Aastra' | 'Mitel' | null;
  /** True when realm or Server header point to a Mitel/Aastra phone. */
  looksLikePhone: boolean;
  certFingerprint256: string | null;
}

export function parseBasicRealm(header: string | undefined): string | null {
  if (!header) return null;
  const m = /\bBasic\s+(?:[^,]*,\s*)*?realm\s*=\s*(?:"([^"]{0,200})"|([^\s,]{1,200}))/i.exec(header.slice(0, 1024));
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** The vendor prefix and model a 401 realm names, e.g. `Aastra 6757i` (phone-facts §3). */
export function readRealm(realm: string | null): { prefix: 'Aastra' | 'Mitel' | null; model: string | null } {
  const m = realm ? /^(Aastra|Mitel)\s+(.{1,64})$/i.exec(realm.trim()) : null;
  if (!m) return { prefix: null, model: null };
  return { prefix: m[1]!.toLowerCase() === 'aastra' ? 'Aastra' : 'Mitel', model: normaliseModel(m[2]!) };
}

/** Unauthenticated GET / : reads the 401 realm and Server header (no password needed). */
export async function fingerprint(
  host: string,
  port?: number,
  scheme: Scheme = 'http',
  options: Omit<PhoneTarget, 'host' | 'port' | 'scheme'> = {},
): Promise<WebFingerprint> {
  const ep = endpoint({ ...options, host, port, scheme });
  const res = await httpExchange({ ...ep, method: 'GET', path: '/', maxBodyBytes: 64 * 1024, onOversize: 'truncate' });
  const realm = parseBasicRealm(res.headers['www-authenticate']);
  const { prefix, model } = readRealm(realm);
  const server = res.headers['server'] ?? null;
  return {
    status: res.status,
    realm,
    server,
    modelFromRealm: model,
    prefix,
    looksLikePhone: prefix !== null || /^aragorn\b/i.test(server ?? ''),
    certFingerprint256: res.certFingerprint256,
  };
}

// ---------------------------------------------------------------------------------------------
// Authenticated pages

// "Session Expired" (phone-facts §11): the phone answers 200 with that page instead of the page asked for, and
// nothing asked for is done. Mitel's own automation logs in again (GET /sysinfo.html) up to twice; so does Fieldkit.
const SESSION_EXPIRED = /session\s+(?:has\s+)?expired/i;
const LOGIN_ATTEMPTS = 3;

export function isSessionExpiredAnswer(html: string): boolean {
  return SESSION_EXPIRED.test(html.slice(0, 64 * 1024));
}

function sessionExpired(host: string, path: string): PhoneError {
  return new PhoneError(
    'session-expired',
    host,
    `${host} answered "Session Expired" for ${path} ${LOGIN_ATTEMPTS} times in a row, even after logging in again. Open http://${host}/sysinfo.html in a browser once, then retry.`,
  );
}

async function authGetOnce(
  target: PhoneTarget,
  credentials: PhoneCredentials,
  path: string,
  maxBodyBytes: number,
): Promise<HttpExchangeResponse> {
  const ep = endpoint(target);
  const res = await httpExchange({
    ...ep,
    method: 'GET',
    path,
    headers: () => [basicAuth(credentials)],
    maxBodyBytes,
    onOversize: 'fail',
  });
  expectOk(res, ep.host, path);
  return res;
}

/** Authenticated GET; a "Session Expired" answer is a new login, so the request is simply made again. */
async function authGet(
  target: PhoneTarget,
  credentials: PhoneCredentials,
  path: string,
  maxBodyBytes = MAX_PAGE_BYTES,
): Promise<HttpExchangeResponse> {
  for (let attempt = 1; attempt <= LOGIN_ATTEMPTS; attempt++) {
    const res = await authGetOnce(target, credentials, path, maxBodyBytes);
    if (!isSessionExpiredAnswer(bodyText(res))) return res;
  }
  throw sessionExpired(target.host, path);
}

async function authPostForm(
  target: PhoneTarget,
  credentials: PhoneCredentials,
  path: string,
  form: Record<string, string>,
): Promise<HttpExchangeResponse> {
  const ep = endpoint(target);
  const res = await httpExchange({
    ...ep,
    method: 'POST',
    path,
    headers: () => [basicAuth(credentials), ['Content-Type', 'application/x-www-form-urlencoded']],
    body: new URLSearchParams(form).toString(),
    maxBodyBytes: MAX_PAGE_BYTES,
    onOversize: 'fail',
  });
  expectOk(res, ep.host, path);
  return res;
}

/** An authenticated page as the phone sent it (text), after any "Session Expired" re-login. */
export async function readPage(target: PhoneTarget, credentials: PhoneCredentials, path: string): Promise<string> {
  return bodyText(await authGet(target, credentials, path));
}

/** Reads /sysinfo.html with Basic auth (phone-facts §3). */
export async function readSysinfo(target: PhoneTarget, credentials: PhoneCredentials): Promise<SysinfoInfo> {
  const res = await authGet(target, credentials, '/sysinfo.html', MAX_SYSINFO_CHARS);
  const info = parseSysinfo(res.body);
  if (info === null)
    throw new PhoneError('too-large', target.host, `${target.host} sent a /sysinfo.html too large to be a phone page.`);
  return info;
}

// From factory state the phone applies a POST only after a GET of /sysinfo.html; otherwise it
// answers 200 with a page asking to visit sysinfo (phone-facts §3 "Scraping quirks", ELX). The exact
// wording is not public: this matches "visit" followed closely by "sysinfo"/"system information".
const VISIT_SYSINFO_FIRST = /visit[^<>]{0,80}(?:sysinfo|system\s+information)/i;

export function isVisitSysinfoFirstAnswer(html: string): boolean {
  return VISIT_SYSINFO_FIRST.test(html.slice(0, 64 * 1024));
}

/**
 * GET /sysinfo.html, POST. If the phone still asks for sysinfo first, or its session expired before the POST (the
 * POST was then not applied, phone-facts §11), log in and post again.
 */
async function postAfterSysinfo(
  target: PhoneTarget,
  credentials: PhoneCredentials,
  path: string,
  form: Record<string, string>,
): Promise<HttpExchangeResponse> {
  let visitAsked = 0;
  for (let attempt = 1; attempt <= LOGIN_ATTEMPTS; attempt++) {
    await authGet(target, credentials, '/sysinfo.html', MAX_SYSINFO_CHARS);
    const res = await authPostForm(target, credentials, path, form);
    const text = bodyText(res);
    if (isSessionExpiredAnswer(text)) continue;
    if (!isVisitSysinfoFirstAnswer(text)) return res;
    if (++visitAsked === 2) {
      throw new PhoneError(
        'protocol',
        target.host,
        `${target.host} keeps asking to visit the system information page before accepting changes to ${path}. Open http://${target.host}/sysinfo.html in a browser once, then retry.`,
      );
    }
  }
  throw sessionExpired(target.host, path);
}

// ---------------------------------------------------------------------------------------------
// Restart / reset (phone-facts §4 "Web UI restart": GET /sysinfo.html, then POST /reset.html resetOption)

export interface ResetResult {
  /** HTTP status of the reset POST, or null when the phone dropped the connection (it is rebooting). */
  status: number | null;
  /** False when the phone closed the connection without answering: likely rebooting, not confirmed. */
  confirmed: boolean;
}

async function postReset(
  target: PhoneTarget,
  credentials: PhoneCredentials,
  resetOption: '0' | '1' | '2',
): Promise<ResetResult> {
  try {
    const res = await postAfterSysinfo(target, credentials, '/reset.html', { resetOption });
    return { status: res.status, confirmed: true };
  } catch (err) {
    // A phone that reboots at once may close the connection instead of answering.
    if (err instanceof PhoneError && err.code === 'closed-without-answer') return { status: null, confirmed: false };
    throw err;
  }
}

/** Restarts the phone (resetOption=0). Keeps all settings. */
export function restart(target: PhoneTarget, credentials: PhoneCredentials): Promise<ResetResult> {
  return postReset(target, credentials, '0');
}

/**
 * DANGEROUS: factory default (resetOption=1). Erases every setting, including the admin password and the configuration
 * server.
 */
export function dangerousFactoryReset(target: PhoneTarget, credentials: PhoneCredentials): Promise<ResetResult> {
  return postReset(target, credentials, '1');
}

/**
 * DANGEROUS: removes settings made in the phone's Web/phone UI (resetOption=2). Useful because local
 * changes win over server files (phone-facts §1, §4), but anything configured only locally is lost.
 */
export function dangerousRemoveLocalConfig(target: PhoneTarget, credentials: PhoneCredentials): Promise<ResetResult> {
  return postReset(target, credentials, '2');
}

// ---------------------------------------------------------------------------------------------
// Configuration server (phone-facts §4 "Set the config server over HTTP", field names from ELX)

export const CONFIG_SERVER_FIELDS = [
  'protocol',
  'tftp',
  'tftppath',
  'alttftp',
  'alttftppath',
  'usealttftp',
  'ftpserv',
  'ftppath',
  'ftpuser',
  'ftppass',
  'httpserv',
  'httppath',
  'httpport',
  'httpsserv',
  'httpspath',
  'httpsport',
  'autoResyncMode',
  'autoResyncTime',
  'maxDelay',
  'days',
  'postList',
] as const;
export type ConfigServerField = (typeof CONFIG_SERVER_FIELDS)[number];
export type ConfigServerSettings = Partial<Record<ConfigServerField, string>>;

export interface ConfigServerReading {
  /** Every field of phone-facts §4 found on the page, except `ftppass`. */
  settings: Omit<ConfigServerSettings, 'ftppass'>;
  /** Whether an FTP password is filled in (its value is never returned). */
  ftpPasswordSet: boolean;
  /** All other form fields on the page, unchanged, so a POST can send them back. */
  otherFields: Record<string, string>;
}

export async function getConfigurationServer(
  target: PhoneTarget,
  credentials: PhoneCredentials,
): Promise<ConfigServerReading> {
  const res = await authGet(target, credentials, '/configurationServer.html');
  const form = parseFormValues(bodyText(res));
  const settings: ConfigServerSettings = {};
  const otherFields: Record<string, string> = {};
  for (const [name, value] of Object.entries(form)) {
    if ((CONFIG_SERVER_FIELDS as readonly string[]).includes(name)) {
      if (name !== 'ftppass') settings[name as ConfigServerField] = value;
    } else otherFields[name] = value;
  }
  if (settings.protocol === undefined && settings.httpserv === undefined && settings.tftp === undefined) {
    throw new PhoneError(
      'not-a-phone',
      target.host,
      `${target.host}/configurationServer.html has no configuration server form; it is probably not a Mitel 6800 phone.`,
    );
  }
  return { settings, ftpPasswordSet: (form['ftppass'] ?? '') !== '', otherFields };
}

function validateSettings(host: string, s: ConfigServerSettings): void {
  const bad = (what: string): never => {
    throw new PhoneError('bad-input', host, `Configuration server setting ${what}.`);
  };
  for (const [name, value] of Object.entries(s)) {
    if (typeof value !== 'string' || /[\r\n\0]/.test(value) || value.length > 512)
      bad(`${name} is not a single line of at most 512 characters`);
  }
  if (s.protocol !== undefined && !/^(TFTP|FTP|HTTP|HTTPS)$/.test(s.protocol))
    bad(`protocol must be TFTP, FTP, HTTP or HTTPS, not ${JSON.stringify(s.protocol)}`);
  for (const port of ['httpport', 'httpsport'] as const) {
    const v = s[port];
    if (v !== undefined && (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 65535))
      bad(`${port} must be a port number 1-65535, not ${JSON.stringify(v)}`);
  }
  // auto resync mode 0-3 (phone-facts §1 table, AG331 p.A-22); time hh:mm or the French/Spanish hhhmm form.
  if (s.autoResyncMode !== undefined && !/^[0-3]$/.test(s.autoResyncMode))
    bad('autoResyncMode must be 0 (none), 1 (config), 2 (firmware) or 3 (both)');
  if (s.autoResyncTime !== undefined && !/^([01]\d|2[0-3])[:h][0-5]\d$/.test(s.autoResyncTime))
    bad('autoResyncTime must be hh:mm, e.g. 02:30');
  if (s.maxDelay !== undefined && (!/^\d{1,4}$/.test(s.maxDelay) || Number(s.maxDelay) > 1439))
    bad('maxDelay must be 0-1439 minutes');
}

/**
 * Sets the configuration server via the Web UI. Fields not given keep the values currently on the
 * phone (read first), because the form resets anything it does not receive. Success is the phone
 * answering with `Provisioning complete` (ELX `_enableStaticProvisioning`).
 */
export async function setConfigurationServer(
  target: PhoneTarget,
  credentials: PhoneCredentials,
  changes: ConfigServerSettings,
): Promise<ConfigServerReading> {
  validateSettings(target.host, changes);
  const current = await getConfigurationServer(target, credentials);
  const form: Record<string, string> = { ...current.otherFields, ...current.settings, ...changes };
  const res = await postAfterSysinfo(target, credentials, '/configurationServer.html', form);
  if (!bodyText(res).includes('Provisioning complete')) {
    throw new PhoneError(
      'protocol',
      target.host,
      `${target.host} did not confirm the new configuration server (no "Provisioning complete" in its answer). Check the settings in the phone's web UI.`,
    );
  }
  const { ftppass: _omit, ...shown } = { ...current.settings, ...changes };
  return {
    settings: shown,
    ftpPasswordSet: changes.ftppass !== undefined ? changes.ftppass !== '' : current.ftpPasswordSet,
    otherFields: current.otherFields,
  };
}

// ---------------------------------------------------------------------------------------------
// XML push (phone-facts §4 "XML push", XMLAPI Aastra_push2phone)

export type XmlPushCommand = 'Reset' | 'FastReboot';

export interface XmlPushResult {
  /** HTTP status, or null when the phone closed the connection without answering. */
  status: number | null;
  confirmed: boolean;
}

/**
 * POST / with `xml=<AastraIPPhoneExecute>…` (not URL-encoded), Content-Type text/xml and a Referer
 * naming the sender, in one write. `Reset` waits until idle and checks firmware; `FastReboot`
 * does not check firmware (phone-facts §2, §4). The phone accepts it only from hosts in its
 * `xml application post list`; a 403 is reported as refused-by-post-list.
 */
export async function xmlPush(
  host: string,
  port = 80,
  command: XmlPushCommand,
  options: Omit<PhoneTarget, 'host' | 'port'> & { referer?: string } = {},
): Promise<XmlPushResult> {
  if (command !== 'Reset' && command !== 'FastReboot')
    throw new PhoneError(
      'bad-input',
      host,
      `Unknown XML push command ${JSON.stringify(command)}; use Reset or FastReboot.`,
    );
  const ep = endpoint({ ...options, host, port });
  const body = `xml=<AastraIPPhoneExecute><ExecuteItem URI="Command: ${command}"/></AastraIPPhoneExecute>`;
  let res: HttpExchangeResponse;
  let sender = options.referer ?? '';
  try {
    res = await httpExchange({
      ...ep,
      method: 'POST',
      path: '/',
      headers: (local) => {
        sender = options.referer ?? local;
        return [
          ['Referer', sender],
          ['Content-Type', 'text/xml'],
        ];
      },
      body,
      maxBodyBytes: 64 * 1024,
      onOversize: 'truncate',
    });
  } catch (err) {
    if (err instanceof PhoneError && err.code === 'closed-without-answer') return { status: null, confirmed: false };
    throw err;
  }
  if (res.status === 403) {
    throw new PhoneError(
      'refused-by-post-list',
      host,
      `The phone at ${host} refused the XML push from ${sender}. Add ${sender} to the phone's "XML Push Server List" (xml application post list).`,
    );
  }
  if (res.status >= 300)
    throw new PhoneError('protocol', host, `${host} answered the XML push with ${res.status} ${res.reason}.`);
  return { status: res.status, confirmed: true };
}
