// The only door to credentials. The app backs it with Electron safeStorage (OS keychain),
// the CLI with environment variables or a prompt, tests with memory. Nothing behind this
// interface is ever written to the site workspace. Credential names: secret-key.ts.
import type { SecretKey } from './secret-key';

export { secretKeys, type SecretKey } from './secret-key';

export interface SecretStore {
  get(key: SecretKey): Promise<string | undefined>;
  set(key: SecretKey, value: string): Promise<void>;
  delete(key: SecretKey): Promise<void>;
  /** Keys only, never values. */
  list(): Promise<SecretKey[]>;
  /**
   * False when a value set here is gone when the process ends (the CLI's environment store). Fieldkit
   * then never invents a secret the phones would keep (a site's admin secret): it asks for it instead.
   */
  readonly persistent?: boolean;
}

export class MemorySecretStore implements SecretStore {
  readonly #values = new Map<SecretKey, string>();
  constructor(initial?: Partial<Record<SecretKey, string>>) {
    for (const [k, v] of Object.entries(initial ?? {})) if (v !== undefined) this.#values.set(k as SecretKey, v);
  }
  async get(key: SecretKey) {
    return this.#values.get(key);
  }
  async set(key: SecretKey, value: string) {
    this.#values.set(key, value);
  }
  async delete(key: SecretKey) {
    this.#values.delete(key);
  }
  async list() {
    return [...this.#values.keys()];
  }
}
