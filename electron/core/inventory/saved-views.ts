// Named inventory filters the technician saved ("6865i below minimum on floor 2"), kept in the site folder so
// they travel with it. The filter fields belong to the UI; the core keeps them as short texts.
import { z } from 'zod';
import type { SiteWorkspace } from '../workspace/site-workspace';

export const SAVED_VIEWS_FILE = 'inventory/views.json';
export const MAX_SAVED_VIEWS = 50;

export const SavedViewSchema = z.object({
  name: z.string().trim().min(1, 'Give the filter a name.').max(80),
  filters: z.record(z.string().max(40), z.string().max(200)),
});
export type SavedView = z.infer<typeof SavedViewSchema>;

const ViewsFileSchema = z.object({
  format: z.literal('fieldkit-inventory-views'),
  formatVersion: z.literal(1),
  views: z.array(SavedViewSchema),
});

export async function readSavedViews(site: SiteWorkspace): Promise<SavedView[]> {
  return (await site.readJson(SAVED_VIEWS_FILE, ViewsFileSchema))?.views ?? [];
}

/** Replaces the saved filters; names are unique (the last of a name wins). */
export async function saveSavedViews(site: SiteWorkspace, views: readonly SavedView[]): Promise<SavedView[]> {
  const byName = new Map(views.map((v) => [v.name.trim(), { ...v, name: v.name.trim() }]));
  const kept = [...byName.values()].slice(0, MAX_SAVED_VIEWS);
  await site.writeJson(SAVED_VIEWS_FILE, ViewsFileSchema, {
    format: 'fieldkit-inventory-views',
    formatVersion: 1,
    views: kept,
  });
  return kept;
}
