// Concurrency and rate limits for sweeps: a counting semaphore and a pacer, both abortable.
import { getMaxListeners, setMaxListeners } from 'node:events';
import { FieldkitError } from './errors';

const cancelled = (): FieldkitError => new FieldkitError('cancelled', 'The scan was cancelled.');

export class Semaphore {
  #free: number;
  readonly #waiters: Array<{ grant: () => void; fail: (e: Error) => void }> = [];
  readonly #signal: AbortSignal | undefined;

  /** Once `signal` aborts, waiting and new acquires fail with a 'cancelled' error. */
  constructor(size: number, signal?: AbortSignal) {
    this.#free = size;
    this.#signal = signal;
    // Each task admitted may listen to the same signal while it waits or asks a phone (a few at once): that many
    // listeners are the design, not a leak, so Node's warning at 10 is moved past them.
    if (signal) setMaxListeners(Math.max(getMaxListeners(signal), size * 4 + 10), signal);
    signal?.addEventListener(
      'abort',
      () => {
        for (const w of this.#waiters.splice(0)) w.fail(cancelled());
      },
      { once: true },
    );
  }

  /** Resolves with a release function once a slot is free. */
  acquire(): Promise<() => void> {
    if (this.#signal?.aborted) return Promise.reject(cancelled());
    const release = (): void => {
      const next = this.#waiters.shift();
      if (next) next.grant();
      else this.#free++;
    };
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => this.#waiters.push({ grant: () => resolve(once(release)), fail: reject }));
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}

/** Spaces calls to at most `perSecond`, in small bursts so timers stay coarse. */
export class Pacer {
  readonly #intervalMs: number;
  #next = 0;

  constructor(perSecond: number) {
    this.#intervalMs = perSecond > 0 ? 1000 / perSecond : 0;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    if (this.#intervalMs === 0) return;
    const now = performance.now();
    const at = Math.max(now, this.#next);
    this.#next = at + this.#intervalMs;
    const delay = at - now;
    if (delay < 4) return; // let a burst of up to a few ms through at once
    // No abort listener per wait (thousands wait at once); the delay is short and the signal is checked after it.
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (signal?.aborted) throw cancelled();
  }
}
