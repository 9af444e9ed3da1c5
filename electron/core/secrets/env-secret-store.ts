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
  /**
   * Values read so far, by variable name (undefined: not set). Reading process.env is a linear getenv() scan:
   * with 2,000 FIELDKIT_SECRET_ variables (a 1,000-phone site run from an automation engine) the 5,000 reads of a
   * publish, most of them repeats or misses, took 30–40 ms. The names are listed once; only those set are read,
   * each once. The environment is taken as it is at the first read, which for a CLI process is the whole run.
   */
  private readonly read = new Map<string, string | undefined>();
  private names: Set<string> | undefined;
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  private envNames(): Set<string> {
    return (this.names ??= new Set(Object.keys(this.env)));
  }

  private variable(name: string): string | undefined {
    if (this.read.has(name)) return this.read.get(name);
    const value = this.envNames().has(name) ? this.env[name] : undefined;
    this.read.set(name, value);
    return value;
  }

  async get(key: SecretKey): Promise<string | undefined> {
    const set = await this.overrides.get(key);
    if (set !== undefined) return set;
    const own = this.variable(envNameFor(key));
    if (own !== undefined) return own;
    return key.startsWith('admin-secret:') ? this.variable('FIELDKIT_ADMIN_SECRET') : undefined;
  }
  async set(key: SecretKey, value: string): Promise<void> {
    await this.overrides.set(key, value);
  }
  async delete(key: SecretKey): Promise<void> {
    await this.overrides.delete(key);
  }
  async list(): Promise<SecretKey[]> {
    const fromEnv = [...this.envNames()]
      .map((name) => secretKeyForEnvName(name))
      .filter((k): k is SecretKey => k !== undefined);
    // listed under a name whose get() finds it, so the Redactor learns it too
    if (this.variable('FIELDKIT_ADMIN_SECRET') !== undefined) fromEnv.push('admin-secret:FIELDKIT_ADMIN_SECRET');
    return [...new Set([...(await this.overrides.list()), ...fromEnv])];
  }
}
