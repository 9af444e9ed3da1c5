// The site500 bench's split of each step's wall time into the phones' own time and Fieldkit's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bootsPerPhone,
  coveredMs,
  phoneBusyIntervals,
  summariseSteps,
  waveFigures,
} from '../../../test/bench/site500-figures';
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

test('per wave: Fieldkit before the first phone goes down, after the last is back, and in all', () => {
  const states = [
    { mac: 'A', state: 'staged', wave: 'canary', at: 1000 },
    { mac: 'A', state: 'verified', wave: 'canary', at: 2000 },
    { mac: 'B', state: 'staged', wave: 'wave 1', at: 3000 },
    { mac: 'C', state: 'staged', wave: 'wave 1', at: 3100 },
    { mac: 'B', state: 'verified', wave: 'wave 1', at: 4500 },
    { mac: 'C', state: 'verified', wave: 'wave 1', at: 5000 },
  ];
  const histories = new Map([
    ['A', [ev(1200, 'boot-started'), ev(1900, 'online')]],
    ['B', [ev(3300, 'boot-started'), ev(4000, 'online')]],
    ['C', [ev(3400, 'boot-started'), ev(4400, 'online')]],
  ]);
  const busy = phoneBusyIntervals([...histories.values()]);
  assert.deepEqual(waveFigures(states, histories, busy), [
    { wave: 'canary', phones: 1, wallMs: 1000, fieldkitMs: 300, beforeMs: 200, afterMs: 100 },
    { wave: 'wave 1', phones: 2, wallMs: 2000, fieldkitMs: 900, beforeMs: 300, afterMs: 600 },
  ]);
});

test('boots per phone in a step: phones that booted more than once stand out', () => {
  const counts = bootsPerPhone(
    [
      [ev(100, 'boot-started'), ev(300, 'online')],
      [ev(150, 'boot-started'), ev(300, 'online'), ev(400, 'boot-started'), ev(500, 'online')],
      [ev(50, 'boot-started'), ev(90, 'online')],
      [],
    ],
    100,
    600,
  );
  assert.deepEqual(
    [...counts.entries()],
    [
      [1, 1],
      [2, 1],
    ],
  );
});
