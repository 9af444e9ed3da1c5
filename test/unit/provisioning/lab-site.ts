// A site whose inventory and sheet hold a lab's phones (6865i, directory numbers 300, 301, …), for the reboot and
// verify job tests.
import { writeFile } from 'node:fs/promises';
import { phoneRecord } from '../inventory/records';
import type { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';

export async function writeLabPhones(
  site: SiteWorkspace,
  phones: readonly { address: string; mac: string }[],
  at: string,
): Promise<void> {
  await writeFile(
    site.path('inventory', 'devices.json'),
    JSON.stringify({
      format: 'fieldkit-inventory',
      formatVersion: 1,
      updatedAt: at,
      devices: phones.map((p) => ({
        record: phoneRecord({ ip: p.address, mac: p.mac, model: '6865i' }),
        state: 'present',
        changes: [],
        changedAt: null,
        goneSince: null,
        previousIps: [],
      })),
    }),
  );
  await writeFile(
    site.path('inventory', 'sheet.json'),
    JSON.stringify({
      format: 'fieldkit-sheet',
      formatVersion: 1,
      updatedAt: at,
      rows: phones.map((p, i) => ({
        mac: p.mac,
        directoryNumber: String(300 + i),
        displayName: '',
        location: '',
        model: '',
        importedAt: at,
        sourceFile: null,
      })),
    }),
  );
}
