// Pinned SSH host keys, in Fieldkit's own data folder (not the site: a key is trusted by this laptop).
// Keyed by host:port, holding OpenSSH-style SHA256 fingerprints. Trust is only ever added by the
// technician confirming a fingerprint; a changed key is never replaced silently.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { readTextIfExists, writeJsonAtomic } from '../workspace/atomic-file';
import { SiteWorkspace } from '../workspace/site-workspace';
import { FieldkitError } from '../util/errors';

export const KNOWN_HOSTS_FILE = 'known-hosts.json';
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

const KnownHostsSchema = z.object({
  format: z.literal('fieldkit-known-hosts'),
  hosts: z.record(z.string(), z.object({ fingerprint: z.string().regex(FINGERPRINT), trustedAt: z.string() })),
});
type KnownHostsFile = z.infer<typeof KnownHostsSchema>;

/** `SHA256:<base64 without padding>` of the raw host key blob, as `ssh-keygen -l` prints it. */
export function sshFingerprint(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export function normaliseFingerprint(raw: string): string {
  const value = raw.trim().startsWith('SHA256:') ? raw.trim() : `SHA256:${raw.trim()}`;
  const unpadded = value.replace(/=+$/, '');
  if (!FINGERPRINT.test(unpadded)) {
    throw new FieldkitError(
      'invalid-input',
      `"${raw}" is not an SSH SHA256 fingerprint. Copy it as shown, e.g. SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8.`,
    );
  }
  return unpadded;
}

export function hostKeyId(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}

export class KnownHosts {
  constructor(private readonly appDataDir: string) {}

  private get file(): string {
    return join(this.appDataDir, KNOWN_HOSTS_FILE);
  }

  private async load(): Promise<KnownHostsFile> {
    const raw = await readTextIfExists(this.file);
    if (raw === undefined) return { format: 'fieldkit-known-hosts', hosts: {} };
    return SiteWorkspace.parseStored(raw, KnownHostsSchema, this.file);
  }

  async lookup(host: string, port: number): Promise<string | undefined> {
    return (await this.load()).hosts[hostKeyId(host, port)]?.fingerprint;
  }

  /**
   * Pins `fingerprint` for host:port. Refuses to replace a different pinned key unless `replace` is
   * set (the technician removed the old key on purpose, knowing why the server's key changed).
   */
  async trust(
    host: string,
    port: number,
    fingerprint: string,
    options: { replace?: boolean; now?: Date } = {},
  ): Promise<void> {
    const fp = normaliseFingerprint(fingerprint);
    const data = await this.load();
    const id = hostKeyId(host, port);
    const old = data.hosts[id]?.fingerprint;
    if (old !== undefined && old !== fp && !options.replace) {
      throw new FieldkitError(
        'conflict',
        `${id} is already pinned to ${old}. Fieldkit does not replace a pinned host key by itself: confirm with the server's administrator why its key changed, then remove the old key first.`,
      );
    }
    data.hosts[id] = { fingerprint: fp, trustedAt: (options.now ?? new Date()).toISOString() };
    await writeJsonAtomic(this.file, data, { keepBackup: true });
  }

  async forget(host: string, port: number): Promise<void> {
    const data = await this.load();
    delete data.hosts[hostKeyId(host, port)];
    await writeJsonAtomic(this.file, data, { keepBackup: true });
  }
}
