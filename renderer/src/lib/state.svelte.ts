// Renderer state shared by the views: the open site, its jobs and what the app is. Where the technician is lives in
// the address (router.svelte.ts); messages are toasts (toasts.svelte.ts).
import { onDestroy } from 'svelte';
import { api } from './api';
import { notify } from './toasts.svelte';
import { TrackedJob, type JobSource, type TrackedJobOptions } from './tracked-job.svelte';
import type { JobInfo } from './job-labels';
import type { CallOutput, SiteSummary } from '$api/contract';
import type { Place } from './router';

export type { JobInfo } from './job-labels';
export type { Place } from './router';

export const places: { id: Place; label: string; hint: string }[] = [
  { id: 'overview', label: 'Site', hint: 'What needs attention, site details' },
  { id: 'inventory', label: 'Inventory', hint: 'Discover phones, model, MAC and firmware' },
  { id: 'provisioning', label: 'Provisioning', hint: 'Generate, preview and publish configuration' },
  { id: 'firmware', label: 'Firmware', hint: 'Fallback or upgrade in safe waves' },
  { id: 'checklist', label: 'Checklist', hint: 'Security checklist and customer report' },
  { id: 'jobs', label: 'Jobs', hint: 'Everything Fieldkit did, with journals' },
];

export const ui = $state({
  site: null as SiteSummary | null,
  jobs: [] as JobInfo[],
  info: null as CallOutput<'app.info'> | null,
});

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

/** Runs a call; its error becomes a toast. Prefer an Action when the error belongs next to a control. */
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

/** The app's jobs as TrackedJob sees them: the contract for actions, the live job list for state. */
export const appJobs: JobSource = {
  jobs: () => ui.jobs,
  async start(request) {
    const job = await api.call('jobs.start', request);
    // job.updated events may have overtaken this answer (a run that starts waiting at once): keep the newer state
    if (!ui.jobs.some((j) => j.id === job.id)) upsertJob(job);
    return job;
  },
  cancel: (id) => api.call('jobs.cancel', { id }),
  async resume(id) {
    const job = await api.call('jobs.resume', { id });
    upsertJob(job);
    return job;
  },
  onUpdate: (listener) => api.on('job.updated', listener),
};

/** A TrackedJob for a component: it stops listening when the component goes away. */
export function trackJob(options: TrackedJobOptions = {}): TrackedJob {
  const tracked = new TrackedJob(appJobs, options);
  onDestroy(() => tracked.dispose());
  return tracked;
}
