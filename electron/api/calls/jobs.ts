import { z } from 'zod';
import { call, event, jobStartSchema } from '../schema-kit';
import { jobKinds } from '../job-kinds';
import { JobInfoSchema, JobLogSchema } from '../../core/jobs/job-types';
import { Empty, SiteSummarySchema } from './common';

const JobId = z.object({ id: z.string().min(1).max(200) }).strict();

export const DecisionSchema = z.object({ question: z.string(), options: z.array(z.string()) });

export const jobCalls = {
  'jobs.start': call(
    jobStartSchema(jobKinds),
    JobInfoSchema,
    'Start a job of one of the declared kinds with its parameters; returns at once with its id.',
  ),
  'jobs.list': call(Empty, z.array(JobInfoSchema), 'Jobs of the open site: running, finished and interrupted.'),
  'jobs.get': call(
    JobId,
    z.object({ job: JobInfoSchema, decision: DecisionSchema.nullable() }),
    'One job of the open site, and the decision it waits for (question and choices), if any.',
  ),
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
