// Firmware fallback and upgrade: the site's firmware library, the plan with its guard rails, the run
// (job 'firmware-wave', started with the plan's confirm token) and its per-phone result.
import { z } from 'zod';
import { call, jobKind } from '../schema-kit';
import { JobInfoSchema } from '../../core/jobs/job-types';
import { LibraryEntrySchema } from '../../core/firmware/library';
import { FirmwarePlanSchema, PlanOptionsSchema, SelectionSchema, TargetSchema } from '../../core/firmware/plan-types';
import { FirmwareResultSchema } from '../../core/firmware/results';
import { FirmwareRunParamsSchema } from '../../core/firmware/wave-job';
import { Empty } from './common';

const Id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.-]+$/, 'an id of letters, digits, dot, dash or underscore');

export const FirmwareImportSchema = z
  .object({
    path: z.string().trim().min(1, 'Give the path of a .st file or a Mitel .zip package.').max(4096),
    model: z.string().max(16).optional(),
    version: z.string().max(64).optional(),
    confirmVersion: z.boolean().optional(),
  })
  .strict();

export const FirmwarePlanInputSchema = z
  .object({
    selection: SelectionSchema.partial().optional(),
    targets: z.array(TargetSchema).min(1, 'Choose a target version for at least one model.').max(10),
    options: PlanOptionsSchema.partial().optional(),
    /** Address of this laptop as the phones reach it, when the built-in server listens on all addresses. */
    serverHost: z.string().max(255).optional(),
  })
  .strict();

export const firmwareCalls = {
  'firmware.library': call(Empty, z.array(LibraryEntrySchema), 'The firmware images in the site library.'),
  'firmware.import': call(
    FirmwareImportSchema,
    z.object({ entries: z.array(LibraryEntrySchema), alreadyPresent: z.array(z.string()) }),
    'Copy a .st file or Mitel zip package into the site library (version from the name, or typed and confirmed).',
  ),
  'firmware.plan': call(
    FirmwarePlanInputSchema,
    FirmwarePlanSchema,
    'Read the chosen phones and make a plan: current -> target per phone, guard rails, a summary and its confirm token.',
  ),
  'firmware.planGet': call(z.object({ id: Id }).strict(), FirmwarePlanSchema, 'A stored firmware plan.'),
  'firmware.run': call(
    z
      .object({ planId: Id, confirm: z.string().min(1).max(64), startAt: z.iso.datetime({ offset: true }).optional() })
      .strict(),
    JobInfoSchema,
    'Start the firmware run of a confirmed plan (job firmware-wave), at once or at startAt (a maintenance window: the job waits, cancellable).',
  ),
  'firmware.status': call(
    z.object({ jobId: Id }).strict(),
    FirmwareResultSchema,
    'Per-phone state of a firmware run, rebuilt from its journal.',
  ),
  'firmware.exportCsv': call(
    z.object({ jobId: Id }).strict(),
    z.object({ path: z.string(), csv: z.string(), result: FirmwareResultSchema }),
    'Write the before/after table of a run to reports/ and return it as CSV and as the result it was made from.',
  ),
} as const;

export const firmwareJobKinds = {
  'firmware-wave': jobKind(
    FirmwareRunParamsSchema,
    "Run a confirmed firmware plan in canary and waves (firmware.run starts it with the plan's confirm token).",
  ),
} as const;
