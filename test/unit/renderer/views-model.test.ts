// The view models behind the Site overview, the journal, firmware runs, reboot/verify and phone names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attentionItems, phonesByModel, unresolvedJobs } from '../../../renderer/src/views/overview/overview-model';
import { readableJournal, rawLine } from '../../../renderer/src/views/jobs/journal-model';
import { cleanText, phoneState, planNote, runLabel } from '../../../renderer/src/views/firmware/firmware-model';
import { failuresFirst, phonesToVerify, preselect } from '../../../renderer/src/views/provisioning/reboot-model';
import { citation, fileMac } from '../../../renderer/src/views/provisioning/provisioning-text';
import { indexPhones, macKey, phoneLabel, phoneText } from '../../../renderer/src/lib/phone-label';
import { describeServer, type ServerStatus } from '../../../renderer/src/lib/server-text';
import type { JobInfo } from '../../../renderer/src/lib/job-labels';
import type { OverviewInput } from '../../../renderer/src/views/overview/overview-model';
import type { PlannedPhone } from '../../../renderer/src/views/firmware/firmware-model';

type Row = OverviewInput['rows'][number];
const flags = {
  belowOsvMinimum: false,
  vulnerable: false,
  possiblyVulnerable: false,
  modelMismatch: false,
  dnNotNumeric: false,
};
const row = (over: Partial<Row>): Row => ({
  key: 'k',
  ip: null,
  mac: null,
  model: '6867i',
  firmware: null,
  classification: 'supported',
  presence: 'present',
  changes: [],
  directoryNumber: '',
  displayName: '',
  location: '',
  flags,
  sources: [],
  lastSeen: null,
  lastAnswer: null,
  ...over,
});
const job = (id: string, kind: string, state: JobInfo['state'], startedAt: string, error?: string): JobInfo => ({
  id,
  kind,
  title: kind === 'firmware-wave' ? 'Firmware run (plan p1)' : kind,
  state,
  done: 0,
  total: 0,
  message: '',
  counters: {},
  startedAt,
  resumable: true,
  journal: '',
  ...(error ? { error } : {}),
});

test('the Site overview lists what needs attention, each with a link to where it is fixed', () => {
  const items = attentionItems({
    rows: [
      row({ presence: 'gone' }),
      row({ presence: 'no-answer', flags: { ...flags, belowOsvMinimum: true } }),
      row({ presence: 'expected', classification: null }),
      row({ classification: 'other-sip', presence: 'gone' }),
    ],
    lastScan: { credentials: '20 of 20 phones rejected the admin password: …' } as OverviewInput['lastScan'],
    jobs: [
      job('a', 'firmware-wave', 'failed', '2026-11-29T22:00:00Z', 'canary failed'),
      job('b', 'reboot', 'failed', '2026-11-29T21:00:00Z'),
      job('c', 'reboot', 'succeeded', '2026-11-29T22:30:00Z'),
    ],
    verify: { results: [{ verdict: 'failed' }, { verdict: 'verified' }] } as OverviewInput['verify'],
    reboot: null,
    server: null,
  });
  assert.deepEqual(
    items.map((i) => [i.id, i.link.place, i.link.query ?? i.link.path]),
    [
      ['gone', 'inventory', { presence: 'gone' }],
      ['no-answer', 'inventory', { presence: 'no-answer' }],
      ['expected', 'inventory', { presence: 'expected' }],
      ['firmware-old', 'inventory', { firmware: 'below-minimum' }],
      ['passwords', 'provisioning', { focus: 'credentials' }],
      ['verify', 'provisioning', ['verify']],
      ['job-a', 'jobs', ['a']],
    ],
  );
  assert.match(items[0]!.text, /^1 phone gone/);
  assert.equal(items.at(-1)!.text, 'Firmware run failed: canary failed');
  assert.equal(phonesByModel([row({}), row({}), row({ model: '6865i' })]), '3 phones: 2 × 6867i, 1 × 6865i');
  assert.deepEqual(unresolvedJobs([]), []);
});

test('the journal reads as what happened, with the raw entries kept for support', () => {
  const lines = readableJournal([
    { type: 'job-started', at: 't1', kind: 'reboot' },
    { type: 'step-begin', at: 't2', key: 'reboot:00085D240001' },
    {
      type: 'step-done',
      at: 't3',
      key: 'reboot:00085D240001',
      result: { mac: '00085D240001', ok: true, message: 'Restarted.' },
    },
    { type: 'log', at: 't3', level: 'info', message: 'Restarted.' },
    { type: 'decision-asked', at: 't4', question: 'Continue?' },
    { type: 'decision-made', at: 't5', answer: 'stop' },
    { type: 'job-failed', at: 't6', error: 'No phones' },
  ]);
  assert.deepEqual(
    lines.map((l) => `${l.level}: ${l.text}`),
    [
      'milestone: Reboot started',
      'info: Restarted.',
      'warn: Asked: Continue?',
      'milestone: Answered: stop',
      'error: Failed: No phones',
    ],
  );
  assert.equal(rawLine({ type: 'step-begin', key: 'outcome:00085D240001#1' }), 'step-begin · outcome:00085D240001#1');
});

test('firmware runs and plans in words: no internal codes, no empty brackets', () => {
  const p = {
    reason: null,
    afterwards: 'stay-pointed',
    flags: ['below-osv-minimum', 'factory-default-password'],
  } as unknown as PlannedPhone;
  assert.equal(
    planNote(p),
    'stays on the firmware folder; goes below 6.5.0.224; factory default 22222, replaced at provisioning',
  );
  assert.ok(!planNote(p).includes('below-osv-minimum'));
  assert.equal(cleanText('verified; pointed home ()'), 'verified; pointed home');
  assert.deepEqual(phoneState('flashing'), { label: 'Flashing', tone: 'info' });
  assert.deepEqual(phoneState('rejects-password'), { label: 'Rejects password', tone: 'warn' });
  assert.equal(
    runLabel({ startedAt: new Date(2026, 10, 29, 22, 47).toISOString(), state: 'succeeded' }),
    'Started 29 Nov 2026, 22:47 · Done',
  );
});

test('reboot and verify: chosen phones preselected, failures first, only restarted phones verified', () => {
  const phones = [
    { mac: '00085D240001', ip: '10.0.0.1', inSheet: true },
    { mac: '00085D240002', ip: '10.0.0.2', inSheet: true },
    { mac: '00085D240003', ip: null, inSheet: true },
  ];
  assert.deepEqual(preselect(phones, []), { '00085D240001': true, '00085D240002': true, '00085D240003': false });
  assert.deepEqual(preselect(phones, ['00:08:5D:24:00:02']), {
    '00085D240001': false,
    '00085D240002': true,
    '00085D240003': false,
  });
  const results = [
    { mac: 'A', ok: true },
    { mac: 'C', ok: false },
    { mac: 'B', ok: true },
  ];
  assert.deepEqual(
    failuresFirst(results, (r) => !r.ok).map((r) => r.mac),
    ['C', 'A', 'B'],
  );
  assert.deepEqual(phonesToVerify({ results }), { phones: ['A', 'B'], leftOut: ['C'] });
  assert.deepEqual(phonesToVerify(null), { phones: null, leftOut: [] });
});

test('citations show the guide only; phone files and phones are named', () => {
  assert.equal(citation('guide §4.2; phone-facts §1'), 'guide §4.2');
  assert.equal(citation('phone-facts §1 Config server'), '');
  assert.equal(fileMac('00085d240001.cfg'), '00085D240001');
  assert.equal(fileMac('startup.cfg'), null);
  const known = indexPhones([
    { mac: '00:08:5D:24:00:03', displayName: 'Desk 3', directoryNumber: '2108189702', location: 'Floor 3' },
    { mac: '00:08:5D:24:00:04', displayName: '', directoryNumber: '2108189703', location: '' },
  ]);
  assert.equal(macKey('00-08-5d-24-00-03'), '00085D240003');
  assert.deepEqual(phoneLabel('00085D240003', known), { name: 'Desk 3', detail: '00:08:5D:24:00:03 · 2108189702' });
  assert.equal(phoneText('00085D240004', known), 'DN 2108189703 (00:08:5D:24:00:04)');
  assert.equal(phoneText('00085D249999', known), '00:08:5D:24:99:99');
});

test('the header states the provisioning server in words', () => {
  const base = { url: 'http://127.0.0.1:8667/', config: {}, files: [], stale: [] } as unknown as ServerStatus;
  assert.deepEqual(describeServer({ ...base, running: false }).label, 'Provisioning server stopped');
  assert.match(describeServer({ ...base, running: false }).detail, /phones that resync or restart get nothing/);
  assert.equal(describeServer({ ...base, running: true }).tone, 'warn');
  assert.equal(
    describeServer({ ...base, running: true, files: ['startup.cfg', 'aastra.cfg'] }).label,
    'Provisioning server running · 2 files',
  );
});
