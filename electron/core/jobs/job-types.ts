import { z } from 'zod';

export const JobStateSchema = z.enum(['running', 'succeeded', 'failed', 'cancelled', 'interrupted', 'waiting']);
export type JobState = z.infer<typeof JobStateSchema>;

export const JobInfoSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  state: JobStateSchema,
  done: z.number(),
  total: z.number(),
  message: z.string(),
  /** Named counts a job wants to show, e.g. { found: 12, failed: 1 }. */
  counters: z.record(z.string(), z.number()),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
  resumable: z.boolean(),
  /** Journal file, relative to the site folder. */
  journal: z.string(),
});
export type JobInfo = z.infer<typeof JobInfoSchema>;

export const JobLogSchema = z.object({
  jobId: z.string(),
  at: z.string(),
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
});
export type JobLog = z.infer<typeof JobLogSchema>;

export const TERMINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];
