// The site remembers how it was last scanned (ranges and extra ports), so the next visit proposes the
// phones' subnets instead of whatever network the laptop happens to be on. Still never scanned unconfirmed.
import { z } from 'zod';
import type { SiteWorkspace } from '../workspace/site-workspace';

export const SCAN_SETTINGS_FILE = 'inventory/scan-settings.json';

export const ScanSettingsSchema = z.object({
  ranges: z.array(z.string().max(100_000)).max(1000),
  sipPorts: z.array(z.number().int().min(1).max(65535)).max(64),
  httpPorts: z.array(z.number().int().min(1).max(65535)).max(64),
  httpsPorts: z.array(z.number().int().min(1).max(65535)).max(64),
  /** True: the lists are complete. False: they come on top of the defaults (SIP 5060, HTTP 80, HTTPS 443). */
  onlyListedPorts: z.boolean(),
  savedAt: z.string(),
});
export type ScanSettings = z.infer<typeof ScanSettingsSchema>;

export async function readScanSettings(site: SiteWorkspace): Promise<ScanSettings | null> {
  return (await site.readJson(SCAN_SETTINGS_FILE, ScanSettingsSchema)) ?? null;
}

export async function saveScanSettings(
  site: SiteWorkspace,
  settings: Omit<ScanSettings, 'savedAt'>,
  now = new Date(),
): Promise<void> {
  await site.writeJson(SCAN_SETTINGS_FILE, ScanSettingsSchema, { ...settings, savedAt: now.toISOString() });
}
