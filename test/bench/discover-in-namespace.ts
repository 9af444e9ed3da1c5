// Runs one discovery and prints its result as JSON on stdout: the bench and the namespace tests run it inside the
// technician namespace (`ip netns exec <tech> node --import tsx test/bench/discover-in-namespace.ts '<options json>'`).
// Admin password from FIELDKIT_ADMIN_PASSWORD. Also reports wall time and peak RSS of the process.
import { discover } from '../../electron/core/discovery/discover';
import { EnvSecretStore } from '../../electron/core/secrets/env-secret-store';

const options = JSON.parse(process.argv[2] ?? '{}');
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const started = performance.now();
const result = await discover(options, { secrets: new EnvSecretStore(), mdnsOptions: options.mdnsOptions });
const wallMs = performance.now() - started;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ wallMs, peakRss, summary: result.summary, warnings: result.warnings, devices: result.devices }));
