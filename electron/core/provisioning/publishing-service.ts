// Provisioning for one open site: its targets and their credentials, pinned host keys, the built-in
// server and its fetch log, preview and the environment the publish job runs in.
import { secretKeys } from '../secrets/secret-store';
import { envNameFor } from '../secrets/env-secret-store';
import { FieldkitError } from '../util/errors';
import { BuiltinServer, type ProvisioningRequestInfo } from './builtin-server';
import { FetchLog } from './fetch-log';
import { KnownHosts, normaliseFingerprint } from './known-hosts';
import { materializeSite, previewPublish, type PublishEnvironment, type PublishPreview } from './publish';
import { ContentDigest, loadPublished } from './published-store';
import { SftpTarget } from './sftp-target';
import { parseSftpUrl } from './target-url';
import {
  BUILTIN_TARGET_ID,
  findTarget,
  loadServerConfig,
  loadTargets,
  removeTarget,
  saveServerConfig,
  saveTarget,
  type ServerConfig,
  type ServerConfigSchema,
  type TargetConfig,
} from './targets-config';
import { ensureSelfSignedCert } from './tls-cert';
import type { PublishTarget } from './target';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { SecretStore } from '../secrets/secret-store';
import type { z } from 'zod';
import type { ServerStatus } from './publishing-schemas';

export interface PublishingServiceOptions {
  site: SiteWorkspace;
  secrets: SecretStore;
  /** Fieldkit's own data folder: pinned host keys, the digest key, previews, the HTTPS certificate. */
  appDataDir: string;
  /** Passive discovery: every request to the built-in server, with the phone's User-Agent. */
  onRequest?: (request: ProvisioningRequestInfo) => void;
  /**
   * The site-relative folder whose images a served sub-folder offers (firmware staging folders offer
   * their `<model>.st` straight from the library); injected so provisioning does not depend on firmware.
   */
  folderImages?: (folder: string) => string | undefined;
}

export type { ServerStatus };

export type SftpCredential = { password: string } | { privateKey: string };

export class PublishingService implements PublishEnvironment {
  readonly knownHosts: KnownHosts;
  readonly fetchLog: FetchLog;
  private builtin:
    Promise<{ server: BuiltinServer; config: ServerConfig; stale: string[]; problem?: string }> | undefined;

  constructor(private readonly options: PublishingServiceOptions) {
    this.knownHosts = new KnownHosts(options.appDataDir);
    this.fetchLog = new FetchLog(options.site);
  }

  get site(): SiteWorkspace {
    return this.options.site;
  }

  get secrets(): SecretStore {
    return this.options.secrets;
  }

  get appDataDir(): string {
    return this.options.appDataDir;
  }

  targets(): Promise<TargetConfig[]> {
    return loadTargets(this.site);
  }

  saveTarget(target: TargetConfig): Promise<TargetConfig[]> {
    return saveTarget(this.site, target);
  }

  async removeTarget(id: string): Promise<TargetConfig[]> {
    await this.secrets.delete(secretKeys.sftpPassword(id));
    await this.secrets.delete(secretKeys.sftpPrivateKey(id));
    return removeTarget(this.site, id);
  }

  /** Stores an SFTP password or private key in the credential store (never in the site). */
  async setSftpCredential(targetId: string, credential: SftpCredential): Promise<{ stored: 'password' | 'key' }> {
    const target = await findTarget(this.site, targetId);
    if (target.kind !== 'sftp')
      throw new FieldkitError('invalid-input', `"${targetId}" is the built-in server; it needs no password.`);
    if ('password' in credential) {
      if (credential.password === '') throw new FieldkitError('invalid-input', 'The password is empty.');
      await this.secrets.set(secretKeys.sftpPassword(targetId), credential.password);
      return { stored: 'password' };
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(credential.privateKey)) {
      throw new FieldkitError(
        'invalid-input',
        'That is not a private key in PEM/OpenSSH format (it should start with -----BEGIN … PRIVATE KEY-----).',
      );
    }
    await this.secrets.set(secretKeys.sftpPrivateKey(targetId), credential.privateKey);
    return { stored: 'key' };
  }

  async trustHostKey(
    targetId: string,
    fingerprint: string,
    replace = false,
  ): Promise<{ hostPort: string; fingerprint: string }> {
    const target = await findTarget(this.site, targetId);
    if (target.kind !== 'sftp')
      throw new FieldkitError('invalid-input', `"${targetId}" is the built-in server; it has no host key.`);
    const loc = parseSftpUrl(target.url);
    const fp = normaliseFingerprint(fingerprint);
    await this.knownHosts.trust(loc.host, loc.port, fp, { replace });
    return { hostPort: `${loc.host}:${loc.port}`, fingerprint: fp };
  }

  async openTarget(targetId: string, tempTag: string): Promise<PublishTarget> {
    const config = await findTarget(this.site, targetId);
    if (config.kind === 'builtin') return (await this.builtinState()).server;
    const location = parseSftpUrl(config.url);
    const key = config.auth === 'password' ? secretKeys.sftpPassword(config.id) : secretKeys.sftpPrivateKey(config.id);
    const secret = await this.secrets.get(key);
    if (secret === undefined || secret === '') {
      throw new FieldkitError(
        'not-found',
        `No ${config.auth === 'password' ? 'password' : 'private key'} is stored for target "${config.id}". Enter it under Provisioning > Targets (CLI: set ${envNameFor(key)}).`,
      );
    }
    const target = new SftpTarget({
      location,
      auth: config.auth === 'password' ? { password: secret } : { privateKey: secret },
      knownHosts: this.knownHosts,
      tempTag: tempTag.replace(/[^A-Za-z0-9-]/g, '') || 'fk',
      ...(config.parallel ? { parallel: config.parallel } : {}),
    });
    await target.connect();
    return target;
  }

  preview(targetId: string): Promise<PublishPreview> {
    return previewPublish(this, targetId);
  }

  async afterPublish(targetId: string, log: (message: string) => void): Promise<void> {
    if (targetId !== BUILTIN_TARGET_ID) return;
    const status = await this.startServer();
    log(`The built-in server serves the published files at ${status.url}`);
  }

  // ---- built-in server --------------------------------------------------------------------------

  /** The server object (created with the site's settings and the last published set, not started). */
  private builtinState() {
    this.builtin ??= this.createBuiltin().catch((e: unknown) => {
      this.builtin = undefined;
      throw e;
    });
    return this.builtin;
  }

  private async createBuiltin(): Promise<{
    server: BuiltinServer;
    config: ServerConfig;
    stale: string[];
    problem?: string;
  }> {
    const config = await loadServerConfig(this.site);
    const server = new BuiltinServer({
      address: config.address,
      port: config.port,
      pathPrefix: config.pathPrefix,
      firmwareDir: this.site.path('firmware'),
      // a firmware staging folder offers its `<model>.st` straight from the library (not held in memory)
      folderImagesDir: (folder) => {
        const images = this.options.folderImages?.(folder);
        return images === undefined ? undefined : this.site.path(images);
      },
      ...(config.https ? { tls: await ensureSelfSignedCert(this.appDataDir) } : {}),
      log: (entry) => this.fetchLog.append(entry),
      ...(this.options.onRequest ? { onRequest: this.options.onRequest } : {}),
    });
    // Serve again what was published last: the same bytes are rebuilt from the generated set and the
    // credential store; a file that no longer rebuilds identically is left out (publish again).
    const published = await loadPublished(this.site, BUILTIN_TARGET_ID);
    const stale: string[] = [];
    if (!published || published.files.length === 0) return { server, config, stale };
    try {
      const digest = await ContentDigest.open(this.appDataDir);
      const { files } = await materializeSite(this.site, this.secrets);
      const byName = new Map(files.map((f) => [f.file.name, f]));
      for (const entry of published.files) {
        const m = byName.get(entry.name);
        if (m && digest.matches(entry, m.bytes))
          await server.write(entry.name, m.bytes, { expectSha256: null, backup: false });
        else stale.push(entry.name);
      }
      return { server, config, stale };
    } catch (e) {
      return { server, config, stale: published.files.map((f) => f.name), problem: (e as Error).message };
    }
  }

  /** Starts the built-in server; a changed setting restarts it with the new one. */
  async startServer(change?: z.input<typeof ServerConfigSchema>): Promise<ServerStatus> {
    if (change) {
      await this.stopServer();
      this.builtin = undefined;
      await saveServerConfig(this.site, { ...(await loadServerConfig(this.site)), ...change });
    }
    const { server } = await this.builtinState();
    await server.start();
    return this.serverStatus();
  }

  async stopServer(): Promise<ServerStatus> {
    if (this.builtin) await (await this.builtin).server.stop();
    await this.fetchLog.flush();
    return this.serverStatus();
  }

  async serverStatus(): Promise<ServerStatus> {
    const state = await this.builtinState();
    return {
      running: state.server.running,
      url: state.server.url(),
      config: state.config,
      files: await state.server.list(),
      stale: state.stale,
      ...(state.problem ? { problem: state.problem } : {}),
    };
  }

  /** The running (or not yet started) built-in server, for verification to watch its fetches. */
  async server(): Promise<BuiltinServer> {
    return (await this.builtinState()).server;
  }

  async dispose(): Promise<void> {
    if (this.builtin) await (await this.builtin.catch(() => undefined))?.server.stop();
    await this.fetchLog.flush();
  }
}
