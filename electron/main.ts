// Electron main process: thin wiring of the hardened window, the app:// protocol and the contract on IPC.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { FieldkitApp } from './app/fieldkit-app';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES } from './shell/app-origin';
import { createAppProtocolHandler } from './shell/app-protocol';
import { createElectronPlatform } from './shell/electron-platform';
import { eventForwarder, registerCallHandler } from './shell/ipc';
import { createMainWindow } from './shell/main-window';
import { nativeDialogs } from './shell/native-dialogs';
import { PDF_PARTITION, isPdfSourceRequest, renderHtmlToPdf } from './shell/pdf';
import { hardenSession, hardenWebContents } from './shell/security';

// The bundle lives in dist-electron/; the renderer build in dist/renderer/ next to it.
const RENDERER_DIR = join(__dirname, '..', 'dist', 'renderer');
const PRELOAD = join(__dirname, 'preload.cjs');
const devToolsAllowed = !app.isPackaged;

let mainWindow: BrowserWindow | undefined;

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { shell, devToolsAllowed }));
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      dialog.showErrorBox('Fieldkit could not start', String((e as Error)?.stack ?? e));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(RENDERER_DIR));

  const reportsRoot = await mkdtemp(join(app.getPath('temp'), 'fieldkit-pdf-'));
  hardenSession(session.fromPartition(PDF_PARTITION), (url) => isPdfSourceRequest(reportsRoot, url));

  const fieldkit = new FieldkitApp(
    createElectronPlatform({
      app,
      safeStorage,
      ...nativeDialogs(dialog, () => mainWindow),
      printToPdf: (html) => renderHtmlToPdf(html, BrowserWindow, reportsRoot),
    }),
  );
  registerCallHandler(ipcMain, fieldkit.dispatch);
  // A destroyed BrowserWindow throws on any property access, so the window is forgotten when it closes.
  fieldkit.events.subscribe(eventForwarder(() => mainWindow?.webContents));

  const openWindow = () => {
    const window = createMainWindow(BrowserWindow, { preload: PRELOAD, devTools: devToolsAllowed });
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = undefined;
    });
    mainWindow = window;
  };
  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let shuttingDown = false;
  app.on('before-quit', (event) => {
    if (shuttingDown) return;
    shuttingDown = true;
    event.preventDefault();
    fieldkit
      .shutdown()
      .then(() => rm(reportsRoot, { recursive: true, force: true }))
      .catch((e: unknown) => console.error('[fieldkit] shutdown:', e))
      .finally(() => app.quit());
  });
}
