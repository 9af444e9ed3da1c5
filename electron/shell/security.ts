// The Electron security baseline as small functions over the objects they harden, so unit tests can
// drive them with stand-ins. main.ts applies them to every window, web contents and session.
import { isAppUrl } from './app-origin';
import { openExternalIfAllowed, type ShellLike } from './external-links';

export interface SecureWindowOptions<O> {
  /** Size, title and other BrowserWindow options; webPreferences are always the hardened ones below. */
  window: O;
  preload?: string;
  devTools: boolean;
  javascript?: boolean;
  partition?: string;
}

/**
 * Every Fieldkit window is made here (checklist items 2-4, 6, 8-10). The BrowserWindow class is passed
 * in so tests can use a stand-in; it keeps Electron's name and the preferences stay an inline literal
 * so that electronegativity can read them.
 */
export function createSecureWindow<O extends object, W>(
  BrowserWindow: new (options: O & { webPreferences: SecureWebPreferences }) => W,
  options: SecureWindowOptions<O>,
): W {
  return new BrowserWindow({
    ...options.window,
    webPreferences: {
      ...(options.preload ? { preload: options.preload } : {}),
      ...(options.partition ? { partition: options.partition } : {}),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
      javascript: options.javascript ?? true,
      devTools: options.devTools,
    },
  });
}

export interface SecureWebPreferences {
  preload?: string;
  partition?: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  disableBlinkFeatures: string;
  safeDialogs: true;
  spellcheck: false;
  javascript: boolean;
  devTools: boolean;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface NavigationEvent extends PreventableEvent {
  readonly url: string;
}

export interface WebContentsLike {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate',
    listener: (event: NavigationEvent) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'devtools-opened', listener: () => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  closeDevTools(): void;
}

export interface HardenWebContentsOptions {
  shell: ShellLike;
  /** In packaged builds DevTools are closed whenever something opens them. */
  devToolsAllowed: boolean;
  externalHosts?: readonly string[];
}

/** Navigation only within our origin, no new windows (allowlisted https goes to the system browser), no webviews. */
export function hardenWebContents(contents: WebContentsLike, options: HardenWebContentsOptions): void {
  const refuseForeignNavigation = (event: NavigationEvent) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      console.warn(`[fieldkit] navigation to ${JSON.stringify(event.url.slice(0, 200))} refused`);
    }
  };
  contents.on('will-navigate', refuseForeignNavigation);
  contents.on('will-frame-navigate', refuseForeignNavigation);
  contents.on('will-redirect', refuseForeignNavigation);
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(options.shell, url, options.externalHosts);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (!options.devToolsAllowed) contents.on('devtools-opened', () => contents.closeDevTools());
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  webRequest: {
    onBeforeRequest(
      filter: { urls: string[] },
      listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void,
    ): void;
  };
}

/**
 * Schemes a Fieldkit page may load from besides its own origin: inline data, and DevTools' own pages in development.
 */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'devtools:']);

export function isLocalRequest(url: string): boolean {
  if (isAppUrl(url)) return true;
  try {
    return LOCAL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Every permission denied, and no request leaves the machine from a renderer (checklist items 1, 5). */
export function hardenSession(session: SessionLike, isAllowedRequest: (url: string) => boolean = isLocalRequest): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    const allowed = isAllowedRequest(details.url);
    if (!allowed) console.warn(`[fieldkit] request to ${JSON.stringify(details.url.slice(0, 200))} blocked`);
    callback({ cancel: !allowed });
  });
}
