// sharedRead: callers at the same time share reads; fresh() never answers with a read begun before its call
// (checkPhoneAddress primes the neighbour table and then must see the new entry); recent() takes one begun shortly
// before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedRead } from '../../../electron/core/util/fresh-read';

/** A read whose runs the test finishes by hand; each run answers with its own number (1, 2, …). */
function manualRead() {
  const runs: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const read = () =>
    new Promise<number>((resolve, reject) => {
      const n = runs.length + 1;
      runs.push({ resolve: () => resolve(n), reject });
    });
  return { read, runs };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('fresh(): many callers at once cost two reads, and each gets a read begun after its call', async () => {
  const { read, runs } = manualRead();
  const shared = sharedRead(read, 0);
  const first = shared.fresh();
  assert.equal(runs.length, 1);
  // asked while read 1 runs: read 1 began before them, so they wait for read 2
  const later = Array.from({ length: 20 }, () => shared.fresh());
  assert.equal(runs.length, 1, 'no second read while the first runs');
  runs[0]!.resolve();
  assert.equal(await first, 1);
  await tick();
  assert.equal(runs.length, 2, 'one read for all twenty callers');
  runs[1]!.resolve();
  assert.deepEqual(await Promise.all(later), Array(20).fill(2));
  // idle again: a new caller starts its own read at once, even right after the last one
  const again = shared.fresh();
  assert.equal(runs.length, 3);
  runs[2]!.resolve();
  assert.equal(await again, 3);
});

test('recent(): a read begun within the window answers, an older one does not, fresh() still reads again', async () => {
  const { read, runs } = manualRead();
  const shared = sharedRead(read, 200);
  const first = shared.recent();
  const alsoFirst = shared.recent();
  runs[0]!.resolve();
  assert.deepEqual(await Promise.all([first, alsoFirst]), [1, 1]);
  assert.equal(await shared.recent(), 1, 'done and within 200 ms: no new read');
  assert.equal(runs.length, 1);
  const primed = shared.fresh();
  assert.equal(runs.length, 2, 'fresh() does not take the recent result');
  runs[1]!.resolve();
  assert.equal(await primed, 2);
  await new Promise((resolve) => setTimeout(resolve, 250));
  const stale = shared.recent();
  assert.equal(runs.length, 3, 'older than the window: read again');
  runs[2]!.resolve();
  assert.equal(await stale, 3);
});

test('a failed read fails its callers only; it is not reused and the next caller reads again', async () => {
  const { read, runs } = manualRead();
  const shared = sharedRead(read, 10_000);
  const first = shared.fresh();
  const waiting = shared.fresh();
  runs[0]!.reject(new Error('ip neigh failed'));
  await assert.rejects(first, /ip neigh failed/);
  await tick();
  runs[1]!.resolve();
  assert.equal(await waiting, 2, 'the callers that waited get the next read, not the failure');
  const { read: read2, runs: runs2 } = manualRead();
  const other = sharedRead(read2, 10_000);
  const failing = other.recent();
  runs2[0]!.reject(new Error('ip neigh failed'));
  await assert.rejects(failing);
  const retried = other.recent();
  assert.equal(runs2.length, 2, 'the failed read is not the recent one');
  runs2[1]!.resolve();
  assert.equal(await retried, 2);
});
