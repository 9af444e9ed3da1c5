// Loaded with `node --import` into every fieldkit process the site500 bench runs: when the process exits it appends
// its own peak resident memory and CPU time as one JSON line to FIELDKIT_BENCH_USAGE_FILE. Plain JavaScript so the
// measured process loads no TypeScript hooks.
import { appendFileSync } from 'node:fs';

const file = process.env.FIELDKIT_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    const line = { pid: process.pid, maxRssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
