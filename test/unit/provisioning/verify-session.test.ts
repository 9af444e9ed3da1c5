// A "Session Expired" page (phone-facts §11) is a new login for verify, never "firmware not read".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimPhone } from '../../sim/phone';
import { readSysinfo } from '../../../electron/core/phone';
import { verifyPhone } from '../../../electron/core/provisioning/verify';

test('verify reads the firmware through an expired web session', async (t) => {
  const phone = new SimPhone({
    model: '6865i',
    mac: '00:08:5D:86:00:01',
    firmware: '6.5.0.224',
    address: '127.86.0.1',
    sipPort: null, // only the status page can say the firmware
    httpPort: 18086,
    httpsPort: null,
    bootMs: 10,
    webSessionIdleMs: 50,
  });
  await phone.start();
  t.after(() => phone.stop());
  const target = { host: phone.address, port: 18086, timeoutMs: 2000 };
  await readSysinfo(target, { password: '22222' }); // a session that will expire
  await new Promise((r) => setTimeout(r, 150));
  const outcome = await verifyPhone(
    { mac: '00085D860001', ip: phone.address, sipPort: null, httpPort: 18086 },
    {},
    { adminPassword: '22222', bootTimeoutMs: 2000, pollMs: 100, requestTimeoutMs: 1000 },
  );
  assert.ok(
    phone.history.some((e) => e.type === 'web-session-expired'),
    'the phone did answer "Session Expired"',
  );
  const firmware = outcome.checks.find((c) => c.id === 'firmware')!;
  assert.equal(firmware.ok, true, firmware.detail);
  assert.equal(outcome.firmware, '6.5.0.224');
});
