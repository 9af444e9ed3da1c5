import { planReboot, latestRebootReport } from '../../core/provisioning/reboot-job';
import { latestVerifyReport } from '../../core/provisioning/verify-job';
import { loadSitePhones } from '../../core/provisioning/site-phones';
import { probePhone } from '../../core/firmware/phone-probe';
import type { Handlers } from '../../api/dispatcher';
import type { phoneCalls } from '../../api/calls/phones';
import type { AppContext } from '../app-context';

export function phoneHandlers(
  app: Pick<AppContext, 'currentSite' | 'platform'>,
): Pick<Handlers, keyof typeof phoneCalls> {
  return {
    'phones.list': async () => loadSitePhones(app.currentSite()),
    'phones.rebootPlan': async (selection) => planReboot(app.currentSite(), selection),
    'phones.lastReboot': async () => (await latestRebootReport(app.currentSite())) ?? null,
    'phones.lastVerify': async () => (await latestVerifyReport(app.currentSite())) ?? null,
    'phones.probe': async (input) => probePhone({ site: app.currentSite(), secrets: app.platform.secrets }, input),
  };
}
