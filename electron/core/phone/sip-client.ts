// SIP over UDP to phones: OPTIONS probes (fingerprint) and the check-sync NOTIFY (re-provision).
// One UDP socket carries any number of concurrent transactions, so a sweep of thousands of hosts
// never opens a socket per host. Retransmission follows RFC 3261 timer A (T1, doubling) but with
// a short T1 and a hard overall deadline so a sweep stays fast.
//
// Clocks start when a datagram leaves the process, not when it is queued: on a local segment the OS holds
// datagrams to unresolved addresses (ARP) against the socket's send buffer, and once that is full Node queues
// further sends in memory. A transaction whose request has not left yet must not time out (it would free its
// place in a sweep's window while its datagram still waits, and the queue would grow without bound), so a
// sweep's window of open transactions also bounds what waits in memory. A sweep can spread its probes over
// several sockets, each with its own send buffer, to get more addresses resolving at once (createSipProber).

import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { parseSipBanner } from './banner';
import {
  buildSipRequest,
  getHeader,
  headerParam,
  MAX_SIP_MESSAGE_BYTES,
  parseCSeq,
  parseSipMessage,
  topVia,
} from './sip-message';
import type { SipBanner } from './banner';
import type { SipResponse } from './sip-message';

export interface SipTransportOptions {
  /** Address to bind and to advertise in Via/Contact. Default: bind all, advertise the route's source address. */
  localAddress?: string;
  /** Local UDP port; 0 (default) picks a free one. */
  localPort?: number;
  /** Send buffer to ask the OS for (it may grant less). Default: the OS default. */
  sendBufferBytes?: number;
}

export interface SipTimingOptions {
  /** Overall time to wait for a final answer. Default 2000 ms. */
  timeoutMs?: number;
  /** Extra copies sent when no answer arrives. Default 3. */
  retransmits?: number;
  /** First retransmit interval, doubled each time (RFC 3261 T1 is 500 ms). Default 250 ms. */
  t1Ms?: number;
}

export type SipAnswer = {
  ok: true;
  host: string;
  port: number;
  status: number;
  reason: string;
  /** Parsed `Server:` banner, else `User-Agent:`, else null. */
  banner: SipBanner | null;
  bannerHeader: 'Server' | 'User-Agent' | null;
  /** Time from the first send to the answer. */
  rttMs: number;
  /** Copies of the request sent. */
  attempts: number;
  response: SipResponse;
};

export type SipFailure = {
  ok: false;
  host: string;
  port: number;
  error: 'timeout' | 'send-failed' | 'closed';
  message: string;
  attempts: number;
  /** With 'send-failed': the operating system's reason for the last refused copy. */
  sendError?: string;
};

export type SipResult = SipAnswer | SipFailure;

interface Pending {
  callId: string;
  method: string;
  host: string;
  port: number;
  /** When the request was made, then when its first copy left the process. */
  started: number;
  attempts: number;
  provisional: SipResponse | null;
  sendErrors: number;
  lastSendError: string | null;
  timers: NodeJS.Timeout[];
  resolve(result: SipResult): void;
}

const token = (bytes: number): string => randomBytes(bytes).toString('hex');

function bracket(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}

function validatePort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`SIP port ${port} is not a port number (1-65535).`);
}

/** The source address the OS would use to reach `host` (no packet is sent). */
async function routeSourceAddress(host: string): Promise<string> {
  const socket = dgram.createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(9, host, () => resolve());
    });
    return socket.address().address;
  } finally {
    socket.close();
  }
}

export interface SipRequestSpec {
  host: string;
  port: number;
  method: 'OPTIONS' | 'NOTIFY';
  /** Extra headers after the mandatory ones. */
  headers?: readonly (readonly [string, string])[];
}

export class SipUdpEndpoint {
  readonly #socket: dgram.Socket;
  readonly #pending = new Map<string, Pending>();
  readonly #sourceCache = new Map<string, Promise<string>>();
  readonly #advertised: string | undefined;
  #closed = false;
  /** Datagrams handed to the socket that the OS has not taken yet. */
  #unsent = 0;
  /** Datagrams received that matched no transaction or were not valid SIP. */
  ignored = 0;

  private constructor(socket: dgram.Socket, advertised: string | undefined) {
    this.#socket = socket;
    this.#advertised = advertised;
    socket.on('message', (data, rinfo) => this.#onMessage(data, rinfo));
    socket.on('error', () => {
      // Errors on an unconnected UDP socket (e.g. ENOBUFS) affect single sends, which are retried.
    });
  }

  static async open(options: SipTransportOptions = {}): Promise<SipUdpEndpoint> {
    const family = options.localAddress && isIPv6(options.localAddress) ? 'udp6' : 'udp4';
    const socket = dgram.createSocket({ type: family, recvBufferSize: 4 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.localPort ?? 0, options.localAddress, () => {
        socket.off('error', reject);
        try {
          if (options.sendBufferBytes) socket.setSendBufferSize(options.sendBufferBytes);
        } catch {
          // The OS refused that size: its default buffer still works, only a sweep of empty addresses is slower.
        }
        resolve();
      });
    });
    return new SipUdpEndpoint(socket, options.localAddress);
  }

  get localPort(): number {
    return this.#socket.address().port;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** Datagrams waiting in this process for the OS to take them. */
  get backlog(): number {
    return this.#unsent;
  }

  async #sourceFor(host: string): Promise<string> {
    if (this.#advertised && this.#advertised !== '0.0.0.0' && this.#advertised !== '::') return this.#advertised;
    // Same /24 (IPv4) almost always shares a route; avoids one lookup per host in a sweep.
    const key = isIPv6(host) ? host : host.split('.').slice(0, 3).join('.');
    let source = this.#sourceCache.get(key);
    if (!source) {
      source = routeSourceAddress(host).catch(() => '127.0.0.1');
      this.#sourceCache.set(key, source);
    }
    return source;
  }

  /**
   * Sends one non-INVITE request and resolves with the final answer, or a failure. Never rejects for network reasons.
   */
  async request(spec: SipRequestSpec, timing: SipTimingOptions = {}): Promise<SipResult> {
    validatePort(spec.port);
    const timeoutMs = timing.timeoutMs ?? 2000;
    const retransmits = Math.max(0, Math.min(timing.retransmits ?? 3, 10));
    const t1 = Math.max(1, timing.t1Ms ?? 250);
    const { host, port, method } = spec;
    if (this.#closed)
      return { ok: false, host, port, error: 'closed', message: 'The SIP socket is closed.', attempts: 0 };

    const source = await this.#sourceFor(host);
    const branch = `z9hG4bK${token(10)}`;
    const callId = `${token(12)}@fieldkit`;
    const target = `sip:${bracket(host)}:${port}`;
    const self = `${bracket(source)}:${this.localPort}`;
    const text = buildSipRequest(method, target, [
      ['Via', `SIP/2.0/UDP ${self};branch=${branch};rport`],
      ['Max-Forwards', '70'],
      ['To', `<${target}>`],
      ['From', `<sip:fieldkit@${self}>;tag=${token(6)}`],
      ['Call-ID', callId],
      ['CSeq', `1 ${method}`],
      ['Contact', `<sip:fieldkit@${self}>`],
      ['User-Agent', 'Fieldkit'],
      ...(spec.headers ?? []),
    ]);
    const datagram = Buffer.from(text, 'utf8');

    return new Promise<SipResult>((resolve) => {
      const pending: Pending = {
        callId,
        method,
        host,
        port,
        started: performance.now(),
        attempts: 0,
        provisional: null,
        sendErrors: 0,
        lastSendError: null,
        timers: [],
        resolve: (result) => {
          for (const t of pending.timers) clearTimeout(t);
          this.#pending.delete(branch);
          resolve(result);
        },
      };
      this.#pending.set(branch, pending);
      let queued = 0;
      const send = (onLeft?: () => void): void => {
        if (!this.#pending.has(branch)) return;
        // A copy still waiting in the process has not even left: another one would only add to the queue.
        // Retransmits are for loss on the wire, not for this.
        if (queued > 0) return;
        pending.attempts++;
        queued++;
        this.#unsent++;
        this.#socket.send(datagram, port, host, (err) => {
          queued--;
          this.#unsent--;
          if (err) {
            pending.sendErrors++;
            pending.lastSendError = err.message;
          }
          onLeft?.();
        });
      };
      // Retransmits and the deadline count from the moment the first copy left the process.
      send(() => {
        if (!this.#pending.has(branch)) return;
        pending.started = performance.now();
        this.#startTimers(pending, send, timeoutMs, retransmits, t1);
      });
    });
  }

  #startTimers(pending: Pending, send: () => void, timeoutMs: number, retransmits: number, t1: number): void {
    const { host, port, method } = pending;
    let at = 0;
    for (let k = 0; k < retransmits; k++) {
      at += t1 * 2 ** k;
      if (at >= timeoutMs) break;
      pending.timers.push(setTimeout(() => send(), at));
    }
    pending.timers.push(
      setTimeout(() => {
        if (pending.provisional) {
          pending.resolve(this.#answer(pending, pending.provisional));
        } else if (pending.sendErrors === pending.attempts) {
          pending.resolve({
            ok: false,
            host,
            port,
            error: 'send-failed',
            attempts: pending.attempts,
            sendError: pending.lastSendError ?? undefined,
            message: `Could not send SIP ${method} to ${host}:${port}: ${pending.lastSendError}.`,
          });
        } else {
          pending.resolve({
            ok: false,
            host,
            port,
            error: 'timeout',
            attempts: pending.attempts,
            message: `No SIP answer from ${host}:${port} within ${timeoutMs} ms (${pending.attempts} ${pending.attempts === 1 ? 'copy' : 'copies'} sent).`,
          });
        }
      }, timeoutMs),
    );
  }

  #answer(pending: Pending, response: SipResponse): SipAnswer {
    const server = getHeader(response, 'Server');
    const agent = getHeader(response, 'User-Agent');
    const bannerHeader = server ? 'Server' : agent ? 'User-Agent' : null;
    return {
      ok: true,
      host: pending.host,
      port: pending.port,
      status: response.status,
      reason: response.reason,
      banner: parseSipBanner(server ?? agent ?? ''),
      bannerHeader,
      rttMs: Math.round((performance.now() - pending.started) * 10) / 10,
      attempts: pending.attempts,
      response,
    };
  }

  #onMessage(data: Buffer, _rinfo: dgram.RemoteInfo): void {
    if (data.length > MAX_SIP_MESSAGE_BYTES) {
      this.ignored++;
      return;
    }
    const parsed = parseSipMessage(data);
    if (!parsed.ok || parsed.message.kind !== 'response') {
      this.ignored++;
      return;
    }
    const response = parsed.message;
    const branch = headerParam(topVia(response), 'branch');
    const pending = branch ? this.#pending.get(branch) : undefined;
    const cseq = parseCSeq(getHeader(response, 'CSeq'));
    if (
      !pending ||
      getHeader(response, 'Call-ID') !== pending.callId ||
      cseq?.method.toUpperCase() !== pending.method
    ) {
      this.ignored++;
      return;
    }
    if (response.status < 200) {
      pending.provisional = response;
      return;
    }
    pending.resolve(this.#answer(pending, response));
  }

  /** Ends every open transaction with error 'closed' and releases the socket. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const pending of [...this.#pending.values()]) {
      pending.resolve({
        ok: false,
        host: pending.host,
        port: pending.port,
        error: 'closed',
        message: 'The SIP socket was closed before an answer arrived.',
        attempts: pending.attempts,
      });
    }
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }
}

// OPTIONS: RFC 3261 §11. Accept says what we can read; phones answer 200 with Server/Allow.
const OPTIONS_HEADERS = [['Accept', 'application/sdp']] as const;

export interface SipProber {
  probe(host: string, port?: number, timing?: SipTimingOptions): Promise<SipResult>;
  /** Port of the first socket. */
  readonly localPort: number;
  readonly inFlight: number;
  /** Datagrams waiting in the process for the OS to take them (bounded by the probes in flight). */
  readonly backlog: number;
  /** Datagrams dropped as garbage, oversized or matching no probe. */
  readonly ignored: number;
  close(): Promise<void>;
}

export interface SipProberOptions extends SipTransportOptions, SipTimingOptions {
  /**
   * UDP sockets to spread probes over (default 1). Each has its own send buffer, which on a local segment is what
   * limits how many addresses can wait for ARP at once; more sockets sweep a mostly empty subnet faster.
   */
  sockets?: number;
}

/** Sockets for a whole sweep: `probe()` as many hosts concurrently as the caller wants. */
export async function createSipProber(options: SipProberOptions = {}): Promise<SipProber> {
  const count = Math.max(1, Math.min(options.sockets ?? 1, 64));
  const endpoints: SipUdpEndpoint[] = [];
  try {
    for (let i = 0; i < count; i++) endpoints.push(await SipUdpEndpoint.open(options));
  } catch (err) {
    await Promise.all(endpoints.map((e) => e.close()));
    throw err;
  }
  let turn = 0;
  // The socket with the fewest datagrams still waiting in the process; round robin among equals.
  const pick = (): SipUdpEndpoint => {
    let best = endpoints[turn]!;
    for (let i = 1; i < count; i++) {
      const e = endpoints[(turn + i) % count]!;
      if (e.backlog < best.backlog) best = e;
    }
    turn = (turn + 1) % count;
    return best;
  };
  const sum = (f: (e: SipUdpEndpoint) => number): number => endpoints.reduce((n, e) => n + f(e), 0);
  return {
    probe: (host, port = 5060, timing = {}) =>
      pick().request({ host, port, method: 'OPTIONS', headers: OPTIONS_HEADERS }, { ...options, ...timing }),
    get localPort() {
      return endpoints[0]!.localPort;
    },
    get inFlight() {
      return sum((e) => e.inFlight);
    },
    get backlog() {
      return sum((e) => e.backlog);
    },
    get ignored() {
      return sum((e) => e.ignored);
    },
    close: async () => {
      await Promise.all(endpoints.map((e) => e.close()));
    },
  };
}

export interface SipTargetOptions extends SipTransportOptions, SipTimingOptions {
  host: string;
  port?: number;
}

/**
 * One OPTIONS probe on its own socket (for single-device checks; sweeps use createSipProber). Aborting `signal`
 * closes the socket at once: the probe then ends as 'closed' instead of holding its timers until its timeout.
 */
export async function sipOptionsProbe(options: SipTargetOptions & { signal?: AbortSignal }): Promise<SipResult> {
  const prober = await createSipProber(options);
  const stop = () => void prober.close();
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    return await prober.probe(options.host, options.port ?? 5060);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await prober.close();
  }
}

/**
 * NOTIFY `Event: check-sync`: what Asterisk's `sip notify aastra-check-cfg` sends to make an
 * Aastra/Mitel phone re-read its configuration and reboot (phone-facts §4 "SIP NOTIFY": FreePBX
 * Restart.class.php, ELX, PROV). Content-Length 0 as in older FreePBX configs; Subscription-State
 * because RFC 6665 requires it in every NOTIFY. Whether the phone insists on the NOTIFY coming
 * from its registrar is unknown (phone-facts §4). Resolves with the phone's answer.
 */
export async function sendCheckSyncNotify(options: SipTargetOptions): Promise<SipResult> {
  const endpoint = await SipUdpEndpoint.open(options);
  try {
    return await endpoint.request(
      {
        host: options.host,
        port: options.port ?? 5060,
        method: 'NOTIFY',
        headers: [
          ['Event', 'check-sync'],
          ['Subscription-State', 'terminated'],
        ],
      },
      options,
    );
  } finally {
    await endpoint.close();
  }
}
