// The fetch log is the record of who fetched which secrets: a flood cannot erase it (issue 13 §2, D7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FetchLog, FETCH_LOG, FETCH_MISSES_LOG } from '../../../electron/core/provisioning/fetch-log';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { tempDir } from '../../helpers/temp-dir';
import type { FetchEntry } from '../../../electron/core/provisioning/builtin-server';

const entry = (ip: string, status: number, file: string | null, at = new Date().toISOString()): FetchEntry => ({
  at,
  ip,
  method: 'GET',
  path: `/prov/k/${file ?? 'x'}`,
  file,
  status,
  bytes: status === 200 ? 100 : 0,
  userAgent: 'Mitel6867i MAC:00-08-5D-1A-2B-3C V:6.5.0.224-SIP',
});

test('served files and misses go to separate logs; a flood of misses never pushes a served entry out', async (t) => {
  const site = await SiteWorkspace.create(join(await tempDir(t), 's'), { name: 'S' });
  let now = 0;
  const log = new FetchLog(site, { now: () => now, perClientPerWindow: 50 });
  log.append(entry('10.0.0.5', 200, '00085D1A2B3C.cfg'));
  for (let i = 0; i < 5000; i++) log.append(entry('10.0.0.66', 404, `00085D${String(i).padStart(6, '0')}.cfg`));
  now = 20_000; // the next window: the summary of what was not logged is written
  log.append(entry('10.0.0.66', 404, 'x.cfg'));
  await log.flush();
  const main = (await readFile(site.path(FETCH_LOG), 'utf8')).trim().split('\n');
  assert.equal(main.length, 1, 'only the served file in the main log');
  assert.match(main[0]!, /"ip":"10\.0\.0\.5".*"status":200/);
  const misses = (await readFile(site.path(FETCH_MISSES_LOG), 'utf8')).trim().split('\n');
  assert.equal(misses.length, 52, '50 entries of the window, one summary, one of the next window');
  assert.match(
    misses.find((l) => l.includes('summary'))!,
    /"notLogged":4950/,
  );
  assert.equal(log.dropped, 0);
  const read = await log.read({ limit: 10 });
  assert.equal(read.at(-1)!.file, 'x.cfg', 'reading merges both, newest last, without summaries');
  assert.equal((await log.read({ servedOnly: true })).length, 1);
});

test('the write queue is bounded: entries beyond it are counted as dropped, never held without limit', async (t) => {
  const site = await SiteWorkspace.create(join(await tempDir(t), 's'), { name: 'S' });
  const log = new FetchLog(site, { maxPending: 100, perClientPerWindow: 1_000_000 });
  for (let i = 0; i < 1000; i++) log.append(entry(`10.0.${i >> 8}.${i & 255}`, 200, 'startup.cfg'));
  await log.flush();
  assert.ok(log.dropped >= 800, `dropped ${log.dropped}`);
  const lines = (await readFile(site.path(FETCH_LOG), 'utf8')).trim().split('\n').length;
  assert.equal(lines + log.dropped, 1000);
});
