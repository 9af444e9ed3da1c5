// Firmware bench (loopback): a 200-phone fallback (100 6867i + 100 6865i, 6.5.0.224 -> 5.0.0.1018) with short
// simulated boot (1 s) and flash (2 s) times: canary per model, then waves of 50 at 50 at once. Prints the
// total time, the phones' own boot+flash time (from the simulator's history) and what Fieldkit adds.
import { startBench } from '../integration/firmware/fixture';
import { makeFirmwarePlan } from '../../electron/core/firmware/plan';
import { planWaves } from '../../electron/core/firmware/wave-job';
import { Journal } from '../../electron/core/jobs/journal';

const BOOT_MS = 1000;
const FLASH_MS = 2000;
const WAVE = 50;

const b = await startBench({
  name: 'fw-bench',
  loopbackBase: '127.69.0.0',
  bootMs: BOOT_MS,
  flashMs: FLASH_MS,
  groups: [
    { count: 100, model: '6867i', versions: ['6.5.0.224'], macStart: '00:08:5D:70:00:01' },
    { count: 100, model: '6865i', versions: ['6.5.0.224'], macStart: '00:08:5D:71:00:01' },
  ],
});
try {
  await b.addImage('6867i', '5.0.0.1018');
  await b.addImage('6865i', '5.0.0.1018');
  const planStart = Date.now();
  const plan = await makeFirmwarePlan(b.planDeps(), {
    targets: [
      { model: '6867i', version: '5.0.0.1018' },
      { model: '6865i', version: '5.0.0.1018' },
    ],
    options: {
      canaryPerModel: 1,
      waveSize: WAVE,
      concurrency: WAVE,
      haltWhenFailuresExceed: 5,
      requestTimeoutMs: 3000,
      rebootStartTimeoutMs: 10_000,
      flashTimeoutMs: 60_000,
      pollMs: 200,
    },
  });
  const planMs = Date.now() - planStart;
  const started = Date.now();
  const job = await b.jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken! });
  const info = await b.jobs.wait(job.id);
  const totalMs = Date.now() - started;
  if (info.state !== 'succeeded' || info.counters.verified !== 200)
    throw new Error(`run ended ${info.state}: ${JSON.stringify(info.counters)} ${info.error ?? ''}`);

  // Each phone's own time: from the reboot Fieldkit caused to the phone being online on the new firmware.
  const own = new Map<string, number>();
  for (const p of b.lab.phones) {
    const h = b.lab.phone(p.mac).history.filter((e) => e.at >= started);
    const boot = h.find((e) => e.type === 'boot-started');
    const online = h.find((e) => e.type === 'online');
    if (!boot || !online) throw new Error(`${p.mac} has no reboot in its history`);
    own.set(p.mac.replace(/:/g, ''), online.at - boot.at);
  }
  // The phones' own time for the whole run: each wave lasts as long as its slowest phone (all at once).
  const waves = planWaves(plan);
  const phonesOwnMs = waves.reduce((sum, w) => sum + Math.max(...w.phones.map((p) => own.get(p.mac)!)), 0);
  // Per phone: time Fieldkit spent on it (staged -> verified in the journal) minus its own time.
  const { entries } = await Journal.read(b.site.path('journal', `${job.id}.jsonl`));
  const firstAt = new Map<string, number>();
  const lastAt = new Map<string, number>();
  for (const e of entries) {
    if (e.type !== 'phone-state' || typeof e.mac !== 'string') continue;
    if (e.state === 'staged') firstAt.set(e.mac, Date.parse(e.at));
    if (e.state === 'verified') lastAt.set(e.mac, Date.parse(e.at));
  }
  const perPhone = [...own.entries()]
    .map(([mac, ms]) => lastAt.get(mac)! - firstAt.get(mac)! - ms)
    .sort((a, c) => a - c);
  const med = perPhone[Math.floor(perPhone.length / 2)]!;
  const p95 = perPhone[Math.floor(perPhone.length * 0.95)]!;
  console.log(
    `200-phone fallback 6.5.0.224 -> 5.0.0.1018, ${waves.length} waves (canary 2, then ${WAVE} at once), simulated boot ${BOOT_MS} ms + flash ${FLASH_MS} ms`,
  );
  console.log(`plan (reads all 200 phones):          ${(planMs / 1000).toFixed(1)} s`);
  console.log(`run, total:                           ${(totalMs / 1000).toFixed(1)} s`);
  console.log(`phones' own boot+flash (per wave max): ${(phonesOwnMs / 1000).toFixed(1)} s`);
  console.log(
    `Fieldkit adds:                        ${((totalMs - phonesOwnMs) / 1000).toFixed(1)} s (${((totalMs - phonesOwnMs) / waves.length / 1000).toFixed(2)} s per wave)`,
  );
  console.log(
    `per phone, Fieldkit beyond its own time: median ${(med / 1000).toFixed(2)} s, p95 ${(p95 / 1000).toFixed(2)} s`,
  );
} finally {
  await b.close();
}
