// Runs one discovery and prints its result as JSON on stdout: the bench and the namespace tests run it inside the
// technician namespace (run-in-namespace.ts bundles it first, as the product ships its code, or runs it with tsx).
// Admin password from FIELDKIT_ADMIN_PASSWORD. Also reports wall time, CPU time and peak RSS of the process.
import { appendFileSync } from 'node:fs';
import { discover } from '../../electron/core/discovery/discover';
import { EnvSecretStore } from '../../electron/core/secrets/env-secret-store';
import type { DiscoverProgress } from '../../electron/core/discovery/discover';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}');
  let peakRss = process.memoryUsage.rss();
  const memTrace = process.env.FIELDKIT_MEM_TRACE;
  let ticks = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    // FIELDKIT_MEM_TRACE=<file>: one line per second with where the memory is (for investigating memory growth).
    if (memTrace && ++ticks % 20 === 0) {
      const m = process.memoryUsage();
      appendFileSync(
        memTrace,
        `${(performance.now() / 1000).toFixed(1)}s rss=${m.rss >> 20} heap=${m.heapUsed >> 20} ext=${m.external >> 20} ab=${m.arrayBuffers >> 20}\n`,
      );
    }
  }, 50);
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  // FIELDKIT_PROGRESS_TRACE=<file>: the progress counters as they change (at most every 100 ms): where the time goes.
  const progressTrace = process.env.FIELDKIT_PROGRESS_TRACE;
  const onProgress = progressTrace
    ? (p: DiscoverProgress): void =>
        appendFileSync(
          progressTrace,
          `${(performance.now() - started).toFixed(0)}ms done=${p.done}/${p.total} ${JSON.stringify(p.counters)}\n`,
        )
    : undefined;
  const result = await discover(options, {
    secrets: new EnvSecretStore(),
    mdnsOptions: options.mdnsOptions,
    onProgress,
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  process.stdout.write(
    JSON.stringify({
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRss,
      summary: result.summary,
      warnings: result.warnings,
      devices: result.devices,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
