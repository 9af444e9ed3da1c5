// The three layers of a phone's configuration and their precedence (phone-facts §1):
// firmware defaults -> server files (last read wins) -> local Web UI changes, which win unless the file used `^`.
import { normaliseName } from './cfg-file';
import type { CfgEntry } from './cfg-file';

export const DEFAULT_ADMIN_PASSWORD = '22222';

export interface ServerValue {
  value: string;
  locked: boolean;
  file: string;
}

export type LocalChangeResult = 'applied' | 'locked';

export class PhoneSettings {
  /** Values handed over by the network at boot (our stand-in for DHCP option 66/43). */
  private readonly network = new Map<string, string>();
  private server = new Map<string, ServerValue>();
  private readonly local = new Map<string, string>();

  constructor(private readonly defaults: ReadonlyMap<string, string>) {}

  setNetworkValue(name: string, value: string): void {
    this.network.set(normaliseName(name), value);
  }

  /** Replaces the server layer with the files read at one boot, applied in the order given. */
  applyServerFiles(files: Array<{ file: string; entries: CfgEntry[] }>): void {
    const next = new Map<string, ServerValue>();
    for (const { file, entries } of files) {
      for (const e of entries) {
        next.set(e.name, { value: e.value, locked: e.locked, file });
        if (e.overridesLocal) this.local.delete(e.name);
      }
    }
    this.server = next;
  }

  setLocal(name: string, value: string): LocalChangeResult {
    const key = normaliseName(name);
    if (this.server.get(key)?.locked) return 'locked';
    this.local.set(key, value);
    return 'applied';
  }

  isLocked(name: string): boolean {
    return this.server.get(normaliseName(name))?.locked ?? false;
  }

  clearLocal(): void {
    this.local.clear();
  }

  /** Factory default: forgets everything learnt from files and the UI (an admin's factory default bypasses `!`). */
  clearAll(): void {
    this.local.clear();
    this.server = new Map();
  }

  get(name: string): string | undefined {
    const key = normaliseName(name);
    return this.local.get(key) ?? this.server.get(key)?.value ?? this.network.get(key) ?? this.defaults.get(key);
  }

  /** Admin password: only numeric passwords work; anything else falls back to the default (AG420 p.5-8). */
  adminPassword(): string {
    const pw = this.get('admin password') ?? DEFAULT_ADMIN_PASSWORD;
    return /^\d+$/.test(pw) ? pw : DEFAULT_ADMIN_PASSWORD;
  }

  snapshot(): {
    effective: Record<string, string>;
    server: Record<string, ServerValue>;
    local: Record<string, string>;
  } {
    const names = new Set([
      ...this.defaults.keys(),
      ...this.network.keys(),
      ...this.server.keys(),
      ...this.local.keys(),
    ]);
    const effective: Record<string, string> = {};
    for (const n of [...names].sort()) effective[n] = this.get(n) ?? '';
    return { effective, server: Object.fromEntries(this.server), local: Object.fromEntries(this.local) };
  }
}
