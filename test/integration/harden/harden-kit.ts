// Small helpers shared by the hardening tests.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Journal, type JournalEntry } from '../../../electron/core/jobs/journal';
export { freePort } from '../../helpers/free-port';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface KilledRun {
  id: string;
  /** Journal entries at the moment of the kill. */
  entries: JournalEntry[];
}

/**
 * Runs job-runner.ts in a child process, waits until the job's journal satisfies `killWhen`, then
 * SIGKILLs the child. Fails if the job ended before it could be killed.
 */
export async function startAndKill(opts: {
  appDataDir: string;
  siteDir: string;
  kind: string;
  params: unknown;
  env?: NodeJS.ProcessEnv;
  killWhen: (entries: JournalEntry[]) => boolean;
  timeoutMs?: number;
}): Promise<KilledRun> {
  const runner = fileURLToPath(new URL('./job-runner.ts', import.meta.url));
  const repo = fileURLToPath(new URL('../../..', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', runner, opts.appDataDir, opts.siteDir, opts.kind, JSON.stringify(opts.params)],
    {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
    },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const id = await waitFor(
      'the child to start the job',
      () => {
        if (child.exitCode !== null) throw new Error(`runner exited ${child.exitCode}: ${out} ${err}`);
        const first = out.split('\n')[0];
        if (!out.includes('\n') || !first) return undefined;
        const parsed = JSON.parse(first) as { id?: string; error?: unknown };
        if (!parsed.id) throw new Error(`runner could not start the job: ${first}`);
        return parsed.id;
      },
      opts.timeoutMs ?? 60_000,
      5,
    );
    const path = join(opts.siteDir, 'journal', `${id}.jsonl`);
    await waitFor(
      'the kill point in the journal',
      async () => {
        const { entries } = await Journal.read(path);
        if (entries.some((e) => e.type.startsWith('job-') && e.type !== 'job-started'))
          throw new Error(`the job ended before it could be killed: ${out}`);
        return opts.killWhen(entries);
      },
      opts.timeoutMs ?? 60_000,
      5,
    );
    child.kill('SIGKILL');
    await exited;
    return { id, entries: (await Journal.read(path)).entries };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** Step keys with more than one step-done in a journal (a step run twice). */
export function stepsDoneTwice(entries: JournalEntry[]): string[] {
  const seen = new Map<string, number>();
  for (const e of entries) if (e.type === 'step-done') seen.set(String(e.key), (seen.get(String(e.key)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}
