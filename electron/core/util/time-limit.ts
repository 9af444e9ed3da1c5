/**
 * Waits for `work`, but rejects with `onTimeout()` once `limitMs` have passed. The work itself goes on (most of
 * what hangs, a file system call, cannot be cancelled); the caller gets an answer. The timer never keeps the process
 * alive.
 */
export function withinTimeLimit<T>(work: Promise<T>, limitMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), limitMs);
    timer.unref();
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
