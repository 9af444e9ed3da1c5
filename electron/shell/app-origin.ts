// Where the renderer lives inside Electron: a privileged custom scheme instead of file:// (Electron
// security checklist item 18), so the page has a real origin that IPC and navigation checks can pin.
export const APP_SCHEME = 'app';
export const APP_HOST = 'fieldkit';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** Passed to protocol.registerSchemesAsPrivileged before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

/**
 * True only for URLs on our own origin. WHATWG URL reports origin "null" for non-special schemes,
 * so the scheme and host are compared instead of `.origin`.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === `${APP_SCHEME}:` &&
      parsed.host === APP_HOST &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}
