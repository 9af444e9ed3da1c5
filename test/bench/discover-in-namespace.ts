// Runs one discovery and prints its result as JSON on stdout: the bench and the namespace tests run it inside the
// technician namespace (`ip netns exec <tech> node --import tsx test/bench/discover-in-namespace.ts '<options json>'`).
// Admin password from FIELDKIT_ADMIN_PASSWORD. Also reports wall time and peak RSS of the process.
import { appendFileSync } from 'node:fs';
import { discover } from '../../electron/core/discovery/discover';
import { EnvSecretStore } from '../../electron/core/secrets/env-secret-store';

const options = JSON.parse(process.argv[2] ?? '{}');
let peakRss = process.memoryUsage().rss;
const trace = process.env.FIELDKIT_MEM_TRACE;
let ticks = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  // FIELDKIT_MEM_TRACE=<file>: one line per second with where the memory is (for investigating memory growth).
  if (trace && ++ticks % 20 === 0)
    appendFileSync(
      trace,
      `${(performance.now() / 1000).toFixed(1)}s rss=${m.rss >> 20} heap=${m.heapUsed >> 20} ext=${m.external >> 20} ab=${m.arrayBuffers >> 20}\n`,
    );
}, 50);
const started = performance.now();
const result = await discover(options, { secrets: new EnvSecretStore(), mdnsOptions: options.mdnsOptions });
const wallMs = performance.now() - started;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
process.stdout.write(
  JSON.stringify({ wallMs, peakRss, summary: result.summary, warnings: result.warnings, devices: result.devices }),
);
