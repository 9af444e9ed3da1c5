// Where the phones fetch files from, as the firmware job needs it: the site's provisioning directory
// ("home") as a PublishTarget, a staging folder per model and version (a sub-folder of home on the same
// server, so it lasts as long as that server does), and the address the phones use for each.
import { subTarget } from '../provisioning/target';
import { joinPath } from './paths';
import type { PublishTarget } from '../provisioning/target';
import type { ConfigServerSettings } from '../phone/web-client';

export interface ServerLocation {
  protocol: 'HTTP' | 'HTTPS';
  host: string;
  port: number;
  /** The phone's `http path`: no leading or trailing slash. */
  path: string;
}

export interface StagingFolder {
  target: PublishTarget;
  location: ServerLocation;
}

export interface FirmwareServer {
  location: ServerLocation;
  /** The directory the phones normally fetch from. */
  home: PublishTarget;
  /** The staging folder `name` (e.g. `fw/6867i-5.0.0.1018`) inside home, created when missing. */
  folder(name: string): Promise<StagingFolder>;
  /** Closes the connections it opened; the server and the staged files stay. */
  close(): Promise<void>;
}

/** The firmware view of a site's server: `home` (connected) as the phones reach it at `location`. */
export function firmwareServerOn(home: PublishTarget, location: ServerLocation): FirmwareServer {
  const folders = new Map<string, Promise<StagingFolder>>();
  const open = async (name: string): Promise<StagingFolder> => {
    const target = subTarget(home, name);
    await target.connect();
    return { target, location: { ...location, path: joinPath(location.path, name) } };
  };
  return {
    location,
    home,
    folder(name) {
      let f = folders.get(name);
      if (!f) {
        f = open(name);
        folders.set(name, f);
        f.catch(() => folders.delete(name));
      }
      return f;
    },
    async close() {
      for (const f of folders.values()) await (await f.catch(() => undefined))?.target.close().catch(() => undefined);
      folders.clear();
      await home.close();
    },
  };
}

export function describeLocation(l: ServerLocation): string {
  return `${l.protocol.toLowerCase()}://${l.host}:${l.port}/${l.path}${l.path ? '/' : ''}`;
}

/** Whether a phone's configuration server settings point at `location`. */
export function pointsAt(settings: ConfigServerSettings, location: ServerLocation): boolean {
  const norm = (p: string | undefined) => (p ?? '').replace(/^\/+|\/+$/g, '');
  const https = location.protocol === 'HTTPS';
  return (
    (settings.protocol ?? '').toUpperCase() === location.protocol &&
    (https ? settings.httpsserv : settings.httpserv) === location.host &&
    Number((https ? settings.httpsport : settings.httpport) || (https ? 443 : 80)) === location.port &&
    norm(https ? settings.httpspath : settings.httppath) === norm(location.path)
  );
}

export function locationFromUrl(url: string): ServerLocation {
  const u = new URL(url);
  const https = u.protocol === 'https:';
  return {
    protocol: https ? 'HTTPS' : 'HTTP',
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (https ? 443 : 80)),
    path: u.pathname.replace(/^\/+|\/+$/g, ''),
  };
}
