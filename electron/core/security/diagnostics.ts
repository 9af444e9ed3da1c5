// "Diagnostics for a ticket": one plain-text bundle a technician can paste into a support ticket
// (app version, platform, site summary, the last jobs with the tail of their journals, their errors).
// Everything passes through the Redactor last, so no stored secret and no credential-shaped text leaves.
import { arch, platform, release } from 'node:os';
import { join } from 'node:path';
import { DEVICES_FILE, DevicesFileSchema } from '../inventory/inventory-files';
import { Journal } from '../jobs/journal';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { JobInfo } from '../jobs/job-types';
import type { Redactor } from './redactor';

export interface DiagnosticsInput {
  version: string;
  transport: string;
  site: SiteWorkspace | undefined;
  jobs: JobInfo[];
  redactor: Redactor;
  /** How many of the newest jobs to include. */
  jobCount: number;
  /** How many journal lines of each job to include (its last ones). */
  tailLines: number;
  now?: Date;
}

const MAX_ENTRY_CHARS = 2000;

export async function buildDiagnostics(input: DiagnosticsInput): Promise<string> {
  const { site, redactor } = input;
  const out: string[] = [
    '# Fieldkit diagnostics',
    `generated: ${(input.now ?? new Date()).toISOString()}`,
    `fieldkit: ${input.version} (${input.transport})`,
    `node: ${process.version} on ${platform()} ${release()} ${arch()}`,
    '',
  ];
  if (!site) {
    out.push('## Site', 'no site open', '');
  } else {
    out.push(
      '## Site',
      `name: ${site.meta.name}`,
      `id: ${site.meta.id}`,
      `folder: ${site.root}`,
      `created: ${site.meta.createdAt}`,
      ...(await inventorySummary(site)),
      '',
    );
    const jobs = input.jobs.slice(0, input.jobCount);
    out.push(`## Last ${jobs.length} job(s) of ${input.jobs.length}`);
    for (const job of jobs) out.push('', ...(await jobSection(site, job, input.tailLines)));
  }
  await redactor.refresh();
  return `${redactor.redact(out.join('\n'))}\n`;
}

async function inventorySummary(site: SiteWorkspace): Promise<string[]> {
  try {
    const file = await site.readJson(DEVICES_FILE, DevicesFileSchema);
    if (!file) return ['inventory: empty'];
    const present = file.devices.filter((d) => d.state === 'present');
    const byModel = new Map<string, number>();
    for (const d of present) {
      const label = `${d.record.model?.value || 'unknown model'} ${d.record.firmware?.value || 'unknown firmware'}`;
      byModel.set(label, (byModel.get(label) ?? 0) + 1);
    }
    return [
      `inventory: ${present.length} present, ${file.devices.length - present.length} gone (updated ${file.updatedAt})`,
      ...[...byModel].sort().map(([label, n]) => `  ${label}: ${n}`),
    ];
  } catch (e) {
    return [`inventory: unreadable (${(e as Error).message})`];
  }
}

async function jobSection(site: SiteWorkspace, job: JobInfo, tailLines: number): Promise<string[]> {
  const lines = [
    `### ${job.title} [${job.kind}] ${job.state}`,
    `id: ${job.id}`,
    `started: ${job.startedAt}${job.finishedAt ? `, finished: ${job.finishedAt}` : ''}`,
    `counters: ${JSON.stringify(job.counters)}`,
    ...(job.error ? [`error: ${job.error}`] : []),
  ];
  try {
    const { entries, tornTail } = await Journal.read(join(site.root, job.journal));
    const failures = entries.filter((e) => e.type === 'step-failed');
    if (failures.length > 0)
      lines.push(
        `failed steps: ${failures.length}`,
        ...failures.slice(-10).map((e) => `  ${String(e.key)}: ${String(e.error)}`),
      );
    lines.push(`journal (last ${Math.min(tailLines, entries.length)} of ${entries.length} entries):`);
    for (const e of entries.slice(-tailLines)) lines.push(`  ${JSON.stringify(e).slice(0, MAX_ENTRY_CHARS)}`);
    if (tornTail !== undefined) lines.push('  (the journal ends with a line cut short by a crash)');
  } catch (e) {
    lines.push(`journal: unreadable (${(e as Error).message})`);
  }
  return lines;
}
