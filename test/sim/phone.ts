// One simulated Mitel 6867i/6865i: SIP UAS, embedded web server, boot/provisioning/flash cycle, faults,
// and an inspection door for tests (real phones have none; the product must never rely on it).
import { EventEmitter } from 'node:events';
import { SystemClock, crossedTimeOfDay, parseResyncTime } from './clock';
import { parseCfg } from './cfg-file';
import { WRONG_CREDENTIALS_PASSWORD, seededRandom } from './faults';
import { readFirmwareHeader, verifyFirmwareImage, VERSION_PATTERN } from './firmware-image';
import { macWithSeparator, normaliseMac } from './mac';
import { PhoneSettings } from './phone-settings';
import { fetchFile, fileUrl } from './provisioning-client';
import { simulatorCertificate } from './self-signed-cert';
import { SipEndpoint } from './sip-endpoint';
import { header } from './sip-message';
import { parseExecuteItems, WebUi } from './web-ui';
import { PhoneTrust } from './trust';
import type { SipRequest } from './sip-message';
import type { SipReply } from './sip-endpoint';
import type { PhoneFaults } from './faults';
import type { SimClock } from './clock';
import type { WebUiHost } from './web-ui';
import type { SysinfoData } from './web-pages';

export type PhoneModel = '6867i' | '6865i';
export type BannerPrefix = 'Aastra' | 'Mitel';
/** Which global file the phone asks for: the name used by 5.x/6.x is uncertain (phone-facts §1). */
export type GlobalCfgMode = 'startup-then-aastra' | 'startup' | 'aastra' | 'both';
export type PhoneState = 'off' | 'booting' | 'flashing' | 'online' | 'dead';
type BootKind = 'full' | 'fast';

export interface SimPhoneOptions {
  model: PhoneModel;
  mac: string;
  firmware: string;
  address: string;
  bannerPrefix?: BannerPrefix;
  /** Pre-set admin password as a local setting (cleared by factory default). Default: firmware default 22222. */
  adminPassword?: string;
  sipPort?: number | null;
  sipTcp?: boolean;
  httpPort?: number | null;
  httpsPort?: number | null;
  /** Configuration server handed to the phone by the network (our stand-in for DHCP option 66). */
  provisioningUrl?: string;
  globalCfgMode?: GlobalCfgMode;
  /** Offline time of every reboot. Default 1500 ms. */
  bootMs?: number;
  /** Extra time a firmware flash takes. Default 3000 ms. */
  flashMs?: number;
  downloadTimeoutMs?: number;
  clock?: SimClock;
  faults?: PhoneFaults;
  /** Starts as a factory-fresh phone: web POSTs are ignored until /sysinfo.html was fetched (phone-facts §3, ELX). */
  factoryState?: boolean;
  /** Certificates the phone already trusts (loaded earlier), and the OSV proxy's certificate (trust.ts). */
  trust?: ConstructorParameters<typeof PhoneTrust>[0];
  /**
   * Web sessions (phone-facts §11): a client address whose last authenticated request is older than this gets one
   * "Session Expired" page instead of the page it asked for. Default 30000 ms; the real value is not public.
   */
  webSessionIdleMs?: number;
}

export interface PhoneEvent {
  seq: number;
  at: number;
  type: string;
  detail: Record<string, unknown>;
}

export interface PhoneInspection {
  model: PhoneModel;
  mac: string;
  address: string;
  firmware: string;
  bannerPrefix: BannerPrefix;
  state: PhoneState;
  faults: PhoneFaults;
  settings: ReturnType<PhoneSettings['snapshot']>;
  history: PhoneEvent[];
  /** What the phone trusts (trust.ts) and whether line 1 registers (TLS needs the trusted certificates). */
  trust: ReturnType<PhoneTrust['snapshot']>;
  line1: ReturnType<PhoneTrust['sipState']>;
}

const MAX_CFG_BYTES = 1024 * 1024;
const MAX_FIRMWARE_BYTES = 256 * 1024 * 1024;
const MAX_HISTORY = 2000;
/** Allow header: plausible for a SIP phone, not seen in a public capture of a 6800 (unverified). */
const ALLOW = 'INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS, INFO, UPDATE, PRACK';
const IN_DIALOG_METHODS = new Set(['BYE', 'INFO', 'UPDATE', 'PRACK', 'REFER', 'CANCEL']);

const FIRMWARE_DEFAULTS = new Map<string, string>([
  ['download protocol', 'TFTP'],
  // AG331 p.A-84: default 1 (UDP); AG322 p.A-240: whitelist default 0 (phone-facts §1, §10)
  ['sip transport protocol', '1'],
  ['sip whitelist', '0'],
  ['http port', '80'],
  ['https port', '443'],
  ['admin password', '22222'],
  ['auto resync mode', '0'],
  ['auto resync time', '00:00'],
  ['auto resync max delay', '15'],
  ['auto resync days', '0'],
  ['xml application post list', ''],
  ['sip xml notify event', '0'],
  ['contact rcs', '1'],
]);

export class SimPhone {
  readonly model: PhoneModel;
  readonly mac: string;
  readonly address: string;
  readonly bannerPrefix: BannerPrefix;
  readonly sipPort: number | null;
  readonly httpPort: number | null;
  readonly httpsPort: number | null;
  private firmwareVersion: string;
  private phoneState: PhoneState = 'off';
  private faultState: PhoneFaults;
  private lossRandom: () => number;
  private readonly settings = new PhoneSettings(FIRMWARE_DEFAULTS);
  private readonly trust: PhoneTrust;
  private readonly clock: SimClock;
  private readonly events = new EventEmitter();
  private readonly historyLog: PhoneEvent[] = [];
  private seq = 0;
  private sip: SipEndpoint | null = null;
  private web: WebUi | null = null;
  private booting = false;
  private stopped = false;
  private sysinfoSeen: boolean;
  private lastClockCheck: number;
  private unsubscribeClock: (() => void) | null = null;
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  /** Web sessions by client address: when each last made an authenticated request (phone-facts §11). */
  private readonly webSessions = new Map<string, number>();

  constructor(private readonly opts: SimPhoneOptions) {
    if (!VERSION_PATTERN.test(opts.firmware))
      throw new Error(`firmware "${opts.firmware}" must be four numeric fields, e.g. 6.5.0.224`);
    if (opts.model !== '6867i' && opts.model !== '6865i')
      throw new Error(`model "${String(opts.model)}" must be 6867i or 6865i`);
    this.model = opts.model;
    this.mac = normaliseMac(opts.mac);
    this.address = opts.address;
    this.firmwareVersion = opts.firmware;
    this.bannerPrefix = opts.bannerPrefix ?? 'Mitel';
    this.sipPort = opts.sipPort === undefined ? 5060 : opts.sipPort;
    this.httpPort = opts.httpPort === undefined ? 80 : opts.httpPort;
    this.httpsPort = opts.httpsPort === undefined ? 443 : opts.httpsPort;
    this.faultState = { ...opts.faults };
    this.lossRandom = seededRandom(this.faultState.sipLossSeed ?? 1);
    this.clock = opts.clock ?? new SystemClock();
    this.lastClockCheck = this.clock.now();
    this.sysinfoSeen = !opts.factoryState;
    this.trust = new PhoneTrust(opts.trust);
    if (opts.adminPassword !== undefined) this.settings.setLocal('admin password', opts.adminPassword);
    if (opts.provisioningUrl) this.setNetworkConfigServer(opts.provisioningUrl);
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Powers the phone on: downloads its configuration (and firmware) like any full boot, then goes online. */
  async start(): Promise<void> {
    this.stopped = false;
    this.unsubscribeClock ??= this.clock.subscribe(() => this.onClockTick());
    this.record('power-on', { firmware: this.firmwareVersion });
    await this.bootSequence('full', 'power-on', 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribeClock?.();
    this.unsubscribeClock = null;
    for (const t of this.timers) {
      clearTimeout(t.timer);
      t.resolve();
    }
    this.timers.clear();
    await this.goOffline();
    this.phoneState = 'off';
  }

  /** A technician unplugs and replugs the phone: also revives a phone that never came back. */
  powerCycle(): Promise<void> {
    this.booting = false;
    return this.reboot('full', 'power-cycle');
  }

  /** Starts a reboot in the background; resolves when the phone is online again (or dead). */
  reboot(kind: BootKind, reason: string): Promise<void> {
    if (this.booting) {
      this.record('reboot-ignored', { kind, reason, why: 'already booting' });
      return Promise.resolve();
    }
    return this.bootSequence(kind, reason, this.opts.bootMs ?? 1500);
  }

  get state(): PhoneState {
    return this.phoneState;
  }

  get firmware(): string {
    return this.firmwareVersion;
  }

  // ---- faults and inspection (test-only door) --------------------------------------------------

  setFaults(faults: PhoneFaults): void {
    this.faultState = { ...faults };
    this.lossRandom = seededRandom(faults.sipLossSeed ?? 1);
    this.record('faults-set', { ...faults });
  }

  get faults(): PhoneFaults {
    return { ...this.faultState };
  }

  setting(name: string): string | undefined {
    return this.settings.get(name);
  }

  get history(): PhoneEvent[] {
    return [...this.historyLog];
  }

  inspect(): PhoneInspection {
    return {
      model: this.model,
      mac: this.mac,
      address: this.address,
      firmware: this.firmwareVersion,
      bannerPrefix: this.bannerPrefix,
      state: this.phoneState,
      faults: this.faults,
      settings: this.settings.snapshot(),
      history: this.history,
      trust: this.trust.snapshot(),
      line1: this.trust.sipState((n) => this.settings.get(n)),
    };
  }

  /** Resolves with the first event of `type` after event number `afterSeq` that matches `match`. */
  waitForEvent(
    type: string,
    opts: { afterSeq?: number; timeoutMs?: number; match?: (e: PhoneEvent) => boolean } = {},
  ): Promise<PhoneEvent> {
    const ok = (e: PhoneEvent): boolean => e.type === type && e.seq > (opts.afterSeq ?? 0) && (opts.match?.(e) ?? true);
    const seen = this.historyLog.find(ok);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('event', listener);
        reject(new Error(`phone ${this.mac}: no "${type}" event within ${opts.timeoutMs ?? 10_000} ms`));
      }, opts.timeoutMs ?? 10_000);
      const listener = (e: PhoneEvent): void => {
        if (!ok(e)) return;
        clearTimeout(timer);
        this.events.off('event', listener);
        resolve(e);
      };
      this.events.on('event', listener);
    });
  }

  get lastSeq(): number {
    return this.seq;
  }

  userAgent(): string {
    return `${this.bannerPrefix}${this.model} MAC:${macWithSeparator(this.mac, '-')} V:${this.firmwareVersion}-SIP`;
  }

  sipBanner(): string {
    return `${this.bannerPrefix} ${this.model}/${this.firmwareVersion}`;
  }

  private record(type: string, detail: Record<string, unknown>): void {
    const event = { seq: ++this.seq, at: Date.now(), type, detail };
    this.historyLog.push(event);
    if (this.historyLog.length > MAX_HISTORY) this.historyLog.shift();
    this.events.emit('event', event);
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.timers.add(entry);
    });
  }

  // ---- boot ------------------------------------------------------------------------------------

  private async bootSequence(kind: BootKind, reason: string, offlineMs: number): Promise<void> {
    this.booting = true;
    this.phoneState = 'booting';
    this.record('boot-started', { kind, reason, firmware: this.firmwareVersion });
    await this.goOffline();
    if (this.faultState.neverComesBack && reason !== 'power-cycle' && reason !== 'power-on') {
      this.phoneState = 'dead';
      this.booting = false;
      this.record('dead', { reason: 'fault neverComesBack' });
      return;
    }
    let checkFirmware = kind === 'full';
    let waitMs = offlineMs;
    for (;;) {
      await this.sleep(waitMs);
      if (this.stopped) return;
      const outcome = await this.provision(true, checkFirmware);
      if (this.stopped) return;
      if (outcome !== 'power-lost') break;
      // Power came back: an ordinary power-on boot of the old firmware, which checks firmware again.
      this.record('boot-started', { kind: 'full', reason: 'power restored', firmware: this.firmwareVersion });
      checkFirmware = true;
      waitMs = this.opts.bootMs ?? 1500;
    }
    await this.goOnline();
    this.booting = false;
    this.lastClockCheck = this.clock.now();
    this.record('online', { firmware: this.firmwareVersion, kind, reason });
  }

  private async goOffline(): Promise<void> {
    const sip = this.sip;
    const web = this.web;
    this.sip = null;
    this.web = null;
    await Promise.all([sip?.stop(), web?.stop()]);
  }

  private async goOnline(): Promise<void> {
    this.webSessions.clear();
    // A phone on TLS signalling (transport 4) answers no SIP on 5060: nothing public says it still listens on
    // UDP/TCP there (phone-facts §10). TLS on 5061 is not simulated (the product never speaks SIP over TLS).
    const transport = this.settings.get('sip transport protocol') ?? '1';
    if (this.sipPort !== null && transport === '4') {
      this.record('sip-not-listening', { reason: 'sip transport protocol: 4 (TLS only)', port: this.sipPort });
    } else if (this.sipPort !== null) {
      const sip = new SipEndpoint({
        address: this.address,
        port: this.sipPort,
        tcp: this.opts.sipTcp ?? true,
        answer: (req, source) => this.answerSip(req, source),
        gate: () => ({
          drop: Boolean(this.faultState.unreachable) || this.lossRandom() < (this.faultState.sipLossRate ?? 0),
          delayMs: this.faultState.slowMs ?? 0,
        }),
      });
      await sip.start();
      this.sip = sip;
    }
    if (this.httpPort !== null || this.httpsPort !== null) {
      const web = new WebUi(this.webHost());
      await web.start(
        this.address,
        this.httpPort,
        this.httpsPort,
        this.httpsPort !== null ? await simulatorCertificate() : null,
      );
      this.web = web;
    }
    this.phoneState = 'online';
  }

  private configServerBase(): { protocol: 'http' | 'https'; server: string; port?: string; path?: string } | string {
    const protocol = (this.settings.get('download protocol') ?? 'TFTP').toUpperCase();
    if (protocol !== 'HTTP' && protocol !== 'HTTPS')
      return `download protocol ${protocol} is not simulated (HTTP/HTTPS only)`;
    const p = protocol.toLowerCase() as 'http' | 'https';
    const server = this.settings.get(`${p} server`) ?? '';
    if (server === '') return `no ${p} server configured`;
    return { protocol: p, server, port: this.settings.get(`${p} port`), path: this.settings.get(`${p} path`) };
  }

  private async download(file: string, maxBytes: number) {
    const base = this.configServerBase();
    if (typeof base === 'string') throw new Error(base);
    return this.fetchUrl(file, fileUrl(base.protocol, base.server, base.port, base.path, file), maxBytes);
  }

  /** Every file the phone fetches goes through here (configuration path or `firmware server`). */
  private async fetchUrl(file: string, url: string, maxBytes: number) {
    const result = await fetchFile(url, {
      userAgent: this.userAgent(),
      localAddress: this.address,
      timeoutMs: this.opts.downloadTimeoutMs ?? 5000,
      maxBytes,
      https: this.trust.httpsPolicy((n) => this.settings.get(n)),
    });
    this.record('file-fetched', {
      file,
      url,
      result: result.status,
      ...(result.status === 'missing' ? { code: result.code } : {}),
      ...(result.status === 'error' ? { error: result.error } : {}),
    });
    return result;
  }

  /**
   * The `<model>.st` to check: from `firmware server` when it is set (a quoted URL, no file name, phone-facts §8:
   * the real 6869i fetched `/firmware/6869i.st` from it, not from its configuration path), else from the
   * configuration path (AG420 p.1-25). A `firmware server` that does not serve the file is not followed by a second
   * try on the configuration path: nothing public says the phone falls back.
   */
  private async downloadFirmware() {
    const file = `${this.model}.st`;
    const server = (this.settings.get('firmware server') ?? '').trim();
    if (server === '') return this.download(file, MAX_FIRMWARE_BYTES);
    let url: URL;
    try {
      url = new URL(`${server.replace(/\/+$/, '')}/${file}`);
    } catch {
      this.record('download-skipped', { file, reason: `firmware server "${server}" is not a URL` });
      return { status: 'error' as const, error: 'bad firmware server', url: server };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      this.record('download-skipped', {
        file,
        reason: `firmware server ${url.protocol} is not simulated (HTTP/HTTPS)`,
      });
      return { status: 'error' as const, error: 'protocol not simulated', url: url.href };
    }
    return this.fetchUrl(file, url.href, MAX_FIRMWARE_BYTES);
  }

  private globalFiles(): string[][] {
    switch (this.opts.globalCfgMode ?? 'startup-then-aastra') {
      case 'startup':
        return [['startup.cfg']];
      case 'aastra':
        return [['aastra.cfg']];
      case 'both':
        return [['startup.cfg'], ['aastra.cfg']];
      case 'startup-then-aastra':
        return [['startup.cfg', 'aastra.cfg']];
    }
  }

  /** Downloads configuration and (optionally) checks firmware. Returns 'power-lost' if a flash was interrupted. */
  private async provision(config: boolean, firmware: boolean): Promise<'done' | 'power-lost'> {
    const base = this.configServerBase();
    if (typeof base === 'string') {
      this.record('download-skipped', { reason: base });
      return 'done';
    }
    if (config) await this.downloadConfig();
    if (!firmware || this.stopped) return 'done';
    return this.checkFirmware();
  }

  /**
   * The requests of one configuration download, in the order a real 6869i made them (phone-facts §8, 2ASTRA log):
   * `security.tuz`, the global file, `<model>.cfg`, `<MAC>.cfg`, `startup.lic`, `<MAC>.lic`. A 404 for any of
   * them but the global file is normal. `.tuz`/`.lic` contents are not simulated.
   */
  private async downloadConfig(): Promise<void> {
    const read: Array<{ file: string; entries: ReturnType<typeof parseCfg> }> = [];
    let reachable = false;
    const security = await this.download('security.tuz', MAX_CFG_BYTES);
    if (security.status === 'error') {
      this.record('config-kept', { reason: 'configuration server unreachable; keeping the last configuration' });
      return;
    }
    // Each group lists alternatives: the next name is tried only if the previous one is missing (404).
    const groups = [...this.globalFiles(), [`${this.model}.cfg`], [`${this.mac}.cfg`]];
    for (const names of groups) {
      for (const file of names) {
        const result = await this.download(file, MAX_CFG_BYTES);
        if (result.status !== 'error') reachable = true;
        if (result.status === 'ok') {
          read.push({ file, entries: parseCfg(result.body.toString('utf8')) });
          break;
        }
        if (result.status === 'error') break;
      }
    }
    if (!reachable) {
      this.record('config-kept', { reason: 'configuration server unreachable; keeping the last configuration' });
      return;
    }
    for (const licence of ['startup.lic', `${this.mac}.lic`]) await this.download(licence, MAX_CFG_BYTES);
    // the certificate files the configuration names, from the same server (trust.ts)
    for (const e of await this.trust.load(PhoneTrust.namedFiles(read), (f) => this.download(f, MAX_CFG_BYTES)))
      this.record('certificates-loaded', e);
    this.settings.applyServerFiles(read);
    this.record('config-applied', { files: read.map((r) => r.file) });
  }

  private async checkFirmware(): Promise<'done' | 'power-lost'> {
    const result = await this.downloadFirmware();
    if (result.status !== 'ok') return 'done';
    const head = readFirmwareHeader(result.body);
    // "accepts the new firmware file only if it is different from the firmware currently loaded" (AG420 p.1-25)
    if (head && head.version === this.firmwareVersion) {
      this.record('firmware-unchanged', { version: head.version });
      return 'done';
    }
    const from = this.firmwareVersion;
    const to = head?.version ?? 'unknown';
    this.phoneState = 'flashing';
    this.record('flash-started', { from, to });
    const flashMs = this.opts.flashMs ?? 3000;
    if (this.faultState.powerLossMidFlash) {
      this.faultState.powerLossMidFlash = false;
      await this.sleep(flashMs / 2);
      this.record('power-lost', { during: 'flash', from, to, firmware: from });
      return 'power-lost';
    }
    await this.sleep(flashMs);
    const check = verifyFirmwareImage(result.body, this.model);
    if (!check.ok) {
      this.record('flash-failed', { from, to, reason: check.reason, firmware: from });
      return 'done';
    }
    this.firmwareVersion = check.version;
    this.record('flash-done', { from, to: check.version });
    return 'done';
  }

  // ---- network-given and local settings -----------------------------------------------------------

  private setNetworkConfigServer(url: string): void {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new Error(`provisioningUrl "${url}" is not a URL; use e.g. http://127.0.0.1:8080/phones/`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error(`provisioningUrl "${url}" must be http:// or https://`);
    const p = u.protocol === 'https:' ? 'https' : 'http';
    this.settings.setNetworkValue('download protocol', p.toUpperCase());
    this.settings.setNetworkValue(`${p} server`, u.hostname.replace(/^\[|\]$/g, ''));
    this.settings.setNetworkValue(`${p} port`, u.port || (p === 'https' ? '443' : '80'));
    this.settings.setNetworkValue(`${p} path`, u.pathname.replace(/^\/+|\/+$/g, ''));
  }

  private adminPassword(): string {
    return this.faultState.wrongCredentials ? WRONG_CREDENTIALS_PASSWORD : this.settings.adminPassword();
  }

  private xmlPushAllowedFrom(remote: string): boolean {
    const list = (this.settings.get('xml application post list') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return list.includes(remote);
  }

  private executeXmlCommands(uris: string[]): void {
    for (const uri of uris) {
      const command = uri.trim();
      if (/^Command:\s*Reset$/i.test(command)) void this.reboot('full', 'xml Command: Reset');
      else if (/^Command:\s*FastReboot$/i.test(command)) void this.reboot('fast', 'xml Command: FastReboot');
      else if (/^Command:\s*ClearLocal$/i.test(command)) {
        // XMLGUIDE p.151: removes every local setting (phone-facts §8), like resetOption=2 without the reboot.
        this.settings.clearLocal();
        this.record('local-config-removed', { via: 'xml Command: ClearLocal' });
      } else this.record('xml-command-ignored', { uri: command });
    }
  }

  private resetOption(option: 0 | 1 | 2): void {
    if (option === 1) {
      this.settings.clearAll();
      this.trust.clear();
      this.sysinfoSeen = false;
      this.record('factory-default', {});
    } else if (option === 2) {
      this.settings.clearLocal();
      this.record('local-config-removed', {});
    }
    void this.reboot('full', `web resetOption ${option}`);
  }

  private sysinfo(): SysinfoData {
    const user = this.settings.get('sip line1 user name');
    const proxy = this.settings.get('sip line1 proxy ip');
    return {
      rows: [
        ['Firmware Version', this.firmwareVersion],
        ['Firmware Release Code', 'SIP'],
        ['Date/Time', new Date(this.clock.now()).toUTCString()],
        ['Platform', `${this.model} Revision 0`],
        ['MAC Address', macWithSeparator(this.mac, ':')],
        ['IP Address', this.address],
      ],
      lines: user
        ? [
            {
              line: 1,
              user: `${user}@${proxy ?? ''}`,
              status: this.trust.sipState((n) => this.settings.get(n)).registered ? 'Registered' : 'Not Registered',
            },
          ]
        : [],
    };
  }

  private webHost(): WebUiHost {
    return {
      realm: () => `${this.bannerPrefix} ${this.model}`,
      model: () => this.model,
      adminPassword: () => this.adminPassword(),
      webFaults: () => ({
        unreachable: Boolean(this.faultState.unreachable),
        dropConnections: Boolean(this.faultState.dropConnections),
        slowMs: this.faultState.slowMs ?? 0,
      }),
      sysinfo: () => this.sysinfo(),
      noteSysinfoSeen: () => {
        this.sysinfoSeen = true;
      },
      postsBlockedUntilSysinfo: () => !this.sysinfoSeen,
      sessionExpired: (remote) => {
        const now = Date.now();
        const last = this.webSessions.get(remote);
        this.webSessions.set(remote, now);
        return last !== undefined && now - last > (this.opts.webSessionIdleMs ?? 30_000);
      },
      getSetting: (p) => this.settings.get(p) ?? '',
      setLocalSetting: (p, v) => this.settings.setLocal(p, v),
      resetOption: (o) => this.resetOption(o),
      xmlPushAllowedFrom: (r) => this.xmlPushAllowedFrom(r),
      executeXmlCommands: (uris) => this.executeXmlCommands(uris),
      record: (type, detail) => this.record(type, detail),
    };
  }

  // ---- SIP -------------------------------------------------------------------------------------

  /**
   * `sip whitelist: 1` (AG322 p.A-240, RN 2.2 p.92, phone-facts §10): call requests and NOTIFYs are accepted only
   * from the phone's proxies. The trusted addresses are the configured proxy/registrar/outbound proxy values;
   * names are not resolved here, so only a literal address matches (stricter than a real phone, never laxer).
   * How a real phone rejects is not documented: the simulator answers 403.
   */
  private untrustedSource(req: SipRequest, source: { host: string }): boolean {
    if (req.method !== 'INVITE' && req.method !== 'NOTIFY') return false;
    if (this.settings.get('sip whitelist') !== '1') return false;
    const names = [
      'sip proxy ip',
      'sip registrar ip',
      'sip outbound proxy',
      'sip backup proxy ip',
      'sip backup registrar ip',
    ];
    for (let line = 1; line <= 9; line++)
      names.push(`sip line${line} proxy ip`, `sip line${line} registrar ip`, `sip line${line} backup proxy ip`);
    const trusted = new Set(names.map((n) => (this.settings.get(n) ?? '').trim()).filter(Boolean));
    return !trusted.has(source.host.replace(/^::ffff:/, ''));
  }

  private answerSip(req: SipRequest, source: { host: string; port: number }): SipReply | null {
    const reply = (
      status: number,
      reason: string,
      extra: Array<[string, string]> = [],
      afterSend?: () => void,
    ): SipReply => ({
      status,
      reason,
      headers: [['Server', this.sipBanner()], ...extra],
      afterSend,
    });
    if (this.untrustedSource(req, source)) {
      this.record('sip-whitelist-rejected', { method: req.method, from: source.host, event: header(req, 'event') });
      return reply(403, 'Forbidden');
    }
    switch (req.method) {
      case 'OPTIONS':
        return reply(200, 'OK', [
          ['Allow', ALLOW],
          ['Accept', 'application/sdp'],
          ['Accept-Language', 'en'],
        ]);
      case 'NOTIFY':
        return this.answerNotify(req, reply);
      case 'INVITE':
        // No call handling in the simulator: answer as a phone that cannot take the call.
        return reply(480, 'Temporarily Unavailable');
      case 'ACK':
        return null;
      case 'REGISTER':
      case 'MESSAGE':
      case 'PUBLISH':
        return reply(405, 'Method Not Allowed', [['Allow', ALLOW]]);
      case 'SUBSCRIBE':
        return reply(489, 'Bad Event', [['Allow-Events', 'check-sync, aastra-xml']]);
      default:
        if (IN_DIALOG_METHODS.has(req.method)) return reply(481, 'Call/Transaction Does Not Exist');
        return reply(501, 'Not Implemented', [['Allow', ALLOW]]);
    }
  }

  private answerNotify(
    req: SipRequest,
    reply: (s: number, r: string, e?: Array<[string, string]>, after?: () => void) => SipReply,
  ): SipReply {
    const event = (header(req, 'event') ?? '').split(';')[0]!.trim().toLowerCase();
    if (event === 'check-sync') {
      this.record('sip-check-sync', { from: header(req, 'from') });
      return reply(200, 'OK', [], () => void this.reboot('full', 'sip check-sync'));
    }
    if (event === 'aastra-xml' && this.settings.get('sip xml notify event') === '1') {
      const uris = parseExecuteItems(req.body);
      if (uris === null) return reply(400, 'Bad Request');
      this.record('sip-aastra-xml', { uris });
      return reply(200, 'OK', [], () => this.executeXmlCommands(uris));
    }
    return reply(489, 'Bad Event');
  }

  // ---- auto resync (phone-facts §1 "Auto resync", §2 "When the phone checks") ------------------------

  private onClockTick(): void {
    const now = this.clock.now();
    const from = this.lastClockCheck;
    this.lastClockCheck = now;
    if (this.phoneState !== 'online' || this.booting) return;
    const mode = Number(this.settings.get('auto resync mode') ?? '0');
    if (mode < 1 || mode > 3) return;
    const minutes = parseResyncTime(this.settings.get('auto resync time') ?? '');
    if (minutes === null || !crossedTimeOfDay(from, now, minutes)) return;
    void this.autoResync(mode);
  }

  private async autoResync(mode: number): Promise<void> {
    this.record('auto-resync', { mode });
    if (mode === 1 || mode === 3) await this.provision(true, false);
    if (mode !== 2 && mode !== 3) return;
    const result = await this.downloadFirmware();
    if (result.status !== 'ok') return;
    const head = readFirmwareHeader(result.body);
    if (head && head.version === this.firmwareVersion) {
      this.record('firmware-unchanged', { version: head.version });
      return;
    }
    await this.reboot('full', 'auto resync: firmware differs');
  }
}
