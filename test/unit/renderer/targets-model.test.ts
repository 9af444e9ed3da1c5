// The SFTP target form and the "publish the ready phones, skip the others" words, as plain functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkView,
  credentialFromForm,
  emptyTargetForm,
  formFromTarget,
  sameFingerprint,
  targetFormProblems,
  targetUrl,
  type SftpTarget,
} from '../../../renderer/src/views/provisioning/targets-model';
import {
  phonesMissingCredentials,
  previewGate,
  publishLabel,
  type MissingCredential,
} from '../../../renderer/src/views/provisioning/publish-model';
import { parseSftpUrl } from '../../../electron/core/provisioning/target-url';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----';

test('a new target needs every field and a credential; each problem is named on its field', () => {
  const problems = targetFormProblems(emptyTargetForm(), null);
  assert.deepEqual(Object.keys(problems).sort(), ['folder', 'host', 'id', 'password', 'user']);
  const filled = { ...emptyTargetForm(), id: 'site-sftp', host: '10.0.0.5', user: 'prov', folder: '/srv/prov' };
  assert.deepEqual(Object.keys(targetFormProblems(filled, null)), ['password']);
  assert.deepEqual(Object.keys(targetFormProblems({ ...filled, auth: 'key' }, null)), ['privateKey']);
  assert.match(
    targetFormProblems({ ...filled, auth: 'key', privateKey: 'ssh-ed25519 AAAA' }, null).privateKey!,
    /\.pub/,
  );
  assert.deepEqual(targetFormProblems({ ...filled, auth: 'key', privateKey: KEY, passphrase: 'p' }, null), {});
  assert.ok(targetFormProblems({ ...filled, port: '70000', password: 'x' }, null).port);
  assert.ok(targetFormProblems({ ...filled, folder: '/srv/../etc', password: 'x' }, null).folder);
});

test('editing keeps the stored credential unless the way of logging in changes', () => {
  const saved: SftpTarget = { id: 'osv', kind: 'sftp', url: 'sftp://prov@10.0.0.5:2222/srv/prov', auth: 'password' };
  const form = formFromTarget(saved);
  assert.deepEqual([form.user, form.host, form.port, form.folder], ['prov', '10.0.0.5', '2222', '/srv/prov']);
  assert.deepEqual(targetFormProblems(form, saved), {});
  assert.equal(credentialFromForm(form), null);
  assert.ok(targetFormProblems({ ...form, auth: 'key' }, saved).privateKey, 'a switch to a key needs the key');
});

test('the URL the form builds is one the core accepts, home-relative folders included', () => {
  const f = { ...emptyTargetForm(), id: 'a', host: '10.0.0.5', port: '22', user: 'prov', folder: '/srv/prov/' };
  assert.deepEqual(parseSftpUrl(targetUrl(f)), { user: 'prov', host: '10.0.0.5', port: 22, path: '/srv/prov' });
  assert.equal(parseSftpUrl(targetUrl({ ...f, folder: 'prov' })).path, 'prov');
  assert.equal(
    formFromTarget({ id: 'a', kind: 'sftp', url: targetUrl({ ...f, folder: 'prov' }), auth: 'key' }).folder,
    'prov',
  );
  assert.equal(parseSftpUrl(targetUrl({ ...f, host: 'fd00::5' })).host, 'fd00::5');
});

test('skipping is offered only when nothing site-wide is missing; the button says what happens', () => {
  const perPhone: MissingCredential[] = [
    { key: 'sip-password:00085D000003', mac: '00085D000003', what: 'No SIP password' },
    { key: 'sip-password:00085D000004', mac: '00085D000004', what: 'No SIP password' },
  ];
  assert.equal(phonesMissingCredentials(perPhone).phonesOnly, true);
  assert.equal(
    phonesMissingCredentials([...perPhone, { key: 'phone-admin-password', what: 'No admin password' }]).phonesOnly,
    false,
  );
  const file = (name: string) => ({ name, status: 'new' as const, size: 1, diffVsTarget: '', diffVsLastPublished: '' });
  assert.equal(
    publishLabel({
      files: [file('startup.cfg'), file('00085D000001.cfg'), file('00085D000002.cfg')],
      skipped: [{ name: '00085D000003.cfg', mac: '00085D000003', missing: [], onTarget: false }],
    }),
    'Publish the 2 ready phones, skip 1',
  );
  assert.equal(publishLabel({ files: [file('startup.cfg')], skipped: [] }), 'Publish');
  const report = {
    readyToPublish: false,
    findings: [],
    missingCredentials: perPhone,
    credentials: { readyPhones: 20, incompletePhones: ['00085D000003'], siteWideMissing: false },
  };
  assert.deepEqual(
    [previewGate(report).open, previewGate(report).skip],
    [true, true],
    'one phone without a SIP password does not close the way to the preview',
  );
  assert.match(previewGate(report).text, /publish the 20 ready phones and skip it/);
  const siteWide = { ...report, credentials: { ...report.credentials, siteWideMissing: true } };
  assert.equal(previewGate(siteWide).open, false);
  assert.match(previewGate(siteWide).text, /every phone needs/);
});

test('a replaced host key must be typed as the server offers it, prefix and padding aside', () => {
  const offered = 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';
  assert.equal(sameFingerprint(offered, offered), true);
  assert.equal(sameFingerprint('  nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8= ', offered), true);
  assert.equal(sameFingerprint('SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY9', offered), false);
  assert.equal(sameFingerprint('', offered), false);
  assert.equal(sameFingerprint('SHA256:', 'SHA256:'), false);
});

test('a remembered check: usable only when it worked and nothing changed since; says when it was made', () => {
  const now = new Date(2026, 10, 30, 11, 0);
  const at = new Date(2026, 10, 30, 10, 32).toISOString();
  const base = { targetId: 't', checkedAt: at, ok: true, state: 'ok' as const, message: 'ok', stale: null };
  assert.deepEqual(checkView(undefined, now), { usable: false, badge: 'Not checked', tone: 'warn', note: '' });
  assert.deepEqual(checkView(base, now), { usable: true, badge: 'Works', tone: 'ok', note: 'Checked 10:32' });
  const failed = checkView({ ...base, ok: false, state: 'login-refused' }, now);
  assert.deepEqual([failed.usable, failed.badge, failed.note], [false, 'Check failed', 'Checked 10:32']);
  const stale = checkView({ ...base, stale: 'credential-changed' }, now);
  assert.deepEqual([stale.usable, stale.badge], [false, 'Out of date']);
  assert.equal(stale.note, 'Checked 10:32: a new password or key was stored since');
  assert.match(checkView(base, new Date(2026, 11, 2)).note, /^Checked 30 Nov 2026, 10:32$/, 'another day: the date');
});
