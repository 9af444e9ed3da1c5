// Namespace-mode lab: real peer tools (nmap, svmap) in the technician namespace must detect the simulated phones.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { cleanupStaleLabs, namespaceArgv, startLab } from '../../sim/lab';
import { isRoot } from '../../sim/netns';
import type { LabHandle } from '../../sim/lab';
import type { ChildProcess } from 'node:child_process';

const missing = [
  !isRoot() && 'root',
  !existsSync('/usr/sbin/ip') && !existsSync('/sbin/ip') && 'ip',
  !existsSync('/usr/bin/nmap') && 'nmap',
  !existsSync('/usr/bin/svmap') && 'svmap',
].filter(Boolean);
const skip = missing.length > 0 ? `namespace lab test needs ${missing.join(', ')}` : false;

// Serves startup.cfg from the technician namespace and prints each request's User-Agent as a JSON line.
const PROVISIONING_SERVER = `
const http = require('http');
http.createServer((req, res) => {
  console.log(JSON.stringify({ path: req.url, ua: req.headers['user-agent'], from: req.socket.remoteAddress }));
  if (req.url === '/prov/startup.cfg') return res.end('sip line1 user name: 7777\\n');
  res.statusCode = 404; res.end();
}).listen(8080, '198.18.0.1', () => console.log('ready'));
`;

const CHECK_SYNC = `
const dgram = require('dgram');
const s = dgram.createSocket('udp4');
s.bind(0, '198.18.0.1', () => {
  const { port } = s.address();
  const msg = ['NOTIFY sip:' + process.argv[1] + ' SIP/2.0', 'Via: SIP/2.0/UDP 198.18.0.1:' + port + ';branch=z9hG4bKcs1;rport',
    'From: <sip:tech@198.18.0.1>;tag=t1', 'To: <sip:' + process.argv[1] + '>', 'Call-ID: cs1@tech', 'CSeq: 1 NOTIFY',
    'Event: check-sync', 'Content-Length: 0', '', ''].join('\\r\\n');
  s.on('message', (m) => { console.log(m.toString().split('\\r\\n')[0]); process.exit(0); });
  s.send(msg, 5060, process.argv[1]);
  setTimeout(() => process.exit(1), 3000);
});
`;

describe('namespace-mode lab', { skip }, () => {
  let lab: LabHandle | null = null;
  let provisioning: ChildProcess | null = null;
  const requests: Array<{ path: string; ua: string; from: string }> = [];

  before(async () => {
    const spec = JSON.parse(readFileSync(new URL('../../sim/labs/small-mixed.json', import.meta.url), 'utf8'));
    lab = await startLab(
      { ...spec, bootMs: 100, flashMs: 100 },
      {
        mode: 'namespace',
        provisioningUrl: 'http://198.18.0.1:8080/prov/',
        onNamespacesReady: async (ns) => {
          const [cmd, ...pre] = namespaceArgv(ns.tech);
          const child = spawn(cmd!, [...pre, process.execPath, '-e', PROVISIONING_SERVER], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          provisioning = child;
          await new Promise<void>((resolve, reject) => {
            let buf = '';
            child.stdout!.on('data', (c: Buffer) => {
              buf += c.toString();
              for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
                const line = buf.slice(0, nl);
                buf = buf.slice(nl + 1);
                if (line === 'ready') resolve();
                else requests.push(JSON.parse(line));
              }
            });
            child.once('exit', (code) => reject(new Error(`provisioning server exited ${code}`)));
          });
        },
      },
    );
  });

  after(async () => {
    provisioning?.kill('SIGKILL');
    const ns = lab?.namespaces;
    await lab?.stop();
    if (ns) {
      const { execFileSync } = await import('node:child_process');
      const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
      assert.ok(!left.includes(ns.tech) && !left.includes(ns.phones), 'namespaces removed on stop');
    }
  });

  test('phones provision across the bridge from the technician namespace with their own source address', async () => {
    const phone = lab!.phones[0]!;
    const startup = requests.find((r) => r.from === phone.address && r.path === '/prov/startup.cfg');
    assert.ok(startup, `no startup.cfg request from ${phone.address}: ${JSON.stringify(requests.slice(0, 3))}`);
    assert.equal(startup.ua, `Mitel6867i MAC:00-08-5D-10-00-01 V:6.5.0.224-SIP`);
    assert.equal((await lab!.inspect(phone.mac)).settings.effective['sip line1 user name'], '7777');
  });

  test('nmap sip-methods finds every SIP-enabled device and reads its Allow header', async () => {
    const r = await lab!.execInTech('nmap', ['-n', '-sU', '-p', '5060', '--script', 'sip-methods', '198.18.0.10-20'], {
      timeoutMs: 120_000,
    });
    const open = r.stdout.match(/5060\/udp open\s+sip/g) ?? [];
    const sipDevices = lab!.devices.filter((d) => d.sipPort !== null);
    assert.equal(open.length, sipDevices.length, r.stdout);
    assert.match(r.stdout, /sip-methods: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS/);
    // Real neighbour resolution: nmap reports each device's own MAC.
    for (const d of lab!.devices) assert.match(r.stdout, new RegExp(`MAC Address: ${d.mac.match(/../g)!.join(':')}`));
  });

  test('svmap (default OPTIONS and -m INVITE) lists the banners', async () => {
    for (const extra of [[], ['-m', 'INVITE']]) {
      const r = await lab!.execInTech('svmap', [...extra, '198.18.0.10-198.18.0.20'], { timeoutMs: 120_000 });
      for (const d of lab!.devices.filter((x) => x.sipPort !== null && x.kind === 'mitel-6800')) {
        assert.match(
          r.stdout,
          new RegExp(
            `${d.address.replace(/\./g, '\\.')}:5060 \\| ${d.bannerPrefix} ${d.model}/${d.firmware!.replace(/\./g, '\\.')}`,
          ),
          `svmap ${extra.join(' ')}:\n${r.stdout}`,
        );
      }
      assert.match(r.stdout, /Yealink SIP-T46S 66\.86\.0\.15/);
      assert.match(r.stdout, /Mitel 6930\/6\.4\.0\.140/);
    }
  });

  test('neighbour table holds distinct real MACs per phone', async () => {
    const r = await lab!.execInTech('ip', ['neigh', 'show', 'dev', 'br0']);
    for (const d of lab!.devices.slice(0, 4)) {
      assert.match(
        r.stdout,
        new RegExp(`${d.address.replace(/\./g, '\\.')} lladdr ${d.mac.toLowerCase().match(/../g)!.join(':')}`),
      );
    }
  });

  test('SIP NOTIFY check-sync from the technician namespace reboots the phone', async () => {
    const phone = lab!.phones[0]!;
    const r = await lab!.execInTech(process.execPath, ['-e', CHECK_SYNC, phone.address], { timeoutMs: 10_000 });
    assert.equal(r.stdout.trim(), 'SIP/2.0 200 OK');
    const deadline = Date.now() + 5000;
    for (;;) {
      const h = (await lab!.inspect(phone.mac)).history;
      if (h.some((e) => e.type === 'online' && e.detail.reason === 'sip check-sync')) break;
      assert.ok(Date.now() < deadline, 'phone did not come back after check-sync');
      await new Promise((res) => setTimeout(res, 100));
    }
  });

  test('cleanupStaleLabs removes namespaces of dead lab processes only', async () => {
    const { execFileSync } = await import('node:child_process');
    let stalePid = 4_000_000;
    while (existsSync(`/proc/${stalePid}`)) stalePid++;
    const stale = `fk-${stalePid}-1-t`;
    execFileSync('ip', ['netns', 'add', stale]);
    try {
      const removed = cleanupStaleLabs();
      assert.ok(removed.includes(stale));
      assert.ok(!removed.includes(lab!.namespaces!.tech), 'a live lab is left alone');
    } finally {
      try {
        execFileSync('ip', ['netns', 'del', stale], { stdio: 'ignore' });
      } catch {
        // removed by the test
      }
    }
  });
});
