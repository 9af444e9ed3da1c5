// The site500 bench's split of each step's wall time into the phones' own time and Fieldkit's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coveredMs, phoneBusyIntervals, summariseSteps } from '../../../test/bench/site500-figures';
import type { Site500Step } from '../../../test/bench/site500-driver';

const ev = (at: number, type: string) => ({ at, type });

test('busy stretches run from boot-started to online or dead; overlapping phones count once', () => {
  const busy = phoneBusyIntervals(
    [
      [ev(0, 'power-on'), ev(100, 'boot-started'), ev(150, 'flash-done'), ev(300, 'online'), ev(900, 'boot-started')],
      [ev(200, 'boot-started'), ev(400, 'online')],
      [ev(500, 'boot-started'), ev(600, 'dead')],
      // a power-restored boot inside a stretch does not start a second one
      [ev(700, 'boot-started'), ev(720, 'boot-started'), ev(800, 'online'), ev(850, 'online')],
    ],
    1000,
  );
  assert.deepEqual(busy, [
    [100, 400],
    [500, 600],
    [700, 800],
    [900, 1000],
  ]);
  assert.equal(coveredMs(busy, 350, 750), 50 + 100 + 50);
});

test("a step's Fieldkit time is its wall time outside the phones' busy stretches", () => {
  const step: Site500Step = {
    name: 'firmware run',
    startedAt: 1000,
    endedAt: 5000,
    processes: 1,
    cpuMs: 700,
    peakRssMiB: 120,
    confirmations: 1,
  };
  const [row] = summariseSteps(
    [step],
    [
      [500, 1500],
      [2000, 4000],
      [4500, 9000],
    ],
  );
  assert.deepEqual(row, {
    name: 'firmware run',
    wallMs: 4000,
    phonesMs: 500 + 2000 + 500,
    fieldkitMs: 1000,
    cpuMs: 700,
    peakRssMiB: 120,
    confirmations: 1,
  });
});
