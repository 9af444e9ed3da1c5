// Provisioning for one open site: its targets and their credentials, pinned host keys, the built-in
// server and its fetch log, preview and the environment the publish job runs in.
//
// The built-in server listens only on an address of this laptop the technician chose (never "all"), under
// its random key, hands a phone's own file only to that phone (the address the inventory holds for the MAC,
// or one this laptop's neighbour table confirms), and stops by itself: after the time the site sets, or a few
// minutes after a verify job found every phone of the published set verified. Its status says so in words.
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { secretKeys } from '../secrets/secret-store';
import { envNameFor } from '../secrets/env-secret-store';
import { siteSecrets, digestUserFor } from '../secrets/admin-passwords';
import { FieldkitError } from '../util/errors';
import { macFileStem } from '../phone/mac';
import { onLinkMatcher } from '../discovery/arp-budget';
import { systemNeighbourReader, type NeighbourReader } from '../discovery/neighbours';
import { BuiltinServer, type MacFileVerdict, type ProvisioningRequestInfo } from './builtin-server';
import { FetchLog } from './fetch-log';
import { KnownHosts, normaliseFingerprint } from './known-hosts';
import { materializeSite, previewPublish, type PublishEnvironment, type PublishPreview } from './publish';
import { ContentDigest, loadPublished } from './published-store';
import { SftpTarget, HostKeyError } from './sftp-target';
import { WarmTargets } from './warm-targets';
import { TargetChecks, checkedTargetView, staleness, type CheckedTarget } from './target-checks';
import { parseSftpUrl } from './target-url';
import { isLoopbackAddress } from './phone-web-access';
import { loadSitePhones } from './site-phones';
import { serverTlsMaterial } from './site-certificates';
import {
  BUILTIN_TARGET_ID,
  findTarget,
  loadTargets,
  removeTarget,
  saveServerConfig,
  saveTarget,
  serverConfigWithKey,
  servedPath,
  type ServerConfig,
  type ServerConfigSchema,
  type SftpTargetConfig,
  type TargetConfig,
} from './targets-config';
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
  /** Told whenever the built-in server starts, stops or warns (the UI shows it at all times). */
  onServerChange?: (status: ServerStatus) => void;
  /** The laptop's interfaces and neighbour table (tests give their own). */
  interfaces?: typeof networkInterfaces;
  neighbours?: NeighbourReader;
}

export type { ServerStatus };

export type ServerState = ServerStatus['state'];

export interface TargetCheck {
  ok: boolean;
  state:
    'ok' | 'host-key-unknown' | 'host-key-changed' | 'login-refused' | 'no-credential' | 'no-folder' | 'unreachable';
  message: string;
  /** The host key the server offered: the pinned one when ok, else the one that is not (or no longer) pinned. */
  fingerprint?: string;
}

export type SftpCredential = { password: string } | { privateKey: string; passphrase?: string };

/** After a verification of every served phone: serving stops this much later (stragglers, retries). */
const STOP_AFTER_VERIFY_MS = 3 * 60_000;
const ADDRESS_BOOK_TTL_MS = 3000;

interface BuiltinState {
  server: BuiltinServer;
  config: ServerConfig & { pathKey: string };
  stale: string[];
  problem?: string;
  certificate: ServerStatus['certificate'];
}

export class PublishingService implements PublishEnvironment {
  readonly knownHosts: KnownHosts;
  readonly fetchLog: FetchLog;
  private builtin: Promise<BuiltinState> | undefined;
  private startedAt: Date | null = null;
  private stopsAt: Date | null = null;
  private stoppedAt: Date | null = null;
  private stoppedBecause: ServerStatus['stoppedBecause'] = null;
  private stopTimer: NodeJS.Timeout | undefined;
  private addressBook: { at: number; byMac: Map<string, string | null> } | undefined;
  /** Notes for the technician from preview and publish (shown in the job log). */
  private readonly notices: string[] = [];
  /** The preview's SFTP session, kept for the publish that follows (warm-targets.ts). */
  private readonly warm = new WarmTargets();
  /** The last check of each SFTP target, kept across restarts (target-checks.ts). */
  private readonly checks: TargetChecks;

  constructor(private readonly options: PublishingServiceOptions) {
    this.knownHosts = new KnownHosts(options.appDataDir);
    this.fetchLog = new FetchLog(options.site);
    this.checks = new TargetChecks(options.appDataDir, options.site);
  }

  notice(message: string): void {
    this.notices.push(message);
    if (this.notices.length > 50) this.notices.shift();
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
    await this.secrets.delete(secretKeys.sftpKeyPassphrase(id));
    await this.checks.forget(id);
    return removeTarget(this.site, id);
  }

  /**
   * Tries a target the way a publish will: connects (host key pinned), logs in, checks the folder. Nothing
   * is written. A target is worth selecting only when this says `ok`. An SFTP target's outcome is remembered
   * (target-checks.ts) so the choice survives a restart; the preview still connects and verifies the host key
   * itself, so nothing is ever published on the strength of an old check.
   */
  async checkTarget(targetId: string, now = new Date()): Promise<CheckedTarget> {
    const config = await findTarget(this.site, targetId);
    if (config.kind === 'builtin') {
      const status = await this.serverStatus();
      const check: TargetCheck = status.running
        ? { ok: true, state: 'ok', message: `The built-in server is ${status.summary}.` }
        : { ok: false, state: 'unreachable', message: `The built-in server is ${status.summary}. Start it first.` };
      return { ...check, targetId, checkedAt: now.toISOString(), stale: null };
    }
    const check = await this.trySftpTarget(config);
    // the check itself stands even when it cannot be remembered (a damaged file is named, never overwritten)
    const notKept = await this.checks.record(config, check, now).then(
      () => '',
      (e: unknown) => ` (Not remembered for the next session: ${(e as Error).message})`,
    );
    return { ...check, message: check.message + notKept, targetId, checkedAt: now.toISOString(), stale: null };
  }

  /** The remembered check of each SFTP target that has one, and whether it still describes the target. */
  async targetChecks(): Promise<CheckedTarget[]> {
    const stored = await this.checks.all();
    const out: CheckedTarget[] = [];
    for (const target of await this.targets()) {
      const check = stored[target.id];
      if (target.kind !== 'sftp' || !check) continue;
      const loc = parseSftpUrl(target.url);
      const secret = await this.secrets.get(
        target.auth === 'password' ? secretKeys.sftpPassword(target.id) : secretKeys.sftpPrivateKey(target.id),
      );
      const stale = staleness(check, {
        target,
        hasCredential: (secret ?? '') !== '',
        pinnedFingerprint: await this.knownHosts.lookup(loc.host, loc.port),
      });
      out.push(checkedTargetView(target.id, check, stale));
    }
    return out;
  }

  private async trySftpTarget(config: SftpTargetConfig): Promise<TargetCheck> {
    try {
      await (await this.openTarget(config.id, 'check')).close();
      // connected: the server offered exactly the key pinned for it, which is the one this check saw
      const loc = parseSftpUrl(config.url);
      const fingerprint = await this.knownHosts.lookup(loc.host, loc.port);
      return {
        ok: true,
        state: 'ok',
        message: `Fieldkit logged in to ${config.url} and found the folder.`,
        ...(fingerprint ? { fingerprint } : {}),
      };
    } catch (e) {
      if (e instanceof HostKeyError)
        return {
          ok: false,
          state: e.problem === 'host-key-unknown' ? 'host-key-unknown' : 'host-key-changed',
          message: e.message,
          fingerprint: e.fingerprint,
        };
      const error = e as FieldkitError;
      const state: TargetCheck['state'] =
        error.code === 'unauthorized'
          ? 'login-refused'
          : error.code === 'not-found' && /No (password|private key)/.test(error.message)
            ? 'no-credential'
            : error.code === 'not-found' || error.code === 'invalid-input'
              ? 'no-folder'
              : 'unreachable';
      return { ok: false, state, message: error.message };
    }
  }

  /** Stores an SFTP password or private key in the credential store (never in the site). */
  async setSftpCredential(targetId: string, credential: SftpCredential): Promise<{ stored: 'password' | 'key' }> {
    const target = await findTarget(this.site, targetId);
    if (target.kind !== 'sftp')
      throw new FieldkitError('invalid-input', `"${targetId}" is the built-in server; it needs no password.`);
    if ('password' in credential) {
      if (credential.password === '') throw new FieldkitError('invalid-input', 'The password is empty.');
      await this.secrets.set(secretKeys.sftpPassword(targetId), credential.password);
      await this.checks.credentialChanged(targetId, new Date());
      if (target.auth !== 'password') await saveTarget(this.site, { ...target, auth: 'password' });
      return { stored: 'password' };
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(credential.privateKey)) {
      throw new FieldkitError(
        'invalid-input',
        'That is not a private key in PEM/OpenSSH format (it should start with -----BEGIN … PRIVATE KEY-----).',
      );
    }
    await this.secrets.set(secretKeys.sftpPrivateKey(targetId), credential.privateKey);
    await this.checks.credentialChanged(targetId, new Date());
    if (credential.passphrase) await this.secrets.set(secretKeys.sftpKeyPassphrase(targetId), credential.passphrase);
    else await this.secrets.delete(secretKeys.sftpKeyPassphrase(targetId));
    if (target.auth !== 'key') await saveTarget(this.site, { ...target, auth: 'key' });
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
    if (replace) await this.assertOffered(targetId, fp);
    await this.knownHosts.trust(loc.host, loc.port, fp, { replace });
    return { hostPort: `${loc.host}:${loc.port}`, fingerprint: fp };
  }

  /**
   * A pinned key is replaced only by the one the server offers right now, as the technician read it from the
   * server's administrator: a fingerprint typed from anywhere else would pin a key nobody checked.
   */
  private async assertOffered(targetId: string, fingerprint: string): Promise<void> {
    let offered: string | null = null;
    try {
      await (await this.openTarget(targetId, 'probe')).close();
    } catch (e) {
      if (!(e instanceof HostKeyError)) throw e;
      offered = e.fingerprint;
    }
    if (offered === null)
      throw new FieldkitError(
        'conflict',
        `The server of "${targetId}" offers the key Fieldkit already trusts; there is nothing to replace.`,
      );
    if (offered !== fingerprint)
      throw new FieldkitError(
        'conflict',
        `The server of "${targetId}" offers ${offered}, not ${fingerprint}. Nothing was replaced: compare the fingerprint with the server's administrator again.`,
      );
  }

  async openTarget(targetId: string, tempTag: string): Promise<PublishTarget> {
    const config = await findTarget(this.site, targetId);
    if (config.kind === 'builtin') return (await this.builtinState()).server;
    const warmKey = JSON.stringify(config);
    const warm = this.warm.take(warmKey);
    if (warm) {
      warm.retag(tempTag.replace(/[^A-Za-z0-9-]/g, '') || 'fk');
      return warm;
    }
    const location = parseSftpUrl(config.url);
    const key = config.auth === 'password' ? secretKeys.sftpPassword(config.id) : secretKeys.sftpPrivateKey(config.id);
    const secret = await this.secrets.get(key);
    if (secret === undefined || secret === '') {
      throw new FieldkitError(
        'not-found',
        `No ${config.auth === 'password' ? 'password' : 'private key'} is stored for target "${config.id}". Enter it under Provisioning > Preview & publish > Targets > Edit (CLI: set ${envNameFor(key)}).`,
      );
    }
    const passphrase =
      config.auth === 'key' ? await this.secrets.get(secretKeys.sftpKeyPassphrase(config.id)) : undefined;
    const target = new SftpTarget({
      location,
      auth:
        config.auth === 'password'
          ? { password: secret }
          : { privateKey: secret, ...(passphrase ? { passphrase } : {}) },
      knownHosts: this.knownHosts,
      tempTag: tempTag.replace(/[^A-Za-z0-9-]/g, '') || 'fk',
      ...(config.parallel ? { parallel: config.parallel } : {}),
      ...(config.backups !== undefined ? { backups: config.backups } : {}),
    });
    await target.connect();
    return target;
  }

  /** After a preview: an SFTP session stays open for a moment for the publish (same target settings only). */
  async releaseTarget(targetId: string, target: PublishTarget): Promise<void> {
    const config = await findTarget(this.site, targetId).catch(() => undefined);
    if (config?.kind === 'sftp' && target instanceof SftpTarget) await this.warm.park(JSON.stringify(config), target);
    else await target.close();
  }

  preview(targetId: string, options: { skipIncomplete?: boolean } = {}): Promise<PublishPreview> {
    return previewPublish(this, targetId, new Date(), options);
  }

  async afterPublish(targetId: string, log: (message: string) => void): Promise<void> {
    for (const n of this.notices.splice(0)) log(n);
    if (targetId !== BUILTIN_TARGET_ID) return;
    try {
      const status = await this.startServer();
      log(`The built-in server is ${status.summary} at ${status.url}`);
    } catch (e) {
      log(`The files are published, but the built-in server did not start: ${(e as Error).message}`);
    }
  }

  /** Told when a verify job ends: every served phone verified lets the server stop soon after. */
  async verificationDone(verified: readonly string[]): Promise<void> {
    if (!this.builtin) return;
    const state = await this.builtin;
    if (!state.server.running || !state.config.stopAfterVerify) return;
    const served = (await state.server.list()).filter((n) => /^[0-9A-F]{12}\.cfg$/.test(n)).map((n) => n.slice(0, 12));
    const done = new Set(verified.map((m) => m.toUpperCase()));
    if (served.length === 0 || !served.every((m) => done.has(m))) return;
    this.scheduleStop(STOP_AFTER_VERIFY_MS, 'verified');
  }

  // ---- built-in server --------------------------------------------------------------------------

  /** The server object (created with the site's settings and the last published set, not started). */
  private builtinState(): Promise<BuiltinState> {
    this.builtin ??= this.createBuiltin().catch((e: unknown) => {
      this.builtin = undefined;
      throw e;
    });
    return this.builtin;
  }

  private async createBuiltin(): Promise<BuiltinState> {
    const config = await serverConfigWithKey(this.site);
    const tls = config.https ? await serverTlsMaterial(this.site, this.secrets, this.appDataDir) : undefined;
    const view = siteSecrets(this.secrets, this.site.meta.id);
    const server = new BuiltinServer({
      address: config.address || '127.0.0.1',
      port: config.port,
      pathPrefix: config.pathPrefix,
      pathKey: config.pathKey,
      firmwareDir: this.site.path('firmware'),
      // a firmware staging folder offers its `<model>.st` straight from the library (not held in memory)
      folderImagesDir: (folder) => {
        const images = this.options.folderImages?.(folder);
        return images === undefined ? undefined : this.site.path(images);
      },
      ...(tls ? { tls: { key: tls.key, cert: tls.cert } } : {}),
      log: (entry) => this.fetchLog.append(entry),
      authorizeMacFile: (request) => this.authorizeMacFile(request.mac, request.ip),
      ...(config.digest.enabled
        ? {
            digest: {
              factoryLogin: config.digest.factoryLogin,
              passwordFor: async (user: string) => {
                const m = /^fk([0-9A-F]{12})$/.exec(user);
                if (!m || digestUserFor(m[1]!) !== user) return undefined;
                const password = await view.get(secretKeys.httpDigestPassword(m[1]!));
                return password ? { password, mac: m[1]! } : undefined;
              },
            },
          }
        : {}),
      ...(this.options.onRequest ? { onRequest: this.options.onRequest } : {}),
    });
    server.on('warning', () => this.changed());
    const certificate: ServerStatus['certificate'] = tls?.kind ?? 'none';
    // Serve again what was published last: the same bytes are rebuilt from the generated set and the
    // credential store; a file that no longer rebuilds identically is left out (publish again).
    const published = await loadPublished(this.site, BUILTIN_TARGET_ID);
    const stale: string[] = [];
    if (!published || published.files.length === 0) return { server, config, stale, certificate };
    try {
      const digest = await ContentDigest.open(this.appDataDir);
      const { files } = await materializeSite(this.site, this.secrets, { skipIncomplete: true });
      const byName = new Map(files.map((f) => [f.file.name, f]));
      for (const entry of published.files) {
        const m = byName.get(entry.name);
        if (m && digest.matches(entry, m.bytes))
          await server.write(entry.name, m.bytes, { expectSha256: null, backup: false });
        else stale.push(entry.name);
      }
      return { server, config, stale, certificate };
    } catch (e) {
      return { server, config, stale: published.files.map((f) => f.name), problem: (e as Error).message, certificate };
    }
  }

  /**
   * A phone's own file goes to the address the inventory holds for its MAC; a phone the inventory has not
   * seen at this address yet passes when this laptop's neighbour table says the address is that MAC.
   */
  private async authorizeMacFile(mac: string, ip: string): Promise<MacFileVerdict> {
    const now = Date.now();
    if (!this.addressBook || now - this.addressBook.at > ADDRESS_BOOK_TTL_MS) {
      const phones = await loadSitePhones(this.site).catch(() => []);
      this.addressBook = { at: now, byMac: new Map(phones.map((p) => [p.mac, p.ip])) };
    }
    const known = this.addressBook.byMac.get(mac) ?? null;
    if (known === ip) return { allowed: true };
    if (!isLoopbackAddress(ip) && onLinkMatcher()(ip)) {
      const entries = await (this.options.neighbours ?? systemNeighbourReader())().catch(() => []);
      const entry = entries.find((e) => e.ip === ip);
      if (entry && macFileStem(entry.mac) === mac) return { allowed: true };
    }
    return {
      allowed: false,
      reason: known
        ? `the inventory has phone ${mac} at ${known}, not ${ip}`
        : `the inventory has no address for phone ${mac} (scan the phones first; its next resync then gets the file)`,
    };
  }

  /** Refuses an address that is not one of this laptop's (0.0.0.0, "all", included). */
  private checkListenAddress(address: string): void {
    if (address === '')
      throw new FieldkitError(
        'invalid-input',
        "Choose the address of this laptop's network card the phones are on: the built-in server listens there only.",
      );
    const own = Object.values((this.options.interfaces ?? networkInterfaces)())
      .flat()
      .map((i) => i?.address)
      .filter((a): a is string => typeof a === 'string');
    if (isIP(address) === 0 || (!own.includes(address) && !isLoopbackAddress(address)))
      throw new FieldkitError(
        'invalid-input',
        `${address} is not an address of this laptop${address === '0.0.0.0' || address === '::' ? ' (it means "every network card", Wi-Fi and VPN included)' : ''}. Choose one of: ${own.filter((a) => !a.startsWith('fe80')).join(', ')}.`,
      );
  }

  private scheduleStop(ms: number, because: 'time-limit' | 'verified'): void {
    clearTimeout(this.stopTimer);
    const at = new Date(Date.now() + ms);
    if (this.stopsAt && this.stopsAt < at) return;
    this.stopsAt = at;
    this.stopTimer = setTimeout(() => {
      void this.stopServer(because);
    }, ms);
    this.stopTimer.unref();
    this.changed();
  }

  private changed(): void {
    // only about a server that exists: asking for the status would make one (and its key)
    if (!this.options.onServerChange || !this.builtin) return;
    void this.serverStatus()
      .then((s) => this.options.onServerChange?.(s))
      .catch(() => undefined);
  }

  /** Starts the built-in server; a changed setting restarts it with the new one. */
  async startServer(change?: z.input<typeof ServerConfigSchema>): Promise<ServerStatus> {
    if (change) {
      if (change.address !== undefined) this.checkListenAddress(change.address);
      await this.stopServer();
      this.builtin = undefined;
      const current = await serverConfigWithKey(this.site);
      // a key given explicitly (one already in the site's DHCP option 66) replaces the random one
      await saveServerConfig(this.site, { ...current, ...change, pathKey: change.pathKey ?? current.pathKey });
    }
    const { server, config } = await this.builtinState();
    this.checkListenAddress(config.address);
    if (!server.running) {
      await server.start();
      this.startedAt = new Date();
      this.stoppedAt = null;
      this.stoppedBecause = null;
    }
    // every start (by hand, after a publish, for a firmware run) gives the time limit afresh and cancels a
    // stop planned after an earlier verification
    clearTimeout(this.stopTimer);
    this.stopsAt = null;
    if (config.stopAfterMinutes > 0) this.scheduleStop(config.stopAfterMinutes * 60_000, 'time-limit');
    this.changed();
    return this.serverStatus();
  }

  async stopServer(because: ServerStatus['stoppedBecause'] = 'by-hand'): Promise<ServerStatus> {
    clearTimeout(this.stopTimer);
    this.stopsAt = null;
    if (this.builtin) {
      const state = await this.builtin.catch(() => undefined);
      if (state?.server.running) {
        await state.server.stop();
        this.stoppedAt = new Date();
        this.stoppedBecause = because;
      }
    }
    await this.fetchLog.flush();
    this.changed();
    return this.serverStatus();
  }

  async serverStatus(): Promise<ServerStatus> {
    let asked = this.builtinState();
    let state = await asked;
    // a start with new settings replaced the server while this waited: answer for the one that runs now
    while (this.builtin !== undefined && this.builtin !== asked) state = await (asked = this.builtin);
    const files = await state.server.list();
    const running = state.server.running;
    const status: ServerState = running ? 'running' : this.stoppedAt ? 'stopped' : 'not-started';
    const summary = running
      ? `running, serving ${files.length} file${files.length === 1 ? '' : 's'}${files.length === 0 ? ' (nothing published: phones get nothing)' : ''}`
      : status === 'stopped'
        ? `stopped${this.stoppedBecause === 'time-limit' ? ' (its time limit passed)' : this.stoppedBecause === 'verified' ? ' (every phone was verified)' : ''}: phones that resync get nothing`
        : state.config.address === ''
          ? 'not started: choose the address of the network card the phones are on'
          : 'not started: phones get nothing until it runs';
    const certificateWarning =
      state.config.https && state.certificate === 'self-signed'
        ? "HTTPS with this laptop's self-signed certificate: for the lab and the demo only; real phones trust a certificate issued by the customer's CA."
        : undefined;
    return {
      running,
      state: status,
      summary,
      url: state.server.url(),
      config: state.config,
      phonePath: servedPath(state.config),
      files,
      stale: state.stale,
      ...(state.problem ? { problem: state.problem } : {}),
      startedAt: running ? (this.startedAt?.toISOString() ?? null) : null,
      stopsAt: running ? (this.stopsAt?.toISOString() ?? null) : null,
      stoppedAt: this.stoppedAt?.toISOString() ?? null,
      stoppedBecause: this.stoppedBecause,
      warnings: state.server.warnings().slice(-50),
      refused: state.server.refused,
      throttledClients: state.server.throttledClients(),
      logDropped: this.fetchLog.dropped,
      certificate: state.certificate,
      ...(certificateWarning ? { certificateWarning } : {}),
    };
  }

  /** The running (or not yet started) built-in server, for verification to watch its fetches. */
  async server(): Promise<BuiltinServer> {
    return (await this.builtinState()).server;
  }

  async dispose(): Promise<void> {
    await this.warm.closeAll();
    if (this.builtin) await this.stopServer('site-closed');
    else await this.fetchLog.flush();
  }
}
