import { HostKeyError } from '../../core/provisioning/sftp-target';
import { findTarget } from '../../core/provisioning/targets-config';
import { parseSftpUrl } from '../../core/provisioning/target-url';
import { FieldkitError } from '../../core/util/errors';
import type { provisioningCalls } from '../../api/calls/provisioning';
import type { Handlers } from '../../api/dispatcher';
import type { AppContext } from '../app-context';

export function provisioningHandlers(
  app: Pick<AppContext, 'publishing'>,
): Pick<Handlers, keyof typeof provisioningCalls> {
  const svc = () => app.publishing();
  return {
    'provisioning.targets': async () => svc().targets(),
    'provisioning.saveTarget': async ({ target }) => svc().saveTarget(target),
    'provisioning.removeTarget': async ({ targetId }) => svc().removeTarget(targetId),
    'provisioning.setTargetCredential': async ({ targetId, password, privateKey }) =>
      svc().setSftpCredential(targetId, password !== undefined ? { password } : { privateKey: privateKey! }),
    'provisioning.hostKey': async ({ targetId }) => {
      const service = svc();
      const target = await findTarget(service.site, targetId);
      if (target.kind !== 'sftp')
        throw new FieldkitError('invalid-input', `"${targetId}" is the built-in server; it has no host key.`);
      const loc = parseSftpUrl(target.url);
      const pinned = (await service.knownHosts.lookup(loc.host, loc.port)) ?? null;
      try {
        await (await service.openTarget(targetId, 'probe')).close();
      } catch (e) {
        if (e instanceof HostKeyError) {
          return {
            state: e.problem === 'host-key-unknown' ? ('unknown' as const) : ('changed' as const),
            hostPort: e.hostPort,
            fingerprint: e.fingerprint,
            pinned,
          };
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
