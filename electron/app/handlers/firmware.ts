import { importFirmware, readLibrary } from '../../core/firmware/library';
import { loadPlan, makeFirmwarePlan } from '../../core/firmware/plan';
import { firmwareStatus, resultCsv, saveResult } from '../../core/firmware/results';
import { FIRMWARE_JOB_KIND } from '../../core/firmware/wave-job';
import { siteFirmwareServer } from '../../core/firmware/site-server';
import type { FirmwareServer } from '../../core/firmware/firmware-server';
import type { FirmwarePlan } from '../../core/firmware/plan-types';
import type { Handlers } from '../../api/dispatcher';
import type { firmwareCalls } from '../../api/calls/firmware';
import type { AppContext } from '../app-context';

/** The site's provisioning server for a firmware run of `plan` (its publishing target, host and URL). */
export function firmwareServerForPlan(
  app: Pick<AppContext, 'publishing'>,
  plan: FirmwarePlan,
  jobId: string,
): Promise<FirmwareServer> {
  const { publishTarget, serverUrl } = plan.options;
  return siteFirmwareServer(app.publishing(), {
    targetId: publishTarget,
    host: plan.server.host,
    ...(serverUrl ? { url: serverUrl } : {}),
    tempTag: jobId,
  });
}

export function firmwareHandlers(
  app: Pick<AppContext, 'currentSite' | 'jobManager' | 'platform' | 'publishing'>,
): Pick<Handlers, keyof typeof firmwareCalls> {
  return {
    'firmware.library': async () => readLibrary(app.currentSite()),
    'firmware.import': async (input) => importFirmware(app.currentSite(), input),
    'firmware.plan': async ({ serverHost, ...request }) => {
      const server = await siteFirmwareServer(app.publishing(), {
        targetId: request.options?.publishTarget ?? 'builtin',
        ...(serverHost ? { host: serverHost } : {}),
        ...(request.options?.serverUrl ? { url: request.options.serverUrl } : {}),
        tempTag: 'fw-plan',
      });
      try {
        return await makeFirmwarePlan({ site: app.currentSite(), secrets: app.platform.secrets, server }, request);
      } finally {
        await server.close();
      }
    },
    'firmware.planGet': async ({ id }) => loadPlan(app.currentSite(), id),
    'firmware.run': async ({ planId, confirm, startAt }) =>
      app.jobManager().start(FIRMWARE_JOB_KIND, { planId, confirm, ...(startAt ? { startAt } : {}) }),
    'firmware.status': async ({ jobId }) => firmwareStatus(app.currentSite(), jobId),
    'firmware.exportCsv': async ({ jobId }) => {
      const saved = await saveResult(app.currentSite(), jobId);
      return { path: saved.csv, csv: resultCsv(saved.result), result: saved.result };
    },
  };
}
