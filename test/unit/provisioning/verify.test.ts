// Verify verdicts: pure checks, and verifyPhone against simulated phones on loopback.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab } from '../../sim/lab';
import { fetchRecords, firmwareCheck, settingsCheck, verifyPhone } from '../../../electron/core/provisioning/verify';
import { setConfigurationServer } from '../../../electron/core/phone';
import type { LabHandle } from '../../sim/lab';

const PROV = { protocol: 'HTTP' as const, server: '127.0.0.1', path: 'prov', port: 8080 };

describe('verdict rules', () => {
  test('firmware: exact when a version is expected, else at least the guide minimum', () => {
    assert.equal(firmwareCheck('6.5.0.224').ok, true);
    assert.match(firmwareCheck('6.4.0.140').detail, /older than 6\.5\.0\.224.*§2\.1/);
    assert.equal(firmwareCheck('6.5.0.224', '6.5.0.300').ok, false);
    assert.equal(firmwareCheck(null).ok, null);
  });
  test('settings: each differing value is named, with the local-override explanation', () => {
    assert.equal(
      settingsCheck(
        { protocol: 'HTTP', httpserv: '127.0.0.1', httppath: '/prov/', httpport: '8080', autoResyncMode: '1' },
        PROV,
        'config',
      ).ok,
      true,
    );
    const c = settingsCheck({ protocol: 'TFTP', httpserv: '10.0.0.9', httppath: 'prov', httpport: '8080' }, PROV);
    assert.equal(c.ok, false);
    assert.match(
      c.detail,
      /download protocol "TFTP" instead of "HTTP", server "10\.0\.0\.9" instead of "127\.0\.0\.1"/,
    );
    assert.match(c.detail, /local change in the phone's web UI wins/);
  });
  test('fetch records carry the MAC from the provisioning User-Agent', () => {
    const r = fetchRecords([
      {
        at: 't1',
        file: '00085D1A2B3C.cfg',
        status: 200,
        userAgent: 'Aastra6867i MAC:00-08-5D-1A-2B-3C V:6.5.0.224-SIP',
      },
      { at: 't2', file: null, status: 404, userAgent: 'curl/8' },
      { at: 't3', file: 'startup.cfg', status: 200, userAgent: null },
    ]);
    assert.deepEqual(r, [
      { at: 't1', name: '00085D1A2B3C.cfg', mac: '00085D1A2B3C', status: 200 },
      { at: 't3', name: 'startup.cfg', mac: null, status: 200 },
    ]);
  });
});

describe('verifyPhone against simulated phones', () => {
  let lab: LabHandle;
  before(async () => {
    lab = await startLab(
      {
        name: 'verify-unit',
        loopbackBase: '127.92.0.0',
        bootMs: 300,
        groups: [
          {
            kind: 'mitel-6800',
            count: 3,
            macStart: '00:08:5D:92:00:01',
            model: '6867i',
            versions: ['6.5.0.224', '6.4.0.140', '6.5.0.224'],
            adminPassword: '4711',
          },
        ],
      },
      { mode: 'loopback', provisioningUrl: 'http://127.0.0.1:8080/prov/' },
    );
  });
  after(() => lab.stop());
  const target = (i: number) => ({
    mac: lab.phones[i]!.mac.replace(/:/g, ''),
    ip: lab.phones[i]!.address,
    sipPort: 5060,
    httpPort: 80,
  });
  const quick = { adminPassword: '4711', bootTimeoutMs: 1500, pollMs: 100, requestTimeoutMs: 500 };

  test("a phone showing the site's server and the expected firmware is verified; fetches are checked when a log is given", async () => {
    const t = target(0);
    const fetches = [
      { at: '2030-01-01T00:00:01Z', name: `${t.mac}.cfg`, mac: t.mac, status: 200 },
      { at: '2030-01-01T00:00:01Z', name: 'startup.cfg', mac: t.mac, status: 200 },
    ];
    const r = await verifyPhone(
      t,
      { provisioning: PROV, firmware: '6.5.0.224', since: '2030-01-01T00:00:00Z', fetches: () => fetches },
      quick,
    );
    assert.equal(r.verdict, 'verified', r.reasons.join(' '));
    assert.equal(r.firmware, '6.5.0.224');
    assert.deepEqual(
      r.checks.map((c) => [c.id, c.ok]),
      [
        ['came-back', true],
        ['fetched', true],
        ['firmware', true],
        ['settings', true],
      ],
    );
    const stale = await verifyPhone(t, { since: '2030-01-01T00:00:02Z', fetches: () => fetches }, quick);
    assert.equal(stale.verdict, 'failed');
    assert.match(stale.reasons[0]!, /did not fetch anything from the built-in server after the restart/);
  });

  test('old firmware and a locally changed server fail with the reasons in plain words', async () => {
    const t = target(1);
    await setConfigurationServer({ host: t.ip }, { password: '4711' }, { httpserv: '10.9.9.9' });
    const r = await verifyPhone(t, { provisioning: PROV }, quick);
    assert.equal(r.verdict, 'failed');
    assert.equal(r.reasons.length, 2);
    assert.match(r.reasons[0]!, /Firmware 6\.4\.0\.140 is older than 6\.5\.0\.224/);
    assert.match(r.reasons[1]!, /server "10\.9\.9\.9" instead of "127\.0\.0\.1"/);
  });

  test('a wrong admin password means the phone did not take the configuration', async () => {
    const r = await verifyPhone(target(2), { provisioning: PROV }, { ...quick, adminPassword: '1111' });
    assert.equal(r.verdict, 'failed');
    assert.match(r.reasons.join(' '), /does not accept the site's admin password/);
  });

  test('a phone silent on SIP (TLS-only signalling) is found on its web server without waiting out the SIP timeout', async () => {
    // Nothing listens on this UDP port: OPTIONS goes unanswered, as on a phone with sip transport protocol 4.
    const t = { ...target(0), sipPort: 5999 };
    const started = Date.now();
    const r = await verifyPhone(t, { provisioning: PROV, firmware: '6.5.0.224' }, { ...quick, requestTimeoutMs: 3000 });
    const took = Date.now() - started;
    assert.equal(r.verdict, 'verified', r.reasons.join(' '));
    assert.ok(r.answeredAfterMs !== null && r.answeredAfterMs < 1000, `answered after ${r.answeredAfterMs} ms`);
    assert.ok(took < 1500, `verify took ${took} ms (the SIP probe alone waits 2000 ms)`);
  });

  test('a phone that does not come back fails after the boot timeout', async () => {
    await lab.setFaults(lab.phones[2]!.mac, { unreachable: true });
    const started = Date.now();
    const r = await verifyPhone(target(2), { provisioning: PROV }, { ...quick, bootTimeoutMs: 1000 });
    await lab.setFaults(lab.phones[2]!.mac, {});
    assert.equal(r.verdict, 'failed');
    assert.match(r.reasons[0]!, /did not answer again within 1 s after the restart/);
    assert.ok(Date.now() - started < 3000);
  });

  test('cancel while waiting for a phone is no verdict: it throws "cancelled" at once instead of returning "did not come back"', async () => {
    await lab.setFaults(lab.phones[2]!.mac, { unreachable: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    try {
      await assert.rejects(
        verifyPhone(target(2), { provisioning: PROV }, { ...quick, bootTimeoutMs: 60_000, signal: controller.signal }),
        (e: unknown) => (e as { code?: string }).code === 'cancelled' && /not judged/.test((e as Error).message),
      );
    } finally {
      await lab.setFaults(lab.phones[2]!.mac, {});
    }
    assert.ok(Date.now() - started < 2500, `cancel took ${Date.now() - started} ms`);
  });
});
