// One date format, plurals that agree, and job names without internal ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, formatDuration, formatWhen, plural } from '../../../renderer/src/lib/format';
import { jobSummary, jobTiming, jobTitle } from '../../../renderer/src/lib/job-labels';

test('dates read "29 Nov 2026, 22:47" everywhere; a missing one is a dash', () => {
  const iso = new Date(2026, 10, 29, 22, 47, 16).toISOString();
  assert.equal(formatWhen(iso), '29 Nov 2026, 22:47');
  assert.equal(formatWhen(null), '—');
  assert.equal(formatWhen('not a date'), '—');
});

test('durations and counts', () => {
  assert.equal(formatDuration(45_200), '45 s');
  assert.equal(formatDuration(125_000), '2 min 5 s');
  assert.equal(formatDuration(3_780_000), '1 h 3 min');
  assert.equal(count(1, 'address', 'addresses'), '1 address');
  assert.equal(count(65534, 'address', 'addresses'), '65,534 addresses');
  assert.equal(plural(2, 'phone'), 'phones');
});

test('job titles carry no plan ids or internal target names', () => {
  assert.equal(
    jobTitle({ kind: 'firmware-wave', title: 'Firmware run (plan 20261129-230417-6557c0)' }),
    'Firmware run',
  );
  assert.equal(
    jobTitle({ kind: 'publish', title: 'Publish configuration to builtin' }),
    'Publish to the built-in server',
  );
  assert.equal(
    jobTitle({ kind: 'publish', title: 'Publish configuration to customer-sftp' }),
    'Publish to customer-sftp',
  );
  assert.equal(
    jobTitle({ kind: 'discovery', title: 'Discover phones in 127.77.0.1-127.77.0.24' }),
    'Scan 127.77.0.1-127.77.0.24',
  );
  assert.equal(jobTitle({ kind: 'verify', title: 'Verify phones after reboot' }), 'Verify phones after reboot');
});

test('a job says when it started and how long it took; its summary is its error, message or state', () => {
  const start = new Date(2026, 10, 29, 22, 47).toISOString();
  const end = new Date(2026, 10, 29, 22, 49, 5).toISOString();
  assert.equal(
    jobTiming({ startedAt: start, finishedAt: end, state: 'succeeded' }),
    'started 29 Nov 2026, 22:47 · took 2 min 5 s',
  );
  assert.match(jobTiming({ startedAt: start, state: 'running' }, Date.parse(start) + 30_000), /running for 30 s$/);
  assert.equal(jobSummary({ state: 'failed', message: 'x', error: 'No phones' }), 'No phones');
  assert.equal(jobSummary({ state: 'succeeded', message: 'Done' }), 'Done');
  assert.equal(jobSummary({ state: 'succeeded', message: '18 of 19 restarting' }), '18 of 19 restarting');
});

test('a finished publish says how many files went out, not the last file name', () => {
  assert.equal(
    jobSummary({
      kind: 'publish',
      state: 'succeeded',
      message: 'Published 08000F240006.cfg',
      counters: { new: 20, changed: 4 },
    }),
    '24 files published',
  );
});
