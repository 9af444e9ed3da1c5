// What keeps the built-in provisioning server from being mined or flooded by one client on the LAN:
// a bound on each client's connections, and a throttle on bursts of misses (requests for files that are
// not there or not theirs, the shape of MAC guessing). A throttled client gets 429 for a while, and each
// burst becomes one warning the UI shows ("10.0.0.99 asked for 41 files it may not have in 5 s").
// Everything is per client address, in memory, and bounded (at most MAX_CLIENTS tracked).

export interface GuardOptions {
  /** Misses allowed per client in `windowMs` before it is throttled. */
  misses: number;
  windowMs: number;
  /** How long a throttled client gets only 429. */
  blockMs: number;
  /** Open connections per client (phones use one or two). */
  connectionsPerClient: number;
  now?: () => number;
}

export const DEFAULT_GUARD: GuardOptions = { misses: 20, windowMs: 10_000, blockMs: 60_000, connectionsPerClient: 8 };

const MAX_CLIENTS = 10_000;

interface ClientState {
  missTimes: number[];
  blockedUntil: number;
  /** Requests refused while blocked (reported when the block ends or grows). */
  refusedWhileBlocked: number;
  connections: number;
}

export type GuardVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface ThrottleEvent {
  ip: string;
  misses: number;
  windowMs: number;
  blockedForMs: number;
}

export class ServerGuard {
  private readonly clients = new Map<string, ClientState>();
  private readonly options: GuardOptions;

  constructor(
    options: Partial<GuardOptions> = {},
    private readonly onThrottle: (event: ThrottleEvent) => void = () => undefined,
  ) {
    this.options = { ...DEFAULT_GUARD, ...options };
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private state(ip: string): ClientState {
    let s = this.clients.get(ip);
    if (!s) {
      if (this.clients.size >= MAX_CLIENTS) this.evict();
      s = { missTimes: [], blockedUntil: 0, refusedWhileBlocked: 0, connections: 0 };
      this.clients.set(ip, s);
    }
    return s;
  }

  /** Forgets clients with nothing open and nothing recent. */
  private evict(): void {
    const now = this.now();
    for (const [ip, s] of this.clients) {
      if (s.connections === 0 && s.blockedUntil < now && (s.missTimes.at(-1) ?? 0) < now - this.options.windowMs)
        this.clients.delete(ip);
    }
  }

  /** A new connection: false when the client already holds its share. */
  connectionOpened(ip: string): boolean {
    const s = this.state(ip);
    if (s.connections >= this.options.connectionsPerClient) return false;
    s.connections++;
    return true;
  }

  connectionClosed(ip: string): void {
    const s = this.clients.get(ip);
    if (s && s.connections > 0) s.connections--;
  }

  /** Before answering a request. */
  check(ip: string): GuardVerdict {
    const s = this.state(ip);
    const now = this.now();
    if (s.blockedUntil > now) {
      s.refusedWhileBlocked++;
      return { allowed: false, retryAfterSeconds: Math.ceil((s.blockedUntil - now) / 1000) };
    }
    return { allowed: true };
  }

  /** A request that got nothing (404) or was refused: counts toward the client's burst. */
  miss(ip: string): void {
    const s = this.state(ip);
    const now = this.now();
    s.missTimes = s.missTimes.filter((t) => t > now - this.options.windowMs);
    s.missTimes.push(now);
    if (s.missTimes.length > this.options.misses && s.blockedUntil <= now) {
      s.blockedUntil = now + this.options.blockMs;
      const misses = s.missTimes.length;
      s.missTimes = [];
      this.onThrottle({ ip, misses, windowMs: this.options.windowMs, blockedForMs: this.options.blockMs });
    }
  }

  /** Clients throttled now, for the status. */
  throttled(): { ip: string; until: string; refused: number }[] {
    const now = this.now();
    return [...this.clients]
      .filter(([, s]) => s.blockedUntil > now)
      .map(([ip, s]) => ({ ip, until: new Date(s.blockedUntil).toISOString(), refused: s.refusedWhileBlocked }));
  }
}
