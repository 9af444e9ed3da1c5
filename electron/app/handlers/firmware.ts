import { importFirmware, readLibrary } from '../../core/firmware/library';
import { loadPlan, makeFirmwarePlan } from '../../core/firmware/plan';
import { firmwareStatus, resultCsv, saveResult } from '../../core/firmware/results';
import { FIRMWARE_JOB_KIND } from '../../core/firmware/wave-job';
import { builtinFirmwareServer } from '../../core/firmware/builtin-staging';
import type { FirmwareServer } from '../../core/firmware/firmware-server';
import { FieldkitError } from '../../core/util/errors';
import type { Handlers } from '../../api/dispatcher';
import type { firmwareCalls } from '../../api/calls/firmware';
import type { FieldkitApp } from '../fieldkit-app';

/**
 * The site's provisioning server as the firmware job uses it. Staging folders are served by the built-in
 * server; a site that publishes over SFTP needs staging folders on that server, which its target cannot
 * create yet (reported to provisioning).
 */
export async function firmwareServerFor(app: FieldkitApp, host?: string): Promise<FirmwareServer> {
  const provisioning = app.provisioning();
  const status = await provisioning.startServer();
  const home = await provisioning.server();
  const listen = status.config.address;
  const advertised = host ?? (listen === '0.0.0.0' || listen === '::' ? undefined : listen);
  if (!advertised) {
    throw new FieldkitError('invalid-input', 'The built-in provisioning server listens on all addresses: say which address of this laptop the phones reach (serverHost / --server-host).');
  }
  return builtinFirmwareServer({ home, listenAddress: listen, advertisedHost: advertised });
}

export function firmwareHandlers(app: FieldkitApp): Pick<Handlers, keyof typeof firmwareCalls> {
  return {
    'firmware.library': async () => readLibrary(app.currentSite()),
    'firmware.import': async (input) => importFirmware(app.currentSite(), input),
    'firmware.plan': async ({ serverHost, ...request }) => {
      const server = await firmwareServerFor(app, serverHost);
      try {
        return await makeFirmwarePlan({ site: app.currentSite(), secrets: app.platform.secrets, server }, request);
      } finally {
        await server.close();
      }
    },
    'firmware.planGet': async ({ id }) => loadPlan(app.currentSite(), id),
    'firmware.run': async ({ planId, confirm }) => app.jobManager().start(FIRMWARE_JOB_KIND, { planId, confirm }),
    'firmware.status': async ({ jobId }) => firmwareStatus(app.currentSite(), jobId),
    'firmware.exportCsv': async ({ jobId }) => {
      const saved = await saveResult(app.currentSite(), jobId);
      return { path: saved.csv, csv: resultCsv(saved.result) };
    },
  };
}
