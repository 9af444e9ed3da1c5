// `npm run bench`: runs every *.bench.ts in this folder, one process each, in name order.
// Usage: tsx test/bench/run.ts [substring]   (only benches whose file name contains it)
// FIELDKIT_BENCH_PART=<part> runs only the bench that declares that part in a `// bench parts: a b c` line (the bench
// itself then runs only that part), or the bench of that name (FIELDKIT_BENCH_PART=publish).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2] ?? '';
const part = process.env.FIELDKIT_BENCH_PART;

function declaredParts(file: string): string[] {
  const line = /^\/\/ bench parts: (.+)$/m.exec(readFileSync(join(dir, file), 'utf8'));
  return line ? line[1]!.trim().split(/\s+/) : [];
}

const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const benches = all.filter(
  (f) => f.includes(filter) && (!part || f === `${part}.bench.ts` || declaredParts(f).includes(part)),
);
if (benches.length === 0) {
  const parts = all.flatMap((f) => [f.replace(/\.bench\.ts$/, ''), ...declaredParts(f)]);
  console.error(
    `no *.bench.ts files${filter ? ` matching "${filter}"` : ''}${part ? ` with part "${part}"` : ''} in ${dir}; parts: ${parts.join(', ')}`,
  );
  process.exit(1);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`${file} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
