import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mergeEffectiveValues, parseCfg } from '../../../electron/core/config/cfg-format';
import {
  checkOsvProfile,
  globalAssignments,
  phoneAssignments,
  profileRules,
} from '../../../electron/core/config/osv-profile';
import { phones, site } from './site-fixture';
import type { ProfileRuleId } from '../../../electron/core/config/osv-profile';

// A file set as it might be found on a customer's server: every profile rule satisfied.
const GOOD = `openscape enable: 1
sip centralized conf: 1
sip transport protocol: 4
sips trusted certificates: ca.pem
sip srtp mode: 1
sip proxy ip: 10.0.0.3
time server1: 10.0.0.1
!admin password: 4711
contact rcs: 0
xml application post list: 10.0.0.50
download protocol: HTTPS
sip line1 auth name: 2108189795
sip line1 user name: 2108189795
`;

function check(text: string, options: { realmParameter?: string } = {}) {
  const view = mergeEffectiveValues([{ file: 'X.cfg', doc: parseCfg(text).doc }]);
  return checkOsvProfile(view, { phoneFile: 'X.cfg', ...options });
}
const ids = (text: string) => check(text).map((f) => `${f.severity}:${f.ruleId}`);
const replace = (from: string, to: string) => GOOD.replace(from, to);

describe('checkOsvProfile', () => {
  test('a compliant file set has no findings', () => assert.deepEqual(check(GOOD), []));

  test('§4.1 openscape enable: missing or 0 is an error that explains the 6.5.0.224 default', () => {
    const missing = check(replace('openscape enable: 1\n', ''));
    assert.deepEqual(
      missing.map((f) => f.ruleId),
      ['osv.openscape-enable'],
    );
    assert.match(
      missing[0]!.message,
      /since firmware 6\.5\.0\.224 the OSV features are off by default \(guide §4\.1\)/,
    );
    assert.equal(missing[0]!.file, 'X.cfg');
    const off = check(replace('openscape enable: 1', 'Openscape Enable: 0'));
    assert.equal(off[0]!.severity, 'error');
    assert.equal(off[0]!.line, 1);
  });

  test('§4.1 sip centralized conf: missing is a warning, values other than 0/1 an error', () => {
    assert.deepEqual(ids(replace('sip centralized conf: 1\n', '')), ['warning:osv.centralized-conf']);
    assert.deepEqual(ids(replace('sip centralized conf: 1', 'sip centralized conf: 0')), []);
    assert.deepEqual(ids(replace('sip centralized conf: 1', 'sip centralized conf: 1000')), [
      'error:osv.centralized-conf',
    ]);
  });

  test('§4.2 digest: a missing user name is an error, differing auth and user names a warning', () => {
    assert.deepEqual(ids(replace('sip line1 user name: 2108189795\n', '')), ['error:osv.digest-dn']);
    const differ = check(replace('sip line1 auth name: 2108189795', 'sip line1 auth name: 2108189796'));
    assert.deepEqual(
      differ.map((f) => `${f.severity}:${f.ruleId}`),
      ['warning:osv.digest-dn'],
    );
    assert.match(differ[0]!.message, /DTP-73963/);
  });

  test('§4.2 realm: a site-chosen realm parameter is flagged as unverified', () => {
    const f = check(`${GOOD}sip line1 realm: 2108189795\n`, { realmParameter: 'sip line{line} realm' });
    assert.deepEqual(
      f.map((x) => `${x.severity}:${x.ruleId}`),
      ['warning:osv.realm'],
    );
    assert.equal(f[0]!.line, 14);
  });

  test('§5 TLS: another transport is a documented deviation, TLS without a CA an error (DTP-74349)', () => {
    const udp = check(replace('sip transport protocol: 4', 'sip transport protocol: 1'));
    assert.deepEqual(
      udp.map((f) => `${f.severity}:${f.ruleId}`),
      ['warning:osv.tls', 'warning:osv.srtp-sdes'],
    );
    assert.match(udp[0]!.fix, /document the deviation in the security checklist/);
    assert.match(udp[1]!.message, /SDES/);
    const noCa = check(replace('sips trusted certificates: ca.pem\n', ''));
    assert.deepEqual(
      noCa.map((f) => `${f.severity}:${f.ruleId}`),
      ['error:osv.tls'],
    );
    assert.match(noCa[0]!.message, /DTP-74349/);
  });

  test('§8 SRTP off is reported as information', () => {
    assert.deepEqual(ids(replace('sip srtp mode: 1', 'sip srtp mode: 0')), ['info:osv.srtp-sdes']);
    assert.deepEqual(ids(`${replace('sip srtp mode: 1', 'sip srtp mode: 0')}sip line1 srtp mode: 2\n`), []);
  });

  test('hardening: admin password missing, unlocked or default; RCS; push list; HTTPS; resync', () => {
    assert.deepEqual(ids(replace('!admin password: 4711\n', '')), ['error:harden.admin-password']);
    assert.deepEqual(ids(replace('!admin password: 4711', 'admin password: 4711')), ['warning:harden.admin-password']);
    assert.deepEqual(ids(replace('!admin password: 4711', '!admin password: 22222')), ['error:harden.admin-password']);
    assert.deepEqual(ids(replace('contact rcs: 0\n', '')), ['warning:harden.contact-rcs']);
    assert.deepEqual(ids(replace('xml application post list: 10.0.0.50', 'xml application post list:')), [
      'warning:harden.xml-post-list',
    ]);
    assert.deepEqual(ids(replace('download protocol: HTTPS', 'download protocol: TFTP')), [
      'warning:harden.https-provisioning',
    ]);
    assert.deepEqual(ids(`${GOOD}auto resync mode: 3\n`), ['info:site.auto-resync']);
    assert.deepEqual(ids(replace('sip proxy ip: 10.0.0.3\n', 'sip line1 proxy ip: 10.0.0.3\n')), []);
    assert.deepEqual(ids(replace('sip proxy ip: 10.0.0.3\n', '')), ['error:site.sip-servers']);
    assert.deepEqual(ids(replace('time server1: 10.0.0.1\n', '')), ['warning:site.ntp']);
  });

  test('later files override earlier ones, and findings name the file that set the value', () => {
    const view = mergeEffectiveValues([
      { file: 'startup.cfg', doc: parseCfg(GOOD).doc },
      { file: '00085D1A2B3C.cfg', doc: parseCfg('# phone\nopenscape enable: 0\n').doc },
    ]);
    const f = checkOsvProfile(view, { phoneFile: '00085D1A2B3C.cfg' });
    assert.deepEqual(
      f.map((x) => [x.ruleId, x.file, x.line]),
      [['osv.openscape-enable', '00085D1A2B3C.cfg', 2]],
    );
  });
});

describe('rules as data', () => {
  test('every rule has a title, a source, a rationale and parameters; ids are unique', () => {
    assert.equal(new Set(profileRules.map((r) => r.id)).size, profileRules.length);
    for (const r of profileRules) {
      assert.ok(r.title && r.rationale.length > 40 && r.parameters.length > 0, r.id);
      assert.match(r.source, /^(guide|phone-facts) §\d/, r.id);
    }
  });
  test('the guide rules cite the sections and known issues the issue asks for', () => {
    const byId = new Map(profileRules.map((r) => [r.id, r]));
    const expect: [ProfileRuleId, RegExp, string[]][] = [
      ['osv.openscape-enable', /§4\.1/, []],
      ['osv.centralized-conf', /§4\.1/, ['DTP-74244']],
      ['osv.digest-dn', /§4\.2/, ['DTP-73963']],
      ['osv.realm', /§4\.2/, ['DTP-73963']],
      ['osv.srtp-sdes', /§8/, ['DTP-74233']],
      ['osv.tls', /§5/, ['DTP-74349']],
    ];
    for (const [id, section, issues] of expect) {
      assert.match(byId.get(id)!.source, section, id);
      assert.deepEqual(byId.get(id)!.knownIssues, issues, id);
    }
    assert.match(byId.get('osv.centralized-conf')!.rationale, /three-party conference/);
    assert.match(byId.get('osv.srtp-sdes')!.rationale, /MIKEY is not supported/);
    assert.match(byId.get('osv.realm')!.rationale, /No public Mitel source names a realm parameter/);
  });
  test('every parameter a rule writes is listed in that rule', () => {
    const byId = new Map(profileRules.map((r) => [r.id, r]));
    const s = site({
      osv: { proxy: { host: '10.0.0.3' }, backupRegistrar: { host: '10.0.0.4' }, trustedCaFile: 'ca.pem' },
    });
    const groups = [...globalAssignments(s), ...phones().flatMap((p) => phoneAssignments(p, s))];
    for (const g of groups) {
      const listed = byId.get(g.ruleId)!.parameters.map((p) => p.replace('lineN', 'line1'));
      for (const a of g.assignments)
        assert.ok(listed.includes(a.name), `${g.ruleId} writes ${a.name} but does not list it`);
    }
  });
});
