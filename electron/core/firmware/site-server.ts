// The site's provisioning server as a firmware run uses it: the publishing target the technician chose
// in the plan (the built-in server by default, or an SFTP target) and the address the phones reach it at.
import { BUILTIN_TARGET_ID } from '../provisioning/targets-config';
import { FieldkitError } from '../util/errors';
import { firmwareServerOn, locationFromUrl } from './firmware-server';
import type { PublishingService } from '../provisioning/publishing-service';
import type { FirmwareServer } from './firmware-server';

export interface SiteServerRequest {
  /** Publishing target id: where home is and where the staging folders are created. */
  targetId: string;
  /** This laptop's address as the phones reach it, when the built-in server listens on all addresses. */
  host?: string;
  /** The URL the phones fetch an SFTP target's folder from (http://10.0.0.5/prov/). */
  url?: string;
  /** Distinguishes this run's temporary files on an SFTP server (a resumed run reuses its own). */
  tempTag: string;
}

export async function siteFirmwareServer(
  provisioning: PublishingService,
  request: SiteServerRequest,
): Promise<FirmwareServer> {
  if (request.targetId === BUILTIN_TARGET_ID) {
    const status = await provisioning.startServer();
    const home = await provisioning.server();
    const listen = status.config.address;
    const host = request.host || (listen === '0.0.0.0' || listen === '::' ? undefined : listen);
    if (!host) {
      throw new FieldkitError(
        'invalid-input',
        'The built-in provisioning server listens on all addresses: say which address of this laptop the phones reach (serverHost / --server-host).',
      );
    }
    return firmwareServerOn(home, { ...locationFromUrl(home.url()), host });
  }
  if (!request.url) {
    throw new FieldkitError(
      'invalid-input',
      `Say where the phones fetch the files of target "${request.targetId}" from: the http(s) URL of its folder as the phones use it, e.g. http://10.0.0.5/prov/ (plan option serverUrl).`,
    );
  }
  const location = locationFromUrl(request.url);
  const home = await provisioning.openTarget(request.targetId, request.tempTag);
  return firmwareServerOn(home, location);
}
