import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parsePhoneEntries, parseSiteSettings } from '../../../electron/core/config/provisioning-settings';
import { FieldkitError } from '../../../electron/core/util/errors';

const minimal = {
  osv: { proxy: { host: 'osv.example.net' } },
  ntp: { server1: '10.0.0.1' },
  provisioning: { server: '10.0.0.2' },
};

describe('site settings', () => {
  test('a minimal sheet gets the defaults a technician expects', () => {
    const s = parseSiteSettings(minimal);
    assert.equal(s.osv.transport, 'tls');
    assert.equal(s.osv.centralizedConference, 'server');
    assert.equal(s.osv.srtp, 'preferred');
    assert.equal(s.osv.realmParameter, '');
    assert.equal(s.osv.trustedCaFile, '');
    assert.deepEqual(s.resync, { mode: 'config', time: '03:00', maxDelayMinutes: 15 });
    assert.deepEqual(s.vlan, { enabled: false });
    assert.equal(s.timeZone, 'DE-Berlin');
    assert.equal(s.provisioning.protocol, 'HTTP');
    assert.equal(s.provisioning.path, '');
    assert.equal(s.lockCritical, true);
    assert.deepEqual([s.globalOverrides, s.modelOverrides, s.xmlPushAllowList], [{}, {}, []]);
  });
  test('every problem is listed with its path', () => {
    const input = {
      ...minimal,
      osv: { proxy: { host: 'sip:osv', port: 70000 }, transport: 'sctp' },
      vlan: { enabled: true },
      resync: { time: '3:00' },
      globalOverrides: { 'sip line1 screen name': 'a\nadmin password: 1' },
    };
    assert.throws(
      () => parseSiteSettings(input),
      (e: unknown) => {
        assert.ok(e instanceof FieldkitError && e.code === 'invalid-input');
        for (const part of [
          'osv.proxy.host: must be an IP address or a host name',
          'osv.proxy.port: must be 1-65535',
          'osv.transport',
          'vlan: a VLAN id (1-4094) is needed',
          'resync.time: must be hh:mm',
          'globalOverrides.sip line1 screen name: An override value must not contain line breaks',
        ]) {
          assert.ok(e.message.includes(part), `missing "${part}" in\n${e.message}`);
        }
        return true;
      },
    );
  });
  test('override names that would break the format are refused', () => {
    assert.throws(
      () => parseSiteSettings({ ...minimal, modelOverrides: { '6867i': { 'a: b': '1' } } }),
      /override parameter names/,
    );
    assert.throws(() => parseSiteSettings({ ...minimal, modelOverrides: { '6869i': { a: '1' } } }), /modelOverrides/);
  });
});

describe('phone entries', () => {
  test('MACs in any spelling become 12 uppercase hex digits', () => {
    const list = parsePhoneEntries([
      { mac: '00:08:5d:1a:2b:3c', model: '6867i', directoryNumber: ' 2108189795 ' },
      { mac: '0010.bc00.0001', model: '6865i', directoryNumber: '1' },
    ]);
    assert.deepEqual(
      list.map((p) => [p.mac, p.directoryNumber, p.displayName, p.ownAdminPassword]),
      [
        ['00085D1A2B3C', '2108189795', '', false],
        ['0010BC000001', '1', '', false],
      ],
    );
  });
  test('bad rows are refused with their index', () => {
    assert.throws(
      () => parsePhoneEntries([{ mac: 'xx', model: '6869i', directoryNumber: '', displayName: 'A\u2028B' }]),
      (e: unknown) => {
        const m = (e as Error).message;
        for (const part of [
          '0.mac: is not a MAC address',
          '0.model',
          '0.directoryNumber: is empty',
          '0.displayName: The display name must not contain line breaks',
        ])
          assert.ok(m.includes(part), `missing "${part}" in\n${m}`);
        return true;
      },
    );
  });
});

test('the realm option cannot name a password or a parameter Fieldkit writes (issue 13 §4, D3)', () => {
  const base = {
    osv: { proxy: { host: '10.0.0.1' } },
    ntp: { server1: '10.0.0.2' },
    provisioning: { server: '10.0.0.3' },
  };
  const realm = (name: string) => () => parseSiteSettings({ ...base, osv: { ...base.osv, realmParameter: name } });
  assert.throws(realm('sip line{line} password'), /osv\.realmParameter: names a password parameter/);
  assert.throws(realm('admin password'), /names a password parameter/);
  assert.throws(realm('sip line{line} user name'), /names a parameter Fieldkit already writes/);
  assert.throws(realm('download protocol'), /names a parameter Fieldkit already writes/);
  assert.equal(
    parseSiteSettings({ ...base, osv: { ...base.osv, realmParameter: 'sip line{line} realm' } }).osv.realmParameter,
    'sip line{line} realm',
  );
});
