// Discovery against the simulated phone lab on loopback: every device on its own 127.81.0.x address.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discover } from '../../../electron/core/discovery/discover';
import { createDiscoveryJob } from '../../../electron/core/discovery/discovery-job';
import { DeviceRecordSchema } from '../../../electron/core/discovery/device-record';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { parseMac } from '../../../electron/core/phone';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { runCli } from '../../../electron/cli';
import { startLab } from '../../sim/lab';
import { tempDir } from '../../helpers/temp-dir';
import type { LabSpecInput } from '../../sim/lab-spec';
import type { LabHandle } from '../../sim/lab';
import type { DeviceRecord } from '../../../electron/core/discovery/device-record';
import type { DiscoverResult } from '../../../electron/core/discovery/discover';

const RANGE = '127.81.0.0/24';
const SPEC: LabSpecInput = {
  name: 'discovery-loopback',
  loopbackBase: '127.81.0.0',
  bootMs: 0,
  groups: [
    {
      kind: 'mitel-6800',
      count: 4,
      model: '6867i',
      versions: ['6.5.0.224', '5.1.0.2051'],
      macStart: '00:08:5D:10:00:01',
      bannerPrefix: 'alternate',
    },
    {
      kind: 'mitel-6800',
      count: 2,
      model: '6865i',
      versions: ['6.4.0.140'],
      macStart: '08:00:0F:20:00:01',
      bannerPrefix: 'Aastra',
    },
    // HTTP only, SIP only
    {
      kind: 'mitel-6800',
      count: 1,
      model: '6867i',
      versions: ['6.5.0.224'],
      macStart: '00:10:BC:30:00:01',
      ports: { sip: null, http: 80, https: 443 },
    },
    {
      kind: 'mitel-6800',
      count: 1,
      model: '6867i',
      versions: ['6.4.0.140'],
      macStart: '00:10:BC:31:00:01',
      ports: { sip: 5060, http: null, https: null },
    },
    // Non-default ports
    {
      kind: 'mitel-6800',
      count: 2,
      model: '6865i',
      versions: ['6.5.0.224'],
      macStart: '00:08:5D:32:00:01',
      ports: { sip: 5070, http: 8080, https: 8443 },
    },
    // Lossy SIP (no HTTP, so SIP retransmission alone must find them)
    {
      kind: 'mitel-6800',
      count: 3,
      model: '6867i',
      versions: ['6.5.0.224'],
      macStart: '00:08:5D:33:00:01',
      ports: { sip: 5060, http: null, https: null },
      faults: { sipLossRate: 0.3, sipLossSeed: 7 },
    },
    // Password the site does not know; a phone whose real password differs from its configured one
    {
      kind: 'mitel-6800',
      count: 1,
      model: '6867i',
      versions: ['4.2.0.181'],
      macStart: '00:08:5D:40:00:01',
      adminPassword: '13579',
    },
    {
      kind: 'mitel-6800',
      count: 1,
      model: '6865i',
      versions: ['6.5.0.224'],
      macStart: '00:08:5D:41:00:01',
      faults: { wrongCredentials: true },
    },
    {
      kind: 'other-sip',
      count: 1,
      macStart: '80:5E:C0:00:00:01',
      sipBanner: 'Yealink SIP-T46S 66.86.0.15',
      sipBannerHeader: 'User-Agent',
    },
    {
      kind: 'other-mitel',
      count: 1,
      macStart: '14:00:E9:00:00:01',
      sipBanner: 'Mitel 6930/6.4.0.140',
      ports: { sip: 5060, http: 80 },
      httpRealm: 'Mitel 6930',
    },
  ],
};

const byIp = (devices: DeviceRecord[], ip: string): DeviceRecord => {
  const d = devices.find((x) => x.ip === ip);
  assert.ok(d, `device ${ip} found`);
  return d;
};

describe('discovery on a loopback lab', () => {
  let lab: LabHandle;
  let result: DiscoverResult;
  before(async () => {
    lab = await startLab(SPEC, { mode: 'loopback' });
    result = await discover(
      { ranges: [RANGE], sipPorts: [5070], httpPorts: [8080], httpsPorts: [8443], methods: { mdns: false } },
      { secrets: new MemorySecretStore({ 'phone-admin-password': '22222' }) },
    );
  });
  after(() => lab?.stop());

  test('every record matches the inventory schema', () => {
    for (const d of result.devices) DeviceRecordSchema.parse(d);
    assert.equal(result.summary.addresses, 254);
    assert.equal(result.summary.addressesDone, 254);
  });

  test('finds every simulated phone with its model and firmware, on default and non-default ports, lossy or not', () => {
    for (const p of lab.phones) {
      const d = byIp(result.devices, p.address);
      assert.equal(d.classification, 'supported', p.address);
      assert.equal(d.model?.value, p.model, p.address);
      assert.equal(d.firmware?.value, p.firmware, p.address);
    }
    assert.equal(result.devices.length, lab.devices.length, 'no phantom devices');
  });

  test('sysinfo gives MAC and firmware where the password is right; the sources say so', () => {
    for (const p of lab.phones.filter((x) => x.httpPort !== null && x.firmware !== '4.2.0.181')) {
      const d = byIp(result.devices, p.address);
      if (d.flags.notes.some((n) => /rejected the admin password/.test(n))) continue;
      assert.equal(d.mac?.value, parseMac(p.mac), p.address);
      assert.equal(d.mac?.source, 'sysinfo');
      assert.equal(d.firmware?.source, 'sysinfo');
      assert.equal(d.key, `mac:${parseMac(p.mac)}`);
      assert.ok(d.sources.includes('sysinfo'));
    }
    const nonDefault = lab.phones.filter((x) => x.sipPort === 5070);
    for (const p of nonDefault) {
      const d = byIp(result.devices, p.address);
      assert.deepEqual([d.sipPort, d.httpPort, d.httpsPort], [5070, 8080, 8443]);
    }
  });

  test('Aastra and Mitel SIP banners both read', () => {
    const banners = lab.phones
      .filter((p) => p.sipPort !== null)
      .map((p) => byIp(result.devices, p.address).banner?.value ?? '');
    assert.ok(banners.some((b) => b.startsWith('Aastra ')));
    assert.ok(banners.some((b) => b.startsWith('Mitel ')));
  });

  test('HTTP-only and SIP-only phones', () => {
    const httpOnly = byIp(result.devices, lab.phones.find((p) => p.sipPort === null)!.address);
    assert.ok(!httpOnly.sources.includes('sip'));
    assert.equal(httpOnly.firmware?.source, 'sysinfo');
    const sipOnly = byIp(result.devices, lab.phones.find((p) => p.httpPort === null)!.address);
    assert.deepEqual(sipOnly.sources, ['sip']);
    assert.equal(sipOnly.firmware?.value, '6.4.0.140');
    assert.equal(sipOnly.mac, null, 'no MAC on loopback without sysinfo');
  });

  test('a rejected admin password is reported once per phone; firmware still comes from the banner', () => {
    const rejected = result.devices.filter((d) => d.flags.notes.some((n) => /rejected the admin password/.test(n)));
    const expected = [
      ...lab.phones.filter((p) => p.firmware === '4.2.0.181' || parseMac(p.mac) === '00:08:5D:41:00:01'),
      ...lab.devices.filter((d) => d.kind === 'other-mitel'), // its web UI wants a password the site does not have
    ];
    assert.deepEqual(rejected.map((d) => d.ip).sort(), expected.map((p) => p.address).sort());
    assert.equal(result.summary.sweep?.sysinfoRejected, 3);
    for (const d of rejected) {
      assert.equal(d.firmware?.source, 'sip', d.ip ?? '');
      assert.ok(!d.sources.includes('sysinfo'));
    }
    const old = rejected.find((d) => d.firmware?.value === '4.2.0.181')!;
    assert.equal(old.flags.belowOsvMinimum, true);
    assert.ok(old.flags.vulnerable.includes('CVE-2024-31964'));
  });

  test('other SIP device and other Mitel device are classified as such', () => {
    const other = lab.devices.filter((d) => d.kind !== 'mitel-6800');
    const sip = byIp(result.devices, other.find((d) => d.kind === 'other-sip')!.address);
    assert.equal(sip.classification, 'other-sip');
    assert.equal(sip.firmware, null);
    const mitel = byIp(result.devices, other.find((d) => d.kind === 'other-mitel')!.address);
    assert.equal(mitel.classification, 'other-mitel');
    assert.equal(mitel.model?.value, '6930');
  });

  test('the CLI prints the JSON array the issue asks for', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const prev = process.env.FIELDKIT_ADMIN_PASSWORD;
    process.env.FIELDKIT_ADMIN_PASSWORD = '22222';
    try {
      const code = await runCli(
        [
          'discover',
          '127.81.0.1-20',
          '--sip-ports',
          '5070',
          '--http-ports',
          '8080',
          '--https-ports',
          '8443',
          '--no-mdns',
          '--json',
        ],
        { out: (t) => out.push(t), err: (t) => err.push(t) },
      );
      assert.equal(code, 0, err.join('\n'));
    } finally {
      if (prev === undefined) delete process.env.FIELDKIT_ADMIN_PASSWORD;
      else process.env.FIELDKIT_ADMIN_PASSWORD = prev;
    }
    const rows = JSON.parse(out.join('\n')) as Array<Record<string, unknown>>;
    assert.equal(rows.length, lab.devices.length);
    const first = rows.find((r) => r.ip === lab.phones[0]!.address)!;
    assert.equal(first.mac, parseMac(lab.phones[0]!.mac));
    assert.match(String(first.mac), /^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/);
    assert.equal(first.model, lab.phones[0]!.model);
    assert.equal(first.firmware, lab.phones[0]!.firmware);
    assert.deepEqual(first.sources, ['http', 'https', 'sip', 'sysinfo']);
    assert.equal(first.classification, 'supported');
    for (const r of rows)
      for (const k of ['ip', 'mac', 'model', 'firmware', 'sources', 'classification', 'flags']) assert.ok(k in r, k);
  });

  test('the CLI refuses bad input with a clear message and a non-zero exit', async () => {
    for (const [args, pattern] of [
      [['discover', '127.81.0.0/33'], /prefix \/33/],
      [['discover', '10.0.0.0/8'], /--confirm-large/],
      [['discover'], /at least one range/],
      [['discover', '127.81.0.1', '--sip-ports', '70000'], /not a port number/],
      [['discover', '127.81.0.1', '--bogus'], /Unknown option/],
    ] as const) {
      const err: string[] = [];
      const code = await runCli([...args], { out: () => undefined, err: (t) => err.push(t) });
      assert.notEqual(code, 0, args.join(' '));
      assert.match(err.join('\n'), pattern);
    }
  });

  test('as a job: progress, found counter, journal start/finish, result to onResult', async (t) => {
    const dir = await tempDir(t);
    let delivered = null as DeviceRecord[] | null;
    const infos: number[] = [];
    const jobs = new JobManager(() => dir, {
      onUpdate: (i) => infos.push(i.counters.found ?? 0),
      onLog: () => undefined,
    });
    jobs.register(
      createDiscoveryJob({
        secrets: new MemorySecretStore({ 'phone-admin-password': '22222' }),
        onResult: (d) => void (delivered = d),
      }),
    );
    const started = await jobs.start('discovery', {
      ranges: ['127.81.0.1-30'],
      sipPorts: [5070],
      httpPorts: [8080],
      httpsPorts: [8443],
      methods: { mdns: false },
    });
    const final = await jobs.wait(started.id);
    assert.equal(final.state, 'succeeded', final.error);
    assert.equal(final.total, 30);
    assert.equal(final.done, 30);
    assert.equal(final.counters.found, lab.devices.length, JSON.stringify(delivered?.map((d) => d.ip)));
    assert.ok(infos.some((n) => n > 0));
    assert.equal(delivered!.length, lab.devices.length);
    const { readFile } = await import('node:fs/promises');
    const journal = await readFile(`${dir}/${started.id}.jsonl`, 'utf8');
    assert.match(journal, /discovery-start/);
    assert.match(journal, /discovery-finish/);
    // Schema-valid but unparsable targets: the job fails with the range parser's message.
    const bad = await jobs.start('discovery', { ranges: ['bad'] });
    const failed = await jobs.wait(bad.id);
    assert.equal(failed.state, 'failed');
    assert.match(failed.error ?? '', /"bad" is not an IPv4 address/);
  });
});
