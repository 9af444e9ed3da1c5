import type { Handlers } from '../../api/dispatcher';
import type { provisioningCalls } from '../../api/calls/provisioning';
import { PassiveObserver } from '../../core/discovery/passive';
import { publishJob } from '../../core/provisioning/publish';
import { ProvisioningService } from '../../core/provisioning/service';
import { HostKeyError } from '../../core/provisioning/sftp-target';
import { findTarget } from '../../core/provisioning/targets-config';
import { parseSftpUrl } from '../../core/provisioning/target-url';
import { FieldkitError } from '../../core/util/errors';
import type { SiteWorkspace } from '../../core/workspace/site-workspace';
import type { FieldkitApp } from '../fieldkit-app';

interface Held {
  site: SiteWorkspace;
  service: ProvisioningService;
}

const held = new WeakMap<FieldkitApp, Held>();
/** Phones seen by the built-in server, per app (passive discovery reads it). */
const observers = new WeakMap<FieldkitApp, PassiveObserver>();

export function passiveObserverFor(app: FieldkitApp): PassiveObserver {
  let observer = observers.get(app);
  if (!observer) {
    observer = new PassiveObserver();
    observers.set(app, observer);
  }
  return observer;
}

/** The open site's provisioning; a site switch stops the previous site's built-in server. */
export function provisioningFor(app: FieldkitApp): ProvisioningService {
  const site = app.currentSite();
  const current = held.get(app);
  if (current?.site === site) return current.service;
  void current?.service.dispose();
  const observer = passiveObserverFor(app);
  const service = new ProvisioningService({
    site,
    secrets: app.platform.secrets,
    appDataDir: app.platform.appDataDir,
    onRequest: (r) => observer.recordProvisioningRequest(r),
  });
  held.set(app, { site, service });
  return service;
}

export function publishJobFor(app: FieldkitApp) {
  return publishJob(() => provisioningFor(app));
}

export function provisioningHandlers(app: FieldkitApp): Pick<Handlers, keyof typeof provisioningCalls> {
  app.events.subscribe((name, payload) => {
    if (name !== 'site.changed') return;
    const current = held.get(app);
    if (current && (payload as { path?: string } | null)?.path !== current.site.root) {
      held.delete(app);
      void current.service.dispose();
    }
  });
  const svc = () => provisioningFor(app);
  return {
    'provisioning.targets': async () => svc().targets(),
    'provisioning.saveTarget': async ({ target }) => svc().saveTarget(target),
    'provisioning.removeTarget': async ({ targetId }) => svc().removeTarget(targetId),
    'provisioning.setTargetCredential': async ({ targetId, password, privateKey }) =>
      svc().setSftpCredential(targetId, password !== undefined ? { password } : { privateKey: privateKey! }),
    'provisioning.hostKey': async ({ targetId }) => {
      const service = svc();
      const target = await findTarget(service.site, targetId);
      if (target.kind !== 'sftp') throw new FieldkitError('invalid-input', `"${targetId}" is the built-in server; it has no host key.`);
      const loc = parseSftpUrl(target.url);
      const pinned = (await service.knownHosts.lookup(loc.host, loc.port)) ?? null;
      try {
        await (await service.openTarget(targetId, 'probe')).close();
      } catch (e) {
        if (e instanceof HostKeyError) {
          return { state: e.problem === 'host-key-unknown' ? 'unknown' as const : 'changed' as const, hostPort: e.hostPort, fingerprint: e.fingerprint, pinned };
        }
        if (pinned === null) throw e;
      }
      return { state: 'trusted' as const, hostPort: `${loc.host}:${loc.port}`, fingerprint: pinned!, pinned };
    },
    'provisioning.trustHostKey': async ({ targetId, fingerprint }) => svc().trustHostKey(targetId, fingerprint),
    'provisioning.preview': async ({ targetId }) => svc().preview(targetId),
    'provisioning.server.start': async ({ config }) => svc().startServer(config),
    'provisioning.server.stop': async () => svc().stopServer(),
    'provisioning.server.status': async () => svc().serverStatus(),
    'provisioning.fetchLog': async ({ limit, since }) => svc().fetchLog.read({ limit, ...(since ? { since } : {}) }),
  };
}
