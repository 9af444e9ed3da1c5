// Long CPU-bound loops (loading and filling in 1,000 configuration files) otherwise hold the event loop for
// hundreds of milliseconds, and an SSH handshake started just before them waits until they end instead of
// going on underneath: a publish's preview lost its overlap of connecting and materializing that way.
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A function to await once per item of a long loop: every `every` calls it lets the event loop take one turn
 * (pending I/O callbacks run), otherwise it costs a resolved promise.
 */
export function breather(every = 64): () => Promise<void> {
  let calls = 0;
  return () => (++calls % every === 0 ? nextTurn() : Promise.resolve());
}
