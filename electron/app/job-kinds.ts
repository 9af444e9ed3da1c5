// Registers the core's definition of every job kind the contract declares (electron/api/job-kinds.ts). Each
// definition must validate with the very schema the contract declares for its kind: one schema per kind.
import { selfTestJob } from '../core/jobs/self-test-job';
import { inventoryDiscoveryJob } from '../core/inventory/discovery-to-inventory';
import { createRebootJob } from '../core/provisioning/reboot-job';
import { createVerifyJob, builtinFetchRecords } from '../core/provisioning/verify-job';
import { publishJob } from '../core/provisioning/publish';
import { createFirmwareWaveJob } from '../core/firmware/wave-job';
import { jobKinds } from '../api/job-kinds';
import { siteSecrets } from '../core/secrets/admin-passwords';
import { firmwareServerForPlan } from './handlers/firmware';
import type { JobDefinition, JobManager } from '../core/jobs/job-manager';
import type { AppContext } from './app-context';

export type JobDeps = Pick<AppContext, 'currentSite' | 'platform' | 'publishing' | 'passive' | 'events'>;

/** The core's job definitions, wired to the running app. */
export function jobDefinitions(app: JobDeps): JobDefinition<unknown>[] {
  const definitions = [
    selfTestJob,
    createFirmwareWaveJob({
      site: () => app.currentSite(),
      secrets: app.platform.secrets,
      server: (_site, plan, jobId) => firmwareServerForPlan(app, plan, jobId),
    }),
    publishJob(() => app.publishing()),
    createRebootJob({ site: () => app.currentSite(), secrets: app.platform.secrets }),
    createVerifyJob({
      site: () => app.currentSite(),
      secrets: app.platform.secrets,
      builtinFetches: () => builtinFetchRecords(app.publishing()),
      onVerified: (macs) => app.publishing().verificationDone(macs),
    }),
    inventoryDiscoveryJob({
      site: () => app.currentSite(),
      // the site's view: discovery tries each phone's own (derived) admin password
      secrets: siteSecrets(app.platform.secrets, () => app.currentSite().meta.id),
      ...(app.platform.mdns ? { mdnsOptions: app.platform.mdns } : {}),
      passive: app.passive,
      onApplied: (scan) => app.events.emit('inventory.changed', { reason: 'scan', scan }),
    }),
  ];
  return definitions as JobDefinition<unknown>[];
}

/** Registers every kind; throws when the kinds differ from the contract's or a kind validates with another schema. */
export function registerJobKinds(jobs: JobManager, app: JobDeps): void {
  const definitions = jobDefinitions(app);
  const declared = new Set(Object.keys(jobKinds));
  for (const definition of definitions) {
    const spec = (jobKinds as Record<string, { params: unknown }>)[definition.kind];
    if (!spec) throw new Error(`job kind ${definition.kind} is not declared in electron/api/job-kinds.ts`);
    if (spec.params !== definition.params)
      throw new Error(`job kind ${definition.kind} validates with another schema than the contract declares`);
    declared.delete(definition.kind);
    jobs.register(definition);
  }
  if (declared.size > 0) throw new Error(`declared job kinds without a definition: ${[...declared].join(', ')}`);
}
