import { test } from 'node:test';
import assert from 'node:assert/strict';
import { breather } from '../../../electron/core/util/breather';

test('a breather lets the event loop turn once every N calls, and only then', async () => {
  const breathe = breather(4);
  const order: string[] = [];
  for (let i = 1; i <= 8; i++) {
    setImmediate(() => order.push(`io before call ${i}`));
    await breathe();
    order.push(`call ${i}`);
  }
  // the I/O callbacks queued so far run at the 4th and at the 8th call, never between
  assert.deepEqual(order, [
    'call 1',
    'call 2',
    'call 3',
    'io before call 1',
    'io before call 2',
    'io before call 3',
    'io before call 4',
    'call 4',
    'call 5',
    'call 6',
    'call 7',
    'io before call 5',
    'io before call 6',
    'io before call 7',
    'io before call 8',
    'call 8',
  ]);
});
