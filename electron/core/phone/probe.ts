// Evidence from one real phone: what it answers to the requests Fieldkit makes, recorded as it came (with secrets
// redacted), so that the assumptions Fieldkit makes about a phone can be checked against it (assumptions.ts) and
// the capture can become a test fixture (test/fixtures/phones/<name>/).
import { z } from 'zod';
import { httpExchange } from './http-exchange';
import { parseFormValues } from './html-form';
import { isPhoneError } from './phone-error';
import { sipOptionsProbe } from './sip-client';
import { readPage } from './web-client';
import type { PhoneCredentials } from './web-client';

export const REDACTED_VALUE = '********';
const MAX_HTML_CHARS = 256 * 1024;

const Step = z.enum(['read', 'no-answer', 'auth-failed', 'not-read', 'error']);

export const PhoneCaptureSchema = z.object({
  format: z.literal('fieldkit-phone-capture'),
  formatVersion: z.literal(1),
  capturedAt: z.string(),
  host: z.string(),
  sip: z.object({
    port: z.number().int(),
    state: Step,
    status: z.number().int().nullable(),
    reason: z.string().nullable(),
    /** Response headers as received, in order. */
    headers: z.array(z.tuple([z.string(), z.string()])),
    error: z.string().nullable(),
  }),
  http: z.object({
    port: z.number().int(),
    state: Step,
    /** Status of an unauthenticated GET / (a phone answers 401). */
    status: z.number().int().nullable(),
    headers: z.array(z.tuple([z.string(), z.string()])),
    error: z.string().nullable(),
  }),
  sysinfo: z.object({ state: Step, html: z.string().nullable(), error: z.string().nullable() }),
  configurationServer: z.object({
    state: Step,
    /** Form fields as the phone filled them in; password-like fields show ******** when set. */
    fields: z.record(z.string(), z.string()),
    error: z.string().nullable(),
  }),
  /** The User-Agent of the phone's last request to Fieldkit's built-in server, if one was seen. */
  provisioningUserAgent: z.string().nullable(),
});
export type PhoneCapture = z.infer<typeof PhoneCaptureSchema>;

export interface ProbeOptions {
  host: string;
  sipPort?: number;
  httpPort?: number;
  /** The admin credentials for the authenticated pages; without them those pages are not read. */
  credentials?: PhoneCredentials;
  provisioningUserAgent?: string | null;
  timeoutMs?: number;
  localAddress?: string;
  signal?: AbortSignal;
}

const PASSWORD_FIELD = /pass|pwd|secret|key/i;

function failure(e: unknown): { state: z.infer<typeof Step>; error: string } {
  if (isPhoneError(e, 'auth-failed')) return { state: 'auth-failed', error: e.message };
  if (isPhoneError(e) && (e.code === 'unreachable' || e.code === 'timeout' || e.code === 'closed-without-answer'))
    return { state: 'no-answer', error: e.message };
  return { state: 'error', error: (e as Error)?.message ?? String(e) };
}

/** Asks the phone what Fieldkit asks it, and records the answers. Never throws for phone problems. */
export async function capturePhone(options: ProbeOptions): Promise<PhoneCapture> {
  const timeoutMs = options.timeoutMs ?? 4000;
  const local = options.localAddress ? { localAddress: options.localAddress } : {};
  const sipPort = options.sipPort ?? 5060;
  const httpPort = options.httpPort ?? 80;

  const sip: PhoneCapture['sip'] = {
    port: sipPort,
    state: 'no-answer',
    status: null,
    reason: null,
    headers: [],
    error: null,
  };
  const answer = await sipOptionsProbe({ host: options.host, port: sipPort, timeoutMs, ...local }).catch(
    (e: unknown) => ({ ok: false as const, message: (e as Error).message }),
  );
  if (answer.ok) {
    sip.state = 'read';
    sip.status = answer.status;
    sip.reason = answer.reason;
    sip.headers = answer.response.headers.map((h) => [h.name, h.value]);
  } else sip.error = answer.message;

  const http: PhoneCapture['http'] = { port: httpPort, state: 'no-answer', status: null, headers: [], error: null };
  try {
    const res = await httpExchange({
      host: options.host,
      port: httpPort,
      scheme: 'http',
      method: 'GET',
      path: '/',
      timeoutMs,
      maxBodyBytes: 16 * 1024,
      onOversize: 'truncate',
      ...local,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    http.state = 'read';
    http.status = res.status;
    http.headers = Object.entries(res.headers);
  } catch (e) {
    Object.assign(http, failure(e));
  }

  const target = {
    host: options.host,
    port: httpPort,
    timeoutMs,
    ...local,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const sysinfo: PhoneCapture['sysinfo'] = { state: 'not-read', html: null, error: null };
  const configurationServer: PhoneCapture['configurationServer'] = { state: 'not-read', fields: {}, error: null };
  if (options.credentials && http.state === 'read') {
    try {
      sysinfo.html = (await readPage(target, options.credentials, '/sysinfo.html')).slice(0, MAX_HTML_CHARS);
      sysinfo.state = 'read';
    } catch (e) {
      Object.assign(sysinfo, failure(e));
    }
    if (sysinfo.state !== 'auth-failed') {
      try {
        const form = parseFormValues(await readPage(target, options.credentials, '/configurationServer.html'));
        for (const [name, value] of Object.entries(form))
          configurationServer.fields[name] = PASSWORD_FIELD.test(name) && value !== '' ? REDACTED_VALUE : value;
        configurationServer.state = 'read';
      } catch (e) {
        Object.assign(configurationServer, failure(e));
      }
    }
  }

  return {
    format: 'fieldkit-phone-capture',
    formatVersion: 1,
    capturedAt: new Date().toISOString(),
    host: options.host,
    sip,
    http,
    sysinfo,
    configurationServer,
    provisioningUserAgent: options.provisioningUserAgent ?? null,
  };
}
