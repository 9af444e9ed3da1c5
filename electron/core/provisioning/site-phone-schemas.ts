// A site's phone as provisioning sees it, as a schema: the contract declares its output with it and the
// TypeScript type is inferred from it.
import { z } from 'zod';
import { SUPPORTED_MODELS } from '../phone/models';

export const SitePhoneSchema = z.object({
  /** 12 uppercase hex digits. */
  mac: z.string(),
  /** From the sheet; '' when the phone was only discovered. */
  directoryNumber: z.string(),
  displayName: z.string(),
  location: z.string(),
  inSheet: z.boolean(),
  /** Sheet model when it names a supported one, else the discovered one. */
  model: z.enum(SUPPORTED_MODELS).nullable(),
  modelSource: z.enum(['sheet', 'inventory']).nullable(),
  /** Model as written in the sheet when it is not one Fieldkit provisions. */
  unsupportedModel: z.string().nullable(),
  ip: z.string().nullable(),
  sipPort: z.number().int().nullable(),
  httpPort: z.number().int().nullable(),
  firmware: z.string().nullable(),
  present: z.boolean(),
});
export type SitePhone = z.infer<typeof SitePhoneSchema>;
