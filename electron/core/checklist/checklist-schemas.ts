// What the checklist gives back (status, item views, run summaries, saved reports), as schemas: the contract
// declares its outputs with them and the TypeScript types are inferred from them, so both always agree.
import { z } from 'zod';
import { AnswerSchema, AnswerStatusSchema } from './checklist-engine';
import type { AutoCheckId } from './checklist.v1';

export const OutcomeSchema = z.enum(['pass', 'warn', 'fail', 'deviation', 'not-applicable', 'noted', 'open']);

export const ProgressSchema = z.object({
  total: z.number(),
  done: z.number(),
  open: z.number(),
  failed: z.number(),
  deviations: z.number(),
  warnings: z.number(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const DueStateSchema = z.object({
  due: z.boolean(),
  reasons: z.array(z.string()),
  /** Firmware changes after the last completed run that do not make the checklist due (patch/build). */
  notDue: z.array(z.string()),
  lastCompletedAt: z.string().nullable(),
});
export type DueState = z.infer<typeof DueStateSchema>;

const AutoViewSchema = z.object({
  status: z.enum(['pass', 'warn', 'fail', 'unknown']),
  summary: z.string(),
  evidence: z.array(z.string()),
  evaluatedAt: z.string().optional(),
});

export const ItemViewSchema = z.object({
  id: z.string(),
  section: z.string(),
  kind: z.enum(['automatic', 'confirm', 'info']),
  title: z.string(),
  /** Where the item comes from, e.g. "guide §4.1" or "phone-facts §1 Passwords". */
  source: z.string(),
  explanation: z.string(),
  action: z.string(),
  knownIssues: z.array(z.string()).optional(),
  check: (z.string() as unknown as z.ZodType<AutoCheckId>).optional(),
  auto: AutoViewSchema.nullable(),
  answer: AnswerSchema.nullable(),
  outcome: OutcomeSchema,
  allowed: z.array(AnswerStatusSchema),
});
export type ItemView = z.infer<typeof ItemViewSchema>;

export const RunSummarySchema = z.object({
  id: z.string(),
  checklistVersion: z.number(),
  startedAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  technician: z.string(),
  contactPerson: z.string(),
  progress: ProgressSchema,
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const ChecklistStatusSchema = z.object({
  checklist: z.object({
    id: z.string(),
    version: z.number(),
    title: z.string(),
    sections: z.array(z.object({ id: z.string(), title: z.string(), source: z.string() })),
  }),
  due: DueStateSchema,
  /** The run in progress, if any. */
  run: RunSummarySchema.nullable(),
  items: z.array(ItemViewSchema),
  progress: ProgressSchema,
  history: z.array(RunSummarySchema),
});
export type ChecklistStatus = z.infer<typeof ChecklistStatusSchema>;

export const SavedReportSchema = z.object({
  /** Paths relative to the site folder. */
  html: z.string(),
  pdf: z.string().nullable(),
  /** Why no PDF was written although one was asked for. */
  pdfError: z.string().nullable(),
  draft: z.boolean(),
  runId: z.string().nullable(),
  createdAt: z.string(),
  progress: ProgressSchema,
});
export type SavedReport = z.infer<typeof SavedReportSchema>;
