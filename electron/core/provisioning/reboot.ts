// Makes one phone restart and fetch its configuration, trying the methods in order (phone-facts §4):
// SIP NOTIFY `Event: check-sync`, the web UI restart (GET /sysinfo.html, POST /reset.html
// resetOption=0) and XML push `Command: Reset`; where NOTIFY cannot work (sip whitelist, TLS-only signalling) the
// caller passes another order (reboot-route.ts). A method counts only when the phone is then seen to go down: a
// phone may accept a NOTIFY and ignore it. `FastReboot` skips the firmware check (phone-facts §2), so it is used only
// when the caller says the change is configuration-only.
import { FieldkitError } from '../util/errors';
import { restart, sendCheckSyncNotify, sipOptionsProbe, xmlPush, isPhoneError, fingerprint } from '../phone';
import { sleep } from '../util/sleep';

export type RebootMethod = 'sip-notify' | 'web-restart' | 'xml-reset' | 'xml-fastreboot';

export const METHOD_LABELS: Record<RebootMethod, string> = {
  'sip-notify': 'SIP NOTIFY check-sync',
  'web-restart': 'web UI restart',
  'xml-reset': 'XML push Command: Reset',
  'xml-fastreboot': 'XML push Command: FastReboot',
};

export interface RebootTarget {
  /** 12 uppercase hex digits. */
  mac: string;
  ip: string;
  sipPort?: number | null;
  httpPort?: number | null;
}

export interface RebootOptions {
  /** The phone's admin password for the web UI method; without it that method is skipped. */
  adminPassword?: string;
  /** Configuration-only change: the XML method sends FastReboot (no firmware check). Default false. */
  fastReboot?: boolean;
  /** Address to send from (also the XML push sender the phone checks against its post list). */
  localAddress?: string;
  /** Per-request deadline. Default 3000 ms. */
  requestTimeoutMs?: number;
  /** How long to watch for the phone going down after it accepted a method. Default 15000 ms. */
  confirmDownMs?: number;
  /** Poll interval while watching. Default 250 ms. */
  pollMs?: number;
  signal?: AbortSignal;
  /** Order of the methods (the XML one stands for Reset or FastReboot); default NOTIFY, web UI, XML. */
  order?: readonly RebootMethod[];
  /** Why the order is not the default, for the result (reboot-route.ts). */
  orderReason?: string | null;
}

export interface MethodAttempt {
  method: RebootMethod;
  ok: boolean;
  /** Plain words: what happened. */
  message: string;
  /** The phone did not answer this method at all. */
  silent?: boolean;
}

export interface RebootOutcome {
  mac: string;
  ip: string;
  ok: boolean;
  /** The method that made the phone restart. */
  method: RebootMethod | null;
  attempts: MethodAttempt[];
  /** One sentence for the technician. */
  message: string;
  at: string;
  /** The order the methods were tried in, and why when it is not the default. */
  order: RebootMethod[];
  orderReason: string | null;
  /** Fieldkit stopped while restarting it and did not restart it again: it may have restarted (verify checks it). */
  interrupted?: boolean;
}

/** How long SIP OPTIONS has to itself before the web server is asked too (a phone on TLS only never answers it). */
const SIP_HEAD_START_MS = 250;

/**
 * One cheap "are you there": SIP OPTIONS when the phone has SIP, and an HTTP request when it has a web server. A
 * phone that signals over TLS only answers nothing on UDP 5060 (phone-facts §10), so waiting for the OPTIONS timeout
 * before asking the web server cost ~2 s per phone in verify: the web server is asked once SIP has had a short head
 * start, and the first answer counts.
 */
export async function phoneAnswers(
  target: RebootTarget,
  timeoutMs: number,
  localAddress?: string,
  retransmits = 1,
  sipHeadStartMs = SIP_HEAD_START_MS,
): Promise<boolean> {
  // The question that loses the race is called off: left running, its timers held the process up to timeoutMs
  // after a verify of 500 phones had finished (the CLI exited ~1.8 s late).
  const callOff = new AbortController();
  const signal = callOff.signal;
  const web = async (): Promise<boolean> => {
    try {
      await fingerprint(target.ip, target.httpPort ?? 80, 'http', {
        timeoutMs,
        signal,
        ...(localAddress ? { localAddress } : {}),
      });
      return true;
    } catch {
      return false;
    }
  };
  const ask = async (): Promise<boolean> => {
    if (target.sipPort === null) return web();
    const sip = sipOptionsProbe({
      host: target.ip,
      port: target.sipPort ?? 5060,
      timeoutMs,
      retransmits,
      t1Ms: Math.max(100, Math.floor(timeoutMs / 3)),
      signal,
      ...(localAddress ? { localAddress } : {}),
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (target.httpPort === null) return sip;
    let headStart: NodeJS.Timeout | undefined;
    const first = await Promise.race([
      sip.then((ok) => (ok ? true : null)),
      new Promise<'ask-web'>((resolve) => (headStart = setTimeout(() => resolve('ask-web'), sipHeadStartMs))),
    ]);
    clearTimeout(headStart);
    if (first === true) return true;
    if (first === null) return web();
    const webAnswer = web();
    return Promise.race([sip.then((ok) => ok || webAnswer), webAnswer.then((ok) => ok || sip)]);
  };
  try {
    return await ask();
  } finally {
    callOff.abort();
  }
}

/** Watches the phone after it accepted a restart: true once it stops answering (it is rebooting). */
async function wentDown(target: RebootTarget, options: RebootOptions): Promise<boolean> {
  const deadline = Date.now() + (options.confirmDownMs ?? 15_000);
  const poll = options.pollMs ?? 250;
  while (Date.now() < deadline && !options.signal?.aborted) {
    // one short probe without retransmits: a retransmit could reach a phone that is already back from a quick boot
    if (!(await phoneAnswers(target, Math.max(150, Math.min(500, poll)), options.localAddress, 0))) return true;
    await sleep(poll, options.signal);
  }
  return false;
}

function describeError(e: unknown): string {
  if (isPhoneError(e)) return e.message;
  return (e as Error)?.message ?? String(e);
}

type Answer = { accepted: boolean; message: string; silent?: boolean };
type Trigger = () => Promise<Answer>;

const rank = (m: RebootMethod): RebootMethod => (m === 'xml-fastreboot' ? 'xml-reset' : m);

function orderedTriggers(
  target: RebootTarget,
  options: RebootOptions,
): { method: RebootMethod; run: Trigger | string }[] {
  const order = (options.order ?? ['sip-notify', 'web-restart', 'xml-reset']).map(rank);
  const position = (m: RebootMethod): number => {
    const i = order.indexOf(rank(m));
    return i === -1 ? order.length : i;
  };
  return triggers(target, options).sort((a, b) => position(a.method) - position(b.method));
}

function triggers(target: RebootTarget, options: RebootOptions): { method: RebootMethod; run: Trigger | string }[] {
  const timeoutMs = options.requestTimeoutMs ?? 3000;
  const local = options.localAddress ? { localAddress: options.localAddress } : {};
  const xmlCommand = options.fastReboot ? 'FastReboot' : 'Reset';
  return [
    {
      method: 'sip-notify',
      run:
        target.sipPort === null
          ? 'the phone has no SIP port'
          : async () => {
              const r = await sendCheckSyncNotify({
                host: target.ip,
                port: target.sipPort ?? 5060,
                timeoutMs,
                ...local,
              });
              if (!r.ok) return { accepted: false, silent: true, message: `no answer to the NOTIFY (${r.message})` };
              if (r.status >= 300)
                return { accepted: false, message: `the phone refused the NOTIFY with ${r.status} ${r.reason}` };
              return { accepted: true, message: `the phone accepted the NOTIFY (${r.status} ${r.reason})` };
            },
    },
    {
      method: 'web-restart',
      run:
        target.httpPort === null
          ? 'no web UI port is known for it (no scan has reached it)'
          : options.adminPassword === undefined
            ? 'no admin password in Credentials'
            : async () => {
                const r = await restart(
                  { host: target.ip, port: target.httpPort ?? 80, timeoutMs, ...local },
                  { password: options.adminPassword! },
                );
                return {
                  accepted: true,
                  message: r.confirmed
                    ? `the web UI accepted the restart (${r.status})`
                    : 'the phone closed the connection while restarting',
                };
              },
    },
    {
      method: options.fastReboot ? 'xml-fastreboot' : 'xml-reset',
      run:
        target.httpPort === null
          ? 'no web UI port is known for it (no scan has reached it)'
          : async () => {
              const r = await xmlPush(target.ip, target.httpPort ?? 80, xmlCommand, { timeoutMs, ...local });
              return {
                accepted: true,
                message: r.confirmed
                  ? `the phone accepted Command: ${xmlCommand} (${r.status})`
                  : 'the phone closed the connection while restarting',
              };
            },
    },
  ];
}

/** Tries each method until the phone is seen restarting; never throws for phone problems. */
export async function rebootPhone(target: RebootTarget, options: RebootOptions = {}): Promise<RebootOutcome> {
  const attempts: MethodAttempt[] = [];
  const plan = orderedTriggers(target, options);
  const done = (ok: boolean, method: RebootMethod | null, message: string): RebootOutcome => ({
    mac: target.mac,
    ip: target.ip,
    ok,
    method,
    attempts,
    message,
    at: new Date().toISOString(),
    order: plan.map((t) => t.method),
    orderReason: options.orderReason ?? null,
  });
  for (const { method, run } of plan) {
    // nothing was sent yet: a resumed job may safely try this phone again
    if (options.signal?.aborted) throw new FieldkitError('cancelled', `Cancelled before ${target.mac} was restarted.`);
    if (typeof run === 'string') {
      attempts.push({ method, ok: false, message: `skipped: ${run}` });
      continue;
    }
    let accepted: Answer;
    try {
      accepted = await run();
    } catch (e) {
      accepted = {
        accepted: false,
        message: describeError(e),
        silent: isPhoneError(e, 'unreachable') || isPhoneError(e, 'timeout'),
      };
    }
    if (!accepted.accepted) {
      attempts.push({ method, ok: false, message: accepted.message, ...(accepted.silent ? { silent: true } : {}) });
      continue;
    }
    const down = await wentDown(target, options);
    if (options.signal?.aborted) {
      // the phone accepted a restart: never send it another one, even when the job is resumed
      attempts.push({ method, ok: true, message: `${accepted.message}; cancelled before the restart was seen` });
      return done(
        true,
        method,
        `Phone ${target.mac} at ${target.ip} accepted the restart (${METHOD_LABELS[method]}); Fieldkit was stopped before it saw the phone go down. Verify shows whether it took its configuration.`,
      );
    }
    if (down) {
      attempts.push({ method, ok: true, message: `${accepted.message}; it went down to restart` });
      return done(
        true,
        method,
        `Phone ${target.mac} at ${target.ip} is restarting (${METHOD_LABELS[method]}).${options.orderReason ? ` ${options.orderReason}` : ''}`,
      );
    }
    attempts.push({
      method,
      ok: false,
      message: `${accepted.message}, but it kept answering and did not restart (it may be in a call: phones restart when idle)`,
    });
  }
  return done(false, null, explainFailure(target, attempts, options.orderReason ?? null));
}

function explainFailure(target: RebootTarget, attempts: MethodAttempt[], orderReason: string | null): string {
  const tried = attempts.filter((a) => !a.message.startsWith('skipped'));
  const unreachable = tried.length > 0 && tried.every((a) => a.silent);
  const head = unreachable
    ? `Phone ${target.mac} at ${target.ip} did not answer: it may be switched off, unplugged or at another address. Check it, then reboot it again or by hand (power cycle).`
    : `Phone ${target.mac} at ${target.ip} could not be restarted remotely. Restart it by hand (power cycle), or fix the cause below and try again.`;
  return `${head} Tried: ${attempts.map((a) => `${METHOD_LABELS[a.method]}: ${a.message.replace(/\.$/, '')}`).join('; ')}.${orderReason ? ` ${orderReason}` : ''}`;
}
