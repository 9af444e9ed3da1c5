// The only web pages Fieldkit will hand to the system browser: vendor documentation a technician may
// need on site. Anything else a page tries to open is dropped (Electron checklist item 15).
export const EXTERNAL_HOSTS: readonly string[] = [
  'www.mitel.com',
  'mitel.com',
  'www.unify.com',
  'unify.com',
  'wiki.unify.com',
  'www.atos.net',
];

export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

/** The normalised URL if it is https on an allowlisted host with default port and no credentials, else null. */
export function allowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return null;
  return hosts.includes(parsed.hostname) ? parsed.href : null;
}

/** Opens the URL in the system browser when allowed; returns whether it did. */
export function openExternalIfAllowed(
  shell: ShellLike,
  url: string,
  hosts: readonly string[] = EXTERNAL_HOSTS,
): boolean {
  const allowed = allowedExternalUrl(url, hosts);
  if (allowed === null) {
    console.warn(`[fieldkit] refused to open ${JSON.stringify(url.slice(0, 200))}: not an allowlisted https address`);
    return false;
  }
  shell.openExternal(allowed).catch((e: unknown) => console.warn(`[fieldkit] could not open ${allowed}:`, e));
  return true;
}
