// `sftp://user@host:port/path` as the technician types it, parsed strictly. Passwords never go in the URL.
import { isValidHost } from '../config';
import { FieldkitError } from '../util/errors';

export interface SftpLocation {
  user: string;
  host: string;
  port: number;
  /** Absolute folder on the server, or a folder relative to the user's home (`sftp://u@h/~/prov`). */
  path: string;
}

const EXAMPLE = 'sftp://provision@10.0.0.5:22/srv/provisioning';

export function parseSftpUrl(raw: string): SftpLocation {
  const bad = (why: string) =>
    new FieldkitError('invalid-input', `"${raw}" is not a usable SFTP target: ${why}. Write it like ${EXAMPLE}.`);
  if (raw.includes('\\')) throw bad('use / between folders, never \\');
  // URL parsing would quietly resolve /srv/../etc (and /srv/%2e%2e/etc) to /etc: check the path as written,
  // after decoding it, before the URL parser touches it.
  const writtenPath = raw
    .trim()
    .replace(/^[a-z]+:\/\/[^/]*/i, '')
    .split(/[?#]/)[0]!;
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(writtenPath);
  } catch {
    throw bad('the folder has a broken % escape');
  }
  if (/(^|\/)\.\.?(\/|$)/.test(decodedPath) || decodedPath.includes('\\'))
    throw bad('give the folder without . or .. in it');
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw bad('it is not a URL');
  }
  if (url.protocol !== 'sftp:') throw bad('it must start with sftp://');
  if (url.password !== '')
    throw bad(
      'a password must not be written in the URL (store it in Credentials or FIELDKIT_SECRET_SFTP_PASSWORD_<ID>)',
    );
  const user = decodeURIComponent(url.username);
  if (user === '' || !/^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/.test(user)) throw bad('give the user name before @');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!isValidHost(host)) throw bad(`"${host}" is not a host name or IP address`);
  const port = url.port === '' ? 22 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad('the port must be 1 to 65535');
  if (url.search !== '' || url.hash !== '') throw bad('remove the ? or # part');
  let path = decodeURIComponent(url.pathname);
  if (path !== decodedPath.replace(/\/+$/, '') && path !== decodedPath) throw bad('write the folder plainly');
  if (path.startsWith('/~/')) path = path.slice(3);
  else if (path === '/~') path = '.';
  path = path.replace(/\/+$/, '') || '/';
  if (path === '/' || path.split('/').includes('..') || /[\u0000-\u001f]/.test(path))
    throw bad('give the folder the phones fetch from, e.g. /srv/provisioning');
  return { user, host, port, path };
}

export function formatSftpUrl(loc: SftpLocation): string {
  const host = loc.host.includes(':') ? `[${loc.host}]` : loc.host;
  const path = loc.path.startsWith('/') ? loc.path : `/~/${loc.path === '.' ? '' : loc.path}`;
  return `sftp://${loc.user}@${host}:${loc.port}${path}`;
}
