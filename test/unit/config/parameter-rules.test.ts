import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCfg } from '../../../electron/core/config/cfg-format';
import { checkParameter, isSecretParameter, validateDocument } from '../../../electron/core/config/parameter-rules';

const plain = { osvProfile: false };
const osv = { osvProfile: true };
const errorsFor = (name: string, value: string, ctx = plain) =>
  checkParameter(name, value, ctx).filter((f) => f.severity === 'error');
const ok = (name: string, value: string, ctx = plain) =>
  assert.deepEqual(errorsFor(name, value, ctx), [], `${name}: ${value}`);
const bad = (name: string, value: string, pattern: RegExp, ctx = plain) => {
  const errs = errorsFor(name, value, ctx);
  assert.equal(errs.length, 1, `${name}: ${value} should have one error, got ${JSON.stringify(errs)}`);
  assert.match(errs[0]!.message, pattern);
  assert.ok(errs[0]!.fix.length > 5);
};

describe('parameter rules', () => {
  test('admin and user passwords are numeric only', () => {
    ok('admin password', '4711');
    ok('Admin Password', '0123456789');
    bad('admin password', 'abc123', /digits only.*fall back to its default/);
    bad('user password', '12 34', /digits only/);
    bad('admin password', '', /digits only/);
    ok('user password', '');
  });
  test('passwords are integers from 0 to 4294967295 (user guides)', () => {
    ok('admin password', '4294967295');
    ok('user password', '0');
    bad('admin password', '4294967296', /above 4294967295/);
    bad('user password', '99999999999', /above 4294967295/);
    bad('admin password', '00000000001', /above 4294967295|at most 10 digits/);
  });
  test('a screen name longer than 20 characters is a warning that shows the cut', () => {
    ok('sip line1 screen name', 'a'.repeat(20));
    const [w] = checkParameter('sip line1 screen name', 'Annemarie Schmidt-Oberhausen', { osvProfile: true });
    assert.equal(w?.severity, 'warning');
    assert.match(w!.message, /shows "Annemarie Schmidt-Ob"/);
  });
  test('the factory admin password 22222 is an error', () => bad('admin password', '22222', /factory default 22222/));
  test('http digest username is at most 40 characters', () => {
    ok('http digest username', 'a'.repeat(40));
    bad('http digest username', 'a'.repeat(41), /41 characters.*at most 40/);
  });
  test('switches take 0 or 1', () => {
    for (const name of [
      'openscape enable',
      'contact rcs',
      'tagging enabled',
      'sips persistent tls',
      'https validate certificates',
    ]) {
      ok(name, '0');
      ok(name, '1');
      bad(name, 'yes', /0 or 1/);
      bad(name, '2', /0 or 1/);
    }
  });
  test('ports are 1-65535; SIP server port 0 is a warning (DNS SRV, unverified)', () => {
    ok('http port', '8667');
    ok('sip line3 proxy port', '65535');
    bad('https port', '0', /not a port/);
    bad('sip proxy port', '65536', /not a port/);
    bad('log server port', '51a', /not a port/);
    const zero = checkParameter('sip registrar port', '0', plain);
    assert.deepEqual(
      zero.map((f) => f.severity),
      ['warning'],
    );
    assert.match(zero[0]!.message, /SRV/);
  });
  test('sip transport protocol is 0 (UDP and TCP), 1, 2 or 4 (AG331 p.A-84)', () => {
    for (const v of ['0', '1', '2', '4']) ok('sip transport protocol', v);
    for (const v of ['3', '5', 'tls'])
      bad('sip transport protocol', v, /0 \(UDP and TCP\), 1 \(UDP\), 2 \(TCP\) and 4 \(TLS\)/);
  });
  test('srtp mode is 0, 1 or 2, globally and per line', () => {
    for (const v of ['0', '1', '2']) {
      ok('sip srtp mode', v);
      ok('sip line9 srtp mode', v);
    }
    bad('sip line1 srtp mode', '3', /0 \(SRTP off\)/);
    bad('sip srtp mode', 'mikey', /0 \(SRTP off\)/);
  });
  test('auto resync mode, time, max delay and days', () => {
    for (const v of ['0', '1', '2', '3']) ok('auto resync mode', v);
    bad('auto resync mode', '4', /0 \(none\)/);
    ok('auto resync time', '00:00');
    ok('auto resync time', '23:59');
    bad('auto resync time', '24:00', /not a time/);
    bad('auto resync time', '3:00', /not a time/);
    assert.deepEqual(
      checkParameter('auto resync time', '00h00', plain).map((f) => f.severity),
      ['info'],
    );
    ok('auto resync max delay', '1439');
    bad('auto resync max delay', '1440', /0 to 1439/);
    ok('auto resync days', '0');
    bad('auto resync days', '-1', /days/);
  });
  test('download protocol is TFTP, FTP, HTTP or HTTPS', () => {
    for (const v of ['TFTP', 'FTP', 'HTTP', 'HTTPS']) ok('download protocol', v);
    bad('download protocol', 'SFTP', /TFTP, FTP, HTTP or HTTPS/);
  });
  test('server parameters take an IP address or a host name', () => {
    for (const v of ['10.1.2.3', 'osv.example.net', 'fd00::1', 'osv-a', '']) ok('sip proxy ip', v);
    ok('sip line2 backup registrar ip', 'b.example.net');
    ok('time server2', 'pool.ntp.org');
    for (const v of ['sip:10.1.2.3', '10.1.2.3:5060', '10.1.2', 'osv_a.example', 'a b'])
      bad('sip registrar ip', v, /neither an IP address nor a host name/);
  });
  test('xml application post list is a comma-separated list of hosts', () => {
    ok('xml application post list', '10.1.2.50,prov.example.net');
    ok('xml application post list', '10.1.2.50, prov.example.net');
    bad('xml application post list', '10.1.2.50,http://x', /"http:\/\/x"/);
  });
  test('vlan ids', () => {
    ok('vlan id', '20');
    bad('vlan id', '4095', /not a VLAN id/);
    ok('vlan id port 1', '4095');
  });
  test('with the OSV profile, auth and user names must be the directory number (DTP-73963)', () => {
    ok('sip line1 auth name', 'realm3');
    ok('sip line1 auth name', '2108189795', osv);
    for (const name of ['sip line1 auth name', 'sip line12 user name', 'sip auth name', 'SIP Line1 User Name']) {
      bad(name, 'realm3', /alphanumeric user names \(known issue DTP-73963, guide §4\.2\/§9\)/, osv);
    }
    const [f] = errorsFor('sip line1 user name', 'realm3', osv);
    assert.match(f!.fix, /directory number/);
    assert.equal(f!.ruleId, 'osv.digest-dn');
  });
  test('unknown parameters are not judged', () =>
    assert.deepEqual(checkParameter('some future thing', '$$$', osv), []));
  test('secret-bearing names', () => {
    for (const n of ['admin password', 'sip line3 password', 'http digest password', 'ftp password', 'user password'])
      assert.ok(isSecretParameter(n), n);
    for (const n of ['sip line1 user name', 'http digest username', 'contact rcs']) assert.ok(!isSecretParameter(n), n);
  });
});

describe('validateDocument', () => {
  test('reports syntax errors, rule violations and repeated names with line numbers', () => {
    const doc = parseCfg(
      '# x\nadmin password: abc\nno colon\nsip transport protocol: 3\nvlan id: 20\nVLAN ID: 30\n',
    ).doc;
    const findings = validateDocument(doc, { osvProfile: false, file: 'startup.cfg' });
    const summary = findings.map((f) => [f.severity, f.line, f.ruleId]);
    assert.deepEqual(summary, [
      ['error', 2, 'param.numeric-password'],
      ['error', 3, 'format.syntax'],
      ['error', 4, 'param.sip-transport'],
      ['info', 6, 'format.repeated'],
    ]);
    assert.ok(findings.every((f) => f.file === 'startup.cfg'));
    assert.match(findings[0]!.message, /^Line 2: admin password must be digits only/);
  });
  test('lines holding secret placeholders are not judged by value', () => {
    const doc = parseCfg('!admin password: ********\n').doc;
    assert.deepEqual(
      validateDocument(doc, { osvProfile: true }).map((f) => f.ruleId),
      ['param.numeric-password'],
    );
    assert.deepEqual(validateDocument(doc, { osvProfile: true, secretLines: new Set([1]) }), []);
  });
  test('the WAZO-style fixture has only the expected findings', () => {
    const text = readFileSync(join(import.meta.dirname, 'fixtures', 'wazo-mac.cfg'), 'utf8');
    const findings = validateDocument(parseCfg(text).doc, { osvProfile: true });
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.name]),
      [['param.admin-password-not-default', 'admin password']],
    );
  });
});
