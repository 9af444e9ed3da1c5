// Reboot method fallback against simulated phones on loopback: NOTIFY first, then the web UI restart,
// then XML push; a phone that is down is reported in plain words.
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startLab } from '../../sim/lab';
import { rebootPhone } from '../../../electron/core/provisioning/reboot';
import { setConfigurationServer } from '../../../electron/core/phone';
import type { LabHandle } from '../../sim/lab';

const PASSWORD = '4711';
const fast = { confirmDownMs: 3000, pollMs: 100, requestTimeoutMs: 800 };

describe('rebootPhone', () => {
  let lab: LabHandle;
  before(async () => {
    lab = await startLab(
      {
        name: 'reboot-unit',
        loopbackBase: '127.91.0.0',
        bootMs: 600,
        flashMs: 100,
        groups: [
          {
            kind: 'mitel-6800',
            count: 2,
            macStart: '00:08:5D:91:00:01',
            model: '6867i',
            versions: ['6.5.0.224'],
            adminPassword: PASSWORD,
          },
          // no SIP: only the web UI and XML push can restart these
          {
            kind: 'mitel-6800',
            count: 3,
            macStart: '00:08:5D:91:01:01',
            model: '6865i',
            versions: ['6.5.0.224'],
            adminPassword: PASSWORD,
            ports: { sip: null, http: 80, https: null },
          },
        ],
      },
      { mode: 'loopback' },
    );
  });
  after(() => lab.stop());

  const target = (i: number) => {
    const p = lab.phones[i]!;
    return { mac: p.mac.replace(/:/g, ''), ip: p.address, sipPort: p.sipPort, httpPort: p.httpPort };
  };
  const boots = (i: number) => lab.phone(lab.phones[i]!.mac).history.filter((e) => e.type === 'boot-started');
  const waitOnline = (i: number, afterSeq: number) =>
    lab.phone(lab.phones[i]!.mac).waitForEvent('online', { afterSeq, timeoutMs: 10_000 });

  test('SIP NOTIFY check-sync is tried first and the phone is seen going down', async () => {
    const seq = lab.phone(lab.phones[0]!.mac).lastSeq;
    const r = await rebootPhone(target(0), { ...fast, adminPassword: PASSWORD });
    assert.equal(r.ok, true, r.message);
    assert.equal(r.method, 'sip-notify');
    assert.equal(r.attempts.length, 1);
    await waitOnline(0, seq);
    assert.equal(boots(0).at(-1)!.detail.reason, 'sip check-sync');
    assert.equal(boots(0).at(-1)!.detail.kind, 'full');
  });

  test('without SIP the web UI restart is used with the admin password', async () => {
    const seq = lab.phone(lab.phones[2]!.mac).lastSeq;
    const r = await rebootPhone(target(2), { ...fast, adminPassword: PASSWORD });
    assert.equal(r.ok, true, r.message);
    assert.equal(r.method, 'web-restart');
    assert.match(r.attempts[0]!.message, /no SIP port/);
    await waitOnline(2, seq);
    assert.equal(boots(2).at(-1)!.detail.reason, 'web resetOption 0');
  });

  test('a rejected admin password falls back to XML push Command: Reset (sender in the post list)', async () => {
    const t = target(3);
    await setConfigurationServer({ host: t.ip }, { password: PASSWORD }, { postList: '127.0.0.1' });
    const seq = lab.phone(lab.phones[3]!.mac).lastSeq;
    const r = await rebootPhone(t, { ...fast, adminPassword: '1234', localAddress: '127.0.0.1' });
    assert.equal(r.ok, true, r.message);
    assert.equal(r.method, 'xml-reset');
    assert.match(r.attempts[1]!.message, /rejected the admin password/);
    await waitOnline(3, seq);
    assert.deepEqual(boots(3).at(-1)!.detail, { kind: 'full', reason: 'xml Command: Reset', firmware: '6.5.0.224' });
  });

  test('FastReboot only when asked for (configuration-only change)', async () => {
    const t = target(4);
    await setConfigurationServer({ host: t.ip }, { password: PASSWORD }, { postList: '127.0.0.1' });
    const seq = lab.phone(lab.phones[4]!.mac).lastSeq;
    const r = await rebootPhone(t, { ...fast, fastReboot: true, localAddress: '127.0.0.1' });
    assert.equal(r.ok, true, r.message);
    assert.equal(r.method, 'xml-fastreboot');
    assert.match(r.attempts[1]!.message, /no admin password/);
    await waitOnline(4, seq);
    assert.equal(boots(4).at(-1)!.detail.kind, 'fast');
  });

  test('XML push refused by the post list is reported with the fix', async () => {
    const t = target(3);
    await setConfigurationServer({ host: t.ip }, { password: PASSWORD }, { postList: '10.9.9.9' });
    const r = await rebootPhone(t, { ...fast, adminPassword: '1234', localAddress: '127.0.0.1' });
    assert.equal(r.ok, false);
    assert.equal(r.method, null);
    assert.match(r.message, /could not be restarted remotely/);
    assert.match(r.message, /XML Push Server List/);
  });

  test('a phone that is down is reported in plain words, every method tried', async () => {
    await lab.setFaults(lab.phones[1]!.mac, { unreachable: true });
    const started = Date.now();
    const r = await rebootPhone(target(1), { ...fast, adminPassword: PASSWORD });
    await lab.setFaults(lab.phones[1]!.mac, {});
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.attempts.map((a) => a.method),
      ['sip-notify', 'web-restart', 'xml-reset'],
    );
    assert.match(r.message, /did not answer: it may be switched off, unplugged or at another address/);
    assert.ok(Date.now() - started < 8000, 'gives up within the request timeouts');
  });
});
