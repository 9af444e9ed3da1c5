// What "generate" gives back, as schemas: the contract declares its outputs with them and the TypeScript
// types are inferred from them, so both always agree.
import { z } from 'zod';
import { FindingSchema } from './generated-store';
import type { SecretKey } from '../secrets/secret-store';

/** A validation finding with the guide section its rule comes from, e.g. "guide §4.2, §9". */
export const ExplainedFindingSchema = FindingSchema.extend({ section: z.string() });
export type ExplainedFinding = z.infer<typeof ExplainedFindingSchema>;

// A credential name as the store knows it (the grammar is the credential store's).
const SecretKeyName = z.string() as unknown as z.ZodType<SecretKey>;

export const MissingCredentialSchema = z.object({
  key: SecretKeyName,
  /** Set for per-phone credentials. */
  mac: z.string().optional(),
  /** What to do, in the technician's words. */
  what: z.string(),
});
export type MissingCredential = z.infer<typeof MissingCredentialSchema>;

export const GeneratedFileEntrySchema = z.object({
  name: z.string(),
  /** `asset`: a file the configuration names and the phones fetch next to it (the CA bundle). */
  kind: z.enum(['global', 'model', 'phone', 'asset']),
  model: z.string().optional(),
  mac: z.string().optional(),
});
export type GeneratedFileEntry = z.infer<typeof GeneratedFileEntrySchema>;

export const GeneratedFileViewSchema = GeneratedFileEntrySchema.extend({
  /** Placeholder text with any secret hidden. */
  text: z.string(),
  lines: z.number().int(),
});
export type GeneratedFileView = z.infer<typeof GeneratedFileViewSchema>;

export const GenerateReportSchema = z.object({
  generatedAt: z.string(),
  publishable: z.boolean(),
  /** Publishable and every credential the files need is in the store. */
  readyToPublish: z.boolean(),
  findings: z.array(ExplainedFindingSchema),
  files: z.array(GeneratedFileViewSchema),
  missingCredentials: z.array(MissingCredentialSchema),
  phones: z.object({ generated: z.number().int(), skipped: z.number().int() }),
  /**
   * Phones whose credentials are complete, and those that miss some: publishing can skip the latter
   * ("publish the 20 ready phones, skip 1") when nothing site-wide is missing.
   */
  credentials: z.object({
    readyPhones: z.number().int(),
    incompletePhones: z.array(z.string()),
    siteWideMissing: z.boolean(),
  }),
});
export type GenerateReport = z.infer<typeof GenerateReportSchema>;

/** The stored generated set without the files' text. */
export const GeneratedSetSchema = z.object({
  generatedAt: z.string(),
  publishable: z.boolean(),
  findings: z.array(ExplainedFindingSchema),
  files: z.array(GeneratedFileEntrySchema),
});
export type GeneratedSet = z.infer<typeof GeneratedSetSchema>;
