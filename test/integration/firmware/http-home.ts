// The site's home directory seen from another process: a read-only PublishTarget over HTTP GET, so a
// child process can copy config files from the BuiltinServer that runs in the test process.
import { sha256Hex } from '../../../electron/core/provisioning/generated-store';
import type { PublishTarget, RemoteFileState } from '../../../electron/core/provisioning/target';

export function httpHome(url: string): PublishTarget & { url(): string } {
  const get = async (name: string): Promise<Uint8Array | null> => {
    const res = await fetch(new URL(name, url));
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`GET ${name}: ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
  return {
    url: () => url,
    describe: () => `home ${url}`,
    connect: async () => undefined,
    close: async () => undefined,
    async stat(names): Promise<RemoteFileState[]> {
      return Promise.all(names.map(async (name) => {
        const bytes = await get(name);
        return bytes ? { name, exists: true, size: bytes.length, sha256: sha256Hex(bytes) } : { name, exists: false };
      }));
    },
    read: get,
    write: async () => { throw new Error('the home directory is read-only here'); },
    list: async () => [],
  };
}
