// The 500-phone site of issue 15: 500 simulated 6867i/6865i in their own /23 (198.18.2.0/23, 10 addresses empty) of a
// namespace lab, the technician at 198.18.0.1 on the same segment. Shared by the bench parts that work on this site
// (`site500-discovery` now, the whole-site `site500` run later): they start it with startSite500Lab and get the lab,
// the range to scan, the phones' admin password and what the lab's start cost.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startLab } from '../sim/lab';
import { readLabFile } from '../sim/lab-spec';
import type { LabHandle, LabOptions } from '../sim/lab';

export const SITE_500_LAB_FILE = fileURLToPath(new URL('../sim/labs/site-500.json', import.meta.url));
export const SITE_500_RANGE = '198.18.2.0/23';
/** The phones' admin password (the lab file's): the site's own, as on phones provisioned before. */
export const SITE_500_ADMIN_PASSWORD = '7391548260';

export interface Site500Lab {
  lab: LabHandle;
  /** Namespaces, interfaces and the worker with every phone online. */
  startMs: number;
  /** Resident memory of the process(es) in the phones' namespace (the lab worker). */
  workerRssMiB: number;
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0; // the process ended meanwhile
  }
}

function cpuMs(pid: number): number {
  try {
    // utime and stime, fields 14 and 15 of /proc/<pid>/stat (after the command name in parentheses), in clock ticks
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

function labPids(lab: LabHandle): number[] {
  if (!lab.namespaces) return [];
  return execFileSync('ip', ['netns', 'pids', lab.namespaces.phones], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(Number);
}

/** Resident memory of everything running in the lab's phones namespace, in MiB. */
export function labWorkerRssMiB(lab: LabHandle): number {
  return Math.round(labPids(lab).reduce((sum, pid) => sum + rssMiB(pid), 0));
}

/** CPU time used so far by everything in the lab's phones namespace, in ms (10 ms resolution). */
export function labWorkerCpuMs(lab: LabHandle): number {
  return labPids(lab).reduce((sum, pid) => sum + cpuMs(pid), 0);
}

/** Starts the 500-phone site (root: network namespaces). Stop it with `lab.stop()`. */
export async function startSite500Lab(opts: Omit<LabOptions, 'mode'> = {}): Promise<Site500Lab> {
  const started = performance.now();
  const lab = await startLab(readLabFile(SITE_500_LAB_FILE), { ...opts, mode: 'namespace' });
  const startMs = performance.now() - started;
  return { lab, startMs, workerRssMiB: labWorkerRssMiB(lab) };
}
