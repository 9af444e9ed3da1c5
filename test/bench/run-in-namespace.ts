// Runs commands inside a lab's technician namespace and times them (shared by the discovery bench and tests).
import { fileURLToPath } from 'node:url';
import type { LabHandle } from '../sim/lab';
import type { DeviceRecord } from '../../electron/core/discovery/device-record';
import type { DiscoverSummary } from '../../electron/core/discovery/discover';

export interface NamespaceDiscovery {
  wallMs: number;
  /** Wall time of the whole process, Node and tsx start included. */
  processMs: number;
  peakRss: number;
  summary: DiscoverSummary;
  warnings: string[];
  devices: DeviceRecord[];
}

const RUNNER = fileURLToPath(new URL('./discover-in-namespace.ts', import.meta.url));

export async function discoverInTech(
  lab: LabHandle,
  options: Record<string, unknown>,
  password: string,
  timeoutMs = 600_000,
): Promise<NamespaceDiscovery> {
  const started = performance.now();
  const r = await lab.execInTech(
    'env',
    [`FIELDKIT_ADMIN_PASSWORD=${password}`, process.execPath, '--import', 'tsx', RUNNER, JSON.stringify(options)],
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
