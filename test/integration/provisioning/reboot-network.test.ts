// Reboot on the network as it is at a site (namespaces, root): the laptop's NOTIFY check-sync is refused by a
// phone with `sip whitelist: 1` (AG322 p.A-240, RN 2.2 p.92) and not answered at all by a phone on TLS signalling
// (phone-facts §10). Fieldkit falls back to the web UI, and where the site's settings say so it starts there and
// never sends the NOTIFY.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { parseSiteSettings } from '../../../electron/core/config/provisioning-settings';
import { rebootRouteFor } from '../../../electron/core/provisioning/reboot-route';
import { cleanupStaleLabs, namespaceArgv, startLab } from '../../sim/lab';
import { isRoot } from '../../sim/netns';
import type { RebootOutcome } from '../../../electron/core/provisioning/reboot';
import type { LabHandle } from '../../sim/lab';
import type { ChildProcess } from 'node:child_process';

const RUNNER = fileURLToPath(new URL('./reboot-in-namespace.ts', import.meta.url));
// Phone 1 has the whitelist with a proxy that is not the laptop, phone 2 signals over TLS, phone 3 neither.
const FILES: Record<string, string> = {
  '/prov/startup.cfg': 'sip line1 user name: 100\n',
  '/prov/00085D930001.cfg': 'sip whitelist: 1\nsip proxy ip: 198.18.0.2\nsip registrar ip: 198.18.0.2\n',
  '/prov/00085D930002.cfg': '!sip transport protocol: 4\n',
};
const SERVER = `
const http = require('http');
const files = ${JSON.stringify(FILES)};
http.createServer((req, res) => {
  const body = files[req.url];
  if (body === undefined) { res.statusCode = 404; return res.end(); }
  res.end(body);
}).listen(8080, '198.18.0.1', () => console.log('ready'));
`;

describe('reboot across the network: whitelist and TLS transport', { skip: isRoot() ? false : 'needs root' }, () => {
  let lab: LabHandle;
  let server: ChildProcess | null = null;
  before(async () => {
    cleanupStaleLabs();
    lab = await startLab(
      {
        name: 'reboot-net',
        bootMs: 300,
        flashMs: 100,
        groups: [
          {
            kind: 'mitel-6800',
            count: 3,
            macStart: '00:08:5D:93:00:01',
            model: '6867i',
            versions: ['6.5.0.224'],
            ports: { sip: 5060, http: 80, https: null },
          },
        ],
      },
      {
        mode: 'namespace',
        provisioningUrl: 'http://198.18.0.1:8080/prov/',
        onNamespacesReady: async (ns) => {
          const [cmd, ...pre] = namespaceArgv(ns.tech);
          const child = spawn(cmd!, [...pre, process.execPath, '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
          server = child;
          await new Promise<void>((resolve, reject) => {
            child.stdout!.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
            child.once('exit', (code) => reject(new Error(`provisioning server exited ${code}`)));
          });
        },
      },
    );
  });
  after(async () => {
    server?.kill('SIGKILL');
    await lab?.stop();
  });

  const target = (i: number) => {
    const p = lab.phones[i]!;
    return { mac: p.mac.replace(/:/g, ''), ip: p.address, sipPort: 5060, httpPort: 80 };
  };
  async function reboot(jobs: unknown[]): Promise<RebootOutcome[]> {
    const r = await lab.execInTech(process.execPath, ['--import', 'tsx', RUNNER, JSON.stringify(jobs)], {
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as RebootOutcome[];
  }
  const history = async (i: number) => (await lab.inspect(lab.phones[i]!.mac)).history;

  test('the phones took the settings that block NOTIFY', async () => {
    assert.equal((await lab.inspect(lab.phones[0]!.mac)).settings.effective['sip whitelist'], '1');
    assert.ok((await history(1)).some((e) => e.type === 'sip-not-listening'));
  });

  test('default order: the whitelisted phone refuses the NOTIFY (403), the TLS phone does not answer; both restart over the web UI', async () => {
    const [white, tls, plain] = await reboot([{ target: target(0) }, { target: target(1) }, { target: target(2) }]);
    assert.equal(white!.ok, true, white!.message);
    assert.equal(white!.method, 'web-restart');
    assert.match(white!.attempts[0]!.message, /refused the NOTIFY with 403/);
    const rejected = (await history(0)).filter((e) => e.type === 'sip-whitelist-rejected');
    assert.equal(rejected.at(-1)?.detail.from, '198.18.0.1', 'refused because the laptop is not its proxy');
    assert.equal(tls!.ok, true, tls!.message);
    assert.equal(tls!.method, 'web-restart');
    assert.equal(tls!.attempts[0]!.silent, true, 'no answer to the NOTIFY at all');
    assert.equal(plain!.ok, true, plain!.message);
    assert.equal(plain!.method, 'sip-notify', 'the control phone restarts on the NOTIFY');
  });

  test("with the site's settings saying so, the web UI goes first and no NOTIFY is sent", async () => {
    const settings = parseSiteSettings({
      osv: { proxy: { host: '198.18.0.2' }, transport: 'udp' },
      ntp: { server1: '198.18.0.1' },
      provisioning: { protocol: 'HTTP', server: '198.18.0.1', port: 8080, path: 'prov' },
      globalOverrides: { 'sip whitelist': '1' },
    });
    const route = rebootRouteFor(settings, { model: '6867i' });
    await new Promise((r) => setTimeout(r, 1500)); // the phones are back from the previous test
    const before = (await history(0)).length;
    const [white] = await reboot([{ target: target(0), order: route.order, orderReason: route.reason }]);
    assert.equal(white!.ok, true, white!.message);
    assert.equal(white!.method, 'web-restart');
    assert.deepEqual(white!.order, ['web-restart', 'xml-reset', 'sip-notify']);
    assert.match(white!.message, /sip whitelist: 1/);
    const since = (await history(0)).slice(before);
    assert.ok(!since.some((e) => e.type === 'sip-whitelist-rejected' || e.type === 'sip-check-sync'), 'no NOTIFY');
  });
});
