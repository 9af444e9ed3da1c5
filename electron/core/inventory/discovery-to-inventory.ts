// The discovery job as the app runs it: each scan's devices go into the site's inventory, compared with what the
// previous scans found. Only addresses the scan covered can turn up as gone.
import { createDiscoveryJob, type DiscoveryJobDeps, type DiscoveryParams } from '../discovery/discovery-job';
import { parseTargets, rangesContain } from '../discovery/ranges';
import { isLoopbackAddress, rememberLoopbackPhone } from '../secrets/web-logins';
import { secretKeys } from '../secrets/secret-key';
import { macFileStem, parseMac } from '../phone/mac';
import { InventoryStore } from './inventory-store';
import { saveScanSettings } from './remembered-scan';
import type { SecretStore } from '../secrets/secret-store';
import type { ScanSummary } from './inventory-files';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { JobDefinition } from '../jobs/job-manager';

export interface InventoryDiscoveryDeps extends Omit<DiscoveryJobDeps, 'onResult'> {
  site(): SiteWorkspace;
  /** Told after the inventory has been saved. */
  onApplied?(summary: ScanSummary): void;
}

export function inventoryDiscoveryJob(deps: InventoryDiscoveryDeps): JobDefinition<DiscoveryParams> {
  const { site, onApplied, ...discoveryDeps } = deps;
  const shape = createDiscoveryJob({ ...discoveryDeps, onResult: () => undefined });
  return {
    ...shape,
    async run(ctx, params) {
      const startedAt = new Date().toISOString();
      const targets = parseTargets(params.ranges, { confirmLarge: params.confirmLarge });
      const scanned = targets.ranges;
      // Re-reading one phone is not how the site is scanned: only scans of more than one address are remembered.
      if (targets.total > 1)
        await saveScanSettings(site(), {
          ranges: params.ranges,
          sipPorts: params.sipPorts,
          httpPorts: params.httpPorts,
          httpsPorts: params.httpsPorts,
          onlyListedPorts: params.onlyListedPorts,
        });
      await rememberLoopbackPhones(site(), discoveryDeps.secrets);
      const job = createDiscoveryJob({
        ...discoveryDeps,
        onResult: async (devices, result) => {
          const sweep = result.summary.sweep;
          const summary = await InventoryStore.for(site()).applyScan(devices, {
            id: ctx.id,
            startedAt,
            ranges: params.ranges,
            covers: (ip) => ip !== null && rangesContain(scanned, ip),
            sysinfo:
              sweep && params.methods.sysinfo
                ? { read: sweep.sysinfoRead, rejected: sweep.sysinfoRejected, skipped: sweep.sysinfoSkipped }
                : null,
          });
          await ctx.record('inventory-updated', { found: summary.found, ...summary.counts });
          ctx.log(
            'info',
            `Inventory updated: ${summary.counts.new} new, ${summary.counts.seen} from the sheet seen for the first time, ${summary.counts.gone} gone, ${summary.counts.noAnswer} did not answer, ${summary.counts.moved} moved, ${summary.counts.firmware} with changed firmware.`,
          );
          onApplied?.(summary);
        },
      });
      return job.run(ctx, params);
    },
  };
}

/**
 * Loopback addresses (the test labs, the demo) have no neighbour entry, so discovery cannot learn there which phone
 * answers before it logs in. The MAC the inventory holds for a loopback address names it, as a provisioning action's
 * check does (web-logins.ts): the phone's own passwords (e.g. the one it has now, entered in its detail) are tried.
 * Loopback is this laptop itself; no other address is named this way.
 */
async function rememberLoopbackPhones(site: SiteWorkspace, secrets: SecretStore): Promise<void> {
  const devices = await InventoryStore.for(site)
    .devices()
    .catch(() => []);
  for (const { record } of devices) {
    const parsed = record.mac ? parseMac(record.mac.value) : null;
    // only phones given a password of their own: the others keep the one or two tries of an unnamed address
    if (!record.ip || !parsed || !isLoopbackAddress(record.ip)) continue;
    const mac = macFileStem(parsed);
    const own = await secrets.get(secretKeys.phoneCurrentAdminPassword(mac)).catch(() => undefined);
    if (own) rememberLoopbackPhone(secrets, record.ip, mac);
  }
}
