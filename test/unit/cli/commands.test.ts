// The CLI's own commands for each step, through the contract, with their --json output checked against the
// committed schemas: site show, settings show/set, credentials status, the checklist from start to report,
// jobs show, and list options whose values hold spaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listOption } from '../../../electron/cli/command';
import { assertCliJson, cli, withEnv } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

const SETTINGS = {
  osv: { proxy: { host: '10.1.2.3' }, trustedCaFile: 'ca.pem' },
  ntp: { server1: '10.1.2.10' },
  provisioning: { server: '10.1.2.20', path: 'prov' },
};

async function siteFolder(t: Parameters<typeof tempDir>[0]) {
  const root = await tempDir(t);
  withEnv(t, { FIELDKIT_DATA_DIR: join(root, 'data'), FIELDKIT_ADMIN_PASSWORD: undefined });
  const site = join(root, 'site');
  const created = await cli(['site', 'create', site, '--name', 'CLI steps', '--customer', 'ACME', '--json']);
  assert.equal(created.code, 0, created.err);
  assertCliJson('site', created);
  return { root, site };
}

test('site show, settings set/show (errors name the field), credentials status', async (t) => {
  const { root, site } = await siteFolder(t);
  const shown = assertCliJson<{ name: string; customer: string }>(
    'site',
    await cli(['site', 'show', '--site', site, '--json']),
  );
  assert.deepEqual([shown.name, shown.customer], ['CLI steps', 'ACME']);

  const empty = await cli(['settings', 'show', '--site', site, '--json']);
  assert.equal(assertCliJson<{ settings: unknown }>('settings', empty).settings, null);

  const bad = join(root, 'bad.json');
  await writeFile(
    bad,
    JSON.stringify({ ...SETTINGS, osv: { proxy: { host: 'sip:10.1.2.3:5060' } }, vlan: { id: 9000 } }),
  );
  const refused = await cli(['settings', 'set', '--file', bad, '--site', site, '--json']);
  assert.equal(refused.code, 1);
  const error = assertCliJson<{ error: { code: string; message: string } }>('settings', refused).error;
  assert.equal(error.code, 'invalid-input');
  assert.match(error.message, /settings\.osv\.proxy\.host: must be an IP address or a host name/);
  assert.match(error.message, /settings\.vlan\.id/);
  await writeFile(bad, '{"settings": ');
  const notJson = await cli(['settings', 'set', '--file', bad, '--site', site]);
  assert.equal(notJson.code, 2);
  assert.match(notJson.err, /bad\.json is not JSON/);

  const good = join(root, 'settings.json');
  await writeFile(good, JSON.stringify({ settings: SETTINGS, phones: { '00085D000001': { ownAdminPassword: true } } }));
  const saved = assertCliJson<{ settings: unknown; phones: Record<string, unknown> }>(
    'settings',
    await cli(['settings', 'set', '--file', good, '--site', site, '--json']),
  );
  assert.deepEqual(saved.settings, SETTINGS);
  assert.deepEqual(Object.keys(saved.phones), ['00085D000001']);
  const human = await cli(['settings', 'show', '--site', site]);
  assert.match(human.out, /OSV proxy: +10\.1\.2\.3 \(tls\)/);

  await writeFile(
    join(root, 'sheet.csv'),
    'MAC;DN;Name;Model\n00085D000001;2101;Anna;6867i\n00085D000002;2102;Ben;6865i\n',
  );
  assert.equal((await cli(['inventory', 'import', join(root, 'sheet.csv'), '--site', site])).code, 0);
  assert.equal((await cli(['generate', '--site', site])).code, 1, 'credentials are missing');
  const missing = await cli(['credentials', 'status', '--site', site, '--json']);
  assert.equal(missing.code, 1);
  const status = assertCliJson<{ missing: { key: string }[]; adminPassword: boolean }>('credentials', missing);
  assert.equal(status.adminPassword, false);
  assert.deepEqual(status.missing.map((m) => m.key).sort(), [
    'phone-admin-password:00085D000001',
    'phone-admin-password:00085D000002',
    'sip-password:00085D000001',
    'sip-password:00085D000002',
  ]);
  withEnv(t, {
    FIELDKIT_ADMIN_PASSWORD: '7391548260',
    // the site secret every phone's admin password is derived from (00085D000001 has its own)
    FIELDKIT_ADMIN_SECRET: '5e'.repeat(32),
    FIELDKIT_SECRET_PHONE_ADMIN_PASSWORD_00085D000001: '8402659371',
    FIELDKIT_SECRET_SIP_PASSWORD_00085D000001: 'sip-secret-one',
    FIELDKIT_SECRET_SIP_PASSWORD_00085D000002: 'sip-secret-two',
  });
  const complete = await cli(['credentials', 'status', '--site', site]);
  assert.equal(complete.code, 0, complete.out);
  assert.match(complete.out, /Every credential the generated configuration needs is set/);
  assert.doesNotMatch(complete.out + complete.err, /sip-secret|7391548260|8402659371/, 'never a value');
});

test('checklist start, answer every item, complete and report, all from the command line', async (t) => {
  const { site } = await siteFolder(t);
  const notStarted = await cli(['checklist', 'answer', 'security.duty', '--outcome', 'confirmed', '--site', site]);
  assert.equal(notStarted.code, 2);
  assert.match(notStarted.err, /checklist start --technician/);
  const started = await cli([
    'checklist',
    'start',
    '--technician',
    'Tess Tech',
    '--contact',
    'Carl Customer',
    '--site',
    site,
    '--json',
  ]);
  assert.equal(started.code, 0, started.err);
  assertCliJson('checklist', started);

  const status = assertCliJson<{ items: { id: string; outcome: string; allowed: string[] }[] }>(
    'checklist',
    await cli(['checklist', 'status', '--site', site, '--json']),
  );
  const wrong = await cli(['checklist', 'answer', 'security.duty', '--outcome', 'maybe', '--site', site]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /--outcome must be one of confirmed, failed, deviation, not-applicable/);
  const noReason = await cli(['checklist', 'answer', 'cert.expiry', '--outcome', 'deviation', '--site', site]);
  assert.equal(noReason.code, 1);
  assert.match(noReason.err, /A deviation needs its reason/);
  const deviation = await cli([
    'checklist',
    'answer',
    'cert.expiry',
    '--outcome',
    'deviation',
    '--note',
    'Certificates are renewed by the customer',
    '--agreed-by',
    'Dana Director',
    '--site',
    site,
    '--json',
  ]);
  const answered = assertCliJson<{ outcome: string; answer: { agreedWith: string; reason: string } }>(
    'checklist',
    deviation,
  );
  assert.deepEqual([answered.outcome, answered.answer.agreedWith], ['deviation', 'Dana Director']);
  for (const item of status.items.filter((i) => i.outcome === 'open' && i.id !== 'cert.expiry')) {
    const onlyDeviation = !item.allowed.includes('pass') && !item.allowed.includes('noted');
    const args = onlyDeviation
      ? ['--outcome', 'deviation', '--note', 'Accepted for this site']
      : ['--outcome', item.id.startsWith('service.') ? 'not-applicable' : 'confirmed', '--note', 'checked on site'];
    const r = await cli(['checklist', 'answer', item.id, ...args, '--site', site]);
    assert.equal(r.code, 0, `${item.id}: ${r.err}`);
  }
  const done = await cli(['checklist', 'complete', '--site', site, '--json']);
  assert.equal(done.code, 0, done.out + done.err);
  assert.notEqual(assertCliJson<{ completedAt: string | null }>('checklist', done).completedAt, null);
  const report = await cli(['checklist', 'report', '--site', site, '--json']);
  assert.equal(report.code, 0, report.err);
  const saved = assertCliJson<{ draft: boolean; html: string }>('checklist', report);
  assert.equal(saved.draft, false);
  assert.match(saved.html, /^reports\/checklist-report-/);

  const jobs = await cli(['jobs', 'list', '--site', site, '--json']);
  assert.deepEqual(assertCliJson('jobs', jobs), []);
  const missingJob = await cli(['jobs', 'show', 'nope', '--site', site, '--json']);
  assert.equal(missingJob.code, 1);
  assert.equal(assertCliJson<{ error: { code: string } }>('jobs', missingJob).error.code, 'not-found');
});

test('without a site, a command that needs one is a usage error naming --site', async (t) => {
  const root = await tempDir(t);
  withEnv(t, { FIELDKIT_DATA_DIR: join(root, 'data') });
  const r = await cli(['settings', 'show', '--json']);
  assert.equal(r.code, 2);
  const error = assertCliJson<{ error: { code: string; message: string } }>('settings', r).error;
  assert.equal(error.code, 'usage');
  assert.match(error.message, /--site DIR/);
});

test('list options: repeated or comma-separated, values keep their spaces', () => {
  assert.deepEqual(listOption(['Floor 2', 'Lobby']), ['Floor 2', 'Lobby']);
  assert.deepEqual(listOption('Floor 2, Lobby'), ['Floor 2', 'Lobby']);
  assert.deepEqual(listOption(['Floor 2,Floor 3', ' ']), ['Floor 2', 'Floor 3']);
  assert.deepEqual(listOption(undefined), []);
});
