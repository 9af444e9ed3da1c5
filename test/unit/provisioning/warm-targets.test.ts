import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { WarmTargets, type WarmTarget } from '../../../electron/core/provisioning/warm-targets';

function fakeTarget(name: string): WarmTarget & { closed: number; tag: string; alive: boolean } {
  return {
    closed: 0,
    tag: 'preview',
    alive: true,
    describe: () => name,
    connect: async () => undefined,
    async close() {
      this.closed++;
      this.alive = false;
    },
    stat: async () => [],
    read: async () => null,
    write: async () => ({ sha256: '' }),
    list: async () => [],
    retag(tag: string) {
      this.tag = tag;
    },
  };
}

test('a kept session is handed out once, only for its key, and never when it is no longer connected', async () => {
  const warm = new WarmTargets(60_000);
  const a = fakeTarget('a');
  await warm.park('target-a', a);
  assert.equal(warm.take('target-b'), undefined, 'another target configuration never gets it');
  assert.equal(warm.take('target-a'), a);
  assert.equal(warm.take('target-a'), undefined, 'handed out once');
  assert.equal(a.closed, 0);

  const dead = fakeTarget('dead');
  await warm.park('target-a', dead);
  dead.alive = false;
  assert.equal(warm.take('target-a'), undefined, 'a dropped connection is not handed out');

  const b = fakeTarget('b');
  const c = fakeTarget('c');
  await warm.park('target-b', b);
  await warm.park('target-b', c);
  assert.equal(b.closed, 1, 'a session parked under the same key replaces (and closes) the older one');
  await warm.closeAll();
  assert.equal(c.closed, 1, 'closing the site closes what is kept');
  assert.equal(warm.take('target-b'), undefined);
});

test('a kept session nobody takes is closed after the hold time', async () => {
  const warm = new WarmTargets(30);
  const a = fakeTarget('a');
  await warm.park('k', a);
  await sleep(80);
  assert.equal(a.closed, 1);
  assert.equal(warm.take('k'), undefined);
});
