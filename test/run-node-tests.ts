// Runs every *.test.ts under the given folders with Node's own test runner (tsx loads TypeScript).
// Usage: tsx test/run-node-tests.ts <dir or file>... [--grep PATTERN]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir: string, out: string[] = []): string[] {
  if (statSync(dir).isFile()) return [...out, dir];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args.splice(grepAt, 2)[1] : undefined;
const files = args.flatMap((dir) => findTests(dir)).filter((f) => !grep || f.includes(grep));
if (files.length === 0) {
  console.error(`no test files found under ${args.join(', ')}`);
  process.exit(1);
}
// --test-force-exit: a file whose tests are over ends even if a failed test left a server or a lab running, so
// its ports do not break the files after it (EADDRINUSE)
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
