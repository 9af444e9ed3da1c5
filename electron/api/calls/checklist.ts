import { z } from 'zod';
import { call } from '../schema-kit';
import {
  ChecklistStatusSchema,
  ItemViewSchema,
  RunSummarySchema,
  SavedReportSchema,
} from '../../core/checklist/checklist-schemas';
import { AnswerInputSchema, RunStartSchema } from '../../core/checklist/checklist-runs';
import { ReportFileSchema } from '../../core/checklist/report-files';
import { Empty } from './common';

/** How each outcome is named to the technician (the renderer and the CLI show the same words). */
export { OUTCOME_LABELS } from '../../core/checklist/checklist-engine';

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
    ItemViewSchema,
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
  'reports.list': call(Empty, z.array(ReportFileSchema), "The files in the site's reports folder, newest first."),
  'reports.file': call(
    z.object({ path: z.string().min(1).max(300) }).strict(),
    z.object({ name: z.string(), contentType: z.string(), base64: z.string() }),
    "The bytes of one file in the site's reports folder (base64), for the UI to open or save.",
  ),
} as const;
