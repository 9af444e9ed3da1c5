// Every kind of job the app can run. Later capabilities (discovery, publish, reboot, firmware waves) register here.
import { selfTestJob } from '../core/jobs/self-test-job';
import { inventoryDiscoveryJob } from '../core/inventory/discovery-to-inventory';
import { createRebootJob } from '../core/provisioning/reboot-job';
import { createVerifyJob, builtinFetchRecords } from '../core/provisioning/verify-job';
import { publishJob } from '../core/provisioning/publish';
import { createFirmwareWaveJob } from '../core/firmware/wave-job';
import { firmwareServerForPlan } from './handlers/firmware';
import type { JobManager } from '../core/jobs/job-manager';
import type { FieldkitApp } from './fieldkit-app';

export interface JobDeps {
  app: FieldkitApp;
}

export function registerJobKinds(jobs: JobManager, { app }: JobDeps): void {
  jobs.register(selfTestJob);
  jobs.register(
    createFirmwareWaveJob({
      site: () => app.currentSite(),
      secrets: app.platform.secrets,
      server: (_site, plan, jobId) => firmwareServerForPlan(app, plan, jobId),
    }),
  );
  jobs.register(publishJob(() => app.publishing()));
  jobs.register(createRebootJob({ site: () => app.currentSite(), secrets: app.platform.secrets }));
  jobs.register(
    createVerifyJob({
      site: () => app.currentSite(),
      secrets: app.platform.secrets,
      builtinFetches: () => builtinFetchRecords(app.publishing()),
    }),
  );
  jobs.register(
    inventoryDiscoveryJob({
      site: () => app.currentSite(),
      secrets: app.platform.secrets,
      ...(app.platform.mdns ? { mdnsOptions: app.platform.mdns } : {}),
      passive: app.passive,
      onApplied: (scan) => app.events.emit('inventory.changed', { reason: 'scan', scan }),
    }),
  );
}
