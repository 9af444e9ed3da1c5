// The only door to credentials. The app backs it with Electron safeStorage (OS keychain),
// the CLI with environment variables or a prompt, tests with memory. Nothing behind this
// interface is ever written to the site workspace.

export interface SecretStore {
  get(key: SecretKey): Promise<string | undefined>;
  set(key: SecretKey, value: string): Promise<void>;
  delete(key: SecretKey): Promise<void>;
  /** Keys only, never values. */
  list(): Promise<SecretKey[]>;
}

/** Secret names are structured so that the UI can say what is missing without seeing values. */
export type SecretKey =
  | 'phone-admin-password'
  | `phone-admin-password:${string}` // per phone (MAC, 12 uppercase hex) when it differs from the site default
  | `sip-password:${string}` // per phone, keyed by MAC (12 uppercase hex)
  | `sftp-password:${string}` // per provisioning target id
  | `sftp-private-key:${string}`; // per provisioning target id (PEM)

export const secretKeys = {
  adminPassword: (): SecretKey => 'phone-admin-password',
  phoneAdminPassword: (mac12: string): SecretKey => `phone-admin-password:${mac12}`,
  sipPassword: (mac12: string): SecretKey => `sip-password:${mac12}`,
  sftpPassword: (targetId: string): SecretKey => `sftp-password:${targetId}`,
  sftpPrivateKey: (targetId: string): SecretKey => `sftp-private-key:${targetId}`,
};

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
