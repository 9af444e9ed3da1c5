// Files Fieldkit keeps per site in its own data folder: what this laptop knows about a site (which of its files were
// checked, which targets worked), never copied along with the site folder.
import { join } from 'node:path';

/** `<data>/<folder>/<site id>.json`, the id made safe as a file name. */
export function siteRecordPath(appDataDir: string, folder: string, siteId: string): string {
  return join(appDataDir, folder, `${siteId.replace(/[^A-Za-z0-9-]/g, '_')}.json`);
}
