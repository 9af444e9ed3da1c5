// Active sweep: SIP OPTIONS over UDP (a few sockets for the whole sweep), HTTP/HTTPS fingerprint, then an
// authenticated /sysinfo.html read for devices that look like Mitel phones when an admin password is known.
// Addresses are streamed from the ranges with a bounded window of hosts in progress, so memory stays flat for a
// mostly empty /16. Addresses on the laptop's own segments also wait for room in the OS's ARP table
// (arp-budget.ts): going faster than the OS can resolve makes it drop probes silently. The abort signal stops
// new sends at once, closes the SIP sockets and ends web requests in flight.
import { getMaxListeners, setMaxListeners } from 'node:events';
import { createSipProber, fingerprint, formatFirmwareVersion, isPhoneError, readSysinfo } from '../phone';
import { FieldkitError } from '../util/errors';
import { Pacer, Semaphore } from '../util/limiter';
import { ArpBudget, onLinkMatcher, systemArpBudget } from './arp-budget';
import { nowIso } from './observation';
import { tcpPortOpen } from './port-check';
import { iterateAddresses } from './ranges';
import type { Observation } from './observation';
import type { ArpBudgetSettings, ArpHold } from './arp-budget';
import type { SipProber, SipResult, WebFingerprint, Scheme } from '../phone';
import type { AddressRange } from './ranges';

export interface SweepTiming {
  /** Overall wait for a SIP answer per address and port (late answers from busy phones count). Default 1500 ms. */
  sipTimeoutMs: number;
  /** Extra SIP copies for lost packets. Default 3 (sent at +100, +300, +700 ms). */
  sipRetransmits: number;
  sipT1Ms: number;
  /** Overall deadline of one unauthenticated HTTP(S) request, connect included. Default 1500 ms. */
  httpTimeoutMs: number;
  /** Deadline of the authenticated /sysinfo.html read. Default 4000 ms. */
  sysinfoTimeoutMs: number;
}

export interface SweepLimits {
  /** Addresses in progress at once. Default 1024. */
  hostWindow: number;
  /** SIP transactions in flight at once. Default 1024. */
  sipWindow: number;
  /** New SIP probes per second. Default 4000. */
  sipPerSecond: number;
  /**
   * UDP sockets the SIP probes are spread over. Default 8. On a local segment every silent address waits for
   * ARP against a socket's send buffer; more sockets let more addresses resolve at once.
   */
  sipSockets: number;
  /** TCP connections (fingerprint and sysinfo) at once. Default 256. */
  tcpConcurrency: number;
}

export const DEFAULT_TIMING: SweepTiming = {
  sipTimeoutMs: 1500,
  sipRetransmits: 3,
  sipT1Ms: 100,
  httpTimeoutMs: 1500,
  sysinfoTimeoutMs: 4000,
};
export const DEFAULT_LIMITS: SweepLimits = {
  hostWindow: 1024,
  sipWindow: 1024,
  sipPerSecond: 4000,
  sipSockets: 8,
  tcpConcurrency: 256,
};
/** Send buffer asked for on each SIP socket (the OS may grant less). */
const SIP_SEND_BUFFER_BYTES = 1024 * 1024;

/** Web probes of an address start when its SIP probes are done, or this long after they started. */
const WEB_HEAD_START_MS = 300;

export interface SweepOptions {
  ranges: readonly AddressRange[];
  sipPorts: readonly number[];
  httpPorts: readonly number[];
  httpsPorts: readonly number[];
  /**
   * 'all': fingerprint the web ports of every address (finds HTTP-only phones anywhere).
   * 'responsive': only addresses that answered SIP or that `isAlive` confirms (e.g. from the neighbour table).
   */
  webTargets: 'all' | 'responsive';
  isAlive?: (ip: string) => boolean;
  /** Admin passwords to try on a phone's /sysinfo.html, in order (at most three), or undefined to skip the read. */
  adminPassword?: (ip: string) => Promise<string | readonly string[] | undefined>;
  /** Told which of the passwords the phone accepted (its index). */
  onAdminLogin?: (ip: string, accepted: number) => void;
  /** Told that the phone rejected every password offered. */
  onAdminRejected?: (ip: string) => void;
  timing?: Partial<SweepTiming>;
  limits?: Partial<SweepLimits>;
  /** Local address for the SIP socket and TCP connections. */
  localAddress?: string;
  /**
   * Limit on addresses of the laptop's own segments waiting for ARP at once. Default: read from the OS (arp-budget.ts).
   */
  arp?: ArpBudgetSettings & { onLink?: (ip: string) => boolean };
}

export interface SweepCallbacks {
  signal?: AbortSignal;
  onObservation(observation: Observation): void;
  /** Called after each address is finished. */
  onAddressDone?(): void;
}

export interface SweepStats {
  addressesDone: number;
  sipAnswers: number;
  webAnswers: number;
  sysinfoRead: number;
  sysinfoRejected: number;
  /** Phone-like devices whose sysinfo was not read because no password is known. */
  sysinfoSkipped: number;
  /** Datagrams the SIP socket dropped as garbage, oversized or unmatched. */
  sipIgnored: number;
  /** SIP probes the operating system refused to send (every copy), by error message. */
  sipSendFailed: Record<string, number>;
}

interface WebHit {
  scheme: Scheme;
  port: number;
  fp: WebFingerprint;
}

function sipObservation(result: SipResult & { ok: true }): Observation {
  const b = result.banner;
  return {
    method: 'sip',
    ip: result.host,
    at: nowIso(),
    answeredSip: true,
    sipPort: result.port,
    banner: b?.raw ?? null,
    vendor: b?.vendor ?? null,
    model: b?.mitel ? b.model : null,
    firmware: b?.mitel && b.firmware ? formatFirmwareVersion(b.firmware) : null,
  };
}

function webObservation(ip: string, hit: WebHit): Observation {
  const { fp } = hit;
  return {
    method: hit.scheme,
    ip,
    at: nowIso(),
    ...(hit.scheme === 'http' ? { httpPort: hit.port } : { httpsPort: hit.port }),
    banner: fp.realm !== null ? `realm="${fp.realm}"${fp.server ? ` Server: ${fp.server}` : ''}` : fp.server,
    vendor: fp.prefix,
    model: fp.modelFromRealm,
  };
}

export async function sweep(options: SweepOptions, callbacks: SweepCallbacks): Promise<SweepStats> {
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { signal } = callbacks;
  const stats: SweepStats = {
    addressesDone: 0,
    sipAnswers: 0,
    webAnswers: 0,
    sysinfoRead: 0,
    sysinfoRejected: 0,
    sysinfoSkipped: 0,
    sipIgnored: 0,
    sipSendFailed: {},
  };
  const cancelled = (): FieldkitError => new FieldkitError('cancelled', 'The scan was cancelled.');
  if (signal?.aborted) throw cancelled();
  // Every web request in flight listens for the abort (removed when it ends): up to tcpConcurrency at once, which is
  // not the leak Node's default warning at 10 listeners is meant to catch.
  if (signal) setMaxListeners(Math.max(getMaxListeners(signal), limits.tcpConcurrency + 32), signal);

  let prober: SipProber | null = null;
  if (options.sipPorts.length > 0) {
    try {
      prober = await createSipProber({
        localAddress: options.localAddress,
        sockets: limits.sipSockets,
        sendBufferBytes: SIP_SEND_BUFFER_BYTES,
      });
    } catch (err) {
      throw new FieldkitError(
        'unavailable',
        `Cannot open the SIP socket${options.localAddress ? ` on ${options.localAddress}` : ''}: ${(err as Error).message}. Check that the interface is up and has that address.`,
      );
    }
  }
  const closeProber = (): void => void prober?.close();
  signal?.addEventListener('abort', closeProber, { once: true });

  const hosts = new Semaphore(limits.hostWindow, signal);
  const sipSlots = new Semaphore(limits.sipWindow, signal);
  const tcpSlots = new Semaphore(limits.tcpConcurrency, signal);
  const pacer = new Pacer(limits.sipPerSecond);
  const arp = new ArpBudget(options.arp ?? systemArpBudget(), options.arp?.onLink ?? onLinkMatcher(), signal);
  const emit = (o: Observation): void => {
    if (!signal?.aborted) callbacks.onObservation(o);
  };

  type SipOutcome = 'silent' | 'answered' | 'mitel';
  const probeSip = async (ip: string, port: number, hold: ArpHold): Promise<SipOutcome> => {
    const release = await sipSlots.acquire();
    try {
      await pacer.wait(signal);
      hold.probing();
      const result = await prober!.probe(ip, port, {
        timeoutMs: timing.sipTimeoutMs,
        retransmits: timing.sipRetransmits,
        t1Ms: timing.sipT1Ms,
      });
      if (!result.ok) {
        if (result.sendError) stats.sipSendFailed[result.sendError] = (stats.sipSendFailed[result.sendError] ?? 0) + 1;
        return 'silent';
      }
      stats.sipAnswers++;
      hold.done(true);
      emit(sipObservation(result));
      return result.banner?.mitel === true ? 'mitel' : 'answered';
    } finally {
      release();
    }
  };

  const probeWeb = async (ip: string, scheme: Scheme, port: number, hold: ArpHold): Promise<WebHit | null> =>
    tcpSlots.run(async () => {
      if (signal?.aborted) return null;
      hold.probing();
      try {
        const fp = await fingerprint(ip, port, scheme, {
          timeoutMs: timing.httpTimeoutMs,
          localAddress: options.localAddress,
          signal,
        });
        stats.webAnswers++;
        hold.done(true);
        const hit = { scheme, port, fp };
        emit(webObservation(ip, hit));
        return hit;
      } catch {
        return null; // refused, timed out, not HTTP: nothing to report for this port
      }
    });

  const portOpen = async (ip: string, port: number, hold: ArpHold): Promise<boolean> =>
    tcpSlots.run(async () => {
      if (signal?.aborted) return false;
      hold.probing();
      const open = await tcpPortOpen(ip, port, {
        timeoutMs: timing.httpTimeoutMs,
        localAddress: options.localAddress,
        signal,
      });
      if (open) hold.done(true);
      return open;
    });

  /**
   * HTTP fingerprints, and meanwhile whether the HTTPS ports are open at all. An open HTTPS port gets a full
   * fingerprint (TLS) only when HTTP did not show a phone: a TLS handshake costs several times a whole HTTP exchange on
   * both ends (measured on 500 phones: most of the sweep's CPU), and for a phone HTTP already identified it would only
   * add that its HTTPS port is open.
   */
  const probeWebPorts = async (ip: string, hold: ArpHold): Promise<WebHit[]> => {
    const [http, httpsOpen] = await Promise.all([
      Promise.all(options.httpPorts.map((p) => probeWeb(ip, 'http', p, hold))),
      Promise.all(options.httpsPorts.map((p) => portOpen(ip, p, hold))),
    ]);
    const hits = http.filter((h): h is WebHit => h !== null);
    const open = options.httpsPorts.filter((_, i) => httpsOpen[i]);
    if (hits.some((h) => h.fp.looksLikePhone)) {
      for (const port of open) emit({ method: 'https', ip, at: nowIso(), httpsPort: port });
      return hits;
    }
    const https = await Promise.all(open.map((p) => probeWeb(ip, 'https', p, hold)));
    return [...hits, ...https.filter((h): h is WebHit => h !== null)];
  };

  type SysinfoOutcome = 'read' | 'rejected' | 'failed';
  /**
   * The passwords to try on a phone's /sysinfo.html, in order (at most three: each wrong one is a refused login on
   * the phone; no lockout of the 6800 web UI is documented, none is risked), or none.
   */
  const passwordsFor = async (ip: string): Promise<readonly string[]> => {
    const offered = await options.adminPassword?.(ip);
    return offered === undefined ? [] : typeof offered === 'string' ? [offered] : offered.slice(0, 3);
  };

  /**
   * Authenticated reads of /sysinfo.html, one password after another until the phone accepts one. A phone that
   * rejects them all is reported (and never asked again in this scan).
   */
  const readPhoneSysinfo = async (
    ip: string,
    scheme: Scheme,
    port: number,
    passwords: readonly string[],
    noteFailure: boolean,
  ): Promise<SysinfoOutcome> => {
    for (const [attempt, password] of passwords.entries()) {
      const outcome = await readSysinfoWith(ip, scheme, port, password, noteFailure, attempt, passwords.length);
      if (outcome !== 'retry') return outcome;
    }
    return 'failed';
  };

  const readSysinfoWith = async (
    ip: string,
    scheme: Scheme,
    port: number,
    password: string,
    noteFailure: boolean,
    attempt: number,
    of: number,
  ): Promise<SysinfoOutcome | 'retry'> =>
    tcpSlots.run(async () => {
      if (signal?.aborted) return 'failed';
      try {
        const info = await readSysinfo(
          { host: ip, port, scheme, timeoutMs: timing.sysinfoTimeoutMs, localAddress: options.localAddress, signal },
          { password },
        );
        stats.sysinfoRead++;
        options.onAdminLogin?.(ip, attempt);
        emit({
          method: 'sysinfo',
          ip,
          at: nowIso(),
          mac: info.mac,
          model: info.model,
          firmware: info.firmware ? formatFirmwareVersion(info.firmware) : null,
          ...(scheme === 'http' ? { httpPort: port } : { httpsPort: port }),
        });
        return 'read';
      } catch (err) {
        const rejected = isPhoneError(err, 'auth-failed');
        if (rejected && attempt < of - 1) return 'retry';
        if (rejected) {
          stats.sysinfoRejected++;
          options.onAdminRejected?.(ip);
        }
        if (rejected || noteFailure) {
          emit({
            method: 'sysinfo',
            ip,
            at: nowIso(),
            noteOnly: true,
            note: rejected
              ? `The phone rejected ${of === 1 ? 'the admin password' : `all ${of} admin passwords Fieldkit tried`} on /sysinfo.html (its own, the one entered as current, the factory default). Enter the password it has now in the phone's detail (Inventory) under Admin passwords, or in Credentials, and scan again.`
              : `Could not read /sysinfo.html: ${(err as Error).message}`,
          });
        }
        return rejected ? 'rejected' : 'failed';
      }
    });

  /**
   * A device whose SIP answer already says it is a Mitel phone: its /sysinfo.html is read straight away over HTTP,
   * which also shows that its web server answers there. A fingerprint first would cost one more connection per phone
   * (on the phone as well). Null when this does not apply or the read failed for another reason than the password:
   * then the device is fingerprinted as any other.
   */
  const sysinfoFirst = async (ip: string, hold: ArpHold): Promise<SysinfoOutcome | null> => {
    const port = options.httpPorts[0];
    const passwords = port === undefined ? [] : await passwordsFor(ip);
    if (port === undefined || passwords.length === 0 || signal?.aborted) return null;
    const outcome = await readPhoneSysinfo(ip, 'http', port, passwords, false);
    if (outcome !== 'read') return outcome === 'rejected' ? outcome : null;
    emit({ method: 'http', ip, at: nowIso(), httpPort: port });
    const open = await Promise.all(options.httpsPorts.map((p) => portOpen(ip, p, hold)));
    for (const [i, p] of options.httpsPorts.entries())
      if (open[i]) emit({ method: 'https', ip, at: nowIso(), httpsPort: p });
    return outcome;
  };

  const scanHost = async (ip: string): Promise<void> => {
    const hold = await arp.enter(ip);
    try {
      await probeHost(ip, hold);
    } finally {
      hold.done(false);
    }
  };

  const probeHost = async (ip: string, hold: ArpHold): Promise<void> => {
    let sipSaysMitel = false;
    const sip = prober
      ? Promise.all(
          options.sipPorts.map(async (p) => {
            const outcome = await probeSip(ip, p, hold);
            if (outcome === 'mitel') sipSaysMitel = true;
            return outcome;
          }),
        )
      : Promise.resolve([] as SipOutcome[]);
    const web = async (): Promise<{ hits: WebHit[]; sysinfo: SysinfoOutcome | null }> => {
      const sysinfo = sipSaysMitel ? await sysinfoFirst(ip, hold) : null;
      return { hits: sysinfo === 'read' ? [] : await probeWebPorts(ip, hold), sysinfo };
    };
    let sipOutcomes: SipOutcome[];
    let webResult: { hits: WebHit[]; sysinfo: SysinfoOutcome | null };
    if (options.webTargets === 'all') {
      // SIP gets a head start: its answers are back before the web probes (TLS, sysinfo) load the devices.
      const headStart = new Promise<void>((resolve) => setTimeout(resolve, WEB_HEAD_START_MS));
      [sipOutcomes, webResult] = await Promise.all([sip, Promise.race([sip, headStart]).then(web)]);
    } else {
      sipOutcomes = await sip;
      const alive = sipOutcomes.some((o) => o !== 'silent') || options.isAlive?.(ip) === true;
      webResult = alive ? await web() : { hits: [], sysinfo: null };
    }
    const { hits } = webResult;
    if (webResult.sysinfo !== null || signal?.aborted) return;
    const phoneLike = sipOutcomes.includes('mitel') || hits.some((h) => h.fp.looksLikePhone);
    const target = hits.find((h) => h.fp.looksLikePhone) ?? hits[0];
    if (!phoneLike || !target) return;
    const passwords = await passwordsFor(ip);
    if (passwords.length === 0) stats.sysinfoSkipped++;
    else await readPhoneSysinfo(ip, target.scheme, target.port, passwords, true);
  };

  const running = new Set<Promise<void>>();
  try {
    for (const ip of iterateAddresses(options.ranges)) {
      const release = await hosts.acquire();
      const task = scanHost(ip)
        .catch((err: unknown) => {
          if (!(err instanceof FieldkitError && err.code === 'cancelled')) throw err;
        })
        .finally(() => {
          release();
          running.delete(task);
          if (!signal?.aborted) {
            stats.addressesDone++;
            callbacks.onAddressDone?.();
          }
        });
      running.add(task);
    }
    await Promise.all(running);
  } catch (err) {
    if (!signal?.aborted) throw err;
  } finally {
    signal?.removeEventListener('abort', closeProber);
    if (prober) {
      stats.sipIgnored = prober.ignored;
      await prober.close();
    }
  }
  if (signal?.aborted) throw cancelled();
  return stats;
}
