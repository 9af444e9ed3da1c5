// Renderer state shared by the views: the open site, the jobs, the current place.
import { api } from './api';
import type { CallOutput, EventPayload, SiteSummary } from '$api/contract';

export type JobInfo = EventPayload<'job.updated'>;
export type Place = 'overview' | 'inventory' | 'provisioning' | 'firmware' | 'checklist' | 'jobs';

export const places: { id: Place; label: string; hint: string }[] = [
  { id: 'overview', label: 'Site', hint: 'Site details and status' },
  { id: 'inventory', label: 'Inventory', hint: 'Discover phones, model, MAC and firmware' },
  { id: 'provisioning', label: 'Provisioning', hint: 'Generate, preview and publish configuration' },
  { id: 'firmware', label: 'Firmware', hint: 'Fallback or upgrade in safe waves' },
  { id: 'checklist', label: 'Checklist', hint: 'Security checklist and customer report' },
  { id: 'jobs', label: 'Jobs', hint: 'Everything Fieldkit did, with journals' },
];

export const ui = $state({
  site: null as SiteSummary | null,
  place: 'overview' as Place,
  jobs: [] as JobInfo[],
  info: null as CallOutput<'app.info'> | null,
  notice: null as { kind: 'error' | 'ok'; text: string } | null,
});

export function notify(kind: 'error' | 'ok', text: string) {
  ui.notice = { kind, text };
}

export async function refreshJobs() {
  ui.jobs = await api.call('jobs.list', {});
}

export function upsertJob(job: JobInfo) {
  const i = ui.jobs.findIndex((j) => j.id === job.id);
  if (i >= 0) ui.jobs[i] = job;
  else ui.jobs = [job, ...ui.jobs];
}

export async function startApp() {
  api.on('job.updated', upsertJob);
  api.on('site.changed', (site) => {
    ui.site = site;
    if (!site) ui.jobs = [];
  });
  ui.info = await api.call('app.info', {});
  ui.site = await api.call('site.current', {});
  if (ui.site) await refreshJobs();
}

export async function run<T>(action: () => Promise<T>, okText?: string): Promise<T | undefined> {
  try {
    const value = await action();
    if (okText) notify('ok', okText);
    return value;
  } catch (e) {
    notify('error', (e as Error).message);
    return undefined;
  }
}
