// CLI secrets: read from environment variables, held in memory for the process only.
// FIELDKIT_ADMIN_PASSWORD                  -> phone-admin-password
// FIELDKIT_SECRET_<KEY>  (KEY upper-cased, ':' and '-' as '_')  -> any other key, e.g.
// FIELDKIT_SECRET_SIP_PASSWORD_00085D1A2B3C -> sip-password:00085D1A2B3C
import { MemorySecretStore, type SecretKey, type SecretStore } from './secret-store';

export function envNameFor(key: SecretKey): string {
  if (key === 'phone-admin-password') return 'FIELDKIT_ADMIN_PASSWORD';
  return `FIELDKIT_SECRET_${key.toUpperCase().replace(/[:-]/g, '_')}`;
}

export class EnvSecretStore implements SecretStore {
  private readonly overrides = new MemorySecretStore();
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async get(key: SecretKey): Promise<string | undefined> {
    return (await this.overrides.get(key)) ?? this.env[envNameFor(key)];
  }
  async set(key: SecretKey, value: string): Promise<void> {
    await this.overrides.set(key, value);
  }
  async delete(key: SecretKey): Promise<void> {
    await this.overrides.delete(key);
  }
  async list(): Promise<SecretKey[]> {
    const fromEnv = Object.keys(this.env)
      .filter((name) => name === 'FIELDKIT_ADMIN_PASSWORD' || name.startsWith('FIELDKIT_SECRET_'))
      .map((name) => envKeyToSecretKey(name))
      .filter((k): k is SecretKey => k !== undefined);
    return [...new Set([...(await this.overrides.list()), ...fromEnv])];
  }
}

function envKeyToSecretKey(name: string): SecretKey | undefined {
  if (name === 'FIELDKIT_ADMIN_PASSWORD') return 'phone-admin-password';
  const rest = name.slice('FIELDKIT_SECRET_'.length);
  const m = /^(SIP_PASSWORD|SFTP_PASSWORD|SFTP_PRIVATE_KEY|PHONE_ADMIN_PASSWORD)_(.+)$/.exec(rest);
  if (!m) return undefined;
  const prefix = m[1]!.toLowerCase().replace(/_/g, '-');
  return `${prefix}:${m[2]}` as SecretKey;
}
