import { z } from 'zod';
import { call } from '../schema-kit';
import { AnswerSchema, AnswerStatusSchema } from '../../core/checklist/checklist-engine';
import { AnswerInputSchema, RunStartSchema } from '../../core/checklist/checklist-runs';
import { Empty } from './common';

const OutcomeSchema = z.enum(['pass', 'warn', 'fail', 'deviation', 'not-applicable', 'noted', 'open']);
const ProgressSchema = z.object({
  total: z.number(),
  done: z.number(),
  open: z.number(),
  failed: z.number(),
  deviations: z.number(),
  warnings: z.number(),
});
const AutoSchema = z.object({
  status: z.enum(['pass', 'warn', 'fail', 'unknown']),
  summary: z.string(),
  evidence: z.array(z.string()),
  evaluatedAt: z.string().optional(),
});

export const ChecklistItemViewSchema = z.object({
  id: z.string(),
  section: z.string(),
  kind: z.enum(['automatic', 'confirm', 'info']),
  title: z.string(),
  source: z.string(),
  explanation: z.string(),
  action: z.string(),
  knownIssues: z.array(z.string()).optional(),
  check: z.string().optional(),
  auto: AutoSchema.nullable(),
  answer: AnswerSchema.nullable(),
  outcome: OutcomeSchema,
  allowed: z.array(AnswerStatusSchema),
});

const RunSummarySchema = z.object({
  id: z.string(),
  checklistVersion: z.number(),
  startedAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  technician: z.string(),
  contactPerson: z.string(),
  progress: ProgressSchema,
});

export const ChecklistStatusSchema = z.object({
  checklist: z.object({
    id: z.string(),
    version: z.number(),
    title: z.string(),
    sections: z.array(z.object({ id: z.string(), title: z.string(), source: z.string() })),
  }),
  due: z.object({
    due: z.boolean(),
    reasons: z.array(z.string()),
    notDue: z.array(z.string()),
    lastCompletedAt: z.string().nullable(),
  }),
  run: RunSummarySchema.nullable(),
  items: z.array(ChecklistItemViewSchema),
  progress: ProgressSchema,
  history: z.array(RunSummarySchema),
});

const SavedReportSchema = z.object({
  html: z.string(),
  pdf: z.string().nullable(),
  pdfError: z.string().nullable(),
  draft: z.boolean(),
  runId: z.string().nullable(),
  createdAt: z.string(),
  progress: ProgressSchema,
});

export const checklistCalls = {
  'checklist.status': call(
    Empty,
    ChecklistStatusSchema,
    'The security checklist of the open site: due state, the run in progress with every item re-evaluated, and the history of runs.',
  ),
  'checklist.start': call(
    RunStartSchema.strict(),
    RunSummarySchema,
    "Start a checklist run (or resume the unfinished one) with the technician and the customer's contact person.",
  ),
  'checklist.answer': call(
    AnswerInputSchema.strict(),
    ChecklistItemViewSchema,
    "Record the technician's answer for one item; a deviation needs its reason and the contact person who agreed.",
  ),
  'checklist.complete': call(
    z.object({ runId: z.string().min(1).max(100) }).strict(),
    RunSummarySchema,
    'Complete the run; refused while items are open.',
  ),
  'checklist.report': call(
    z.object({ pdf: z.boolean().default(true), runId: z.string().max(100).optional() }).strict(),
    SavedReportSchema,
    "Write the customer report into the site's reports folder (HTML, and PDF when asked).",
  ),
} as const;
