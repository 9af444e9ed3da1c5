// Staging folders on Fieldkit's built-in provisioning server: each folder is one more BuiltinServer
// (the provisioning area's class, used through its PublishTarget interface) on the same address, serving
// `/<home path>/fw/<model>-<version>/`. They live while Fieldkit runs; a resumed job listens again on the
// port recorded by the earlier run, so phones pointed before a crash still find their folder.
import { BuiltinServer } from '../provisioning/builtin-server';
import { joinPath } from './paths';
import type { FirmwareServer, ServerLocation, StagingFolder } from './firmware-server';
import { locationFromUrl } from './firmware-server';
import type { PublishTarget } from '../provisioning/target';

export interface BuiltinFirmwareServerOptions {
  /** The site's built-in server (home): where the phones normally fetch from. */
  home: PublishTarget & { url(): string };
  /** Address the staging servers listen on (default: the home URL's host). */
  listenAddress?: string;
  /** This laptop's address as the phones reach it, when the home server listens on all addresses. */
  advertisedHost?: string;
}

export function builtinFirmwareServer(options: BuiltinFirmwareServerOptions): FirmwareServer {
  const location = { ...locationFromUrl(options.home.url()), ...(options.advertisedHost ? { host: options.advertisedHost } : {}) };
  const folders = new Map<string, Promise<StagingFolder & { server: BuiltinServer }>>();
  const open = async (name: string, hint?: ServerLocation) => {
    const path = joinPath(location.path, name);
    const server = new BuiltinServer({ address: options.listenAddress ?? locationFromUrl(options.home.url()).host, port: hint?.port ?? 0, pathPrefix: path });
    await server.start();
    return { server, target: server, location: { ...locationFromUrl(server.url()), host: location.host } };
  };
  return {
    location,
    home: options.home,
    folder(name, hint) {
      let f = folders.get(name);
      if (!f) {
        f = open(name, hint);
        folders.set(name, f);
        f.catch(() => folders.delete(name));
      }
      return f.then(({ target, location: l }) => ({ target, location: l }));
    },
    async close() {
      for (const f of folders.values()) await (await f.catch(() => undefined))?.server.stop();
      folders.clear();
    },
  };
}
