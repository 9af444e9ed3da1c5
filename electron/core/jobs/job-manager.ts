// Long work is a job: start() returns an id at once, progress streams as events, cancel() stops it,
// and every job journals what it is about to do before doing it, so resume() can carry on after a crash.
import { setMaxListeners } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FieldkitError, isFieldkitError } from '../util/errors';
import { sleep } from '../util/sleep';
import { Journal, type JournalEntry } from './journal';
import { TERMINAL_STATES, type JobInfo, type JobLog, type JobState } from './job-types';
import type { z } from 'zod';

/** Listeners a job's abort signal may have before Node warns: more than the phones any job touches at once. */
const JOB_SIGNAL_LISTENERS = 2000;

export interface StepRecord {
  state: 'begun' | 'done' | 'failed';
  result?: unknown;
  error?: string;
}

export interface Decision {
  question: string;
  options: string[];
}

export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** True when this run continues an interrupted job. */
  readonly resumed: boolean;
  /** Steps recorded by earlier runs of this job (for resume), keyed by step key. */
  readonly priorSteps: ReadonlyMap<string, StepRecord>;
  /** Appends a fact to the journal (fsync'd) before the caller acts on it. */
  record(type: string, fields?: Record<string, unknown>): Promise<void>;
  progress(done: number, total: number, message?: string): void;
  count(counter: string, delta?: number): void;
  setCounter(counter: string, value: number): void;
  log(level: JobLog['level'], message: string): void;
  /**
   * Runs `fn` once across crashes: journals `step-begin` before and `step-done` after.
   * A step already done in an earlier run returns its recorded result without running again.
   */
  step<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Pauses the job in state 'waiting' until the technician picks one of the options. */
  ask(question: string, options: string[]): Promise<string>;
  /**
   * Waits until `at` (cancellable), showing `message` and `waitingUntil` in the job's info; returns at once when `at`
   * is past. A resumed job that calls it again waits again if the time is still ahead.
   */
  waitUntil(at: Date, message: string): Promise<void>;
  /** What the outcome means for the technician (kept in the job's info and journaled with its end). */
  setNote(note: string): void;
  throwIfCancelled(): void;
}

/** A job's own verdict when it ends on purpose before its work is done (the technician stopped it at a halt). */
export const STOPPED = 'stopped' as const;

export interface JobDefinition<P> {
  readonly kind: string;
  readonly params: z.ZodType<P>;
  title(params: P): string;
  /** Whether an interrupted job of this kind can be resumed from its journal. */
  readonly resumable: boolean;
  /**
   * What the job will work on: phones (12 upper-case hex digits) and `target:<id>`. The manager refuses to start (or
   * resume) the job while another running job holds any of them, and holds them itself until the job ends.
   */
  holds?(params: P): Promise<string[]>;
  /** Resolves `'stopped'` when the technician stopped it on purpose (JobState 'stopped', never 'succeeded'). */
  run(ctx: JobContext, params: P): Promise<void | typeof STOPPED>;
  /**
   * Runs once the job's end is journaled, before anyone waiting on the job hears of it: for what must name the
   * final outcome (a result file written from inside run() could only say "unfinished"). A failure is logged.
   */
  ended?(jobId: string, state: JobState): Promise<void>;
}

/** One resource a running job holds. */
export interface HeldResource {
  resource: string;
  jobId: string;
  kind: string;
  title: string;
}

export interface JobManagerEvents {
  onUpdate(info: JobInfo): void;
  onLog(log: JobLog): void;
}

/** Hides secrets in job messages before they reach the UI or the journal (see core/security/redactor). */
export interface JobRedactor {
  redact(text: string): string;
  refresh(): Promise<unknown>;
}

const noRedaction: JobRedactor = { redact: (text) => text, refresh: async () => undefined };

interface LiveJob {
  info: JobInfo;
  def: JobDefinition<never>;
  controller: AbortController;
  journal: Journal;
  done: Promise<void>;
  pendingDecision?: { decision: Decision; resolve: (answer: string) => void };
  lastEmit: number;
  emitTimer?: NodeJS.Timeout;
}

const UPDATE_INTERVAL_MS = 100;

function newJobId(kind: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${kind}-${randomBytes(3).toString('hex')}`;
}

export class JobManager {
  private readonly definitions = new Map<string, JobDefinition<unknown>>();
  private readonly live = new Map<string, LiveJob>();
  /** resource -> id of the running job that holds it. */
  private readonly holders = new Map<string, string>();
  /** Kind and title of the jobs that hold something (known from the claim on, before the job runs). */
  private readonly claimants = new Map<string, { kind: string; title: string }>();

  constructor(
    private readonly journalDir: () => string,
    private readonly events: JobManagerEvents,
    private readonly redactor: JobRedactor = noRedaction,
  ) {}

  register<P>(definition: JobDefinition<P>): void {
    if (this.definitions.has(definition.kind)) throw new Error(`job kind ${definition.kind} registered twice`);
    this.definitions.set(definition.kind, definition as JobDefinition<unknown>);
  }

  kinds(): string[] {
    return [...this.definitions.keys()];
  }

  private definition(kind: string): JobDefinition<unknown> {
    const def = this.definitions.get(kind);
    if (!def)
      throw new FieldkitError('invalid-input', `Unknown job kind "${kind}". Known kinds: ${this.kinds().join(', ')}.`);
    return def;
  }

  async start(kind: string, rawParams: unknown): Promise<JobInfo> {
    const def = this.definition(kind);
    const parsed = def.params.safeParse(rawParams);
    if (!parsed.success) {
      throw new FieldkitError(
        'invalid-input',
        `The settings for this ${kind} job are not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
      );
    }
    const now = new Date();
    const id = newJobId(kind, now);
    const holds = await this.claim(def, parsed.data, id);
    try {
      const journalPath = join(this.journalDir(), `${id}.jsonl`);
      const journal = await Journal.open(journalPath);
      await journal.append('job-started', { kind, params: parsed.data, ...(holds.length ? { holds } : {}) });
      await this.redactor.refresh();
      return this.launch(def, id, parsed.data, journal, new Map(), false, now.toISOString(), holds);
    } catch (e) {
      this.release(id);
      throw e;
    }
  }

  /** Continues an interrupted job from its journal. */
  async resume(id: string): Promise<JobInfo> {
    const state = this.live.get(id)?.info.state;
    if (state === 'running' || state === 'waiting')
      throw new FieldkitError('conflict', `Job ${id} is already running.`);
    const path = join(this.journalDir(), `${id}.jsonl`);
    const { entries } = await Journal.read(path);
    const started = entries.find((e) => e.type === 'job-started');
    if (!started) throw new FieldkitError('not-found', `No journal for job ${id} in this site.`);
    const last = entries.at(-1);
    if (last?.type === 'job-succeeded')
      throw new FieldkitError('conflict', `Job ${id} already finished successfully; there is nothing to resume.`);
    if (last?.type === 'job-stopped')
      throw new FieldkitError(
        'conflict',
        `Job ${id} was stopped by the technician; resuming it would stop at the same place again. Start a new run for the phones it did not reach.`,
      );
    const def = this.definition(String(started.kind));
    if (!def.resumable)
      throw new FieldkitError('invalid-input', `${def.kind} jobs cannot be resumed; start a new one.`);
    const params = def.params.parse(started.params);
    const holds = await this.claim(def, params, id);
    try {
      const journal = await Journal.open(path);
      await journal.append('job-resumed', {});
      await this.redactor.refresh();
      return this.launch(def, id, params, journal, stepsFrom(entries), true, String(started.at), holds);
    } catch (e) {
      this.release(id);
      throw e;
    }
  }

  /**
   * Takes what the job will work on, or refuses with 'conflict' naming the phones and the job that holds them. The
   * check and the hold happen together, with no await in between, so two quick starts cannot both get a phone.
   */
  private async claim(def: JobDefinition<unknown>, params: unknown, id: string): Promise<string[]> {
    const wanted = [...new Set((await def.holds?.(params)) ?? [])].sort();
    const taken = new Map<string, string[]>();
    for (const r of wanted) {
      const holder = this.holders.get(r);
      if (holder !== undefined && holder !== id) taken.set(holder, [...(taken.get(holder) ?? []), r]);
    }
    if (taken.size > 0) {
      const [holderId] = [...taken.keys()];
      const holder = this.claimants.get(holderId!);
      const all = [...taken.values()].flat();
      const phones = all.filter((r) => !r.startsWith('target:'));
      const targets = all.filter((r) => r.startsWith('target:')).map((t) => t.slice('target:'.length));
      const what = [
        phones.length
          ? `Phone${phones.length > 1 ? 's' : ''} ${phones.slice(0, 10).join(', ')}${phones.length > 10 ? ` and ${phones.length - 10} more` : ''}`
          : '',
        targets.length ? `publishing target ${targets.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' and ');
      throw new FieldkitError(
        'conflict',
        `${what} ${all.length > 1 ? 'are' : 'is'} in use by the running job "${holder?.title ?? holderId}" (${holderId}). One run per phone: wait for that job to end, or cancel it, then start again.`,
        { phones, targets, jobId: holderId, jobs: [...taken.keys()] },
      );
    }
    for (const r of wanted) this.holders.set(r, id);
    if (wanted.length) this.claimants.set(id, { kind: def.kind, title: def.title(params) });
    return wanted;
  }

  private release(id: string): void {
    for (const [r, holder] of this.holders) if (holder === id) this.holders.delete(r);
    this.claimants.delete(id);
  }

  /** What running jobs hold now (phones and publishing targets), for the UI to say why something cannot start. */
  held(): HeldResource[] {
    return [...this.holders.entries()].map(([resource, jobId]) => {
      const claimant = this.claimants.get(jobId);
      return { resource, jobId, kind: claimant?.kind ?? '', title: claimant?.title ?? jobId };
    });
  }

  private launch(
    def: JobDefinition<unknown>,
    id: string,
    params: unknown,
    journal: Journal,
    priorSteps: Map<string, StepRecord>,
    resumed: boolean,
    startedAt: string,
    holds: string[] = [],
  ): JobInfo {
    const controller = new AbortController();
    // Every phone a job works on at once may wait on its signal (a sleep, a request): a 500-phone wave is hundreds
    // of listeners, not a leak, and Node's default limit of 10 printed MaxListenersExceededWarning on the terminal.
    setMaxListeners(JOB_SIGNAL_LISTENERS, controller.signal);
    const info: JobInfo = {
      id,
      kind: def.kind,
      title: def.title(params),
      state: 'running',
      done: 0,
      total: 0,
      message: resumed ? 'Resuming' : 'Starting',
      counters: {},
      startedAt,
      resumable: def.resumable,
      journal: `journal/${id}.jsonl`,
      ...(holds.length ? { holds } : {}),
    };
    const job: LiveJob = {
      info,
      def: def as JobDefinition<never>,
      controller,
      journal,
      done: Promise.resolve(),
      lastEmit: 0,
    };
    this.live.set(id, job);
    const ctx = this.context(job, priorSteps, resumed);
    job.done = (async () => {
      this.emit(job, true);
      try {
        const verdict = await def.run(ctx, params);
        if (controller.signal.aborted) throw new FieldkitError('cancelled', 'Cancelled by the technician.');
        await this.finish(job, verdict === STOPPED ? 'stopped' : 'succeeded');
      } catch (e) {
        const cancelled = controller.signal.aborted || (isFieldkitError(e) && e.code === 'cancelled');
        if (!cancelled) await this.redactor.refresh();
        await this.finish(
          job,
          cancelled ? 'cancelled' : 'failed',
          cancelled ? undefined : this.redactor.redact(describe(e)),
        );
      } finally {
        // released when the job ends, fails, is cancelled; an interrupted job holds nothing until it is resumed
        this.release(id);
        if (job.info.holds) {
          delete job.info.holds;
          this.emit(job, true);
        }
      }
    })();
    return { ...info };
  }

  private context(job: LiveJob, priorSteps: Map<string, StepRecord>, resumed: boolean): JobContext {
    const { info, controller, journal } = job;
    const throwIfCancelled = () => {
      if (controller.signal.aborted) throw new FieldkitError('cancelled', 'Cancelled by the technician.');
    };
    return {
      id: info.id,
      signal: controller.signal,
      resumed,
      priorSteps,
      record: async (type, fields) => {
        await journal.append(type, fields);
      },
      progress: (done, total, message) => {
        info.done = done;
        info.total = total;
        if (message !== undefined) info.message = this.redactor.redact(message);
        this.emit(job);
      },
      count: (counter, delta = 1) => {
        info.counters[counter] = (info.counters[counter] ?? 0) + delta;
        this.emit(job);
      },
      setCounter: (counter, value) => {
        info.counters[counter] = value;
        this.emit(job);
      },
      log: (level, raw) => {
        const message = this.redactor.redact(raw);
        this.events.onLog({ jobId: info.id, at: new Date().toISOString(), level, message });
        void journal.append('log', { level, message }).catch(() => undefined);
      },
      step: async (key, fn) => {
        const prior = priorSteps.get(key);
        if (prior?.state === 'done') return prior.result as Awaited<ReturnType<typeof fn>>;
        throwIfCancelled();
        await journal.append('step-begin', { key });
        try {
          const result = await fn();
          await journal.append('step-done', { key, result: result === undefined ? null : result });
          priorSteps.set(key, { state: 'done', result });
          return result;
        } catch (e) {
          await journal.append('step-failed', { key, error: this.redactor.redact(describe(e)) }).catch(() => undefined);
          throw e;
        }
      },
      ask: async (question, options) => {
        await journal.append('decision-asked', { question, options });
        info.state = 'waiting';
        info.message = question;
        this.emit(job, true);
        const answer = await new Promise<string>((resolve, reject) => {
          job.pendingDecision = { decision: { question, options }, resolve };
          controller.signal.addEventListener(
            'abort',
            () => reject(new FieldkitError('cancelled', 'Cancelled by the technician.')),
            { once: true },
          );
        });
        job.pendingDecision = undefined;
        await journal.append('decision-made', { question, answer });
        info.state = 'running';
        this.emit(job, true);
        return answer;
      },
      waitUntil: async (at, message) => {
        if (at.getTime() <= Date.now()) return;
        info.waitingUntil = at.toISOString();
        info.message = this.redactor.redact(message);
        await journal.append('wait-started', { until: info.waitingUntil });
        this.emit(job, true);
        try {
          // in slices, so a changed clock or a long wait never overshoots by much
          while (Date.now() < at.getTime()) {
            throwIfCancelled();
            await sleep(Math.min(at.getTime() - Date.now(), 60_000), controller.signal);
          }
        } finally {
          delete info.waitingUntil;
          this.emit(job, true);
        }
        await journal.append('wait-ended', {});
      },
      setNote: (note) => {
        info.note = this.redactor.redact(note);
        this.emit(job, true);
      },
      throwIfCancelled,
    };
  }

  private async finish(job: LiveJob, state: JobState, error?: string): Promise<void> {
    job.info.state = state;
    job.info.finishedAt = new Date().toISOString();
    if (error !== undefined) job.info.error = error;
    // A job's own last words ("19 of 20 restarted") say more than "Done"; keep them when it left some.
    if (
      state === 'succeeded' &&
      (job.info.message === '' || job.info.message === 'Starting' || job.info.message === 'Resuming')
    )
      job.info.message = 'Done';
    if (state === 'cancelled') job.info.message = 'Cancelled';
    if (state === 'stopped' && (job.info.message === '' || job.info.message === 'Starting'))
      job.info.message = 'Stopped by the technician';
    try {
      await job.journal.append(`job-${state}`, {
        ...(error === undefined ? {} : { error }),
        ...(job.info.note ? { note: job.info.note } : {}),
      });
    } catch (e) {
      job.info.error = `${error ?? ''} The journal could not be completed: ${describe(e)}`.trim();
    }
    await job.journal.close().catch(() => undefined);
    await job.def.ended?.(job.info.id, state).catch((e: unknown) =>
      this.events.onLog({
        jobId: job.info.id,
        at: new Date().toISOString(),
        level: 'error',
        message: this.redactor.redact(describe(e)),
      }),
    );
    this.emit(job, true);
  }

  private emit(job: LiveJob, force = false): void {
    const now = Date.now();
    const send = () => {
      job.lastEmit = Date.now();
      job.emitTimer = undefined;
      this.events.onUpdate({ ...job.info, counters: { ...job.info.counters } });
    };
    if (force || now - job.lastEmit >= UPDATE_INTERVAL_MS) {
      if (job.emitTimer) clearTimeout(job.emitTimer);
      send();
    } else if (!job.emitTimer) {
      job.emitTimer = setTimeout(send, UPDATE_INTERVAL_MS - (now - job.lastEmit));
    }
  }

  cancel(id: string): JobInfo {
    const job = this.live.get(id);
    if (!job) throw new FieldkitError('not-found', `No running job ${id}.`);
    if (!TERMINAL_STATES.includes(job.info.state)) {
      job.info.message = 'Cancelling…';
      job.controller.abort();
      this.emit(job, true);
    }
    return { ...job.info };
  }

  answer(id: string, choice: string): JobInfo {
    const job = this.live.get(id);
    const pending = job?.pendingDecision;
    if (!job || !pending) throw new FieldkitError('not-found', `Job ${id} is not waiting for a decision.`);
    if (!pending.decision.options.includes(choice)) {
      throw new FieldkitError(
        'invalid-input',
        `"${choice}" is not one of the choices: ${pending.decision.options.join(', ')}.`,
      );
    }
    pending.resolve(choice);
    return { ...job.info };
  }

  pendingDecision(id: string): Decision | undefined {
    return this.live.get(id)?.pendingDecision?.decision;
  }

  /** Waits until a job started in this process has finished. */
  async wait(id: string): Promise<JobInfo> {
    const job = this.live.get(id);
    if (!job) throw new FieldkitError('not-found', `No job ${id} in this session.`);
    await job.done;
    return { ...job.info };
  }

  /** Live jobs plus the ones found in the site's journal folder (finished or interrupted by a crash). */
  async list(): Promise<JobInfo[]> {
    const result = new Map<string, JobInfo>();
    for (const [id, job] of this.live) result.set(id, { ...job.info, counters: { ...job.info.counters } });
    let files: string[];
    try {
      files = (await readdir(this.journalDir())).filter((f) => f.endsWith('.jsonl'));
    } catch {
      files = [];
    }
    for (const file of files) {
      const id = file.slice(0, -'.jsonl'.length);
      if (result.has(id)) continue;
      const info = await this.infoFromJournal(id).catch(() => undefined);
      if (info) result.set(id, info);
    }
    return [...result.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  private async infoFromJournal(id: string): Promise<JobInfo | undefined> {
    const { entries } = await Journal.read(join(this.journalDir(), `${id}.jsonl`));
    const started = entries.find((e) => e.type === 'job-started');
    if (!started) return undefined;
    const kind = String(started.kind);
    const def = this.definitions.get(kind);
    const last = entries.at(-1)!;
    const terminal = ['job-succeeded', 'job-stopped', 'job-failed', 'job-cancelled'].find((t) => last.type === t);
    const state: JobState = terminal ? (terminal.slice(4) as JobState) : 'interrupted';
    let title = kind;
    try {
      if (def) title = def.title(def.params.parse(started.params));
    } catch {
      title = kind;
    }
    return {
      id,
      kind,
      title,
      state,
      done: 0,
      total: 0,
      message: state === 'interrupted' ? 'Interrupted (Fieldkit stopped while it ran). Resume to continue.' : '',
      counters: {},
      startedAt: String(started.at),
      ...(terminal ? { finishedAt: String(last.at) } : {}),
      ...(typeof last.error === 'string' ? { error: last.error } : {}),
      ...(typeof last.note === 'string' ? { note: last.note } : {}),
      resumable: def?.resumable ?? false,
      journal: `journal/${id}.jsonl`,
    };
  }

  /** Cancels every live job and waits for them to settle (app shutdown). */
  async shutdown(): Promise<void> {
    for (const job of this.live.values()) job.controller.abort();
    await Promise.all([...this.live.values()].map((j) => j.done));
  }
}

function stepsFrom(entries: JournalEntry[]): Map<string, StepRecord> {
  const steps = new Map<string, StepRecord>();
  for (const e of entries) {
    const key = typeof e.key === 'string' ? e.key : undefined;
    if (!key) continue;
    if (e.type === 'step-begin') steps.set(key, { state: 'begun' });
    else if (e.type === 'step-done') steps.set(key, { state: 'done', result: e.result });
    else if (e.type === 'step-failed') steps.set(key, { state: 'failed', error: String(e.error) });
  }
  return steps;
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
