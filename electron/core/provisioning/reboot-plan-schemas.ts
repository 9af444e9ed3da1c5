// What a reboot would do, as a schema: the contract declares its output with it and the TypeScript types
// are inferred from it.
import { z } from 'zod';

export const PlannedRebootSchema = z.object({
  mac: z.string(),
  ip: z.string(),
  sipPort: z.number().int().nullable(),
  httpPort: z.number().int().nullable(),
  model: z.string().nullable(),
  directoryNumber: z.string(),
  displayName: z.string(),
  /** Restart methods in the order they are tried for this phone, and why when NOTIFY is not first. */
  order: z.array(z.enum(['sip-notify', 'web-restart', 'xml-reset', 'xml-fastreboot'])),
  orderReason: z.string().nullable(),
});
export type PlannedPhone = z.infer<typeof PlannedRebootSchema>;

export const RebootPlanSchema = z.object({
  phones: z.array(PlannedRebootSchema),
  /** Chosen phones that cannot be rebooted, with why. */
  notReady: z.array(z.object({ mac: z.string(), reason: z.string() })),
  fastReboot: z.boolean(),
  /** Methods in the order they are tried (for the site; a phone's own overrides may change its order). */
  methods: z.array(z.string()),
  /** Why NOTIFY is not tried first on this site, or null. */
  methodReason: z.string().nullable(),
  /** Pass to the job to confirm exactly this plan. */
  token: z.string(),
});
export type RebootPlan = z.infer<typeof RebootPlanSchema>;
