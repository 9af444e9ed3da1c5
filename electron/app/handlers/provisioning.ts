import { HostKeyError } from '../../core/provisioning/sftp-target';
import { findTarget, type TargetConfig } from '../../core/provisioning/targets-config';
import { formatSftpUrl, parseSftpUrl } from '../../core/provisioning/target-url';
import { envNameFor } from '../../core/secrets/env-secret-store';
import { secretKeys, type SecretKey } from '../../core/secrets/secret-store';
import { FieldkitError } from '../../core/util/errors';
import {
  caBundleView,
  importCaBundle,
  importServerCertificate,
  serverCertificateView,
} from '../../core/provisioning/site-certificates';
import type { provisioningCalls } from '../../api/calls/provisioning';
import type { Handlers } from '../../api/dispatcher';
import type { PublishingService } from '../../core/provisioning/publishing-service';
import type { AppContext } from '../app-context';

/** The saved SFTP target for the URL, or a new one (id given or made from the host) with the stored credential. */
async function targetForUrl(svc: PublishingService, url: string, wantedId?: string): Promise<TargetConfig> {
  const location = parseSftpUrl(url);
  const canonical = formatSftpUrl(location);
  const existing = (await svc.targets()).find(
    (t) => t.kind === 'sftp' && formatSftpUrl(parseSftpUrl(t.url)) === canonical && (!wantedId || t.id === wantedId),
  );
  if (existing) return existing;
  const id =
    wantedId ?? `sftp-${location.host.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 40).replace(/-+$/, '');
  const has = async (key: SecretKey) => ((await svc.secrets.get(key)) ?? '') !== '';
  const hasPassword = await has(secretKeys.sftpPassword(id));
  if (!hasPassword && !(await has(secretKeys.sftpPrivateKey(id)))) {
    throw new FieldkitError(
      'not-found',
      `No credential for ${canonical}. Set ${envNameFor(secretKeys.sftpPassword(id))} (password) or ${envNameFor(secretKeys.sftpPrivateKey(id))} (private key, PEM).`,
    );
  }
  const target: TargetConfig = { id, kind: 'sftp', url: canonical, auth: hasPassword ? 'password' : 'key' };
  await svc.saveTarget(target);
  return target;
}

export function provisioningHandlers(
  app: Pick<AppContext, 'publishing' | 'currentSite' | 'platform'>,
): Pick<Handlers, keyof typeof provisioningCalls> {
  const svc = () => app.publishing();
  return {
    'provisioning.targets': async () => svc().targets(),
    'provisioning.saveTarget': async ({ target }) => svc().saveTarget(target),
    'provisioning.targetForUrl': async ({ url, id }) => targetForUrl(svc(), url, id),
    'provisioning.removeTarget': async ({ targetId }) => svc().removeTarget(targetId),
    'provisioning.setTargetCredential': async ({ targetId, password, privateKey, passphrase }) =>
      svc().setSftpCredential(
        targetId,
        password !== undefined ? { password } : { privateKey: privateKey!, ...(passphrase ? { passphrase } : {}) },
      ),
    'provisioning.checkTarget': async ({ targetId }) => svc().checkTarget(targetId),
    'provisioning.targetChecks': async () => svc().targetChecks(),
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
    'provisioning.trustHostKey': async ({ targetId, fingerprint, replace }) =>
      svc().trustHostKey(targetId, fingerprint, replace ?? false),
    'provisioning.preview': async ({ targetId, skipIncomplete }) =>
      svc().preview(targetId, skipIncomplete ? { skipIncomplete } : {}),
    'provisioning.server.start': async ({ config }) => svc().startServer(config),
    'provisioning.server.stop': async () => svc().stopServer(),
    'provisioning.server.status': async () => svc().serverStatus(),
    'provisioning.fetchLog': async ({ limit, since, servedOnly }) =>
      svc().fetchLog.read({ limit, ...(since ? { since } : {}), ...(servedOnly ? { servedOnly } : {}) }),
    'ca.import': async ({ pem }) => {
      await importCaBundle(app.currentSite(), pem);
      return caBundleView(app.currentSite());
    },
    'ca.show': async () => caBundleView(app.currentSite()),
    'tls.import': async ({ certificate, privateKey, pfxBase64, passphrase }) =>
      importServerCertificate(
        app.currentSite(),
        app.platform.secrets,
        pfxBase64 !== undefined
          ? { pfxBase64, passphrase: passphrase ?? '' }
          : { certificate: certificate!, privateKey: privateKey! },
      ),
    'tls.show': async () => serverCertificateView(app.currentSite()),
  };
}
