import { z } from 'zod';
import { call } from '../schema-kit';
import { SiteInputSchema, SiteUpdateSchema } from '../../core/workspace/site-workspace';
import { RecentSiteSchema } from '../../core/workspace/recent-sites';
import { Empty, FolderPath, SiteSummarySchema } from './common';

/** A choice of file types in the native file dialog: a name and its extensions without the dot ('*' is any file). */
export const FileFilterSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    extensions: z
      .array(z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/, "an extension without its dot (st, zip), or '*'"))
      .min(1)
      .max(20),
  })
  .strict();
export type FileFilter = z.infer<typeof FileFilterSchema>;

export const siteCalls = {
  'app.info': call(
    Empty,
    z.object({
      version: z.string(),
      transport: z.enum(['ipc', 'http']),
      canPickFolders: z.boolean(),
      canPickFiles: z.boolean(),
      defaultSitesRoot: z.string(),
    }),
    'What this Fieldkit is and what the platform offers.',
  ),

  'site.suggestFolder': call(
    z.object({ name: z.string().max(200) }).strict(),
    z.object({ dir: z.string() }),
    'A folder for a new site under the default sites folder.',
  ),
  'site.create': call(
    SiteInputSchema.extend({ dir: FolderPath }).strict(),
    SiteSummarySchema,
    'Create a new site workspace in an empty or new folder and open it.',
  ),
  'site.open': call(z.object({ dir: FolderPath }).strict(), SiteSummarySchema, 'Open an existing site workspace.'),
  'site.current': call(Empty, SiteSummarySchema.nullable(), 'The site that is open now, if any.'),
  'site.update': call(SiteUpdateSchema, SiteSummarySchema, "Change the open site's details."),
  'site.close': call(Empty, z.null(), 'Close the open site.'),
  'site.recent': call(Empty, z.array(RecentSiteSchema), 'Recently opened sites, newest first.'),
  'site.forgetRecent': call(
    z.object({ path: z.string() }).strict(),
    z.array(RecentSiteSchema),
    'Remove a site from the recent list (its folder is not touched).',
  ),
  'dialog.pickFolder': call(
    z.object({ title: z.string().max(200) }).strict(),
    z.object({ path: z.string().nullable() }),
    'Ask the operating system for a folder (desktop app only).',
  ),
  'dialog.pickFile': call(
    z.object({ title: z.string().max(200), filters: z.array(FileFilterSchema).max(10).optional() }).strict(),
    z.object({ path: z.string().nullable() }),
    'Ask the operating system for a file to read, offering the given file types first (desktop app only).',
  ),
} as const;
