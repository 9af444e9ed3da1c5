// Firmware changes Fieldkit made to phones, kept in the site (firmware/changes.json). The firmware job
// calls recordFirmwareChange after it has verified a phone's new version; a change of the major or minor
// version makes the security checklist due again (guide §2.2), a patch or build change does not.
import { z } from 'zod';
import { parseMac } from '../phone/mac';
import { parseFirmwareVersion, formatFirmwareVersion } from '../phone/firmware-version';
import { FieldkitError } from '../util/errors';
import type { SiteWorkspace } from '../workspace/site-workspace';

export const FIRMWARE_CHANGES_FILE = 'firmware/changes.json';
const MAX_CHANGES_KEPT = 50_000;

const version = z
  .string()
  .trim()
  .max(64)
  .refine((v) => parseFirmwareVersion(v) !== null, {
    message: 'is not a firmware version; write four numbers, e.g. 6.5.0.224',
  })
  .transform((v) => formatFirmwareVersion(parseFirmwareVersion(v)!));

export const FirmwareChangeSchema = z.object({
  mac: z
    .string()
    .refine((m) => parseMac(m) !== null, { message: 'is not a MAC address, e.g. 00:08:5D:1A:2B:3C' })
    .transform((m) => parseMac(m)!),
  model: z.string().max(64).optional(),
  from: version,
  to: version,
  /** ISO time the new version was verified on the phone. */
  at: z.iso.datetime({ offset: true }).transform((t) => new Date(t).toISOString()),
  /** The firmware job that made the change, for the journal link. */
  jobId: z.string().max(200).optional(),
});
export type FirmwareChange = z.output<typeof FirmwareChangeSchema>;
export type FirmwareChangeInput = z.input<typeof FirmwareChangeSchema>;

const ChangesFileSchema = z.object({
  format: z.literal('fieldkit-firmware-changes'),
  formatVersion: z.literal(1),
  changes: z.array(FirmwareChangeSchema),
});

/** Major or minor differ: the checklist is due again. Patch and build changes do not count. */
export function isMajorOrMinorChange(from: string, to: string): boolean {
  const a = parseFirmwareVersion(from);
  const b = parseFirmwareVersion(to);
  if (!a || !b) return true; // unknown versions: safer to re-check
  return a.major !== b.major || a.minor !== b.minor;
}

export async function readFirmwareChanges(site: SiteWorkspace): Promise<FirmwareChange[]> {
  return (await site.readJson(FIRMWARE_CHANGES_FILE, ChangesFileSchema))?.changes ?? [];
}

/**
 * Records that Fieldkit changed a phone's firmware. Call it once per phone after the new version was
 * verified. The same change recorded twice (same MAC, versions and time) is kept once.
 */
export async function recordFirmwareChange(site: SiteWorkspace, change: FirmwareChangeInput): Promise<FirmwareChange> {
  const parsed = FirmwareChangeSchema.safeParse(change);
  if (!parsed.success) {
    throw new FieldkitError(
      'invalid-input',
      `The firmware change cannot be recorded: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const entry = parsed.data;
  await site.updateJson(FIRMWARE_CHANGES_FILE, ChangesFileSchema, (current) => {
    const changes = current?.changes ?? [];
    const duplicate = changes.some(
      (c) => c.mac === entry.mac && c.from === entry.from && c.to === entry.to && c.at === entry.at,
    );
    return {
      format: 'fieldkit-firmware-changes' as const,
      formatVersion: 1 as const,
      changes: (duplicate ? changes : [...changes, entry]).slice(-MAX_CHANGES_KEPT),
    };
  });
  return entry;
}

export interface FirmwareBeforeAfter {
  mac: string;
  model: string | null;
  before: string;
  after: string;
  changedAt: string;
  majorOrMinor: boolean;
}

/** Per phone: the version before the first change after `since` and after the last one. */
export function firmwareBeforeAfter(changes: readonly FirmwareChange[], since: string | null): FirmwareBeforeAfter[] {
  const byMac = new Map<string, FirmwareChange[]>();
  for (const c of [...changes].sort((a, b) => a.at.localeCompare(b.at))) {
    if (since !== null && c.at <= since) continue;
    byMac.set(c.mac, [...(byMac.get(c.mac) ?? []), c]);
  }
  return [...byMac.entries()]
    .map(([mac, list]) => {
      const first = list[0]!;
      const last = list.at(-1)!;
      return {
        mac,
        model: last.model ?? first.model ?? null,
        before: first.from,
        after: last.to,
        changedAt: last.at,
        majorOrMinor: list.some((c) => isMajorOrMinorChange(c.from, c.to)),
      };
    })
    .sort((a, b) => a.mac.localeCompare(b.mac));
}
