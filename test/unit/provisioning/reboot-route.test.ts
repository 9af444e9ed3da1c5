// Reboot fits the site: where NOTIFY from the laptop cannot work (sip whitelist, TLS-only signalling, phone-facts §10)
// the web UI restart goes first, NOTIFY last, and the result says why.
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { parseSiteSettings } from '../../../electron/core/config/provisioning-settings';
import { rebootRouteFor } from '../../../electron/core/provisioning/reboot-route';
import { rebootPhone } from '../../../electron/core/provisioning/reboot';
import { startLab } from '../../sim/lab';
import type { SiteSettingsInput } from '../../../electron/core/config/provisioning-settings';
import type { LabHandle } from '../../sim/lab';

const base: SiteSettingsInput = {
  osv: { proxy: { host: '10.20.0.10' }, transport: 'udp' },
  ntp: { server1: '10.20.0.1' },
  provisioning: { protocol: 'HTTP', server: '10.20.5.50' },
};
const site = (patch: Partial<SiteSettingsInput> = {}) => parseSiteSettings({ ...base, ...patch });

describe('rebootRouteFor', () => {
  test('UDP without a whitelist: NOTIFY first, nothing to explain', () => {
    assert.deepEqual(rebootRouteFor(site(), { model: '6867i' }), {
      order: ['sip-notify', 'web-restart', 'xml-reset'],
      reason: null,
    });
    assert.deepEqual(rebootRouteFor(undefined, { model: null }).order, ['sip-notify', 'web-restart', 'xml-reset']);
  });

  test('TLS signalling (the site default): web UI first, NOTIFY last, and why', () => {
    const r = rebootRouteFor(site({ osv: { proxy: { host: '10.20.0.10' }, transport: 'tls' } }), { model: '6865i' });
    assert.deepEqual(r.order, ['web-restart', 'xml-reset', 'sip-notify']);
    assert.match(r.reason ?? '', /TLS only \(sip transport protocol: 4 in the site settings\)/);
    assert.match(r.reason ?? '', /UDP 5060/);
  });

  test('sip whitelist: 1 in the site overrides, the model overrides or the phone itself', () => {
    const global = rebootRouteFor(site({ globalOverrides: { '!sip whitelist': '1' } }), { model: '6867i' });
    assert.deepEqual(global.order, ['web-restart', 'xml-reset', 'sip-notify']);
    assert.match(global.reason ?? '', /the site overrides set sip whitelist: 1/);
    const model = rebootRouteFor(site({ modelOverrides: { '6865i': { 'SIP Whitelist': '1 # proxy only' } } }), {
      model: '6865i',
    });
    assert.match(model.reason ?? '', /the model overrides set sip whitelist: 1/);
    assert.equal(
      rebootRouteFor(site({ modelOverrides: { '6865i': { 'sip whitelist': '1' } } }), { model: '6867i' }).reason,
      null,
    );
    const phone = rebootRouteFor(site({ globalOverrides: { 'sip whitelist': '1' } }), {
      model: '6867i',
      overrides: { 'sip whitelist': '0' },
    });
    assert.equal(phone.reason, null, "the phone's own file is read last and switches it off again");
    const overTls = rebootRouteFor(
      site({ globalOverrides: { 'sip transport protocol': '1' }, osv: { proxy: { host: 'x' }, transport: 'tls' } }),
      {
        model: '6867i',
      },
    );
    assert.equal(overTls.reason, null, 'an override back to UDP counts');
  });
});

describe('rebootPhone follows the route', () => {
  let lab: LabHandle;
  before(async () => {
    lab = await startLab(
      {
        name: 'reboot-route',
        loopbackBase: '127.89.0.0',
        bootMs: 400,
        flashMs: 100,
        groups: [
          { kind: 'mitel-6800', count: 1, macStart: '00:08:5D:92:00:01', model: '6867i', versions: ['6.5.0.224'] },
        ],
      },
      { mode: 'loopback' },
    );
  });
  after(() => lab.stop());

  test('web UI first: NOTIFY is never sent when the web restart works, and the result says why', async () => {
    const p = lab.phones[0]!;
    const sim = lab.phone(p.mac);
    const seq = sim.lastSeq;
    const route = rebootRouteFor(site({ globalOverrides: { 'sip whitelist': '1' } }), { model: '6867i' });
    const r = await rebootPhone(
      { mac: p.mac.replace(/:/g, ''), ip: p.address, sipPort: p.sipPort, httpPort: p.httpPort },
      {
        adminPassword: '22222',
        confirmDownMs: 3000,
        pollMs: 100,
        requestTimeoutMs: 800,
        order: route.order,
        orderReason: route.reason,
      },
    );
    assert.equal(r.ok, true, r.message);
    assert.equal(r.method, 'web-restart');
    assert.deepEqual(r.order, ['web-restart', 'xml-reset', 'sip-notify']);
    assert.equal(r.orderReason, route.reason);
    assert.match(r.message, /sip whitelist: 1/);
    assert.ok(!sim.history.some((e) => e.seq > seq && e.type === 'sip-check-sync'), 'no NOTIFY was sent');
    await sim.waitForEvent('online', { afterSeq: seq, timeoutMs: 10_000 });
  });
});
