// The list of recently opened sites, kept in the app's own data folder (not in any site).
import { join } from 'node:path';
import { rename } from 'node:fs/promises';
import { z } from 'zod';
import { readTextIfExists, writeJsonAtomic } from './atomic-file';
import type { SiteSummary } from './site-workspace';

export const RecentSiteSchema = z.object({
  path: z.string(),
  name: z.string(),
  customer: z.string(),
  openedAt: z.string(),
});
export type RecentSite = z.infer<typeof RecentSiteSchema>;
const RecentFileSchema = z.object({ sites: z.array(RecentSiteSchema) });

export const RECENT_LIMIT = 12;

export class RecentSites {
  readonly file: string;
  constructor(appDataDir: string) {
    this.file = join(appDataDir, 'recent-sites.json');
  }

  async list(): Promise<RecentSite[]> {
    const raw = await readTextIfExists(this.file);
    if (raw === undefined) return [];
    try {
      return RecentFileSchema.parse(JSON.parse(raw)).sites;
    } catch {
      // Only a convenience list: set the damaged file aside (never delete it) and start a new one.
      await rename(this.file, `${this.file}.corrupt-${Date.now()}`).catch(() => undefined);
      return [];
    }
  }

  async remember(site: SiteSummary, now = new Date()): Promise<RecentSite[]> {
    const entry: RecentSite = {
      path: site.path,
      name: site.name,
      customer: site.customer,
      openedAt: now.toISOString(),
    };
    const sites = [entry, ...(await this.list()).filter((s) => s.path !== site.path)].slice(0, RECENT_LIMIT);
    await writeJsonAtomic(this.file, { sites });
    return sites;
  }

  async forget(path: string): Promise<RecentSite[]> {
    const sites = (await this.list()).filter((s) => s.path !== path);
    await writeJsonAtomic(this.file, { sites });
    return sites;
  }
}
