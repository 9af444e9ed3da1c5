// THE contract between the UI and the core. Every call and event is declared here once, with its
// runtime schema; Electron IPC, the preload bridge, the browser host and the renderer client all derive
// from this object. To add a call: add it here and implement it in electron/app/handlers.ts.
import { z } from 'zod';
import { call, event } from './schema-kit';
import { SiteInputSchema, SiteMetaSchema, SiteUpdateSchema } from '../core/workspace/site-workspace';
import { RecentSiteSchema } from '../core/workspace/recent-sites';
import { JobInfoSchema, JobLogSchema } from '../core/jobs/job-types';

const Empty = z.object({}).strict();
const SiteSummarySchema = SiteMetaSchema.extend({ path: z.string() });
const JobId = z.object({ id: z.string().min(1).max(200) }).strict();
const FolderPath = z.string().trim().min(1, 'Give a folder path.').max(4096);

export const calls = {
  'app.info': call(Empty, z.object({
    version: z.string(),
    transport: z.enum(['ipc', 'http']),
    canPickFolders: z.boolean(),
    defaultSitesRoot: z.string(),
  }), 'What this Fieldkit is and what the platform offers.'),

  'site.suggestFolder': call(z.object({ name: z.string().max(200) }).strict(), z.object({ dir: z.string() }),
    'A folder for a new site under the default sites folder.'),
  'site.create': call(SiteInputSchema.extend({ dir: FolderPath }).strict(), SiteSummarySchema,
    'Create a new site workspace in an empty or new folder and open it.'),
  'site.open': call(z.object({ dir: FolderPath }).strict(), SiteSummarySchema, 'Open an existing site workspace.'),
  'site.current': call(Empty, SiteSummarySchema.nullable(), 'The site that is open now, if any.'),
  'site.update': call(SiteUpdateSchema, SiteSummarySchema, 'Change the open site\'s details.'),
  'site.close': call(Empty, z.null(), 'Close the open site.'),
  'site.recent': call(Empty, z.array(RecentSiteSchema), 'Recently opened sites, newest first.'),
  'site.forgetRecent': call(z.object({ path: z.string() }).strict(), z.array(RecentSiteSchema), 'Remove a site from the recent list (its folder is not touched).'),
  'dialog.pickFolder': call(z.object({ title: z.string().max(200) }).strict(), z.object({ path: z.string().nullable() }),
    'Ask the operating system for a folder (desktop app only).'),

  'jobs.start': call(z.object({ kind: z.string().min(1).max(100), params: z.unknown() }).strict(), JobInfoSchema,
    'Start a job; returns at once with its id.'),
  'jobs.list': call(Empty, z.array(JobInfoSchema), 'Jobs of the open site: running, finished and interrupted.'),
  'jobs.cancel': call(JobId, JobInfoSchema, 'Cancel a running job.'),
  'jobs.resume': call(JobId, JobInfoSchema, 'Resume an interrupted job from its journal.'),
  'jobs.answer': call(JobId.extend({ choice: z.string().max(200) }).strict(), JobInfoSchema, 'Answer a job that waits for a decision.'),
  'jobs.journal': call(JobId, z.array(z.record(z.string(), z.unknown())), 'The journal entries of a job.'),
} as const;

export const events = {
  'job.updated': event(JobInfoSchema, 'A job changed state or progress.'),
  'job.log': event(JobLogSchema, 'A job wrote a line for the technician.'),
  'site.changed': event(SiteSummarySchema.nullable(), 'A site was opened, changed or closed.'),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallParsedInput<N extends CallName> = z.output<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]['payload']>;
export type SiteSummary = z.output<typeof SiteSummarySchema>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export * from './transport';
