// The firmware run as a resumable job ('firmware-wave'): a canary per model, then waves. Every action on a
// phone is a journaled step, so after a crash the run carries on where it stopped; a phone whose reboot
// was begun but not confirmed is re-checked by reading its version before anything else is done to it.
// The mechanism and its evidence: MECHANISM.md next to this file.
import { z } from 'zod';
import { rebootPhone, METHOD_LABELS } from '../provisioning/reboot';
import { mapBounded } from '../util/map-bounded';
import { FieldkitError } from '../util/errors';
import { sleep } from '../util/sleep';
import { recordFirmwareChange } from './firmware-changes';
import { describeLocation, pointingFields } from './firmware-server';
import { findLibraryEntry, readLibraryImage } from './library';
import { credentialsFor, pointPhone, readVersionIfUp } from './phone-access';
import { loadPlan } from './plan';
import { saveResult } from './results';
import { copyConfigs, putFile, sharedConfigNames } from './staging';
import type { JobContext, JobDefinition } from '../jobs/job-manager';
import type { RebootMethod } from '../provisioning/reboot';
import type { ConfigServerSettings, PhoneCredentials } from '../phone/web-client';
import type { SecretStore } from '../secrets/secret-store';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { FirmwareServer, ServerLocation, StagingFolder } from './firmware-server';
import type { FirmwarePhone } from './phone-access';
import type { FirmwarePlan, PlannedPhone, ResolvedTarget } from './plan-types';
import type { PhoneState, PhoneStateRecord } from './phone-states';

export const FIRMWARE_JOB_KIND = 'firmware-wave';

export const FirmwareRunParamsSchema = z.object({
  planId: z.string().min(1).max(100),
  /** The plan's confirm token: proof the technician saw and confirmed this exact plan. */
  confirm: z.string().min(1).max(64),
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

const LOCATION_FIELDS = [
  'protocol',
  'httpserv',
  'httppath',
  'httpport',
  'httpsserv',
  'httpspath',
  'httpsport',
  'tftp',
  'tftppath',
] as const;

function homeFields(p: PlannedPhone): ConfigServerSettings {
  const out: ConfigServerSettings = {};
  for (const f of LOCATION_FIELDS) {
    const v = p.home?.fields[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

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

class FirmwareRun {
  private plan!: FirmwarePlan;
  private server!: FirmwareServer;
  private readonly staging = new Map<string, StagingFolder>();
  private readonly states = new Map<string, PhoneState>();
  // recordFirmwareChange reads and rewrites one file: calls from parallel phones go one at a time.
  private changeQueue: Promise<unknown> = Promise.resolve();

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

  async run(): Promise<void> {
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
    this.server = await this.deps.server(this.site, this.plan, ctx.id);
    if (describeLocation(this.server.location) !== describeLocation(this.plan.server)) {
      await this.server.close().catch(() => undefined);
      throw new FieldkitError(
        'conflict',
        `The plan was made for the provisioning server at ${describeLocation(this.plan.server)}, but the site's server is now at ${describeLocation(this.server.location)}. Set the server back, or make a new plan.`,
      );
    }
    const flash = this.plan.phones.filter((p) => p.action === 'flash');
    for (const p of flash) this.states.set(p.mac, 'pending');
    this.updateCounters();
    if (!ctx.resumed) await ctx.record('firmware-plan', { planId: this.plan.id, summary: this.plan.summary.text });
    try {
      await this.stageTargets();
      const waves = planWaves(this.plan);
      let done = 0;
      for (const [index, wave] of waves.entries()) {
        ctx.progress(done, flash.length, `${wave.name}: ${wave.phones.length} phone(s)`);
        const decision = await this.runWave(index, wave);
        done += wave.phones.length;
        ctx.progress(done, flash.length);
        if (decision === 'stop') {
          const left = waves.slice(index + 1).flatMap((w) => w.phones);
          for (const p of left)
            await this.setState(p, 'not-started', { reason: 'the technician stopped the run before this phone' });
          ctx.log(
            'warn',
            `Stopped by the technician after ${wave.name}; ${left.length} phone(s) were not started and keep their firmware.`,
          );
          break;
        }
      }
    } catch (e) {
      if (ctx.signal.aborted) await this.recordCancelled();
      throw e;
    } finally {
      await this.server.close().catch(() => undefined);
      await saveResult(this.site, ctx.id).catch((e) =>
        ctx.log('error', `The result table could not be saved: ${(e as Error).message}`),
      );
    }
  }

  private updateCounters(): void {
    const counts: Record<string, number> = { pending: 0, staged: 0, rebooting: 0, flashing: 0, verified: 0, failed: 0 };
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
    await this.ctx
      .record('firmware-cancelled', {
        phones: open.map(([mac, state]) => ({ mac, state })),
        note: 'Phones in state pending or staged were not restarted; phones in rebooting or flashing may still be flashing. Resume re-checks each one by reading its version before doing anything.',
      })
      .catch(() => undefined);
  }

  /** Puts each target `.st` and the shared config files into its staging folder. */
  private async stageTargets(): Promise<void> {
    for (const t of this.plan.targets) {
      if (!this.plan.phones.some((p) => p.action === 'flash' && p.model === t.model)) continue;
      const key = `stage:${t.libraryId}`;
      const earlier = this.ctx.priorSteps.get(key)?.result as { location?: ServerLocation } | undefined;
      const folder = await this.server.folder(t.stagingFolder);
      this.staging.set(t.model, folder);
      await this.ctx.step(key, async () => {
        const entry = await findLibraryEntry(this.site, t.model, t.version);
        if (!entry || entry.image.sha256 !== t.sha256)
          throw new FieldkitError(
            'conflict',
            `The library's ${t.model} ${t.version} image is not the one the plan was made with. Make a new plan.`,
          );
        const image = await readLibraryImage(this.site, entry);
        const st = await putFile(folder.target, `${t.model}.st`, image);
        const configs = await copyConfigs(this.server.home, folder.target, sharedConfigNames(t.model));
        this.ctx.log(
          'info',
          `Staged ${t.model}.st ${t.version} (${st}) and ${configs.join(', ') || 'no shared config files'} at ${describeLocation(folder.location)}.`,
        );
        return { location: folder.location, st, configs };
      });
      if (this.ctx.priorSteps.get(key)?.state === 'done' && earlier) {
        // The built-in server holds staged copies in memory: after a crash they are gone, so a resumed
        // run puts them there again (same bytes, same place; on an SFTP server they are found unchanged).
        const entry = await findLibraryEntry(this.site, t.model, t.version);
        if (entry) await putFile(folder.target, `${t.model}.st`, await readLibraryImage(this.site, entry));
        await copyConfigs(this.server.home, folder.target, sharedConfigNames(t.model));
      }
    }
  }

  private target(p: PlannedPhone): ResolvedTarget {
    return this.plan.targets.find((t) => t.model === p.model)!;
  }

  private async runWave(
    index: number,
    wave: { name: string; canary: boolean; phones: PlannedPhone[] },
  ): Promise<'continue' | 'stop'> {
    const attempts = new Map(wave.phones.map((p) => [p.mac, 1]));
    let todo = wave.phones;
    const outcomes = new Map<string, Outcome>();
    for (let round = 1; ; round++) {
      const results = await mapBounded(todo, this.options.concurrency, (p) =>
        this.flashOne(p, wave.name, attempts.get(p.mac)!),
      );
      todo.forEach((p, i) => outcomes.set(p.mac, results[i]!));
      const failed = wave.phones.filter((p) => outcomes.get(p.mac)?.state === 'failed');
      const threshold = wave.canary ? 0 : this.options.haltWhenFailuresExceed;
      if (failed.length <= threshold) return 'continue';
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
      if (outcome.state === 'failed')
        await this.setState(p, 'failed', {
          reason: outcome.reason,
          after: outcome.after,
          wave,
          method: outcome.method,
          pointedAt: outcome.pointedAt,
        });
      else
        await this.setState(p, 'verified', {
          reason: outcome.reason,
          after: outcome.after,
          wave,
          method: outcome.method,
          pointedAt: outcome.pointedAt,
        });
      return outcome;
    });
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
    const login = await credentialsFor(
      this.site,
      this.deps.secrets,
      phone,
      options.requestTimeoutMs,
      this.deps.localAddress,
    );
    if ('refused' in login) throw new FieldkitError('unauthorized', login.refused);
    const credentials = login;
    const staging = this.staging.get(t.model)!;
    const stagingPath = describeLocation(staging.location);
    const from = p.current!;

    // Resume: a reboot begun by an earlier run but never confirmed. Read the phone before anything else.
    const rebootPrior = ctx.priorSteps.get(key('reboot'));
    let recovered: { version: string } | null = null;
    if (rebootPrior && rebootPrior.state !== 'done') {
      const version = await this.waitForVersion(phone, credentials);
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
          credentials,
          {
            state: 'failed',
            reason: `did not come back within ${Math.round(options.flashTimeoutMs / 60_000)} min after the interrupted run restarted it; power-cycle it, then resume`,
            after: null,
            method: null,
            pointedAt: null,
          },
          false,
        );
      if (version === t.version) recovered = { version };
    }

    let method: string | null = null;
    let version: string | null;
    if (recovered) {
      version = recovered.version;
      await ctx.step(key('reboot'), async () => ({ method: 'interrupted run', recovered: true }));
    } else {
      // The phone's own file goes along so it keeps its configuration (again after a resume: staging may be in memory).
      await copyConfigs(this.server.home, staging.target, [`${p.mac}.cfg`]).catch(() => undefined);
      const point = await ctx
        .step(key('point'), async () => {
          const now = await readVersionIfUp(phone, credentials, options.requestTimeoutMs, this.deps.localAddress);
          if (now === null) return { skipped: false, unreachable: true, version: null };
          if (now === t.version) return { skipped: true, unreachable: false, version: now };
          await pointPhone(
            phone,
            credentials,
            pointingFields(staging.location),
            options.requestTimeoutMs,
            this.deps.localAddress,
          );
          return { skipped: false, unreachable: false, version: now };
        })
        .catch((e: unknown) => {
          if (ctx.signal.aborted) throw e;
          return { skipped: false, unreachable: false, error: (e as Error).message, version: null };
        });
      if ('error' in point)
        return {
          state: 'failed',
          reason: `could not be pointed at the staging folder: ${point.error}`,
          after: null,
          method: null,
          pointedAt: null,
        };
      if (point.unreachable)
        return {
          state: 'failed',
          reason: 'did not answer before the change; nothing was done to it',
          after: null,
          method: null,
          pointedAt: null,
        };
      if (point.skipped)
        return {
          state: 'verified',
          reason: `already on ${t.version}; nothing done`,
          after: point.version,
          method: null,
          pointedAt: null,
        };
      await this.setState(p, 'staged', { wave, pointedAt: stagingPath });
      ctx.throwIfCancelled();

      // Read before the steps run: a step done in this run is added to priorSteps too.
      const interrupted =
        ctx.priorSteps.get(key('reboot'))?.state === 'done' && ctx.priorSteps.get(key('return'))?.state !== 'done';
      const first = await this.rebootAndWait(p, wave, credentials, key(''));
      if ('failed' in first) return first.failed;
      ({ method, version } = first);
      // A phone that was restarting when an earlier run died may have found the staging folder gone
      // (the built-in server died with that process): back on its old version, it was not flashed.
      // Restart it once more.
      if (interrupted && version === from) {
        await ctx.record('phone-recheck', {
          mac: p.mac,
          found: version,
          decision:
            'came back on its old version after the interrupted run: the staging folder was not served while it restarted, so it was not flashed; restart it once more',
        });
        const again = await this.rebootAndWait(p, wave, credentials, key('again'));
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
    return this.settle(p, t, credentials, outcome, version !== null);
  }

  /** Restarts the phone with a method that checks firmware and waits until it answers again. */
  private async rebootAndWait(
    p: PlannedPhone,
    wave: string,
    credentials: PhoneCredentials,
    suffix: string,
  ): Promise<{ method: string; version: string | null } | { failed: Outcome }> {
    const { ctx, options } = this;
    const stepKey = (s: string) => `${s}${suffix}`;
    const t = this.target(p);
    await this.setState(p, 'rebooting', { wave });
    const reboot = await ctx.step(stepKey('reboot'), async () => {
      const outcome = await rebootPhone(
        { mac: p.mac, ip: p.ip!, sipPort: p.sipPort, httpPort: p.httpPort },
        {
          adminPassword: credentials.password,
          fastReboot: false,
          requestTimeoutMs: options.requestTimeoutMs,
          confirmDownMs: options.rebootStartTimeoutMs,
          pollMs: Math.min(options.pollMs, 250),
          signal: ctx.signal,
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
          credentials,
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
    await this.setState(p, 'flashing', { wave, method });
    const back = await ctx.step(stepKey('return'), async () => ({
      version: await this.waitForVersion(
        { mac: p.mac, ip: p.ip!, httpPort: p.httpPort, sipPort: p.sipPort },
        credentials,
      ),
    }));
    return { method, version: back.version };
  }

  /** Leaves the phone pointed where it will not flip back (verified) or will not retry a bad image (failed). */
  private async settle(
    p: PlannedPhone,
    t: ResolvedTarget,
    credentials: PhoneCredentials,
    outcome: Outcome,
    answers: boolean,
  ): Promise<Outcome> {
    const { ctx, options } = this;
    const phone: FirmwarePhone = { mac: p.mac, ip: p.ip!, httpPort: p.httpPort, sipPort: p.sipPort };
    const stagingPath = describeLocation(this.staging.get(t.model)!.location);
    const homePath = p.home?.path ?? '';
    if (!answers) return { ...outcome, pointedAt: stagingPath };
    const where = outcome.state === 'verified' ? (p.afterwards ?? 'stay-pointed') : 'home';
    const settled = await ctx
      .step(`settle:${p.mac}:${outcome.state}:${outcome.after ?? 'none'}`, async () => {
        if (where === 'stay-pointed')
          return {
            pointedAt: stagingPath,
            note: `left pointed at ${stagingPath}, whose ${t.model}.st is ${t.version}`,
          };
        const fields = where === 'home-config-only' ? { ...homeFields(p), autoResyncMode: '1' } : homeFields(p);
        await pointPhone(phone, credentials, fields, options.requestTimeoutMs, this.deps.localAddress);
        return {
          pointedAt: homePath,
          note:
            where === 'home-config-only'
              ? `pointed home (${homePath}) with auto resync set to config only`
              : `pointed home (${homePath})`,
        };
      })
      .catch((e: unknown) => {
        if (ctx.signal.aborted) throw e;
        return {
          pointedAt: stagingPath,
          note: `could not be pointed home (${(e as Error).message}); still pointed at ${stagingPath}`,
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
      const recorded = this.changeQueue.then(() => recordFirmwareChange(this.site, change));
      this.changeQueue = recorded.catch(() => undefined);
      await recorded;
    }
    return { ...outcome, reason: `${outcome.reason}; ${settled.note}`, pointedAt: settled.pointedAt };
  }

  /** Polls until the phone answers again (version) or the flash timeout passes (null). */
  private async waitForVersion(phone: FirmwarePhone, credentials: PhoneCredentials): Promise<string | null> {
    const { options, ctx } = this;
    const deadline = Date.now() + options.flashTimeoutMs;
    for (;;) {
      ctx.throwIfCancelled();
      const v = await readVersionIfUp(
        phone,
        credentials,
        Math.min(options.requestTimeoutMs, 2000),
        this.deps.localAddress,
      ).catch(() => null);
      if (v !== null) return v;
      if (Date.now() >= deadline) return null;
      await sleep(options.pollMs, ctx.signal);
    }
  }
}

export function createFirmwareWaveJob(deps: FirmwareJobDeps): JobDefinition<FirmwareRunParams> {
  return {
    kind: FIRMWARE_JOB_KIND,
    params: FirmwareRunParamsSchema,
    resumable: true,
    title: (p) => `Firmware run (plan ${p.planId})`,
    run: (ctx, params) => new FirmwareRun(ctx, deps, params).run(),
  };
}
