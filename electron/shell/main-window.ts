// The one application window: hardened preferences, shown when painted, loaded from app://fieldkit/.
import { APP_START_URL } from './app-origin';
import { createSecureWindow, type SecureWebPreferences } from './security';

export interface MainWindowLike {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  loadURL(url: string): Promise<void>;
}

export interface MainWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
}

export function createMainWindow<W extends MainWindowLike>(
  BrowserWindow: new (options: MainWindowOptions & { webPreferences: SecureWebPreferences }) => W,
  options: { preload: string; devTools: boolean },
): W {
  const window = createSecureWindow(BrowserWindow, {
    window: {
      width: 1280,
      height: 800,
      minWidth: 1024,
      minHeight: 640,
      show: false,
      title: 'Fieldkit',
      backgroundColor: '#f4f6f8',
    },
    preload: options.preload,
    devTools: options.devTools,
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(APP_START_URL).catch((e: unknown) => console.error('[fieldkit] could not load the interface:', e));
  return window;
}
