import { z } from 'zod';

/**
 * `stopped`: the technician chose to stop at a halt (a firmware wave's "stop"); the job ended on purpose before its
 * work was done. It is neither "succeeded" nor "failed".
 */
export const JobStateSchema = z.enum([
  'running',
  'succeeded',
  'stopped',
  'failed',
  'cancelled',
  'interrupted',
  'waiting',
]);
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
  /**
   * What the job holds while it runs: phones (12 upper-case hex digits) and `target:<id>` for a publishing target.
   * Another job that needs any of them is refused until this one ends.
   */
  holds: z.array(z.string()).optional(),
  /** Set while the job waits for a start time (ISO), e.g. a firmware run's maintenance window. */
  waitingUntil: z.string().optional(),
  /** What the outcome means for the technician, e.g. which phones may still be flashing after a cancel. */
  note: z.string().optional(),
});
export type JobInfo = z.infer<typeof JobInfoSchema>;

export const JobLogSchema = z.object({
  jobId: z.string(),
  at: z.string(),
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
});
export type JobLog = z.infer<typeof JobLogSchema>;

export const TERMINAL_STATES: readonly JobState[] = ['succeeded', 'stopped', 'failed', 'cancelled'];
