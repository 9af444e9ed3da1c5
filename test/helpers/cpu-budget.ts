import assert from 'node:assert/strict';

/**
 * Guards a unit test against runaway work (a parser that turns quadratic or backtracks on hostile input). It counts
 * the CPU time this process spent, not wall time, so a busy machine (parallel test runs, a loaded CI runner) does not
 * trip it; budgets sit far above the measured cost, so only a change in complexity does. Speed itself is measured by
 * `npm run bench`, never by tests.
 */
export function withinCpuBudget<T>(budgetMs: number, label: string, f: () => T): T {
  const before = process.cpuUsage();
  const result = f();
  const used = process.cpuUsage(before);
  const ms = (used.user + used.system) / 1000;
  assert.ok(ms < budgetMs, `${label} used ${ms.toFixed(0)} ms of CPU (budget ${budgetMs} ms)`);
  return result;
}
