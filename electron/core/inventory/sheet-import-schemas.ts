// What importing the technician's sheet gives back, as schemas: the contract declares its output with them
// and the TypeScript types are inferred from them.
import { z } from 'zod';

export const RowIssueSchema = z.object({ row: z.number().int(), message: z.string() });

export const SheetImportResultSchema = z.object({
  /** Phones added to the sheet. */
  imported: z.number().int(),
  /** Phones already in the sheet whose details this file changed. */
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(RowIssueSchema),
  warnings: z.array(RowIssueSchema),
  rowsRead: z.number().int(),
  separator: z.enum([',', ';', '\t']),
  /** Which header each field was read from. */
  columns: z.partialRecord(z.enum(['mac', 'directoryNumber', 'displayName', 'location', 'model']), z.string()),
});
export type SheetImportResult = z.infer<typeof SheetImportResultSchema>;
