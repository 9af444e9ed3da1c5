import { z } from 'zod';
import { SiteMetaSchema } from '../../core/workspace/site-workspace';

export const Empty = z.object({}).strict();
export const SiteSummarySchema = SiteMetaSchema.extend({ path: z.string() });
export const FolderPath = z.string().trim().min(1, 'Give a folder path.').max(4096);
