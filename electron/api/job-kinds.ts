// Every kind of job, with the schema of its parameters: the schema the job's definition in the core validates
// with (imported, never copied; electron/app/job-kinds.ts checks that it is the same object). jobs.start is a
// union of these, discriminated on `kind`, so every caller gets typed parameters.
// To add a kind: declare it in its area's calls file (`<area>JobKinds`), add it here, register it in the app.
import { SelfTestParamsSchema } from '../core/jobs/self-test-job';
import { jobKind } from './schema-kit';
import { inventoryJobKinds } from './calls/inventory';
import { provisioningJobKinds } from './calls/provisioning';
import { phoneJobKinds } from './calls/phones';
import { firmwareJobKinds } from './calls/firmware';
import type { z } from 'zod';

export const jobKinds = {
  'self-test': jobKind(
    SelfTestParamsSchema,
    'A harmless job that checks the site folder and its journal work (no network).',
  ),
  ...inventoryJobKinds,
  ...provisioningJobKinds,
  ...phoneJobKinds,
  ...firmwareJobKinds,
} as const;

export type JobKinds = typeof jobKinds;
export type JobKind = keyof JobKinds;
export type JobParams<K extends JobKind> = z.input<JobKinds[K]['params']>;
export const jobKindNames = Object.keys(jobKinds) as JobKind[];
