// Whole-site bench (root, issue 15 §3): the 500-phone site of site500-lab.ts (a /23 in a namespace lab), from an
// empty site folder to a completed checklist report through the CLI only: discover, sheet import, generate, push
// over SFTP to a real sshd, reboot, verify, a canary-and-waves firmware fallback and back, checklist answers,
// report. site500-driver.ts runs the fieldkit commands inside the technician namespace; this process owns the lab
// and reads the phones' own history afterwards.
// bench parts: site500
// Prints per step: wall time, the phones' own time (some phone booting or flashing), Fieldkit's time (the rest),
// the fieldkit processes' CPU time and peak memory, and the technician's confirmations. Goals: discovery < 3 s,
// Fieldkit's time per firmware wave < 0.5 s, peak memory < 300 MiB, Fieldkit's time for the whole run < 60 s.
// How "Fieldkit's time" is counted (site500-figures.ts): the phones' own time is every stretch in which at least one
// simulated phone is between a `boot-started` and its next `online` (or `dead`) in its own history: restarting,
// fetching its files, flashing, booting. Everything else of a step's wall time is Fieldkit's: starting the process,
// reading and writing the site, the SFTP server, probing, staging, pinning, and every wait that is not a phone's, such
// as noticing late that a phone is back (the phone logs `online` once it answers again; a poll that comes later is
// Fieldkit's time). A phone that Fieldkit restarts more often than the step needs would turn Fieldkit's fault into
// phones' time, so the bench prints how often each phone booted per step. "Per wave" is the whole firmware run
// command's Fieldkit time (process start, plan loading, staging and the result included) divided by its waves.
// Process start is measured apart (median of five `fieldkit site show` on the site) and the figures are printed with
// and without it: another part of the work makes the CLI start faster.
// The lab's phones boot in 1 s and flash in 2 s (site-500.json); FIELDKIT_BENCH_WAVE sets the wave size (50).
// The namespaces, the driver, its sshd and test user are removed on exit and on failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { planWaves } from '../../electron/core/firmware/wave-job';
import { isRoot } from '../sim/netns';
import { SITE_500_ADMIN_PASSWORD, SITE_500_LAB_FILE, SITE_500_RANGE, startSite500Lab } from './site500-lab';
import { bootsPerPhone, phoneBusyIntervals, summariseSteps, waveFigures, type StepFigures } from './site500-figures';
import type { FirmwarePlan } from '../../electron/core/firmware/plan-types';
import type { LabHandle } from '../sim/lab';
import type { Site500Input, Site500Run } from './site500-driver';

const DRIVER = fileURLToPath(new URL('./site500-driver.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEB_PORT = 8000;
const WAVE = Number(process.env.FIELDKIT_BENCH_WAVE ?? 50);
const IMAGE_BYTES = 256 * 1024;
const GOALS = { discoveryMs: 3000, waveMs: 500, peakRssMiB: 300, fieldkitMs: 60_000 };

if (!isRoot()) {
  console.log('site500: needs root (network namespaces); skipped');
  process.exit(0);
}

// The product ships its CLI bundled (dist-electron/cli/): build it so bin/fieldkit.js does not fall back to tsx.
const built = spawnSync('npm', ['run', '--silent', 'build:cli'], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) throw new Error('npm run build:cli failed');

/** The driver while it runs: stopped (and so its sshd and test user removed) however this process ends. */
const running: { driver: ChildProcess | null } = { driver: null };
process.once('exit', () => running.driver?.kill('SIGTERM'));

function runDriver(lab: LabHandle, input: Site500Input): Promise<Site500Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ip',
      ['netns', 'exec', lab.namespaces!.tech, process.execPath, '--import', 'tsx', DRIVER, JSON.stringify(input)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    running.driver = child;
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      running.driver = null;
      if (code !== 0) return reject(new Error(`the site500 driver failed (exit ${code})`));
      resolve(JSON.parse(out) as Site500Run);
    });
  });
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`.padStart(9);

function printTable(rows: StepFigures[]): void {
  console.log(
    `${'step'.padEnd(34)} ${'wall'.padStart(9)} ${'phones'.padStart(9)} ${'Fieldkit'.padStart(9)} ${'CPU'.padStart(9)} ${'peak RSS'.padStart(9)} confirm`,
  );
  for (const r of rows)
    console.log(
      `${r.name.padEnd(34)} ${s(r.wallMs)} ${s(r.phonesMs)} ${s(r.fieldkitMs)} ${s(r.cpuMs)} ${`${r.peakRssMiB.toFixed(0)} MiB`.padStart(9)} ${String(r.confirmations).padStart(7)}`,
    );
}

const started = performance.now();
const { lab, startMs, workerRssMiB } = await startSite500Lab({
  provisioningUrl: `http://198.18.0.1:${WEB_PORT}/prov/`,
});
try {
  console.log(
    `site500: ${lab.phones.length} phones in ${SITE_500_RANGE} (${SITE_500_LAB_FILE.replace(ROOT, '')}), lab up in ${s(startMs).trim()}, worker ${workerRssMiB} MiB; simulated boot 1 s, flash 2 s, .st ${IMAGE_BYTES / 1024} KiB; waves of ${WAVE}`,
  );
  const run = await runDriver(lab, {
    phones: lab.phones.map((p) => ({ mac: p.mac, model: p.model ?? '', address: p.address })),
    range: SITE_500_RANGE,
    adminPassword: SITE_500_ADMIN_PASSWORD,
    techAddress: lab.namespaces!.techAddress,
    webPort: WEB_PORT,
    imageBytes: IMAGE_BYTES,
    waveSize: WAVE,
  });
  const histories = await Promise.all(lab.phones.map(async (p) => (await lab.inspect(p.mac)).history));
  const busy = phoneBusyIntervals(histories);
  const rows = summariseSteps(run.steps, busy);
  const historyByMac = new Map(lab.phones.map((p, i) => [p.mac.replace(/:/g, ''), histories[i]!]));
  printTable(rows);

  const total = rows.reduce(
    (t, r) => ({
      wallMs: t.wallMs + r.wallMs,
      phonesMs: t.phonesMs + r.phonesMs,
      fieldkitMs: t.fieldkitMs + r.fieldkitMs,
      cpuMs: t.cpuMs + r.cpuMs,
      peakRssMiB: Math.max(t.peakRssMiB, r.peakRssMiB),
      confirmations: t.confirmations + r.confirmations,
    }),
    { wallMs: 0, phonesMs: 0, fieldkitMs: 0, cpuMs: 0, peakRssMiB: 0, confirmations: 0 },
  );
  printTable([{ name: 'whole run', ...total }]);
  const discovery = rows.find((r) => r.name.startsWith('discover'))!;
  const runs = rows.filter((r) => r.name.startsWith('firmware run'));
  const waves = (run.plans as FirmwarePlan[]).map((p) => planWaves(p).length);
  const perWave = runs.map((r, i) => r.fieldkitMs / waves[i]!);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const waveLines = runs.map((r) => {
    const w = waveFigures(run.steps.find((st) => st.name === r.name)?.phoneStates ?? [], historyByMac, busy);
    const inWaves = w.reduce((a, x) => a + x.fieldkitMs, 0);
    const stat = (k: 'fieldkitMs' | 'beforeMs' | 'afterMs'): string =>
      `${s(mean(w.map((x) => x[k]))).trim()} mean, ${s(Math.max(...w.map((x) => x[k]))).trim()} max`;
    return (
      `  ${r.name}: inside the waves ${s(inWaves).trim()} (${stat('fieldkitMs')} per wave; before the first phone ` +
      `goes down ${stat('beforeMs')}; from the last phone back to the wave's last verdict ${stat('afterMs')}), ` +
      `between waves and around them ${s(r.fieldkitMs - inWaves).trim()}`
    );
  });
  const processes = run.steps.reduce((n, st) => n + st.processes, 0);
  const start = run.processStartMs;
  const withoutStart = (r: StepFigures, n: number): number => Math.max(0, r.fieldkitMs - n * start);
  const processesOf = (name: string): number => run.steps.find((st) => st.name === name)?.processes ?? 0;
  const perWaveWithoutStart = runs.map((r, i) => withoutStart(r, processesOf(r.name)) / waves[i]!);
  const boots = run.steps
    .filter((st) => st.name === 'reboot' || st.name.startsWith('firmware run'))
    .map((st) => {
      const counts = bootsPerPhone(histories, st.startedAt, st.endedAt);
      const text = [...counts.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([times, phones]) => `${phones} phone(s) ${times}×`)
        .join(', ');
      return `${st.name}: ${text || 'none'}`;
    });
  const answers = run.steps.find((st) => st.name === 'checklist answers')?.confirmations ?? 0;
  console.log(
    [
      `fieldkit processes: ${processes}; technician confirmations: ${total.confirmations} (${total.confirmations - answers} --yes, ${answers} checklist answers)`,
      `process start (median of 5 \`fieldkit site show\`): ${s(start).trim()}; Fieldkit's time without process start: whole run ${s(Math.max(0, total.fieldkitMs - processes * start)).trim()}, per firmware wave ${perWaveWithoutStart.map((w) => s(w).trim()).join(', ')}`,
      `phone boots per step (each phone once is the step's own): ${boots.join('; ')}`,
      ...runs.map(
        (r, i) =>
          `${r.name}: ${waves[i]} waves (canary then ${WAVE} at once), Fieldkit ${s(perWave[i]!).trim()} per wave; ${JSON.stringify(run.steps.find((st) => st.name === r.name)?.detail ?? {})}`,
      ),
      "Fieldkit's time in the firmware runs, from the journal's phone states and the phones' histories:",
      ...waveLines,
      `goals: discovery ${s(discovery.wallMs).trim()} (< 3 s) ${discovery.wallMs < GOALS.discoveryMs ? 'met' : 'MISSED'}; ` +
        `Fieldkit per wave ${perWave.map((w) => s(w).trim()).join(', ')} (< 0.5 s) ${perWave.every((w) => w < GOALS.waveMs) ? 'met' : 'MISSED'}; ` +
        `peak memory ${total.peakRssMiB.toFixed(0)} MiB (< 300 MiB) ${total.peakRssMiB < GOALS.peakRssMiB ? 'met' : 'MISSED'}; ` +
        `Fieldkit's time ${s(total.fieldkitMs).trim()} (< 60 s) ${total.fieldkitMs < GOALS.fieldkitMs ? 'met' : 'MISSED'}`,
      `bench wall time, lab start included: ${s(performance.now() - started).trim()}`,
    ].join('\n'),
  );
} finally {
  const left = running.driver;
  if (left) {
    // The driver removes its sshd, test user and files on SIGTERM: let it finish before the namespaces go.
    const exited = new Promise((resolve) => left.once('close', resolve));
    left.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  }
  await lab.stop();
}
