// A small stand-in for the phone's web UI (phone-facts §3/§4 behaviour) for web-client tests.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface FakePhoneOptions {
  password?: string;
  realm?: string;
  /** 'fresh': a POST needs a prior GET /sysinfo.html; 'stubborn': always asks to visit sysinfo. */
  sysinfoQuirk?: 'fresh' | 'stubborn' | 'off';
  /** Answer the first POST with the visit-sysinfo page even after the GET. */
  forgetOnce?: boolean;
  postList?: string[];
  /** Close the connection on reset instead of answering. */
  dropOnReset?: boolean;
  tls?: { key: string; cert: string };
  /** Answer this many authorised requests (any page) with a 200 "Session Expired" page first (phone-facts §11). */
  sessionExpired?: number;
  /** Answer this many POSTs with the "Session Expired" page (not applied). */
  sessionExpiredPosts?: number;
}

export interface FakePhone {
  port: number;
  resets: string[];
  pushes: { body: string; contentType: string | undefined; referer: string | undefined }[];
  config: Record<string, string>;
  requests: { method: string; url: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

export const SYSINFO_PAGE = `<html><body><table>
<tr><td>Platform</td><td>6867i Revision 0</td></tr>
<tr><td>Firmware Version</td><td>6.5.0.224</td></tr>
<tr><td>MAC Address</td><td>00-08-5D-1A-2B-3C</td></tr>
</table><table><tr><td>1</td><td>1000@10.0.0.1</td></tr></table></body></html>`;

const VISIT_SYSINFO = '<html><body>Please visit the System Information page (sysinfo.html) first.</body></html>';

function configPage(c: Record<string, string>): string {
  const opt = (v: string): string => `<option value="${v}"${c['protocol'] === v ? ' selected' : ''}>${v}</option>`;
  const input = (name: string, type = 'text'): string =>
    `<input type="${type}" name="${name}" value="${c[name] ?? ''}">`;
  return `<html><body><a href="/sysinfo.html">System Information</a><form method=post action="/configurationServer.html">
  <select name="protocol">${['TFTP', 'FTP', 'HTTP', 'HTTPS'].map(opt).join('')}</select>
  ${['tftp', 'tftppath', 'alttftp', 'alttftppath', 'ftpserv', 'ftppath', 'ftpuser', 'httpserv', 'httppath', 'httpport', 'httpsserv', 'httpspath', 'httpsport', 'autoResyncTime', 'maxDelay', 'days', 'postList'].map((n) => input(n)).join('\n')}
  ${input('ftppass', 'password')}
  <input type="checkbox" name="usealttftp" value="1"${c['usealttftp'] === '1' ? ' checked' : ''}>
  <select name="autoResyncMode">${['0', '1', '2', '3'].map((v) => `<option value="${v}"${c['autoResyncMode'] === v ? ' selected' : ''}>m${v}</option>`).join('')}</select>
  <input type="submit" value="Save Settings"></form></body></html>`;
}

export async function startFakePhone(options: FakePhoneOptions = {}): Promise<FakePhone> {
  const password = options.password ?? '22222';
  const expected = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
  const state: FakePhone = {
    port: 0,
    resets: [],
    pushes: [],
    requests: [],
    config: {
      protocol: 'TFTP',
      tftp: '10.0.0.2',
      httpport: '80',
      httpsport: '443',
      autoResyncMode: '0',
      autoResyncTime: '00:00',
      maxDelay: '15',
      days: '0',
      postList: '',
      ftppass: 'ftpsecret',
    },
    close: async () => {},
  };
  let visited = false;
  let forgot = false;
  let expiredLeft = options.sessionExpired ?? 0;
  let expiredPostsLeft = options.sessionExpiredPosts ?? 0;
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      state.requests.push({ method: req.method ?? '', url, authorization: req.headers.authorization });
      res.setHeader('Server', 'Aragorn');
      if (req.method === 'POST' && url === '/') {
        const referer = req.headers.referer;
        state.pushes.push({ body, contentType: req.headers['content-type'], referer });
        const allowed = options.postList ?? [];
        res.statusCode = referer && allowed.includes(referer) ? 200 : 403;
        return res.end();
      }
      if (req.headers.authorization !== expected) {
        res.statusCode = 401;
        res.setHeader('WWW-Authenticate', `Basic realm="${options.realm ?? 'Aastra 6867i'}"`);
        return res.end('<html>401 Unauthorized</html>');
      }
      if (expiredLeft > 0 || (req.method === 'POST' && expiredPostsLeft > 0)) {
        if (expiredLeft > 0) expiredLeft--;
        else expiredPostsLeft--;
        return res.end('<html><body><h2>Session Expired</h2>Please log in again.</body></html>');
      }
      if (req.method === 'GET' && url === '/sysinfo.html') {
        visited = true;
        return res.end(SYSINFO_PAGE);
      }
      if (req.method === 'GET' && url === '/configurationServer.html') return res.end(configPage(state.config));
      if (req.method === 'POST') {
        const quirk = options.sysinfoQuirk ?? 'fresh';
        const mustVisit = quirk === 'stubborn' || (quirk === 'fresh' && !visited) || (options.forgetOnce && !forgot);
        if (options.forgetOnce && !forgot) forgot = true;
        visited = false;
        if (mustVisit) return res.end(VISIT_SYSINFO);
        const form = Object.fromEntries(new URLSearchParams(body));
        if (url === '/reset.html') {
          state.resets.push(form['resetOption'] ?? '?');
          if (options.dropOnReset) return req.socket.destroy();
          return res.end('<html>Restarting...</html>');
        }
        if (url === '/configurationServer.html') {
          if (!('usealttftp' in form)) form['usealttftp'] = '0';
          state.config = { ...state.config, ...form };
          return res.end('<html>Provisioning complete. Please restart the phone.</html>');
        }
      }
      res.statusCode = 404;
      res.end('not found');
    });
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : http.createServer(handler);
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
