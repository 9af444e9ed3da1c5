import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startRun, answerItem, completeRun } from '../../../electron/core/checklist/checklist-runs';
import { recordFirmwareChange } from '../../../electron/core/firmware/firmware-changes';
import { saveChecklistReport } from '../../../electron/core/checklist/report-files';
import { renderReportHtml } from '../../../electron/core/checklist/report-html';
import { buildReportModel } from '../../../electron/core/checklist/report-model';
import { chromiumPrintToPdf, chromiumExecutable } from '../../../electron/app/chromium-pdf';
import { CHECKLIST_V1 } from '../../../electron/core/checklist/checklist.v1';
import { runCli } from '../../../electron/cli';
import { healthySite, secretsFor, scanPhones, writeConfig, answerEverything } from './checklist-fixture';

const clock = (iso: string) => () => new Date(iso);

async function completedSite(t: Parameters<typeof healthySite>[0]) {
  const site = await healthySite(t);
  await writeConfig(site, { provisioning: { protocol: 'HTTP', server: 'prov.example.net', path: 'mitel' } });
  await recordFirmwareChange(site, {
    mac: '00:10:BC:00:00:01',
    model: '6865i',
    from: '6.4.0.140',
    to: '6.5.0.224',
    at: '2026-03-04T15:00:00Z',
  });
  await scanPhones(site, {}, '2026-03-04T16:00:00.000Z');
  const secrets = secretsFor();
  const run = await startRun(
    site,
    { technician: 'Dana Weber', contactPerson: 'Jonas Keller' },
    { secrets, now: clock('2026-03-05T08:00:00Z') },
  );
  await answerItem(
    site,
    {
      runId: run.id,
      itemId: 'harden.https',
      status: 'deviation',
      reason: 'No server certificate yet; HTTPS follows with the PKI rollout in Q3.',
      agreedWith: 'Jonas Keller',
      note: 'Ticket CHG-4711',
    },
    { secrets },
  );
  await answerItem(
    site,
    {
      runId: run.id,
      itemId: 'cert.expiry',
      status: 'pass',
      note: "OSV certificate valid until 2027-09-30; renewed by the customer's PKI team.",
    },
    { secrets },
  );
  await answerEverything(site, run.id, secrets);
  await completeRun(site, run.id, { secrets, now: clock('2026-03-05T10:30:00Z') });
  return { site, secrets, run };
}

test('the report shows site, inventory, firmware before/after, results with evidence, deviations, handover, known issues and sign-off', async (t) => {
  const { site, secrets, run } = await completedSite(t);
  const saved = await saveChecklistReport(site, {
    secrets,
    fieldkitVersion: '0.1.0',
    now: clock('2026-03-05T11:00:00Z'),
  });
  assert.equal(saved.html, 'reports/checklist-report-20260305-110000Z.html');
  assert.equal(saved.pdf, null);
  assert.equal(saved.draft, false);
  assert.equal(saved.runId, run.id);
  const html = await readFile(site.path(saved.html), 'utf8');
  const section = (id: string) => {
    const m = new RegExp(`<section id="${id}"[^>]*>([\\s\\S]*?)</section>`).exec(html);
    assert.ok(m, `section ${id} exists`);
    return m[1]!;
  };
  assert.match(html, /<dt>Customer<\/dt><dd>Musterwerk GmbH<\/dd><dt>Site<\/dt><dd>Musterwerk Halle 3<\/dd>/);
  assert.match(html, /<dt>Run completed<\/dt><dd>2026-03-05 10:30 UTC<\/dd>/);
  assert.doesNotMatch(html, /class="draft"/);

  const inventory = section('inventory');
  assert.match(inventory, /3 phones of this integration/);
  assert.match(inventory, /<td>6867i<\/td><td class="num">2<\/td>/);
  assert.match(
    section('firmware'),
    /00:10:BC:00:00:01<\/td><td>6865i<\/td><td class="mono">6\.4\.0\.140<\/td><td class="mono">6\.5\.0\.224<\/td><td class="mono">6\.5\.0\.224<\/td><td>major\/minor<\/td>/,
  );

  const results = section('results');
  for (const s of CHECKLIST_V1.sections)
    assert.ok(results.includes(s.title.replace(/'/g, '&#39;')), `results list ${s.title}`);
  assert.equal((results.match(/<tr class="item">/g) ?? []).length, CHECKLIST_V1.items.length);
  assert.match(results, /download protocol: HTTP \(startup\.cfg line \d+, locked\) \(all 3 phones\)/);
  assert.match(results, /openscape enable: 1 \(startup\.cfg line \d+, locked\) \(all 3 phones\)/);
  assert.match(results, /OSV certificate valid until 2027-09-30/);

  const deviations = section('deviations');
  assert.match(deviations, /Configuration fetched over HTTPS/);
  assert.match(deviations, /No server certificate yet; HTTPS follows with the PKI rollout in Q3\./);
  assert.match(deviations, /<td>Jonas Keller<\/td>/);
  assert.match(deviations, /Ticket CHG-4711/);

  const handover = section('restrictions');
  for (const f of CHECKLIST_V1.featureRestrictions) assert.ok(handover.includes(f.restriction), f.feature);
  const issues = section('known-issues');
  for (const id of ['DTP-73963', 'DTP-74349', 'DTP-74244', 'DTP-74032', 'DTP-73964', 'DTP-74233'])
    assert.ok(issues.includes(id), id);

  const signoff = section('sign-off');
  assert.match(signoff, /<div class="role">Technician<\/div><div class="name">Dana Weber<\/div>/);
  assert.match(signoff, /<div class="role">Customer contact person<\/div><div class="name">Jonas Keller<\/div>/);
  assert.match(signoff, /Signature/);

  for (const secret of ['3821390517', 'sip-2108189795'])
    assert.ok(!html.includes(secret), `no ${secret} in the report`);
  assert.doesNotMatch(html, /<script|src="http|href="http/, 'self-contained, no scripts or remote resources');
  assert.match(html, /@page \{ size: A4/);
});

test('the report of an open run is a draft and escapes what technicians type', async (t) => {
  const site = await healthySite(t);
  await site.updateMeta({ name: 'Hall <3> & "Annex"' });
  const secrets = secretsFor();
  const run = await startRun(site, { technician: 'Dana <b>Weber</b>', contactPerson: 'Jonas Keller' }, { secrets });
  await answerItem(
    site,
    { runId: run.id, itemId: 'prereq.osv-version', status: 'fail', note: '</style><script>alert(1)</script>' },
    { secrets },
  );
  const model = await buildReportModel(site, { secrets, fieldkitVersion: '0.1.0' });
  assert.equal(model.draft, true);
  const html = renderReportHtml(model);
  assert.match(html, /class="draft">Draft: run not completed, \d+ items open/);
  assert.ok(!html.includes('<script>') && !html.includes('<b>Weber'));
  assert.match(html, /Dana &lt;b&gt;Weber&lt;\/b&gt;/);
  assert.match(html, /Hall &lt;3&gt; &amp; &quot;Annex&quot;/);
  assert.ok(
    html.includes(
      '@bottom-left { content: "Musterwerk GmbH · Hall  3  &  Annex  · Security checklist report · DRAFT";',
    ),
    'the footer string cannot break out of the CSS',
  );
});

test(
  'the PDF is rendered through Chromium and carries the report',
  { skip: !existsSync(chromiumExecutable()) && 'no Chromium here' },
  async (t) => {
    const { site, secrets } = await completedSite(t);
    const saved = await saveChecklistReport(site, { secrets, fieldkitVersion: '0.1.0', pdf: chromiumPrintToPdf });
    assert.equal(saved.pdfError, null);
    const pdf = await readFile(site.path(saved.pdf!));
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = execFileSync('pdftotext', ['-layout', site.path(saved.pdf!), '-'], { encoding: 'utf8' });
    assert.match(text, /Security checklist and handover report/);
    assert.match(text, /Deviations from standard settings/);
    assert.match(text, /DTP-74233/);
    assert.match(text, /Page 1 of \d/);
  },
);

test('a failing PDF renderer still leaves the HTML report and says why', async (t) => {
  const site = await healthySite(t);
  const saved = await saveChecklistReport(site, {
    fieldkitVersion: '0.1.0',
    pdf: async () => {
      throw new Error('Chromium could not be started');
    },
  });
  assert.equal(saved.pdf, null);
  assert.match(saved.pdfError!, /Chromium could not be started/);
  assert.deepEqual(
    (await readdir(site.path('reports'))).filter((f) => !f.startsWith('.')),
    [saved.html.slice('reports/'.length)],
  );
});

test('CLI: fieldkit checklist status and report --json', async (t) => {
  const { site } = await completedSite(t);
  const out: string[] = [];
  const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
  assert.equal(await runCli(['checklist', 'status', '--site', site.root, '--json'], io), 0);
  const status = JSON.parse(out.pop()!);
  assert.equal(status.due.due, false);
  assert.equal(status.history[0].progress.deviations >= 1, true);
  assert.equal(status.items.length, CHECKLIST_V1.items.length);

  assert.equal(await runCli(['checklist', 'report', '--site', site.root, '--json'], io), 0);
  const saved = JSON.parse(out.pop()!);
  assert.match(saved.html, /^reports\/checklist-report-\d{8}-\d{6}Z\.html$/);
  assert.equal(saved.pdf, null);

  assert.equal(await runCli(['checklist', 'frobnicate', '--site', site.root], io), 2);
  assert.match(out.pop()!, /Say "checklist status" or "checklist report"/);
});
