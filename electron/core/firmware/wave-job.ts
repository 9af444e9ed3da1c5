// The firmware run as a resumable job ('firmware-wave'): a canary per model, then waves. A phone is moved to the
// target version by a firmware pin in its own <MAC>.cfg on the site's server (`firmware server` naming the staging
// folder, pins.ts): it stays on its home configuration server and nothing is set locally on it. Every action on a
// phone is a journaled step, so after a crash the run carries on where it stopped; a phone whose reboot was begun
// but not confirmed is re-checked by reading its version before anything else is done to it.
// The mechanism and its evidence: MECHANISM.md next to this file.
import { z } from 'zod';
import { rebootPhone, METHOD_LABELS } from '../provisioning/reboot';
import { rebootRouteFor } from '../provisioning/reboot-route';
import { provisionedAdminPassword, siteCredentialView } from '../provisioning/credentials';
import { loadSiteSettings } from '../provisioning/provisioning-settings-file';
import { STOPPED } from '../jobs/job-manager';
import { mapBounded } from '../util/map-bounded';
import { FieldkitError } from '../util/errors';
import { isPhoneError } from '../phone/phone-error';
import { sleep } from '../util/sleep';
import { reportToInventory } from '../inventory/inventory-store';
import { firmwareRunReport } from '../inventory/phone-reports';
import { firmwareChangeRecorder } from './firmware-changes';
import { describeLocation } from './firmware-server';
import { findLibraryEntry, readLibraryImage } from './library';
import { credentialsFor, pollVersion, readVersionIfUp } from './phone-access';
import { editServedPin, editServedPinFrom, forgetPin, pinUrl, readPins, recordPin } from './pins';
import { loadPlan } from './plan';
import { saveResult } from './results';
import { GLOBAL_FILES, putFile } from './staging';
import type { JobContext, JobDefinition } from '../jobs/job-manager';
import type { RebootMethod } from '../provisioning/reboot';
import type { RebootRoute } from '../provisioning/reboot-route';
import type { PhoneCredentials } from '../phone/web-client';
import type { SiteSecrets } from '../secrets/admin-passwords';
import type { SecretStore } from '../secrets/secret-store';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { FirmwareServer, StagingFolder } from './firmware-server';
import type { FirmwarePhone } from './phone-access';
import type { FirmwarePlan, PlannedPhone, ResolvedTarget } from './plan-types';
import type { PhoneState, PhoneStateRecord } from './phone-states';

export const FIRMWARE_JOB_KIND = 'firmware-wave';

export const FirmwareRunParamsSchema = z.object({
  planId: z.string().min(1).max(100),
  /** The plan's confirm token: proof the technician saw and confirmed this exact plan. */
  confirm: z.string().min(1).max(64),
  /**
   * Start no earlier than this (a maintenance window), ISO 8601 with its time zone, e.g. 2026-12-01T22:00:00+01:00.
   * The job waits (Fieldkit must stay open), can be cancelled while it waits, and waits again when resumed early.
   */
  startAt: z.iso.datetime({ offset: true }).optional(),
});
export type FirmwareRunParams = z.infer<typeof FirmwareRunParamsSchema>;

export interface FirmwareJobDeps {
  site(): SiteWorkspace;
  secrets: SecretStore;
  /**
   * The site's provisioning server the plan was made for (plan.server, through the publishing target in
   * plan.options); `jobId` tags the run's temporary files on an SFTP server.
   */
  server(site: SiteWorkspace, plan: FirmwarePlan, jobId: string): Promise<FirmwareServer>;
  localAddress?: string;
}

export const HALT_CHOICES = ['continue', 'stop', 'retry failed'] as const;

interface Outcome {
  state: 'verified' | 'failed' | 'skipped';
  reason: string;
  after: string | null;
  method: string | null;
  pointedAt: string | null;
}

/** A phone that refuses the password this many polls in a row is up with settings Fieldkit does not know. */
const REJECTIONS_BEFORE_VERDICT = 3;

/** Splits the phones to flash into the canary (first N per model) and waves of `waveSize`. */
export function planWaves(plan: FirmwarePlan): { name: string; canary: boolean; phones: PlannedPhone[] }[] {
  const flash = plan.phones.filter((p) => p.action === 'flash');
  const canary: PlannedPhone[] = [];
  for (const t of plan.targets)
    canary.push(...flash.filter((p) => p.model === t.model).slice(0, plan.options.canaryPerModel));
  const rest = flash.filter((p) => !canary.includes(p));
  const waves = canary.length ? [{ name: 'canary', canary: true, phones: canary }] : [];
  for (let i = 0; i < rest.length; i += plan.options.waveSize) {
    waves.push({
      name: `wave ${waves.length + (canary.length ? 0 : 1)}`,
      canary: false,
      phones: rest.slice(i, i + plan.options.waveSize),
    });
  }
  return waves;
}

/**
 * Poll interval while a restarted phone is expected back (at most the plan's pollMs). A poll of a phone that is still
 * down is one refused or unanswered connection; the phone's return is noticed at most this late.
 */
const EXPECTED_BACK_POLL_MS = 100;
/** Pins rewritten at once when a run starts (one SFTP session carries them). */
const PIN_EDITS_AT_ONCE = 16;

class FirmwareRun {
  private plan!: FirmwarePlan;
  private server!: FirmwareServer;
  private readonly staging = new Map<string, StagingFolder>();
  private readonly states = new Map<string, PhoneState>();
  private routes = new Map<string, RebootRoute>();
  /** The credential store as the site sees it (derived per-phone admin passwords). */
  private credentials!: SiteSecrets;
  // The changes of phones verified while the file is being written go into the next write together.
  private readonly recordChange = firmwareChangeRecorder(() => this.site);
  private readonly inventoryReports: ReturnType<typeof firmwareRunReport>[] = [];
  /** The inventory updates queued so far (one per wave, written while the next wave runs). */
  private inventoryWrites: Promise<void> = Promise.resolve();
  /** The next wave's web-UI passwords, looked up while the current wave's phones flash (reading only). */
  private readonly passwordsAhead = new Map<string, Promise<PhoneCredentials[]>>();
  /** Phones of the current round that have been restarted, and the phones to look passwords up for then. */
  private restarted = 0;
  /** Each pinned phone's <MAC>.cfg as this run wrote it: removing the pin again needs no read when it is unchanged. */
  private readonly servedText = new Map<string, string>();
  private lookAhead: { after: number; phones: PlannedPhone[] } | null = null;

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: FirmwareJobDeps,
    private readonly params: FirmwareRunParams,
  ) {}

  private get site(): SiteWorkspace {
    return this.deps.site();
  }

  private get options() {
    return this.plan.options;
  }

  private async openServer(): Promise<FirmwareServer> {
    const server = await this.deps.server(this.site, this.plan, this.ctx.id);
    if (describeLocation(server.location) !== describeLocation(this.plan.server)) {
      await server.close().catch(() => undefined);
      throw new FieldkitError(
        'conflict',
        `The plan was made for the provisioning server at ${describeLocation(this.plan.server)}, but the site's server is now at ${describeLocation(server.location)}. Set the server back, or make a new plan.`,
      );
    }
    return server;
  }

  async run(): Promise<void | typeof STOPPED> {
    const { ctx } = this;
    this.plan = await loadPlan(this.site, this.params.planId);
    if (this.plan.confirmToken === null)
      throw new FieldkitError(
        'invalid-input',
        'This firmware plan was refused by a guard rail and cannot run. Make a new plan.',
      );
    if (this.params.confirm !== this.plan.confirmToken)
      throw new FieldkitError(
        'invalid-input',
        'The confirmation does not match this plan. Review the plan summary and confirm it again.',
      );
    const flash = this.plan.phones.filter((p) => p.action === 'flash');
    for (const p of flash) this.states.set(p.mac, 'pending');
    this.updateCounters();
    if (!ctx.resumed) await ctx.record('firmware-plan', { planId: this.plan.id, summary: this.plan.summary.text });
    const stored = await loadSiteSettings(this.site).catch(() => ({
      settings: null,
      phones: {} as Awaited<ReturnType<typeof loadSiteSettings>>['phones'],
    }));
    this.credentials = await siteCredentialView(this.site, this.deps.secrets);
    for (const p of flash)
      this.routes.set(
        p.mac,
        rebootRouteFor(stored.settings ?? undefined, { model: p.model, overrides: stored.phones[p.mac]?.overrides }),
      );

    if (this.params.startAt) {
      // Refuse now rather than at night: the same checks run again when the window opens.
      const early = await this.openServer();
      try {
        await this.preflight(early, flash);
      } finally {
        await early.close().catch(() => undefined);
      }
      const at = new Date(this.params.startAt);
      await ctx.waitUntil(
        at,
        `Waiting for the maintenance window: the run starts at ${at.toISOString()}. Keep Fieldkit open; cancel to give up.`,
      );
    }

    this.server = await this.openServer();
    try {
      await this.preflight(this.server, flash);
      await this.stageTargets();
      await this.reapplyPins();
      const waves = planWaves(this.plan);
      let done = 0;
      for (const [index, wave] of waves.entries()) {
        ctx.progress(done, flash.length, `${wave.name}: ${wave.phones.length} phone(s)`);
        const decision = await this.runWave(index, wave, waves[index + 1]?.phones ?? []);
        done += wave.phones.length;
        ctx.progress(done, flash.length);
        if (decision === 'stop') {
          const left = waves.slice(index + 1).flatMap((w) => w.phones);
          for (const p of left)
            await this.setState(p, 'not-started', { reason: 'the technician stopped the run before this phone' });
          const verified = [...this.states.values()].filter((s) => s === 'verified').length;
          const note = `Stopped by the technician after ${wave.name}: ${left.length} phone(s) were not started and keep their firmware; ${verified} verified. The run is over: make a new plan for the phones it did not reach.`;
          ctx.log('warn', note);
          ctx.progress(done, flash.length, `Stopped after ${wave.name}`);
          ctx.setNote(note);
          return STOPPED;
        }
      }
      await this.notePins();
    } catch (e) {
      if (ctx.signal.aborted) await this.recordCancelled();
      throw e;
    } finally {
      await this.server.close().catch(() => undefined);
      await this.flushInventoryReports();
    }
  }

  /**
   * Before anything touches a phone: home must hold the configuration the phones read at their reboot (startup.cfg or
   * aastra.cfg, and each phone's own <MAC>.cfg, which carries its pin), and Credentials must hold the admin password
   * the phones have once they read it. Otherwise a canary comes back with factory settings (walkthrough defect 2).
   */
  private async preflight(server: FirmwareServer, flash: PlannedPhone[]): Promise<void> {
    // One listing of home, not a read of every file: 500 <MAC>.cfg read whole over SFTP were most of the run's start.
    const present = new Set(await server.home.list());
    const problems: string[] = [];
    if (!GLOBAL_FILES.some((n) => present.has(n)))
      problems.push(
        `the site's server (${describeLocation(server.location)}) serves no startup.cfg or aastra.cfg: the phones would come back without their configuration (factory settings, admin password 22222)`,
      );
    const noFile = flash.filter((p) => !present.has(`${p.mac}.cfg`)).map((p) => p.mac);
    if (noFile.length > 0)
      problems.push(
        `${noFile.length} phone(s) have no <MAC>.cfg there (${noFile.slice(0, 5).join(', ')}${noFile.length > 5 ? ', …' : ''}): that file carries the phone's configuration and its firmware pin`,
      );
    const noPassword: string[] = [];
    for (const p of flash)
      if ((await provisionedAdminPassword(this.credentials, p.mac)) === undefined) noPassword.push(p.mac);
    if (noPassword.length > 0)
      problems.push(
        `Fieldkit cannot tell the admin password of ${noPassword.length} phone(s) (${noPassword.slice(0, 5).join(', ')}${noPassword.length > 5 ? ', …' : ''}): after its reboot a phone has the password of its configuration (derived from the site's admin secret, or its own where the site says so), and Fieldkit could not read it to verify`,
      );
    if (problems.length === 0) return;
    await this.ctx.record('preflight-refused', { problems });
    throw new FieldkitError(
      'not-found',
      `Nothing was staged and no phone was touched: ${problems.join('; ')}. Publish the configuration to the site's server (Provisioning > Publish) and make sure Credentials holds the site's admin secret (and each phone's own admin password where the site sets one), then start the run again.`,
      { problems },
    );
  }

  private updateCounters(): void {
    const counts: Record<string, number> = {
      pending: 0,
      staged: 0,
      rebooting: 0,
      flashing: 0,
      'password-rejected': 0,
      verified: 0,
      failed: 0,
    };
    for (const s of this.states.values()) counts[s] = (counts[s] ?? 0) + 1;
    for (const [k, v] of Object.entries(counts)) this.ctx.setCounter(k, v);
  }

  private async setState(
    p: PlannedPhone,
    state: PhoneState,
    extra: Omit<PhoneStateRecord, 'mac' | 'state'> = {},
  ): Promise<void> {
    await this.ctx.record('phone-state', { mac: p.mac, state, ...extra });
    this.states.set(p.mac, state);
    this.updateCounters();
    if (state === 'failed') this.ctx.log('error', `${p.mac} (${p.ip}): failed: ${extra.reason ?? ''}`);
    else if (state === 'verified') this.ctx.log('info', `${p.mac} (${p.ip}): verified on ${extra.after ?? p.target}`);
    else this.ctx.log('info', `${p.mac} (${p.ip}): ${state}${extra.reason ? ` (${extra.reason})` : ''}`);
  }

  private async recordCancelled(): Promise<void> {
    const open = [...this.states.entries()].filter(
      ([, s]) => s !== 'verified' && s !== 'failed' && s !== 'not-started',
    );
    const midFlash = open.filter(([, s]) => s === 'rebooting' || s === 'flashing').map(([mac]) => mac);
    const untouched = open.filter(([, s]) => s === 'pending').length;
    this.ctx.setNote(
      `Cancelled. ${midFlash.length} phone(s) were restarting or flashing${midFlash.length ? ` (${midFlash.join(', ')})` : ''}: they may still be flashing, and they keep their firmware pin until they are checked; do not power them off. ${untouched} phone(s) were not started and keep their firmware. Resume reads each unfinished phone's version before doing anything else: a phone already on the target is only verified, one still on its old version is restarted once more, one that stays dark is reported; no phone is flashed twice.`,
    );
    await this.ctx
      .record('firmware-cancelled', {
        phones: open.map(([mac, state]) => ({ mac, state })),
        note: 'Phones in state pending or staged were not restarted; phones in rebooting or flashing may still be flashing. Resume re-checks each one by reading its version before doing anything.',
      })
      .catch(() => undefined);
  }

  /** Puts each target `.st` into its staging folder (again on resume: the built-in server keeps it in memory). */
  private async stageTargets(): Promise<void> {
    // the models at once: each staging folder of an SFTP target is a session of its own (a handshake each)
    const targets = this.plan.targets.filter((t) =>
      this.plan.phones.some((p) => p.action === 'flash' && p.model === t.model),
    );
    const staged = await Promise.allSettled(targets.map((t) => this.stageTarget(t)));
    const failed = staged.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async stageTarget(t: ResolvedTarget): Promise<void> {
    const key = `stage:${t.libraryId}`;
    const folder = await this.server.folder(t.stagingFolder);
    this.staging.set(t.model, folder);
    const stage = async () => {
      const entry = await findLibraryEntry(this.site, t.model, t.version);
      if (!entry || entry.image.sha256 !== t.sha256)
        throw new FieldkitError(
          'conflict',
          `The library's ${t.model} ${t.version} image is not the one the plan was made with. Make a new plan.`,
        );
      return putFile(folder.target, `${t.model}.st`, await readLibraryImage(this.site, entry));
    };
    if (this.ctx.priorSteps.get(key)?.state === 'done') {
      await stage();
      return;
    }
    await this.ctx.step(key, async () => {
      const st = await stage();
      this.ctx.log('info', `Staged ${t.model}.st ${t.version} (${st}) at ${describeLocation(folder.location)}.`);
      return { location: folder.location, st };
    });
  }

  /**
   * The site's pins, written again into the served <MAC>.cfg files: a server that keeps its files in memory (the
   * built-in one) lost them when Fieldkit stopped, and a pinned phone must not reboot into home's `.st`.
   */
  private async reapplyPins(): Promise<void> {
    const pins = Object.entries(await readPins(this.site));
    const ok = await mapBounded(pins, PIN_EDITS_AT_ONCE, ([mac, pin]) =>
      editServedPin(this.server.home, mac, pin).catch(() => false),
    );
    const restored = ok.filter(Boolean).length;
    if (pins.length > 0 && this.ctx.resumed)
      this.ctx.log('info', `${restored} of ${pins.length} firmware pin(s) are in place in the phones' <MAC>.cfg.`);
  }

  private async notePins(): Promise<void> {
    const kept = Object.values(await readPins(this.site)).filter((p) => p.jobId === this.ctx.id).length;
    if (kept === 0) return;
    const note = `${kept} phone(s) keep a firmware pin in their <MAC>.cfg (firmware server: their staging folder), because their home serves another .st; they stay on their new version at every reboot and nightly check. Generate writes the pins again, so publish as usual.`;
    this.ctx.log('info', note);
    this.ctx.setNote(note);
  }

  private target(p: PlannedPhone): ResolvedTarget {
    return this.plan.targets.find((t) => t.model === p.model)!;
  }

  private async runWave(
    index: number,
    wave: { name: string; canary: boolean; phones: PlannedPhone[] },
    next: PlannedPhone[],
  ): Promise<'continue' | 'stop'> {
    const attempts = new Map(wave.phones.map((p) => [p.mac, 1]));
    let todo = wave.phones;
    const outcomes = new Map<string, Outcome>();
    for (let round = 1; ; round++) {
      this.restarted = 0;
      this.lookAhead = round === 1 && next.length > 0 ? { after: todo.length, phones: next } : null;
      const results = await mapBounded(todo, this.options.concurrency, (p) =>
        this.flashOne(p, wave.name, attempts.get(p.mac)!),
      );
      this.lookAhead = null;
      this.queueInventoryReports();
      todo.forEach((p, i) => outcomes.set(p.mac, results[i]!));
      const failed = wave.phones.filter((p) => outcomes.get(p.mac)?.state === 'failed');
      const threshold = wave.canary ? 0 : this.options.haltWhenFailuresExceed;
      if (failed.length <= threshold) return 'continue';
      // the technician decides on an inventory that shows this wave
      await this.flushInventoryReports();
      const question = `${wave.name}: ${failed.length} of ${wave.phones.length} phone(s) failed (${failed
        .slice(0, 3)
        .map((p) => `${p.mac}: ${outcomes.get(p.mac)!.reason}`)
        .join(
          '; ',
        )}${failed.length > 3 ? '; …' : ''}). Continue with the next wave, stop here, or retry the failed phones?`;
      // The answer is a step, so a resumed run replays it instead of asking twice.
      const answer = await this.ctx.step(`halt:${index}:${round}`, () => this.ctx.ask(question, [...HALT_CHOICES]));
      await this.ctx.record('halt-decision', { wave: wave.name, failed: failed.map((p) => p.mac), answer });
      if (answer === 'continue') return 'continue';
      if (answer === 'stop') return 'stop';
      for (const p of failed) attempts.set(p.mac, attempts.get(p.mac)! + 1);
      todo = failed;
    }
  }

  /**
   * The outcomes of the phones done so far into the inventory, in one update: one per phone re-read and rewrote the
   * inventory 500 times a run (~9 s CPU of the site500 firmware run's profile, in readJson/writeJson). Queued, so the
   * next wave does not wait for it (the journal, not the inventory, is what resume and the result table read).
   */
  private queueInventoryReports(): void {
    const reports = this.inventoryReports.splice(0);
    if (reports.length === 0) return;
    this.inventoryWrites = this.inventoryWrites.then(() =>
      reportToInventory(this.site, reports, (m) => this.ctx.log('warn', m)),
    );
  }

  /** Writes what is queued and waits until the inventory has every outcome so far. */
  private async flushInventoryReports(): Promise<void> {
    this.queueInventoryReports();
    await this.inventoryWrites;
  }

  /**
   * Once every phone of the round has been restarted, the next wave's passwords are looked up (address checked,
   * login candidates tried: reading only, nothing is changed on a phone) while these phones flash.
   */
  private noteRestarted(): void {
    this.restarted++;
    const ahead = this.lookAhead;
    if (!ahead || this.restarted < ahead.after) return;
    this.lookAhead = null;
    for (const p of ahead.phones) {
      if (this.passwordsAhead.has(p.mac) || !p.ip) continue;
      const lookup = this.passwords({ mac: p.mac, ip: p.ip, httpPort: p.httpPort, sipPort: p.sipPort });
      lookup.catch(() => undefined); // its error is the phone's, reported when its turn comes
      this.passwordsAhead.set(p.mac, lookup);
    }
  }

  /** The phone's passwords: looked up ahead while the previous wave flashed, or now. */
  private passwordsNow(phone: FirmwarePhone): Promise<PhoneCredentials[]> {
    const ahead = this.passwordsAhead.get(phone.mac);
    this.passwordsAhead.delete(phone.mac);
    return ahead ?? this.passwords(phone);
  }

  private async flashOne(p: PlannedPhone, wave: string, attempt: number): Promise<Outcome> {
    const key = (s: string) => `${s}:${p.mac}#${attempt}`;
    const prior = this.ctx.priorSteps.get(key('outcome'));
    if (prior?.state === 'done') {
      const o = prior.result as Outcome;
      this.states.set(p.mac, o.state === 'skipped' ? 'verified' : o.state);
      this.updateCounters();
      return o;
    }
    return this.ctx.step(key('outcome'), async () => {
      const outcome = await this.flashSteps(p, wave, attempt, key);
      await this.setState(p, outcome.state === 'failed' ? 'failed' : 'verified', {
        reason: outcome.reason,
        after: outcome.after,
        wave,
        method: outcome.method,
        pointedAt: outcome.pointedAt,
      });
      this.inventoryReports.push(firmwareRunReport(this.ctx.id, p.mac, outcome));
      return outcome;
    });
  }

  /**
   * Reading credentials: the one the phone takes now first (sent only when its address shows its MAC, candidates tried:
   * provisioning/phone-web-access.ts), then the one its configuration gives it.
   */
  private async passwords(phone: FirmwarePhone): Promise<PhoneCredentials[]> {
    const now = await credentialsFor(
      this.site,
      this.deps.secrets,
      phone,
      this.options.requestTimeoutMs,
      this.deps.localAddress,
    );
    if ('refused' in now) throw new FieldkitError('unauthorized', now.refused);
    const after = await provisionedAdminPassword(this.credentials, phone.mac);
    const list: PhoneCredentials[] = [{ password: now.password }];
    if (after !== undefined && after !== now.password) list.push({ password: after });
    return list;
  }

  private async flashSteps(
    p: PlannedPhone,
    wave: string,
    attempt: number,
    key: (s: string) => string,
  ): Promise<Outcome> {
    const { ctx, options } = this;
    const t = this.target(p);
    const phone: FirmwarePhone = { mac: p.mac, ip: p.ip!, httpPort: p.httpPort, sipPort: p.sipPort };
    const passwords = await this.passwordsNow(phone);
    const staging = this.staging.get(t.model)!;
    const url = pinUrl(staging.location);
    const from = p.current!;

    // Resume: a reboot begun by an earlier run but never confirmed. Read the phone before anything else.
    const rebootPrior = ctx.priorSteps.get(key('reboot'));
    let recovered: { version: string } | null = null;
    if (rebootPrior && rebootPrior.state !== 'done') {
      const back = await this.waitForVersion(phone, passwords);
      const version = back.state === 'up' ? back.version : null;
      await ctx.record('phone-recheck', {
        mac: p.mac,
        found: version,
        decision:
          version === t.version
            ? 'already flashed by the interrupted run: verify only, no new reboot'
            : version === null
              ? 'does not answer: not touched again'
              : 'still on its old version: it was not flashed; restart it once more',
      });
      if (version === null)
        return this.settle(
          p,
          t,
          {
            state: 'failed',
            reason:
              back.state === 'rejected'
                ? 'is up again but refuses the admin password Fieldkit has after the interrupted run restarted it'
                : `did not come back within ${Math.round(options.flashTimeoutMs / 60_000)} min after the interrupted run restarted it; power-cycle it, then resume`,
            after: null,
            method: null,
            pointedAt: null,
          },
          back.state === 'rejected',
        );
      if (version === t.version) recovered = { version };
    }

    let method: string | null = null;
    let version: string | null;
    if (recovered) {
      version = recovered.version;
      await ctx.step(key('reboot'), async () => ({ method: 'interrupted run', recovered: true }));
    } else {
      const pin = await ctx
        .step(key('pin'), async () => {
          // the phone's version and its file are read at once (the file is not touched unless it needs the pin)
          const [now, current] = await Promise.all([
            readVersionIfUp(phone, passwords[0]!, options.requestTimeoutMs, this.deps.localAddress),
            this.server.home.read(`${p.mac}.cfg`),
          ]);
          if (now === null) return { skipped: false, unreachable: true, version: null };
          if (now === t.version) return { skipped: true, unreachable: false, version: now };
          const pinned = { url, model: t.model, version: t.version };
          const written = await editServedPinFrom(this.server.home, p.mac, pinned, current);
          if (written !== null) this.servedText.set(p.mac, written);
          if (written === null)
            throw new FieldkitError(
              'not-found',
              `${p.mac}.cfg is no longer on the site's server; publish the configuration again`,
            );
          await recordPin(this.site, p.mac, {
            url,
            model: t.model,
            version: t.version,
            jobId: ctx.id,
            at: new Date().toISOString(),
          });
          return { skipped: false, unreachable: false, version: now };
        })
        .catch((e: unknown) => {
          if (ctx.signal.aborted) throw e;
          const message = isPhoneError(e, 'auth-failed')
            ? 'it refused the admin password before the change; nothing was done to it (store its password in Credentials)'
            : `its firmware pin could not be written: ${(e as Error).message}`;
          return { skipped: false, unreachable: false, error: message, version: null };
        });
      if ('error' in pin)
        return {
          state: 'failed',
          reason: pin.error,
          after: null,
          method: null,
          pointedAt: null,
        };
      if (pin.unreachable)
        return {
          state: 'failed',
          reason: 'did not answer before the change; nothing was done to it',
          after: null,
          method: null,
          pointedAt: null,
        };
      if (pin.skipped)
        return {
          state: 'verified',
          reason: `already on ${t.version}; nothing done`,
          after: pin.version,
          method: null,
          pointedAt: null,
        };
      await this.setState(p, 'staged', { wave, pointedAt: url });
      ctx.throwIfCancelled();

      // Read before the steps run: a step done in this run is added to priorSteps too.
      const interrupted =
        ctx.priorSteps.get(key('reboot'))?.state === 'done' && ctx.priorSteps.get(key('return'))?.state !== 'done';
      const first = await this.rebootAndWait(p, wave, passwords, key(''));
      if ('failed' in first) return first.failed;
      ({ method, version } = first);
      // A phone that was restarting when an earlier run died may have found its image gone (the built-in server
      // died with that process): back on its old version, it was not flashed. Restart it once more.
      if (interrupted && version === from) {
        await ctx.record('phone-recheck', {
          mac: p.mac,
          found: version,
          decision:
            'came back on its old version after the interrupted run: its image was not served while it restarted, so it was not flashed; restart it once more',
        });
        const again = await this.rebootAndWait(p, wave, passwords, key('again'));
        if ('failed' in again) return again.failed;
        ({ method, version } = again);
      }
    }

    let outcome: Outcome;
    if (version === t.version)
      outcome = { state: 'verified', reason: `flashed ${from} → ${version}`, after: version, method, pointedAt: null };
    else if (version === null)
      outcome = {
        state: 'failed',
        reason: `did not come back within ${Math.round(options.flashTimeoutMs / 1000)} s; it may still be flashing or be dead. Power-cycle it if it stays dark; resume or status re-checks it`,
        after: null,
        method,
        pointedAt: null,
      };
    else if (version === from)
      outcome = {
        state: 'failed',
        reason: `the phone rejected the image: it came back on ${from}. Not retried automatically; check the image (re-import it from the Mitel package)`,
        after: version,
        method,
        pointedAt: null,
      };
    else
      outcome = {
        state: 'failed',
        reason: `the phone came back on ${version}, not ${t.version}: the image is not the version its name or the technician said`,
        after: version,
        method,
        pointedAt: null,
      };
    return this.settle(p, t, outcome, version !== null);
  }

  /** Restarts the phone with a method that checks firmware and waits until it answers again. */
  private async rebootAndWait(
    p: PlannedPhone,
    wave: string,
    passwords: PhoneCredentials[],
    suffix: string,
  ): Promise<{ method: string; version: string | null } | { failed: Outcome }> {
    const { ctx, options } = this;
    const stepKey = (s: string) => `${s}${suffix}`;
    const t = this.target(p);
    const route = this.routes.get(p.mac);
    await this.setState(p, 'rebooting', { wave, timeoutMs: options.rebootStartTimeoutMs });
    const reboot = await ctx.step(stepKey('reboot'), async () => {
      const outcome = await rebootPhone(
        { mac: p.mac, ip: p.ip!, sipPort: p.sipPort, httpPort: p.httpPort },
        {
          adminPassword: passwords[0]!.password,
          fastReboot: false,
          requestTimeoutMs: options.requestTimeoutMs,
          confirmDownMs: options.rebootStartTimeoutMs,
          pollMs: Math.min(options.pollMs, 250),
          signal: ctx.signal,
          ...(route ? { order: route.order, orderReason: route.reason } : {}),
          ...(this.deps.localAddress ? { localAddress: this.deps.localAddress } : {}),
        },
      );
      // A reboot cut short by cancel is not a result: the step stays unfinished and resume re-checks the phone.
      ctx.throwIfCancelled();
      return { ok: outcome.ok, method: outcome.method, message: outcome.message };
    });
    if (!reboot.ok) {
      return {
        failed: await this.settle(
          p,
          t,
          {
            state: 'failed',
            reason: `could not be restarted: ${reboot.message}`,
            after: p.current,
            method: null,
            pointedAt: null,
          },
          true,
        ),
      };
    }
    const method = METHOD_LABELS[reboot.method as RebootMethod] ?? String(reboot.method);
    await this.setState(p, 'flashing', { wave, method, timeoutMs: options.flashTimeoutMs });
    this.noteRestarted();
    const back = await ctx.step(stepKey('return'), async () => {
      const poll = await this.waitForVersion(
        { mac: p.mac, ip: p.ip!, httpPort: p.httpPort, sipPort: p.sipPort },
        passwords,
      );
      return poll.state === 'up'
        ? { version: poll.version }
        : { version: null, ...(poll.state === 'rejected' ? { rejected: true } : {}) };
    });
    if ('rejected' in back && back.rejected) {
      const reason =
        'is up again but refuses the admin password Fieldkit has: it came back with settings Fieldkit does not know (did it read its configuration? check that the site serves its files and that Credentials holds the password of its configuration)';
      await this.setState(p, 'password-rejected', { wave, reason });
      return {
        failed: await this.settle(p, t, { state: 'failed', reason, after: null, method, pointedAt: null }, true),
      };
    }
    return { method, version: back.version };
  }

  /**
   * Leaves the phone where it cannot flip back (verified) and will not retry a bad image (failed): its pin is
   * removed when home serves no `.st` or the same version, or when the phone failed and came back; it stays when
   * home serves another version (then the pin's folder is what keeps the phone on its new version) and when the
   * phone stayed dark (it fetches the target when it comes back; status or resume re-check it).
   */
  private async settle(p: PlannedPhone, t: ResolvedTarget, outcome: Outcome, answers: boolean): Promise<Outcome> {
    const { ctx } = this;
    const url = pinUrl(this.staging.get(t.model)!.location);
    const keep = !answers || (outcome.state === 'verified' && p.afterwards !== 'home');
    const settled = keep
      ? {
          pointedAt: url,
          note: answers
            ? `keeps its firmware pin (${url}, whose ${t.model}.st is ${t.version}) because its home serves another ${t.model}.st`
            : `keeps its firmware pin (${url}): it fetches ${t.version} when it comes back`,
        }
      : await ctx
          .step(`settle:${p.mac}:${outcome.state}:${outcome.after ?? 'none'}`, async () => {
            const mine = this.servedText.get(p.mac);
            await editServedPinFrom(this.server.home, p.mac, null, mine === undefined ? undefined : Buffer.from(mine));
            this.servedText.delete(p.mac);
            await forgetPin(this.site, p.mac);
            return {
              pointedAt: null,
              note:
                outcome.state === 'verified'
                  ? 'pin removed: its home serves the same or no firmware'
                  : 'pin removed: it is not offered the image again',
            };
          })
          .catch((e: unknown) => {
            if (ctx.signal.aborted) throw e;
            return {
              pointedAt: url,
              note: `its firmware pin could not be removed (${(e as Error).message}); it still takes firmware from ${url}`,
            };
          });
    if (outcome.state === 'verified' && outcome.after && outcome.after !== p.current) {
      const change = {
        mac: p.mac,
        model: p.model ?? undefined,
        from: p.current!,
        to: outcome.after,
        at: new Date().toISOString(),
        jobId: ctx.id,
      };
      await this.recordChange(change);
    }
    return { ...outcome, reason: `${outcome.reason}; ${settled.note}`, pointedAt: settled.pointedAt };
  }

  /**
   * Polls until the phone answers again with its version, refuses every password several times in a row, or the flash
   * timeout passes (down).
   */
  private async waitForVersion(
    phone: FirmwarePhone,
    passwords: PhoneCredentials[],
  ): Promise<{ state: 'up'; version: string | null } | { state: 'down' } | { state: 'rejected' }> {
    const { options, ctx } = this;
    const deadline = Date.now() + options.flashTimeoutMs;
    let rejections = 0;
    for (;;) {
      ctx.throwIfCancelled();
      const poll = await pollVersion(
        phone,
        passwords,
        Math.min(options.requestTimeoutMs, 2000),
        this.deps.localAddress,
      ).catch(() => ({ state: 'down' }) as const);
      if (poll.state === 'up') return poll;
      rejections = poll.state === 'rejected' ? rejections + 1 : 0;
      if (rejections >= REJECTIONS_BEFORE_VERDICT) return { state: 'rejected' };
      if (Date.now() >= deadline) return { state: 'down' };
      // The phone is expected back: the plan's interval (2 s by default) was most of a wave's own time. A poll of a
      // phone that is down is one refused or timed-out connection, so polling faster costs little.
      await sleep(Math.min(options.pollMs, EXPECTED_BACK_POLL_MS), ctx.signal);
    }
  }
}

export function createFirmwareWaveJob(deps: FirmwareJobDeps): JobDefinition<FirmwareRunParams> {
  return {
    kind: FIRMWARE_JOB_KIND,
    params: FirmwareRunParamsSchema,
    resumable: true,
    title: (p) => `Firmware run (plan ${p.planId})`,
    // the plan's phones to flash: no other job may reboot, verify, publish to or flash them while it runs
    holds: async (p) =>
      (await loadPlan(deps.site(), p.planId)).phones.filter((x) => x.action === 'flash').map((x) => x.mac),
    run: (ctx, params) => new FirmwareRun(ctx, deps, params).run(),
    // the result table names how the run ended, so it is written once that end is journaled
    ended: async (jobId) => {
      await saveResult(deps.site(), jobId).catch((e: unknown) => {
        throw new Error(`The result table could not be saved: ${(e as Error).message}`);
      });
    },
  };
}
