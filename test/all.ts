// `npm test`: every check the project has, in order, with one summary at the end.
// Stages: type checks, unit, integration (real sshd, sockets, namespaces), end-to-end in Chromium,
// the Electron security gate and the packaging check. Fails if any stage fails.
import { spawn } from 'node:child_process';

interface Stage {
  name: string;
  command: string[];
  /** Parses the stage's output into test counts, when it runs tests. */
  counts?: (output: string) => { passed: number; failed: number; skipped: number };
}

const nodeCounts = (out: string) => ({
  passed: lastNumber(out, /^ℹ pass (\d+)/gm),
  failed: lastNumber(out, /^ℹ fail (\d+)/gm),
  skipped: lastNumber(out, /^ℹ skipped (\d+)/gm),
});
const playwrightCounts = (out: string) => ({
  passed: lastNumber(out, /^\s*(\d+) passed/gm),
  failed: lastNumber(out, /^\s*(\d+) failed/gm) + lastNumber(out, /^\s*(\d+) flaky/gm),
  skipped: lastNumber(out, /^\s*(\d+) skipped/gm),
});

function lastNumber(text: string, pattern: RegExp): number {
  const all = [...text.matchAll(pattern)];
  return all.length ? Number(all.at(-1)![1]) : 0;
}

const stages: Stage[] = [
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', command: ['npm', 'run', '--silent', 'lint'] },
  { name: 'build', command: ['npm', 'run', '--silent', 'build'] },
  { name: 'unit', command: ['npm', 'run', '--silent', 'test:unit'], counts: nodeCounts },
  { name: 'integration', command: ['npm', 'run', '--silent', 'test:integration'], counts: nodeCounts },
  { name: 'e2e', command: ['npm', 'run', '--silent', 'test:e2e'], counts: playwrightCounts },
  { name: 'security', command: ['npm', 'run', '--silent', 'test:security'] },
  { name: 'package', command: ['npm', 'run', '--silent', 'test:package'] },
];

function run(stage: Stage): Promise<{ code: number; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(stage.command[0]!, stage.command.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let output = '';
    const relay = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/**
 * The failing tests and their first error lines, without stack frames: at most 16 lines, so the summary stays in view.
 */
function failureDigest(output: string): string[] {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const nodeSection = plain.lastIndexOf('✖ failing tests:');
  const section = nodeSection >= 0 ? plain.slice(nodeSection) : plain.split('\n').slice(-30).join('\n');
  return section
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s+at /.test(line) && !/^ℹ /.test(line))
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
    .slice(0, 16);
}

const only = process.argv.slice(2);
const results: {
  name: string;
  ok: boolean;
  seconds: number;
  passed: number;
  failed: number;
  skipped: number;
  why: string[];
}[] = [];
for (const stage of stages.filter((s) => only.length === 0 || only.includes(s.name))) {
  console.log(`\n=== ${stage.name}: ${stage.command.join(' ')}`);
  const { code, output, seconds } = await run(stage);
  const counts = stage.counts?.(output) ?? { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
  // A stage that exits non-zero fails even when its runner printed no failure count.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  results.push({ name: stage.name, ok: code === 0, seconds, ...counts, why: code === 0 ? [] : failureDigest(output) });
}

console.log('\n=== summary');
for (const r of results) {
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${String(r.skipped).padStart(3)} skipped  ${r.seconds.toFixed(1)} s`,
  );
}
// CI shows only the tail of the output: repeat why each stage failed, briefly, at the very end.
for (const r of results.filter((r) => !r.ok)) {
  console.log(`\n--- why ${r.name} failed`);
  for (const line of r.why) console.log(line);
}
const total = results.reduce(
  (a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
