// Faults a test can switch on and off at runtime; the phone consults them on every message and boot.
export interface PhoneFaults {
  /** No answers at all: SIP is dropped, HTTP connections are accepted and left hanging. */
  unreachable?: boolean;
  /** Every SIP and HTTP answer is delayed by this many milliseconds. */
  slowMs?: number;
  /** The phone's real admin password differs from its configured one (tech's credentials fail). */
  wrongCredentials?: boolean;
  /** HTTP and SIP/TCP connections are reset as soon as a request arrives. */
  dropConnections?: boolean;
  /** After the next reboot the phone stays dark until powerCycle() is called. */
  neverComesBack?: boolean;
  /** The next flash loses power half-way: the phone comes back on its old firmware (one-shot). */
  powerLossMidFlash?: boolean;
  /** Probability (0..1) that a SIP request is silently dropped; drawn from a seeded RNG. */
  sipLossRate?: number;
  /** Seed for sipLossRate's RNG, so lossy runs are repeatable. */
  sipLossSeed?: number;
}

export const WRONG_CREDENTIALS_PASSWORD = '90210';

/** mulberry32: tiny seeded PRNG, good enough for packet-loss dice. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
