export interface SharedRead<T> {
  /** The result of a read begun at or after this call (shared with the other callers of the same moment). */
  fresh(): Promise<T>;
  /** The result of a read begun at most `recentMs` before this call, or else a fresh one. */
  recent(): Promise<T>;
}

/**
 * Shares reads among callers that ask at about the same time. `fresh()` never answers with something older than the
 * question: while a read is under way, new callers wait for the next one, which begins when the current one ends and
 * answers all of them (N callers at once cost two reads, not N), so a caller that changed the world just before asking
 * (e.g. primed the neighbour table) sees that change. `recent()` also takes a read begun up to `recentMs` earlier.
 * A failed read is never reused.
 */
export function sharedRead<T>(read: () => Promise<T>, recentMs: number): SharedRead<T> {
  let running: Promise<T> | null = null;
  let next: Promise<T> | null = null;
  let last: { began: number; result: Promise<T> } | null = null;
  const start = (): Promise<T> => {
    const reading = read();
    const began = Date.now();
    running = reading;
    last = { began, result: reading };
    reading.then(
      () => {
        if (running === reading) running = null;
      },
      () => {
        if (running === reading) running = null;
        if (last?.result === reading) last = null;
      },
    );
    return reading;
  };
  const fresh = (): Promise<T> => {
    // a read that has not begun yet is fresh enough for this caller too
    if (next) return next;
    if (!running) return start();
    next = running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        next = null;
        return start();
      });
    return next;
  };
  const recent = (): Promise<T> => (last && Date.now() - last.began <= recentMs ? last.result : fresh());
  return { fresh, recent };
}
