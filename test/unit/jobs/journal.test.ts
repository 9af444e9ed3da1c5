import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Journal } from '../../../electron/core/jobs/journal';
import { tempDir } from '../../helpers/temp-dir';

test('entries are appended in order with sequence numbers, one JSON object per line', async (t) => {
  const path = join(await tempDir(t), 'journal', 'j.jsonl');
  const journal = await Journal.open(path);
  await Promise.all([journal.append('a', { n: 1 }), journal.append('b', { n: 2 }), journal.append('c', { n: 3 })]);
  await journal.close();
  const lines = (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => [l.seq, l.type, l.n]),
    [
      [1, 'a', 1],
      [2, 'b', 2],
      [3, 'c', 3],
    ],
  );
});

test('a line torn by a crash is reported, kept on disk, and appending continues on a new line', async (t) => {
  const path = join(await tempDir(t), 'j.jsonl');
  const journal = await Journal.open(path);
  await journal.append('first');
  await journal.close();
  await appendFile(path, '{"seq":2,"type":"half-writ');
  const read = await Journal.read(path);
  assert.equal(read.entries.length, 1);
  assert.equal(read.tornTail, '{"seq":2,"type":"half-writ');
  const again = await Journal.open(path);
  await again.append('after-crash');
  await again.close();
  const text = await readFile(path, 'utf8');
  assert.ok(text.includes('"half-writ\n'), 'the torn line stays as evidence');
  const final = await Journal.read(path);
  assert.deepEqual(
    final.entries.map((e) => [e.seq, e.type]),
    [
      [1, 'first'],
      [2, 'after-crash'],
    ],
  );
});

test('reading a journal that does not exist gives no entries', async (t) => {
  assert.deepEqual(await Journal.read(join(await tempDir(t), 'none.jsonl')), { entries: [] });
});
