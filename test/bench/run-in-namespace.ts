// Runs commands inside a lab's technician namespace and times them (shared by the discovery bench and tests).
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { mainOptions } from '../../build/bundle-electron';
import type { LabHandle } from '../sim/lab';
import type { DeviceRecord } from '../../electron/core/discovery/device-record';
import type { DiscoverSummary } from '../../electron/core/discovery/discover';

export interface NamespaceDiscovery {
  wallMs: number;
  /** CPU time (user + system) of the discovery itself, process start excluded. */
  cpuMs: number;
  /** Wall time of the whole process, Node start included. */
  processMs: number;
  peakRss: number;
  summary: DiscoverSummary;
  warnings: string[];
  devices: DeviceRecord[];
}

const RUNNER = fileURLToPath(new URL('./discover-in-namespace.ts', import.meta.url));

let bundled: Promise<string> | null = null;

/**
 * The runner as one JavaScript file, built once per process: the product ships its code bundled (build/), so the
 * figures are those of the shipped code, not of the TypeScript loader (tsx adds ~40 MiB and its own thread).
 * FIELDKIT_BENCH_TSX=1 runs the TypeScript with tsx instead.
 */
async function runnerArgs(): Promise<string[]> {
  if (process.env.FIELDKIT_BENCH_TSX === '1') return ['--import', 'tsx', RUNNER];
  bundled ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fk-discover-runner-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, 'discover-in-namespace.cjs');
    const target = `node${process.versions.node.split('.')[0]}`;
    await build({ ...mainOptions, entryPoints: [RUNNER], outfile, target: [target], logLevel: 'error' });
    return outfile;
  })();
  return [await bundled];
}

/**
 * FIELDKIT_PROFILE_DIR=<dir>: the discovery process writes a CPU profile there (`--cpu-prof`), and with
 * FIELDKIT_HEAP_SNAPSHOTS=1 also heap snapshots on SIGUSR2 (`kill -USR2 <pid>` while it runs).
 */
function profileFlags(): string[] {
  const dir = process.env.FIELDKIT_PROFILE_DIR;
  if (!dir) return [];
  return [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
    ...(process.env.FIELDKIT_HEAP_SNAPSHOTS === '1'
      ? [`--diagnostic-dir=${dir}`, '--heapsnapshot-signal=SIGUSR2']
      : []),
  ];
}

export async function discoverInTech(
  lab: LabHandle,
  options: Record<string, unknown>,
  password: string,
  timeoutMs = 600_000,
  /** More credentials, e.g. `{ FIELDKIT_SECRET_PHONE_ADMIN_PASSWORD_00085D000001: '…' }` (EnvSecretStore). */
  env: Record<string, string> = {},
): Promise<NamespaceDiscovery> {
  const runner = await runnerArgs();
  const started = performance.now();
  const r = await lab.execInTech(
    'env',
    [
      `FIELDKIT_ADMIN_PASSWORD=${password}`,
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      process.execPath,
      ...profileFlags(),
      ...runner,
      JSON.stringify(options),
    ],
    { timeoutMs },
  );
  const processMs = performance.now() - started;
  if (r.code !== 0)
    throw new Error(`discovery in the technician namespace failed (${r.code}): ${r.stderr.slice(0, 2000)}`);
  return { ...(JSON.parse(r.stdout) as Omit<NamespaceDiscovery, 'processMs'>), processMs };
}

export async function timedInTech(
  lab: LabHandle,
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<{ ms: number; stdout: string; stderr: string; code: number | null; timedOut: boolean }> {
  const started = performance.now();
  const r = await lab.execInTech(command, args, { timeoutMs });
  const ms = performance.now() - started;
  return { ms, stdout: r.stdout, stderr: r.stderr, code: r.code, timedOut: ms >= timeoutMs - 50 };
}
