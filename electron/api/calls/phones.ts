// Rebooting and verifying phones: the plan to confirm before the 'reboot' job, and the stored results
// of the last reboot and verification.
import { z } from 'zod';
import { call } from '../schema-kit';
import { RebootSelectionSchema, RebootReportSchema } from '../../core/provisioning/reboot-job';
import { VerifyReportSchema } from '../../core/provisioning/verify-job';
import { Empty } from './common';

const SitePhoneSchema = z.object({
  mac: z.string(),
  directoryNumber: z.string(),
  displayName: z.string(),
  location: z.string(),
  inSheet: z.boolean(),
  model: z.enum(['6867i', '6865i']).nullable(),
  modelSource: z.enum(['sheet', 'inventory']).nullable(),
  unsupportedModel: z.string().nullable(),
  ip: z.string().nullable(),
  sipPort: z.number().int().nullable(),
  httpPort: z.number().int().nullable(),
  firmware: z.string().nullable(),
  present: z.boolean(),
});

export const phoneCalls = {
  'phones.list': call(
    Empty,
    z.array(SitePhoneSchema),
    "The site's phones as provisioning sees them: the sheet joined with discovery by MAC.",
  ),
  'phones.rebootPlan': call(
    RebootSelectionSchema.strict(),
    z.object({
      phones: z.array(
        z.object({
          mac: z.string(),
          ip: z.string(),
          sipPort: z.number().int().nullable(),
          httpPort: z.number().int().nullable(),
          model: z.string().nullable(),
          directoryNumber: z.string(),
          displayName: z.string(),
        }),
      ),
      notReady: z.array(z.object({ mac: z.string(), reason: z.string() })),
      fastReboot: z.boolean(),
      methods: z.array(z.string()),
      token: z.string(),
    }),
    'What a reboot would do (phones, methods in order); start job "reboot" with its token to confirm.',
  ),
  'phones.lastReboot': call(Empty, RebootReportSchema.nullable(), 'The result of the last reboot job of the site.'),
  'phones.lastVerify': call(
    Empty,
    VerifyReportSchema.nullable(),
    'The result of the last verification of the site, per phone.',
  ),
} as const;
