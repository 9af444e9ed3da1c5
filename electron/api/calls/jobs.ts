import { z } from 'zod';
import { call, event } from '../schema-kit';
import { JobInfoSchema, JobLogSchema } from '../../core/jobs/job-types';
import { Empty, SiteSummarySchema } from './common';

const JobId = z.object({ id: z.string().min(1).max(200) }).strict();

export const jobCalls = {
  'jobs.start': call(
    z.object({ kind: z.string().min(1).max(100), params: z.unknown() }).strict(),
    JobInfoSchema,
    'Start a job; returns at once with its id.',
  ),
  'jobs.list': call(Empty, z.array(JobInfoSchema), 'Jobs of the open site: running, finished and interrupted.'),
  'jobs.cancel': call(JobId, JobInfoSchema, 'Cancel a running job.'),
  'jobs.resume': call(JobId, JobInfoSchema, 'Resume an interrupted job from its journal.'),
  'jobs.answer': call(
    JobId.extend({ choice: z.string().max(200) }).strict(),
    JobInfoSchema,
    'Answer a job that waits for a decision.',
  ),
  'jobs.journal': call(JobId, z.array(z.record(z.string(), z.unknown())), 'The journal entries of a job.'),
} as const;

export const coreEvents = {
  'job.updated': event(JobInfoSchema, 'A job changed state or progress.'),
  'job.log': event(JobLogSchema, 'A job wrote a line for the technician.'),
  'site.changed': event(SiteSummarySchema.nullable(), 'A site was opened, changed or closed.'),
} as const;
