// CLI secrets: read from environment variables, held in memory for the process only.
// FIELDKIT_ADMIN_PASSWORD                  -> phone-admin-password (what the phones have now)
// FIELDKIT_ADMIN_SECRET                    -> admin-secret:<the open site> (one site per CLI run)
// FIELDKIT_SECRET_<KEY>  (KEY upper-cased, ':', '.' and '-' as '_')  -> any key, e.g.
// FIELDKIT_SECRET_SIP_PASSWORD_00085D1A2B3C -> sip-password:00085D1A2B3C
import { envNameFor, secretKeyForEnvName } from './secret-key';
import { MemorySecretStore, type SecretKey, type SecretStore } from './secret-store';

export { envNameFor } from './secret-key';

export class EnvSecretStore implements SecretStore {
  private readonly overrides = new MemorySecretStore();
  /** A value set here lives as long as the process: nothing is saved. */
  readonly persistent = false;
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async get(key: SecretKey): Promise<string | undefined> {
    const set = await this.overrides.get(key);
    if (set !== undefined) return set;
    const own = this.env[envNameFor(key)];
    if (own !== undefined) return own;
    return key.startsWith('admin-secret:') ? this.env.FIELDKIT_ADMIN_SECRET : undefined;
  }
  async set(key: SecretKey, value: string): Promise<void> {
    await this.overrides.set(key, value);
  }
  async delete(key: SecretKey): Promise<void> {
    await this.overrides.delete(key);
  }
  async list(): Promise<SecretKey[]> {
    const fromEnv = Object.keys(this.env)
      .map((name) => secretKeyForEnvName(name))
      .filter((k): k is SecretKey => k !== undefined);
    // listed under a name whose get() finds it, so the Redactor learns it too
    if (this.env.FIELDKIT_ADMIN_SECRET !== undefined) fromEnv.push('admin-secret:FIELDKIT_ADMIN_SECRET');
    return [...new Set([...(await this.overrides.list()), ...fromEnv])];
  }
}
