// One long job a view started or picked up (a scan, a publish, a firmware run): its live state from the job
// events, starting, cancelling and resuming it, and a hook when it ends. Every view that starts jobs goes through
// this class, so the job API is used in one place.
import type { JobInfo } from './job-labels';
import type { CallInput, JobKind, JobParams } from '$api/contract';

/** What jobs.start takes: a union on `kind`, each kind with its own parameters (electron/api/job-kinds.ts). */
export type JobRequest = CallInput<'jobs.start'>;

/** Where jobs come from: the app's contract client and job list, or a stand-in in tests. */
export interface JobSource {
  jobs(): readonly JobInfo[];
  start(request: JobRequest): Promise<JobInfo>;
  cancel(id: string): Promise<unknown>;
  resume(id: string): Promise<JobInfo>;
  onUpdate(listener: (job: JobInfo) => void): () => void;
}

export interface TrackedJobOptions {
  /** The job kind this view shows; used to pick up a job that is already running (or the latest one). */
  kind?: JobKind;
  adopt?: 'running' | 'latest';
  /** Called once each time the tracked job reaches succeeded, stopped, failed or cancelled. */
  onFinish?: (job: JobInfo) => void;
}

const ACTIVE = new Set<JobInfo['state']>(['running', 'waiting']);
const FINISHED = new Set<JobInfo['state']>(['succeeded', 'stopped', 'failed', 'cancelled']);

export class TrackedJob {
  id = $state<string | null>(null);
  /** Why the last start, cancel or resume was refused. */
  error = $state<string | null>(null);
  starting = $state(false);
  #lastState: JobInfo['state'] | null = null;
  readonly #off: () => void;

  constructor(
    private readonly source: JobSource,
    private readonly options: TrackedJobOptions = {},
  ) {
    const { kind, adopt } = options;
    if (kind && adopt) {
      const ofKind = source.jobs().filter((j) => j.kind === kind);
      const pick = adopt === 'running' ? ofKind.find((j) => ACTIVE.has(j.state)) : ofKind[0];
      if (pick) this.adopt(pick.id);
    }
    this.#off = source.onUpdate((job) => {
      if (job.id !== this.id) return;
      const was = this.#lastState;
      this.#lastState = job.state;
      if (FINISHED.has(job.state) && was !== job.state) this.options.onFinish?.(job);
    });
  }

  /** The job as last reported, or null. */
  get job(): JobInfo | null {
    const id = this.id;
    return id === null ? null : (this.source.jobs().find((j) => j.id === id) ?? null);
  }

  /** Running or waiting for a decision. */
  get running(): boolean {
    return ACTIVE.has(this.job?.state ?? 'succeeded');
  }

  /** Starting or running: the button that starts it should be off. */
  get busy(): boolean {
    return this.starting || this.running;
  }

  get finished(): boolean {
    const s = this.job?.state;
    return s !== undefined && FINISHED.has(s);
  }

  adopt(id: string | null): void {
    this.id = id;
    this.#lastState = id === null ? null : (this.source.jobs().find((j) => j.id === id)?.state ?? null);
    this.error = null;
  }

  /** Starts a job unless this one is still busy; resolves to it, or null when it was refused. */
  async start<K extends JobKind>(kind: K, params: JobParams<K>): Promise<JobInfo | null> {
    if (this.busy) return null;
    this.starting = true;
    this.error = null;
    try {
      // The signature ties params to kind; TypeScript cannot narrow a generic pair to the union by itself.
      const job = await this.source.start({ kind, params } as JobRequest);
      this.id = job.id;
      // Updates may have overtaken this answer (a quick job already ended): go on from the newest state known.
      const latest = this.source.jobs().find((j) => j.id === job.id) ?? job;
      this.#lastState = latest.state;
      if (FINISHED.has(latest.state)) this.options.onFinish?.(latest);
      return job;
    } catch (e) {
      this.error = (e as Error).message;
      return null;
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    if (!this.id) return;
    await this.#attempt(() => this.source.cancel(this.id!));
  }

  async resume(): Promise<void> {
    if (!this.id) return;
    await this.#attempt(() => this.source.resume(this.id!));
  }

  async #attempt(fn: () => Promise<unknown>): Promise<void> {
    this.error = null;
    try {
      await fn();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  dispose(): void {
    this.#off();
  }
}
