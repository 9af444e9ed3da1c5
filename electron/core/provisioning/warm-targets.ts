// Connected targets kept open for a short while after a preview, so the publish that follows (the next call
// of `fieldkit push --yes`, or the technician's confirmation) goes on the same SSH session instead of opening
// another: a profile of a 1,004-file push showed the second connection (TCP, key exchange, login, SFTP
// subsystem, folder check) as one of the largest pieces outside the transfers. Nothing about what is checked
// changes: the publish still lists and reads the target before its first write. A session is handed out
// once (take removes it), only for exactly the same target configuration, and closed when nobody took it
// within `holdMs` or when the site closes.
import type { PublishTarget } from './target';

export interface WarmTarget extends PublishTarget {
  /** Whether the session is still connected (a dropped one is never handed out). */
  readonly alive: boolean;
  /** Names this run's temporary files from now on (the preview's session becomes the publish's). */
  retag(tempTag: string): void;
}

export const WARM_HOLD_MS = 30_000;

export class WarmTargets {
  private readonly held = new Map<string, { target: WarmTarget; timer: NodeJS.Timeout }>();

  constructor(private readonly holdMs = WARM_HOLD_MS) {}

  /** Keeps `target` open under `key` (replacing and closing one held before). */
  async park(key: string, target: WarmTarget): Promise<void> {
    await this.drop(key);
    if (!target.alive) {
      await target.close().catch(() => undefined);
      return;
    }
    const timer = setTimeout(() => void this.drop(key), this.holdMs);
    timer.unref();
    this.held.set(key, { target, timer });
  }

  /** The session held under `key`, if it is still connected; it is no longer held afterwards. */
  take(key: string): WarmTarget | undefined {
    const entry = this.held.get(key);
    if (!entry) return undefined;
    this.held.delete(key);
    clearTimeout(entry.timer);
    if (entry.target.alive) return entry.target;
    void entry.target.close().catch(() => undefined);
    return undefined;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.held.keys()].map((key) => this.drop(key)));
  }

  private async drop(key: string): Promise<void> {
    const entry = this.held.get(key);
    if (!entry) return;
    this.held.delete(key);
    clearTimeout(entry.timer);
    await entry.target.close().catch(() => undefined);
  }
}
