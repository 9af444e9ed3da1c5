// Lab devices that are not 6867i/6865i: another vendor's SIP phone, or another Mitel/Aastra model.
// They answer SIP OPTIONS with their banner and, if given an HTTP port, a Basic-auth challenge; nothing else.
import http from 'node:http';
import { listenTcp } from './listen';
import { SipEndpoint } from './sip-endpoint';
import type { SipReply } from './sip-endpoint';
import type { SipRequest } from './sip-message';

export interface OtherDeviceOptions {
  address: string;
  mac: string;
  /** e.g. `Yealink SIP-T46S 66.86.0.15` or `Mitel 6930/6.4.0.140`. */
  sipBanner: string;
  /** Yealink-style devices put their banner in User-Agent; Mitel/Aastra in Server (phone-facts §3). */
  sipBannerHeader?: 'Server' | 'User-Agent';
  sipPort?: number | null;
  httpPort?: number | null;
  httpServerHeader?: string;
  /** Basic realm of the web UI, e.g. `Mitel 6930` or `Aastra 6757i`. */
  httpRealm?: string;
}

export class OtherDevice {
  readonly address: string;
  readonly mac: string;
  readonly sipPort: number | null;
  readonly httpPort: number | null;
  private sip: SipEndpoint | null = null;
  private web: http.Server | null = null;

  constructor(private readonly opts: OtherDeviceOptions) {
    this.address = opts.address;
    this.mac = opts.mac;
    this.sipPort = opts.sipPort === undefined ? 5060 : opts.sipPort;
    this.httpPort = opts.httpPort ?? null;
  }

  async start(): Promise<void> {
    if (this.sipPort !== null) {
      const sip = new SipEndpoint({
        address: this.address,
        port: this.sipPort,
        tcp: false,
        answer: (req) => this.answer(req),
        gate: () => ({ drop: false, delayMs: 0 }),
      });
      await sip.start();
      this.sip = sip;
    }
    if (this.httpPort !== null) {
      const realm = this.opts.httpRealm ?? 'Login';
      const server = http.createServer((_req, res) => {
        res.writeHead(401, {
          'WWW-Authenticate': `Basic realm="${realm}"`,
          ...(this.opts.httpServerHeader ? { Server: this.opts.httpServerHeader } : {}),
          'Content-Type': 'text/html',
        });
        res.end('<html><body>401 Unauthorized</body></html>');
      });
      this.web = server;
      await listenTcp(server, this.httpPort, this.address);
    }
  }

  async stop(): Promise<void> {
    await this.sip?.stop();
    this.sip = null;
    const web = this.web;
    this.web = null;
    if (web) {
      web.closeAllConnections();
      await new Promise<void>((resolve) => web.close(() => resolve()));
    }
  }

  private answer(req: SipRequest): SipReply | null {
    const banner: [string, string] = [this.opts.sipBannerHeader ?? 'Server', this.opts.sipBanner];
    if (req.method === 'ACK') return null;
    if (req.method === 'OPTIONS')
      return { status: 200, reason: 'OK', headers: [banner, ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY']] };
    if (req.method === 'INVITE') return { status: 486, reason: 'Busy Here', headers: [banner] };
    return { status: 501, reason: 'Not Implemented', headers: [banner] };
  }
}
