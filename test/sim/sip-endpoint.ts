// SIP transport for one simulated device: UDP (and optionally TCP) on its own address, bounded and crash-proof.
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { bindUdp, listenTcp } from './listen';
import {
  buildSipResponse,
  header,
  MAX_SIP_MESSAGE_BYTES,
  parseSipRequest,
  responseRoute,
  sipFrameLength,
} from './sip-message';
import type { SipRequest } from './sip-message';

export interface SipReply {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  /** Runs after the response was handed to the socket (e.g. reboot after check-sync). */
  afterSend?: () => void;
}

/** What the device's current faults say about one incoming message. */
export interface SipGate {
  drop: boolean;
  delayMs: number;
}

export interface SipEndpointOptions {
  address: string;
  port: number;
  tcp: boolean;
  /** `source` is where the request came from (the whitelist checks it, phone-facts §10). */
  answer: (req: SipRequest, source: { host: string; port: number }) => SipReply | null;
  gate: () => SipGate;
}

const TCP_IDLE_MS = 30_000;

export class SipEndpoint {
  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private readonly tcpSockets = new Set<net.Socket>();

  constructor(private readonly opts: SipEndpointOptions) {}

  async start(): Promise<void> {
    const udp = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    udp.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
    await bindUdp(udp, this.opts.port, this.opts.address);
    this.udp = udp;
    if (this.opts.tcp) {
      const server = net.createServer((socket) => this.onTcpConnection(socket));
      await listenTcp(server, this.opts.port, this.opts.address).catch(async (err: unknown) => {
        await this.stop();
        throw err;
      });
      this.tcp = server;
    }
  }

  async stop(): Promise<void> {
    const udp = this.udp;
    this.udp = null;
    if (udp) await new Promise<void>((resolve) => udp.close(() => resolve()));
    for (const s of this.tcpSockets) s.destroy();
    this.tcpSockets.clear();
    const tcp = this.tcp;
    this.tcp = null;
    if (tcp) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }

  private respond(
    req: SipRequest,
    source: { host: string; port: number },
    send: (text: string, sent: () => void) => void,
  ): void {
    const gate = this.opts.gate();
    if (gate.drop) return;
    const reply = this.opts.answer(req, source);
    if (!reply) return;
    const text = buildSipResponse(req, {
      status: reply.status,
      reason: reply.reason,
      source,
      toTag: toTagFor(req),
      extraHeaders: reply.headers,
    });
    const deliver = (): void => send(text, () => reply.afterSend?.());
    if (gate.delayMs > 0) setTimeout(deliver, gate.delayMs).unref();
    else deliver();
  }

  private onDatagram(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length > MAX_SIP_MESSAGE_BYTES) return;
    const req = parseSipRequest(msg);
    if (!req) return;
    const source = { host: rinfo.address, port: rinfo.port };
    const to = responseRoute(req, source);
    this.respond(req, source, (text, sent) => {
      if (this.udp) this.udp.send(text, to.port, to.host, () => sent());
      else sent();
    });
  }

  private onTcpConnection(socket: net.Socket): void {
    this.tcpSockets.add(socket);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('close', () => this.tcpSockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      if (buffer.length > MAX_SIP_MESSAGE_BYTES * 2) return socket.destroy();
      for (;;) {
        const len = sipFrameLength(buffer);
        if (len === null) break;
        const frame = buffer.slice(0, len);
        buffer = buffer.slice(len);
        const req = parseSipRequest(frame);
        if (!req) continue;
        const source = { host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
        this.respond(req, source, (text, sent) => {
          if (socket.destroyed) sent();
          else socket.write(text, () => sent());
        });
      }
    });
  }
}

/** Same To-tag for retransmissions of the same request, different per dialog. */
function toTagFor(req: SipRequest): string {
  const seed = `${header(req, 'call-id')}|${header(req, 'from')}`;
  return createHash('sha1').update(seed).digest('hex').slice(0, 10);
}
