// The phone's embedded web server (phone-facts §3, §4): Basic auth, sysinfo, reset, configuration server, XML push.
import http from 'node:http';
import https from 'node:https';
import {
  configurationServerPage,
  homePage,
  notFoundPage,
  resetFormPage,
  simplePage,
  sessionExpiredPage,
  sysinfoPage,
  unauthorizedPage,
  visitSysinfoFirstPage,
} from './web-pages';
import { listenTcp } from './listen';
import type net from 'node:net';
import type { SysinfoData } from './web-pages';
import type { CertPair } from './self-signed-cert';

const MAX_BODY_BYTES = 64 * 1024;
const HUNG_SOCKET_MS = 60_000;

/**
 * Form fields of /configurationServer.html (ELX `_enableStaticProvisioning`, phone-facts §4) and the parameter each
 * sets.
 */
export const CONFIG_SERVER_FIELDS: Array<[label: string, field: string, parameter: string]> = [
  ['Download Protocol', 'protocol', 'download protocol'],
  ['TFTP Server', 'tftp', 'tftp server'],
  ['TFTP Path', 'tftppath', 'tftp path'],
  ['Alternate TFTP', 'alttftp', 'alternate tftp server'],
  ['Alternate TFTP Path', 'alttftppath', 'alternate tftp path'],
  ['Use Alternate TFTP', 'usealttftp', 'use alternate tftp'],
  ['FTP Server', 'ftpserv', 'ftp server'],
  ['FTP Path', 'ftppath', 'ftp path'],
  ['FTP User Name', 'ftpuser', 'ftp username'],
  ['FTP Password', 'ftppass', 'ftp password'],
  ['HTTP Server', 'httpserv', 'http server'],
  ['HTTP Path', 'httppath', 'http path'],
  ['HTTP Port', 'httpport', 'http port'],
  ['HTTPS Server', 'httpsserv', 'https server'],
  ['HTTPS Path', 'httpspath', 'https path'],
  ['HTTPS Port', 'httpsport', 'https port'],
  ['Auto Resync Mode', 'autoResyncMode', 'auto resync mode'],
  ['Auto Resync Time (24-hour)', 'autoResyncTime', 'auto resync time'],
  ['Maximum Delay', 'maxDelay', 'auto resync max delay'],
  ['Days', 'days', 'auto resync days'],
  ['XML Push Server List', 'postList', 'xml application post list'],
];

/** What the web server needs from the phone behind it. */
export interface WebUiHost {
  realm(): string;
  model(): string;
  adminPassword(): string;
  webFaults(): { unreachable: boolean; dropConnections: boolean; slowMs: number };
  sysinfo(): SysinfoData;
  noteSysinfoSeen(): void;
  postsBlockedUntilSysinfo(): boolean;
  /** True when this client's web session has expired; the call starts a new one (phone-facts §11). */
  sessionExpired(remoteAddress: string): boolean;
  getSetting(parameter: string): string;
  setLocalSetting(parameter: string, value: string): 'applied' | 'locked';
  resetOption(option: 0 | 1 | 2): void;
  xmlPushAllowedFrom(remoteAddress: string): boolean;
  executeXmlCommands(uris: string[]): void;
  record(type: string, detail: Record<string, unknown>): void;
}

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
  afterSend?: () => void;
}

export class WebUi {
  private servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly host: WebUiHost) {}

  async start(
    address: string,
    httpPort: number | null,
    httpsPort: number | null,
    cert: CertPair | null,
  ): Promise<void> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => this.onRequest(req, res);
    const servers: net.Server[] = [];
    if (httpPort !== null) servers.push(http.createServer(handler));
    if (httpsPort !== null) {
      if (!cert) throw new Error('HTTPS port configured but no certificate given');
      servers.push(https.createServer({ key: cert.key, cert: cert.cert }, handler));
    }
    const ports = [httpPort, httpsPort].filter((p): p is number => p !== null);
    for (const [i, server] of servers.entries()) {
      server.on('connection', (s: net.Socket) => {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      });
      this.servers.push(server);
      await listenTcp(server, ports[i]!, address).catch(async (err: unknown) => {
        await this.stop();
        throw err;
      });
    }
  }

  async stop(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const faults = this.host.webFaults();
    if (faults.unreachable) {
      req.socket.setTimeout(HUNG_SOCKET_MS, () => req.socket.destroy());
      return;
    }
    if (faults.dropConnections) {
      req.socket.destroy();
      return;
    }
    readBody(req)
      .then((body) => this.route(req, body))
      .catch((err: unknown): Reply => ({ status: 413, body: simplePage('Error', String(err)) }))
      .then((reply) => {
        const send = (): void => {
          res.writeHead(reply.status, { Server: 'Aragorn', 'Content-Type': 'text/html', ...reply.headers });
          res.end(reply.body, () => reply.afterSend?.());
        };
        if (faults.slowMs > 0) setTimeout(send, faults.slowMs).unref();
        else send();
      });
  }

  private route(req: http.IncomingMessage, body: string): Reply {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/') return this.xmlPush(req, body);
    if (!this.authorised(req)) {
      // a login with a wrong password (not a request without one): what a test counts as a refused login
      if (req.headers.authorization) this.host.record('web-login-rejected', { path, method });
      return {
        status: 401,
        body: unauthorizedPage(),
        headers: { 'WWW-Authenticate': `Basic realm="${this.host.realm()}"` },
      };
    }
    // The phone answers 200 with a "Session Expired" page instead of the page asked for; Mitel's own automation
    // logs in again when it sees one (MITEL-AUTO, phone-facts §11). Nothing asked for is done.
    const remote = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (this.host.sessionExpired(remote)) {
      this.host.record('web-session-expired', { path, method, from: remote });
      return { status: 200, body: sessionExpiredPage() };
    }
    if (method === 'POST' && this.host.postsBlockedUntilSysinfo()) {
      this.host.record('web-post-ignored', { path, reason: 'factory state: /sysinfo.html not visited yet' });
      return { status: 200, body: visitSysinfoFirstPage() };
    }
    switch (path) {
      case '/':
      case '/index.html':
        return { status: 200, body: homePage(this.host.model()) };
      case '/sysinfo.html':
        this.host.noteSysinfoSeen();
        return { status: 200, body: sysinfoPage(this.host.sysinfo()) };
      case '/reset.html':
        return method === 'POST' ? this.reset(body) : { status: 200, body: resetFormPage() };
      case '/configurationServer.html':
        return method === 'POST'
          ? this.setConfigurationServer(body)
          : { status: 200, body: this.configurationServer() };
      default:
        return { status: 404, body: notFoundPage(path) };
    }
  }

  private authorised(req: http.IncomingMessage): boolean {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return decoded.slice(0, colon) === 'admin' && decoded.slice(colon + 1) === this.host.adminPassword();
  }

  private configurationServer(message?: string): string {
    return configurationServerPage(
      CONFIG_SERVER_FIELDS.map(([label, field, parameter]) => [label, field, this.host.getSetting(parameter)]),
      message,
    );
  }

  private setConfigurationServer(body: string): Reply {
    const form = new URLSearchParams(body);
    const applied: Record<string, string> = {};
    const locked: string[] = [];
    for (const [, field, parameter] of CONFIG_SERVER_FIELDS) {
      const value = form.get(field);
      if (value === null) continue;
      if (field === 'protocol' && !/^(TFTP|FTP|HTTP|HTTPS)$/i.test(value)) {
        return { status: 200, body: this.configurationServer(`Invalid download protocol "${value}"`) };
      }
      if (this.host.setLocalSetting(parameter, field === 'protocol' ? value.toUpperCase() : value) === 'locked')
        locked.push(parameter);
      else applied[parameter] = value;
    }
    this.host.record('web-config-server-set', { applied, locked });
    return { status: 200, body: this.configurationServer('Provisioning complete') };
  }

  private reset(body: string): Reply {
    const option = new URLSearchParams(body).get('resetOption');
    if (option !== '0' && option !== '1' && option !== '2') {
      return { status: 200, body: resetFormPage(`Unknown resetOption "${option ?? ''}"`) };
    }
    const n = Number(option) as 0 | 1 | 2;
    this.host.record('web-reset', { resetOption: n });
    return {
      status: 200,
      body: simplePage('Reset', 'The phone is restarting.'),
      afterSend: () => this.host.resetOption(n),
    };
  }

  private xmlPush(req: http.IncomingMessage, body: string): Reply {
    const remote = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (!this.host.xmlPushAllowedFrom(remote)) {
      this.host.record('xml-push-denied', { from: remote });
      return { status: 403, body: simplePage('Forbidden', 'XML push not allowed from this address.') };
    }
    const uris = parseExecuteItems(body);
    if (uris === null) {
      this.host.record('xml-push-invalid', { from: remote });
      return { status: 400, body: simplePage('Error', 'Invalid XML object.') };
    }
    this.host.record('xml-push', { from: remote, uris });
    return { status: 200, body: '', afterSend: () => this.host.executeXmlCommands(uris) };
  }
}

/** Accepts the raw `xml=<…>` body Mitel's XML API sends and a URL-encoded one. */
export function parseExecuteItems(body: string): string[] | null {
  let xml = body.trim();
  if (xml.startsWith('xml=')) xml = xml.slice(4);
  if (!xml.includes('<')) {
    try {
      xml = decodeURIComponent(xml.replace(/\+/g, ' '));
    } catch {
      return null;
    }
  }
  if (!/<AastraIPPhoneExecute[\s>]/.test(xml)) return null;
  return [...xml.matchAll(/<ExecuteItem\s+URI\s*=\s*"([^"]*)"/g)].map((m) => m[1]!);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    req.on('error', reject);
  });
}
