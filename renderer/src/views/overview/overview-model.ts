// What needs the technician's attention at this site, each with a link to where it is fixed: phones that are
// gone or did not answer, wrong firmware, password trouble, failed jobs and failed verification.
import { count } from '../../lib/format';
import { jobTitle, type JobInfo } from '../../lib/job-labels';
import type { Place } from '../../lib/router';
import type { CallOutput } from '$api/contract';

type Row = CallOutput<'inventory.list'>['rows'][number];
type ScanSummary = NonNullable<CallOutput<'inventory.list'>['lastScan']>;
type VerifyReport = NonNullable<CallOutput<'phones.lastVerify'>>;
type RebootReport = NonNullable<CallOutput<'phones.lastReboot'>>;
type ServerStatus = CallOutput<'provisioning.server.status'>;

export interface AttentionItem {
  id: string;
  tone: 'bad' | 'warn';
  text: string;
  link: { place: Place; path?: string[]; query?: Record<string, string> };
  linkLabel: string;
}

export interface OverviewInput {
  rows: readonly Row[];
  lastScan: ScanSummary | null;
  jobs: readonly JobInfo[];
  verify: VerifyReport | null;
  reboot: RebootReport | null;
  server: ServerStatus | null;
}

/** Phones of this integration: supported models, and sheet phones not seen yet. */
export const isPhone = (r: Row): boolean =>
  r.classification === 'supported' || (r.classification === null && r.presence === 'expected');

/** Failed or interrupted jobs not followed by a successful job of the same kind. */
export function unresolvedJobs(jobs: readonly JobInfo[]): JobInfo[] {
  const newestFirst = [...jobs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const settled = new Set<string>();
  const out: JobInfo[] = [];
  for (const j of newestFirst) {
    if (settled.has(j.kind)) continue;
    if (j.state === 'succeeded') settled.add(j.kind);
    else if (j.state === 'failed' || j.state === 'interrupted') out.push(j);
  }
  return out;
}

export function attentionItems(input: OverviewInput): AttentionItem[] {
  const phones = input.rows.filter(isPhone);
  const items: AttentionItem[] = [];
  const inventory = (query: Record<string, string>) => ({ place: 'inventory' as const, query });
  const n = (pred: (r: Row) => boolean) => phones.filter(pred).length;

  const gone = n((r) => r.presence === 'gone');
  if (gone)
    items.push({
      id: 'gone',
      tone: 'bad',
      text: `${count(gone, 'phone')} gone: not found by the last scan of their address.`,
      link: inventory({ presence: 'gone' }),
      linkLabel: 'Show them',
    });
  const silent = n((r) => r.presence === 'no-answer');
  if (silent)
    items.push({
      id: 'no-answer',
      tone: 'warn',
      text: `${count(silent, 'phone')} did not answer the last scan: slow, busy or switched off. Scan again with a longer answer timeout.`,
      link: inventory({ presence: 'no-answer' }),
      linkLabel: 'Show them',
    });
  const expected = n((r) => r.presence === 'expected');
  if (expected)
    items.push({
      id: 'expected',
      tone: 'warn',
      text: `${count(expected, 'phone')} from the sheet not seen on the network yet.`,
      link: inventory({ presence: 'expected' }),
      linkLabel: 'Show them',
    });
  const old = n((r) => r.flags.belowOsvMinimum);
  if (old)
    items.push({
      id: 'firmware-old',
      tone: 'bad',
      text: `${count(old, 'phone')} run firmware below 6.5.0.224, the minimum for OpenScape Voice.`,
      link: inventory({ firmware: 'below-minimum' }),
      linkLabel: 'Show them',
    });
  const advised = n((r) => r.flags.vulnerable || r.flags.possiblyVulnerable);
  if (advised)
    items.push({
      id: 'firmware-advisories',
      tone: 'warn',
      text: `${count(advised, 'phone')} run firmware named by security advisories.`,
      link: inventory({ firmware: 'vulnerable' }),
      linkLabel: 'Show them',
    });
  if (input.lastScan?.credentials)
    items.push({
      id: 'passwords',
      tone: 'bad',
      text: input.lastScan.credentials,
      link: { place: 'provisioning', path: ['settings'], query: { focus: 'credentials' } },
      linkLabel: 'Credentials',
    });
  const mismatch = n((r) => r.flags.modelMismatch);
  if (mismatch)
    items.push({
      id: 'model-mismatch',
      tone: 'warn',
      text: `${count(mismatch, 'phone')} report another model than the sheet names.`,
      link: inventory({}),
      linkLabel: 'Inventory',
    });
  const failedVerify = input.verify?.results.filter((r) => r.verdict === 'failed').length ?? 0;
  if (failedVerify)
    items.push({
      id: 'verify',
      tone: 'bad',
      text: `${count(failedVerify, 'phone')} failed the last verification.`,
      link: { place: 'provisioning', path: ['verify'] },
      linkLabel: 'Verify results',
    });
  const notRestarted = input.reboot?.results.filter((r) => !r.ok).length ?? 0;
  if (notRestarted)
    items.push({
      id: 'reboot',
      tone: 'warn',
      text: `${count(notRestarted, 'phone')} could not be restarted by the last reboot.`,
      link: { place: 'provisioning', path: ['reboot'] },
      linkLabel: 'Reboot results',
    });
  for (const job of unresolvedJobs(input.jobs))
    items.push({
      id: `job-${job.id}`,
      tone: job.state === 'failed' ? 'bad' : 'warn',
      text: `${jobTitle(job)} ${job.state === 'failed' ? 'failed' : 'was interrupted'}${job.error ? `: ${job.error}` : '.'}`,
      link: { place: 'jobs', path: [job.id] },
      linkLabel: 'Show the job',
    });
  if (input.server && !input.server.running && input.verify)
    items.push({
      id: 'server',
      tone: 'warn',
      text: 'The built-in provisioning server is stopped: phones that resync or restart get nothing from it.',
      link: { place: 'provisioning', path: ['publish'] },
      linkLabel: 'Start it',
    });
  return items;
}

/** "20 phones: 12 × 6867i, 8 × 6865i" from the models the scan or the sheet gives. */
export function phonesByModel(rows: readonly Row[]): string {
  const phones = rows.filter(isPhone);
  const models = new Map<string, number>();
  for (const r of phones) models.set(r.model ?? 'model unknown', (models.get(r.model ?? 'model unknown') ?? 0) + 1);
  const parts = [...models].sort((a, b) => b[1] - a[1]).map(([m, k]) => `${k} × ${m}`);
  return `${count(phones.length, 'phone')}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}
