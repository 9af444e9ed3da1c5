import { z } from 'zod';
import { call } from '../schema-kit';

export const diagnosticsCalls = {
  'diagnostics.export': call(
    z
      .object({
        jobs: z.number().int().min(1).max(50).default(10),
        tailLines: z.number().int().min(1).max(200).default(20),
      })
      .strict(),
    z.object({ text: z.string(), fileName: z.string() }),
    "A redacted plain-text bundle (version, site, last jobs with their journals' tails and errors) to paste into a support ticket.",
  ),
} as const;
