// A phone's timeline gathers what scans saw, the sheet, and what jobs journaled about it (steps and log lines
// naming its MAC in any spelling), newest first; other phones' entries stay out. Saved filters live in the site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { InventoryStore } from '../../../electron/core/inventory/inventory-store';
import { phoneTimeline } from '../../../electron/core/inventory/phone-timeline';
import { readSavedViews, saveSavedViews } from '../../../electron/core/inventory/saved-views';
import { Journal } from '../../../electron/core/jobs/journal';
import { tempDir } from '../../helpers/temp-dir';
import { phoneRecord, inSubnet } from './records';

const MAC = '00:08:5D:00:00:0A';
const OTHER = '00:08:5D:00:00:0B';

async function siteWithPhones(t: Parameters<typeof tempDir>[0]) {
  const site = await SiteWorkspace.create(join(await tempDir(t), 'site'), { name: 'Timeline test' });
  const store = InventoryStore.for(site);
  await store.importSheet(`MAC;Name\n${MAC};Desk 1\n`, 'sheet.csv', new Date('2026-03-01T09:00:00.000Z'));
  const scan = (at: string, firmware: string) =>
    store.applyScan(
      [
        phoneRecord({ ip: '10.0.0.1', mac: MAC, firmware, at }),
        phoneRecord({ ip: '10.0.0.2', mac: OTHER, firmware, at }),
      ],
      { id: `scan-${at}`, at, ranges: ['10.0.0.0/24'], covers: inSubnet('10.0.0.') },
    );
  await scan('2026-03-01T10:00:00.000Z', '6.4.0.140');
  return { site, scan };
}

async function journal(site: SiteWorkspace, id: string, entries: [string, Record<string, unknown>][]) {
  const j = await Journal.open(site.path('journal', `${id}.jsonl`));
  for (const [type, fields] of entries) await j.append(type, fields);
  await j.close();
}

test('scans, the sheet and job journals make one timeline of the phone, newest first', async (t) => {
  const { site, scan } = await siteWithPhones(t);
  await journal(site, '20260302-100000-reboot-aaaaaa', [
    ['job-started', { kind: 'reboot', params: {} }],
    ['step-begin', { key: 'reboot:00085D00000A' }],
    [
      'step-done',
      { key: 'reboot:00085D00000A', result: { ok: true, message: 'Restarted over SIP NOTIFY check-sync.' } },
    ],
    ['log', { level: 'info', message: 'Restarted over SIP NOTIFY check-sync.' }],
    ['step-done', { key: 'reboot:00085D00000B', result: { ok: false, message: 'The other phone refused.' } }],
    ['job-succeeded', {}],
  ]);
  await journal(site, '20260302-110000-firmware-wave-bbbbbb', [
    ['job-started', { kind: 'firmware-wave', params: {} }],
    ['log', { level: 'error', message: '00:08:5d:00:00:0a (10.0.0.1): failed: did not come back' }],
    ['step-failed', { key: 'stage:00085D00000A', error: 'The staging folder could not be written.' }],
    ['job-failed', { error: 'x' }],
  ]);
  // Journals are stamped with the real time; this scan comes after them.
  await scan('2099-01-01T10:00:00.000Z', '6.5.0.224');
  const key = `mac:${MAC}`;
  const events = await phoneTimeline(site, key);
  const texts = events.map((e) => e.text);
  assert.deepEqual(texts, [
    'A scan read firmware 6.5.0.224 (was 6.4.0.140)',
    'The staging folder could not be written.',
    '00:08:5d:00:00:0a (10.0.0.1): failed: did not come back',
    'Restarted over SIP NOTIFY check-sync.',
    'Seen on the network for the first time at 10.0.0.1',
    "Named in the technician's sheet (sheet.csv)",
  ]);
  const reboot = events.find((e) => e.jobKind === 'reboot')!;
  assert.equal(reboot.jobId, '20260302-100000-reboot-aaaaaa');
  assert.equal(reboot.level, 'info');
  assert.equal(events.find((e) => e.text.startsWith('The staging'))!.level, 'error');
  assert.ok(!texts.some((x) => x.includes('other phone')));
});

test('saved filters are kept in the site folder, one per name', async (t) => {
  const { site } = await siteWithPhones(t);
  assert.deepEqual(await readSavedViews(site), []);
  await saveSavedViews(site, [
    { name: 'Old firmware', filters: { firmware: 'below-minimum' } },
    { name: ' Old firmware ', filters: { firmware: 'below-minimum', model: '6865i' } },
    { name: 'No answer', filters: { presence: 'no-answer' } },
  ]);
  const reopened = await SiteWorkspace.open(site.root);
  assert.deepEqual(await readSavedViews(reopened), [
    { name: 'Old firmware', filters: { firmware: 'below-minimum', model: '6865i' } },
    { name: 'No answer', filters: { presence: 'no-answer' } },
  ]);
});
