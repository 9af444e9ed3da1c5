// The report names phones the way the customer knows them, a firmware change that was reverted is not a
// failure, and only files in reports/ can be read back for the UI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { recordFirmwareChange } from '../../../electron/core/firmware/firmware-changes';
import { buildReportModel } from '../../../electron/core/checklist/report-model';
import { renderReportHtml } from '../../../electron/core/checklist/report-html';
import { listReportFiles, readReportFile, saveChecklistReport } from '../../../electron/core/checklist/report-files';
import { autoChecks } from '../../../electron/core/checklist/auto-checks';
import { healthySite, secretsFor } from './checklist-fixture';
import type { ChecklistInputs } from '../../../electron/core/checklist/checklist-inputs';

test('the firmware table names each phone; a change below the minimum that was reverted does not fail', async (t) => {
  const site = await healthySite(t);
  const mac = '00:08:5D:1A:2B:3C';
  await recordFirmwareChange(site, { mac, from: '6.5.0.224', to: '6.4.0.140', at: '2026-03-04T15:00:00Z' });
  await recordFirmwareChange(site, { mac, from: '6.4.0.140', to: '6.5.0.224', at: '2026-03-04T16:00:00Z' });
  const model = await buildReportModel(site, { fieldkitVersion: 'test', secrets: secretsFor() });
  const change = model.firmware.changes.find((c) => c.mac === mac)!;
  assert.equal(change.name, 'Anna Schmidt · 2108189795 · Hall 3');
  const html = renderReportHtml(model);
  assert.match(html, /<td>Anna Schmidt · 2108189795 · Hall 3<\/td><td class="mono">00:08:5D:1A:2B:3C<\/td>/);

  const item = model.sections.flatMap((s) => s.items).find((i) => i.check === 'firmware-changes')!;
  assert.equal(item.auto?.status, 'pass', item.auto?.summary);
  assert.ok(item.auto?.evidence.some((e) => /went below 6\.5\.0\.224 and back/.test(e)));
});

test('a phone left below the minimum by its last change still fails the firmware-changes check', () => {
  const inputs = {
    firmwareChanges: [
      { mac: 'A', from: '6.5.0.224', to: '6.4.0.140', at: '2026-03-04T15:00:00.000Z' },
      { mac: 'B', from: '6.5.0.224', to: '6.4.0.140', at: '2026-03-04T15:00:00.000Z' },
      { mac: 'B', from: '6.4.0.140', to: '6.5.0.224', at: '2026-03-04T16:00:00.000Z' },
    ],
  } as unknown as ChecklistInputs;
  const r = autoChecks['firmware-changes'](inputs, { since: null });
  assert.equal(r.status, 'fail');
  assert.match(r.summary, /^1 phone was left on firmware below/);
});

test('reports are listed newest first and read back; nothing outside reports/ (or a link) is readable', async (t) => {
  const site = await healthySite(t);
  const saved = await saveChecklistReport(site, { fieldkitVersion: 'test', secrets: secretsFor() });
  const list = await listReportFiles(site);
  assert.deepEqual(
    list.map((f) => f.path),
    [saved.html],
  );
  const file = await readReportFile(site, saved.html);
  assert.equal(file.contentType, 'text/html;charset=utf-8');
  assert.match(Buffer.from(file.base64, 'base64').toString('utf8'), /^<!doctype html>/);

  await writeFile(site.path('fieldkit-secret.txt'), 'not a report');
  await mkdir(site.path('reports', 'sub'), { recursive: true });
  await symlink(site.path('fieldkit-site.json'), site.path('reports', 'linked.html'));
  for (const bad of [
    'fieldkit-site.json',
    'reports/../fieldkit-site.json',
    'reports/sub/x.pdf',
    '/etc/passwd',
    'reports/.hidden.pdf',
    'reports/x.txt',
  ]) {
    await assert.rejects(readReportFile(site, bad), /is not a report of this site/, bad);
  }
  await assert.rejects(readReportFile(site, 'reports/linked.html'), /not in the site folder/);
  await assert.rejects(readReportFile(site, 'reports/missing.pdf'), /not in the site folder/);
});
