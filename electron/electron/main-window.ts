// The one application window: hardened preferences, shown when painted, loaded from app://fieldkit/.
import { APP_START_URL } from './app-origin';
import { secureWebPreferences } from './security';

export interface MainWindowLike {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  loadURL(url: string): Promise<void>;
}

export type MainWindowFactory<W extends MainWindowLike> = (options: {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: false;
  title: string;
  backgroundColor: string;
  icon?: string;
  webPreferences: ReturnType<typeof secureWebPreferences>;
}) => W;

export function createMainWindow<W extends MainWindowLike>(create: MainWindowFactory<W>, options: { preload: string; devTools: boolean; icon?: string }): W {
  const window = create({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Fieldkit',
    backgroundColor: '#f4f6f8',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: secureWebPreferences({ preload: options.preload, devTools: options.devTools }),
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(APP_START_URL).catch((e: unknown) => console.error('[fieldkit] could not load the interface:', e));
  return window;
}
