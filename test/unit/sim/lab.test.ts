import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parseCfg } from '../../sim/cfg-file';
import { startLab } from '../../sim/lab';
import { parseLabSpec, readLabFile } from '../../sim/lab-spec';
import { headerOf, httpRequest, sendSip, startProvisioningServer } from '../../sim/testing';
import type { LabHandle } from '../../sim/lab';
import type { ProvisioningServer } from '../../sim/testing';

test('cfg parser: prefixes, case, quotes, comments, junk lines', () => {
  const entries = parseCfg('# c\n!Admin Password: 123\n^SIP  Line1 Label: "A: b # c"\nno colon here\n x: 1 #enabled\n');
  assert.deepEqual(entries, [
    { name: 'admin password', value: '123', locked: true, overridesLocal: false },
    { name: 'sip line1 label', value: 'A: b # c', locked: false, overridesLocal: true },
    { name: 'x', value: '1', locked: false, overridesLocal: false },
  ]);
});

test('lab spec: example files are valid, bad input names the problem', () => {
  for (const f of ['small-mixed', 'scale-200', 'demo-24'])
    readLabFile(new URL(`../../sim/labs/${f}.json`, import.meta.url).pathname);
  assert.throws(
    () =>
      parseLabSpec({
        groups: [{ kind: 'mitel-6800', count: 1, model: '6869i', versions: ['6.5'], macStart: '01:00:00:00:00:00' }],
      }),
    (err: Error) => {
      assert.match(err.message, /groups\.0\.model/);
      assert.match(err.message, /groups\.0\.versions\.0: firmware version must be four numeric fields/);
      assert.match(err.message, /groups\.0\.macStart: MAC must be unicast/);
      return true;
    },
  );
});

describe('loopback lab', () => {
  let lab: LabHandle;
  let server: ProvisioningServer;
  before(async () => {
    server = await startProvisioningServer('127.0.0.1');
    server.files.set('prov/startup.cfg', 'sip line1 user name: 5555\n');
    const spec = JSON.parse(readFileSync(new URL('../../sim/labs/small-mixed.json', import.meta.url), 'utf8'));
    lab = await startLab(
      { ...spec, loopbackBase: '127.206.0.0', bootMs: 20, flashMs: 20 },
      { mode: 'loopback', provisioningUrl: server.url },
    );
  });
  after(async () => {
    await lab.stop();
    await server.close();
  });

  test('devices get consecutive loopback addresses, round-robin versions and alternating prefixes', () => {
    assert.equal(lab.devices.length, 11);
    assert.equal(lab.phones.length, 9);
    assert.deepEqual(
      lab.devices.slice(0, 3).map((d) => [d.address, d.firmware, d.bannerPrefix, d.mac]),
      [
        ['127.206.0.1', '6.5.0.224', 'Mitel', '00085D100001'],
        ['127.206.0.2', '5.1.0.2051', 'Aastra', '00085D100002'],
        ['127.206.0.3', '6.5.0.224', 'Mitel', '00085D100003'],
      ],
    );
  });

  test('phones downloaded from the lab provisioning URL', async () => {
    const info = await lab.inspect(lab.phones[0]!.mac);
    assert.equal(info.settings.effective['sip line1 user name'], '5555');
    assert.ok(server.requests.some((r) => r.userAgent.startsWith('Aastra6865i MAC:08-00-0F-20-00-01 V:6.4.0.140-SIP')));
  });

  test('other devices, SIP-only and HTTP-only phones answer as described', async () => {
    const byKind = (k: string) => lab.devices.find((d) => d.kind === k)!;
    const yealink = await sendSip({ method: 'OPTIONS', to: { host: byKind('other-sip').address, port: 5060 } });
    assert.equal(headerOf(yealink!, 'User-Agent'), 'Yealink SIP-T46S 66.86.0.15');
    const mitel6930 = byKind('other-mitel');
    assert.equal(
      headerOf((await sendSip({ method: 'OPTIONS', to: { host: mitel6930.address, port: 5060 } }))!, 'Server'),
      'Mitel 6930/6.4.0.140',
    );
    assert.equal(
      (await httpRequest(`http://${mitel6930.address}/`)).headers['www-authenticate'],
      'Basic realm="Mitel 6930"',
    );
    const httpOnly = lab.phones.find((d) => d.sipPort === null)!;
    assert.equal(
      await sendSip({ method: 'OPTIONS', to: { host: httpOnly.address, port: 5060 }, timeoutMs: 300 }),
      null,
    );
    assert.equal((await httpRequest(`http://${httpOnly.address}/sysinfo.html`)).status, 401);
    const sipOnly = lab.phones.find((d) => d.httpPort === null)!;
    await assert.rejects(httpRequest(`http://${sipOnly.address}/`), /ECONNREFUSED/);
    assert.notEqual(await sendSip({ method: 'OPTIONS', to: { host: sipOnly.address, port: 5060 } }), null);
  });

  test('faults via the handle; phone() gives the in-process SimPhone', async () => {
    const target = lab.phones[1]!;
    await lab.setFaults(target.mac, { unreachable: true });
    assert.equal(await sendSip({ method: 'OPTIONS', to: { host: target.address, port: 5060 }, timeoutMs: 300 }), null);
    assert.deepEqual(lab.phone(target.mac).faults, { unreachable: true });
    await lab.setFaults(target.mac, {});
    await assert.rejects(lab.inspect('00:00:00:00:00:02'), /no device with MAC/);
  });
});
