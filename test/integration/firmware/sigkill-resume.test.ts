// SIGKILL in the middle of a wave, then resume in a new process: no phone forgotten, none flashed twice,
// and the journal says what happened to the phones that were mid-reboot.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFirmwarePlan } from '../../../electron/core/firmware/plan';
import { firmwareStatus } from '../../../electron/core/firmware/results';
import { Journal } from '../../../electron/core/jobs/journal';
import { startBench, FAST } from './fixture';
import type { Bench } from './fixture';
import type { ChildProcess } from 'node:child_process';

const runner = fileURLToPath(new URL('./kill-runner.ts', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));

function spawnRunner(args: string[]): {
  child: ChildProcess;
  lines: string[];
  firstLine: Promise<Record<string, unknown>>;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', runner, ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const firstLine = new Promise<Record<string, unknown>>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const l of parts) {
        lines.push(l);
        if (lines.length === 1) resolve(JSON.parse(l));
      }
    });
    child.once('exit', (code) => reject(new Error(`runner exited ${code} before answering: ${err}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, firstLine, exit };
}

let b: Bench;
before(async () => {
  b = await startBench({
    name: 'fw-kill',
    loopbackBase: '127.66.0.0',
    bootMs: 400,
    flashMs: 1500,
    groups: [
      { count: 16, model: '6867i', versions: ['6.5.0.224', '6.4.0.140'], macStart: '00:08:5D:6B:00:01' },
      { count: 16, model: '6865i', versions: ['6.5.0.224'], macStart: '00:08:5D:6C:00:01' },
    ],
  });
  await b.addImage('6867i', '5.0.0.1018');
  await b.addImage('6865i', '5.0.0.1018');
});
after(() => b.close());

test('kill -9 mid-wave, resume in a new process: every phone flashed exactly once and verified', async () => {
  const plan = await makeFirmwarePlan(b.planDeps(), {
    targets: [
      { model: '6867i', version: '5.0.0.1018' },
      { model: '6865i', version: '5.0.0.1018' },
    ],
    options: { ...FAST, waveSize: 10, concurrency: 10 },
  });
  assert.equal(plan.summary.flash, 32);
  // From here the runner process is Fieldkit: its built-in server is the phones' home (and staging), and
  // it dies with the process.
  const homeFiles = join(b.dir, 'home-files.json');
  await writeFile(homeFiles, JSON.stringify(await b.homeFiles()));
  await b.home.stop();
  const first = spawnRunner([b.site.root, b.home.url(), homeFiles, 'start', plan.id, plan.confirmToken!]);
  const { id } = (await first.firstLine) as { id: string };
  const journalPath = b.site.path('journal', `${id}.jsonl`);
  // Kill while phones of wave 1 are flashing.
  for (let i = 0; ; i++) {
    const { entries } = await Journal.read(journalPath);
    if (entries.some((e) => e.type === 'phone-state' && e.state === 'flashing' && e.wave === 'wave 1')) break;
    if (i > 600)
      throw new Error(`wave 1 never started flashing; the journal ends with ${JSON.stringify(entries.slice(-5))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  first.child.kill('SIGKILL');
  await first.exit;
  const killedAt = await Journal.read(journalPath);
  assert.ok(
    !killedAt.entries.some((e) => e.type.startsWith('job-') && e.type !== 'job-started'),
    'the job did not finish before the kill',
  );
  const inFlight = new Set<string>();
  for (const e of killedAt.entries) {
    if (e.type !== 'step-begin' || typeof e.key !== 'string' || !e.key.startsWith('reboot:')) continue;
    const done = killedAt.entries.some((d) => d.type === 'step-done' && d.key === e.key);
    if (!done) inFlight.add(e.key);
  }

  const second = spawnRunner([b.site.root, b.home.url(), homeFiles, 'resume', id]);
  await second.firstLine;
  assert.equal(await second.exit, 0);
  const last = JSON.parse(second.lines.at(-1)!);
  assert.equal(last.done, 'succeeded', last.error);

  const status = await firmwareStatus(b.site, id);
  assert.equal(status.counts.verified, 32, JSON.stringify(status.counts));
  for (const p of b.lab.phones) {
    assert.equal(b.lab.phone(p.mac).firmware, '5.0.0.1018');
    assert.equal(b.flashes(p.mac), 1, `${p.mac} flashed exactly once`);
  }
  const { entries } = await Journal.read(journalPath);
  assert.ok(entries.some((e) => e.type === 'job-resumed'));
  const rechecks = entries.filter((e) => e.type === 'phone-recheck');
  const rechecked = new Set(rechecks.map((r) => `reboot:${String(r.mac)}#1`));
  for (const key of inFlight)
    assert.ok(rechecked.has(key), `${key} was begun but not confirmed: re-checked before any new action`);
  for (const r of rechecks)
    assert.match(
      String(r.decision),
      /already flashed by the interrupted run|still on its old version|it was not flashed; restart it once more/,
    );
});
