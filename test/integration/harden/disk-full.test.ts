// The disk holding the site fills up (a 256 KiB tmpfs mounted as the site folder, then filled).
// The technician sees a 'disk-full' error naming the file; the inventory, the site file and the journal
// keep what they held before; after space is freed, the interrupted job resumes without redoing steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { DEVICES_FILE, DevicesFileSchema } from '../../../electron/core/inventory/inventory-files';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { Journal } from '../../../electron/core/jobs/journal';
import { selfTestJob } from '../../../electron/core/jobs/self-test-job';
import { waitFor } from './harden-kit';
import type { FieldkitError } from '../../../electron/core/util/errors';

const notRoot = typeof process.getuid === 'function' && process.getuid() !== 0 ? 'needs root to mount a tmpfs' : null;

async function fill(dir: string): Promise<string> {
  const path = join(dir, 'filler.bin');
  const handle = await open(path, 'w');
  const chunk = Buffer.alloc(4096, 0x61);
  try {
    for (;;) await handle.write(chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    await handle.close();
  }
  return path;
}

const inventory = (n: number) => ({
  format: 'fieldkit-inventory' as const,
  formatVersion: 1 as const,
  updatedAt: `2026-01-0${n}T00:00:00.000Z`,
  devices: [],
});

test(
  'disk full: clear error naming the file, previous content and journal intact, the job resumes after space is freed',
  { skip: notRoot ?? false, timeout: 60_000 },
  async (t) => {
    const mountPoint = await mkdtemp(join(tmpdir(), 'fk-diskfull-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]);
    t.after(async () => {
      try {
        execFileSync('umount', [mountPoint]);
      } catch {
        execFileSync('umount', ['-l', mountPoint]);
      }
      await rm(mountPoint, { recursive: true, force: true });
    });

    const site = await SiteWorkspace.create(mountPoint, { name: 'Full disk' });
    await site.writeJson(DEVICES_FILE, DevicesFileSchema, inventory(1));
    await site.writeJson(DEVICES_FILE, DevicesFileSchema, inventory(2)); // now a .bak of version 1 exists
    const inventoryBefore = await readFile(site.path(DEVICES_FILE), 'utf8');
    const bakBefore = await readFile(site.path(`${DEVICES_FILE}.bak`), 'utf8');
    const siteFileBefore = await readFile(site.path('fieldkit-site.json'), 'utf8');

    const jobs = new JobManager(() => site.path('journal'), { onUpdate: () => undefined, onLog: () => undefined });
    jobs.register(selfTestJob);
    const started = await jobs.start('self-test', { steps: 40, stepMs: 30 });
    const journalPath = site.path(started.journal);
    await waitFor(
      'five steps done',
      async () => (await Journal.read(journalPath)).entries.filter((e) => e.type === 'step-done').length >= 5,
    );
    const filler = await fill(mountPoint);

    // what the technician sees
    const failed = await jobs.wait(started.id);
    assert.equal(failed.state, 'failed');
    assert.match(failed.error!, /The disk is full: could not write the job journal \(.*journal\/.*\.jsonl\)/);
    await assert.rejects(
      site.writeJson(DEVICES_FILE, DevicesFileSchema, inventory(3)),
      (e: FieldkitError) =>
        e.code === 'disk-full' &&
        e.message.includes(site.path(DEVICES_FILE)) &&
        /nothing already saved was changed/.test(e.message),
    );
    await assert.rejects(
      site.updateMeta({ notes: 'x'.repeat(4000) }),
      (e: FieldkitError) => e.code === 'disk-full' && e.message.includes('fieldkit-site.json'),
    );

    // nothing lost
    assert.equal(await readFile(site.path(DEVICES_FILE), 'utf8'), inventoryBefore);
    assert.equal(await readFile(site.path(`${DEVICES_FILE}.bak`), 'utf8'), bakBefore);
    assert.equal(await readFile(site.path('fieldkit-site.json'), 'utf8'), siteFileBefore);
    const atFailure = await Journal.read(journalPath);
    const doneBefore = atFailure.entries.filter((e) => e.type === 'step-done').map((e) => e.key);
    assert.ok(doneBefore.length >= 5);
    assert.deepEqual(
      atFailure.entries.slice(0, 2).map((e) => e.type),
      ['job-started', 'step-begin'],
    );
    assert.deepEqual(
      atFailure.entries.map((e) => e.seq),
      atFailure.entries.map((_, i) => i + 1),
      'every entry before the failure is intact and in order',
    );
    assert.deepEqual((await jobs.list()).find((j) => j.id === started.id)?.state, 'failed');

    // free space, resume
    await unlink(filler);
    const resumed = await jobs.resume(started.id);
    const done = await jobs.wait(resumed.id);
    assert.equal(done.state, 'succeeded', done.error);
    const { entries } = await Journal.read(journalPath);
    const doneKeys = entries.filter((e) => e.type === 'step-done').map((e) => String(e.key));
    assert.equal(new Set(doneKeys).size, doneKeys.length, 'no step done twice');
    assert.equal(doneKeys.length, 40);
    for (const key of doneBefore)
      assert.equal(
        entries.filter((e) => e.type === 'step-begin' && e.key === key).length,
        1,
        `${String(key)} not run again`,
      );
    await site.writeJson(DEVICES_FILE, DevicesFileSchema, inventory(3));
    assert.match(await readFile(site.path(DEVICES_FILE), 'utf8'), /2026-01-03/);
  },
);
