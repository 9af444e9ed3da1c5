// Runs the real main-process bundle against a stand-in `electron` module and checks the wiring:
// privileged scheme, sandbox, single instance, hardened sessions and web contents, one IPC handler
// that answers our page only, the app:// protocol, and events reaching the window.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../electron/api/contract';
import { mainOptions } from '../../../build/bundle-electron';
import { FakeIpcMain, FakeSafeStorage, FakeSession, FakeShell, FakeWebContents } from './fake-electron';

let code: string;
let base: string;
const nodeRequire = createRequire(import.meta.url);

before(async () => {
  code = (await build({ ...mainOptions, write: false })).outputFiles[0]!.text;
  base = await mkdtemp(join(tmpdir(), 'fk-main-'));
  await mkdir(join(base, 'dist', 'renderer'), { recursive: true });
  await writeFile(join(base, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Fieldkit</title>');
  await mkdir(join(base, 'paths', 'temp'), { recursive: true });
});
after(() => rm(base, { recursive: true, force: true }));

class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows() {
    return FakeBrowserWindow.all.filter((w) => !w.webContents.destroyed);
  }
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  constructor(readonly options: { show: boolean; webPreferences: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.all.push(this);
  }
  async loadURL(url: string) {
    this.loadedUrl = url;
  }
  show() {}
  isDestroyed() {
    return this.webContents.destroyed;
  }
}

async function startMain(options: { gotLock: boolean }) {
  FakeBrowserWindow.all = [];
  const calls: string[] = [];
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    enableSandbox: () => calls.push('enableSandbox'),
    requestSingleInstanceLock: () => options.gotLock,
    quit: () => calls.push('quit'),
    exit: (code: number) => calls.push(`exit ${code}`),
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => join(base, 'paths', name),
    getVersion: () => '9.8.7',
  });
  const defaultSession = new FakeSession();
  const pdfSession = new FakeSession();
  const ipcMain = new FakeIpcMain();
  const privileged: unknown[] = [];
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  // The native open dialog: records how it was asked (its parent window and options) and answers the next path.
  const dialogs = { asked: [] as unknown[][], answer: null as string | null };
  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    dialog: {
      showOpenDialog: async (...args: unknown[]) => {
        dialogs.asked.push(args);
        return dialogs.answer === null
          ? { canceled: true, filePaths: [] }
          : { canceled: false, filePaths: [dialogs.answer] };
      },
      showErrorBox: (title: string, body: string) => calls.push(`error ${title}: ${body}`),
    },
    ipcMain,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        calls.push('registerSchemesAsPrivileged');
        privileged.push(...schemes);
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
        protocolHandlers.set(scheme, handler),
    },
    safeStorage: new FakeSafeStorage(),
    session: {
      defaultSession,
      fromPartition: (name: string) => (name === 'fieldkit-pdf' ? pdfSession : new FakeSession()),
    },
    shell: new FakeShell(),
  };
  const module = { exports: {} };
  const requireWithElectron = (id: string) => (id === 'electron' ? electron : nodeRequire(id));
  new Function('require', 'module', 'exports', '__dirname', '__filename', code)(
    requireWithElectron,
    module,
    module.exports,
    join(base, 'dist-electron'),
    join(base, 'dist-electron', 'main.cjs'),
  );
  // Let whenReady().then(start) finish its awaits.
  for (let i = 0; i < 50 && FakeBrowserWindow.all.length === 0 && options.gotLock; i++)
    await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(
    calls.filter((c) => c.startsWith('error') || c.startsWith('exit')),
    [],
    'main started without errors',
  );
  return { app, calls, defaultSession, pdfSession, ipcMain, privileged, protocolHandlers, electron, dialogs };
}

describe('main process wiring', () => {
  test('a second instance quits at once and wires nothing', async () => {
    const { calls, ipcMain } = await startMain({ gotLock: false });
    assert.ok(calls.includes('quit'));
    assert.equal(ipcMain.handlers.size, 0);
    assert.equal(FakeBrowserWindow.all.length, 0);
  });

  test('registers app:// as privileged and enables the sandbox before anything else', async () => {
    const { calls, privileged } = await startMain({ gotLock: true });
    assert.deepEqual(calls.slice(0, 2), ['registerSchemesAsPrivileged', 'enableSandbox']);
    assert.deepEqual(privileged, [
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  test('opens one hardened window on app://fieldkit with the preload next to the bundle', async () => {
    await startMain({ gotLock: true });
    assert.equal(FakeBrowserWindow.all.length, 1);
    const [window] = FakeBrowserWindow.all;
    assert.equal(window?.loadedUrl, 'app://fieldkit/index.html');
    const prefs = window!.options.webPreferences;
    assert.equal(prefs.preload, join(base, 'dist-electron', 'preload.cjs'));
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.devTools, false, 'packaged builds have no DevTools');
  });

  test('every web contents created gets navigation, window-open and webview protection', async () => {
    const { app, electron } = await startMain({ gotLock: true });
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    assert.equal(contents.navigate('will-navigate', 'https://evil.example/'), true);
    assert.deepEqual(contents.windowOpenHandler?.({ url: 'https://evil.example/' }), { action: 'deny' });
    assert.deepEqual(electron.shell.opened, []);
  });

  test('both sessions deny permissions and remote requests', async () => {
    const { defaultSession, pdfSession } = await startMain({ gotLock: true });
    for (const session of [defaultSession, pdfSession]) {
      assert.equal(session.permissionCheck?.({}, 'media'), false);
      assert.equal(session.blocks('https://cdn.example/x.js'), true);
    }
    assert.equal(defaultSession.blocks('app://fieldkit/index.html'), false);
  });

  test('the app:// handler serves the renderer folder next to dist-electron', async () => {
    const { protocolHandlers } = await startMain({ gotLock: true });
    const response = await protocolHandlers.get('app')!(new Request('app://fieldkit/'));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });

  test('IPC: our page gets answers from the real app, others are refused; events reach the window', async () => {
    const { ipcMain } = await startMain({ gotLock: true });
    const ours = { url: 'app://fieldkit/index.html', parent: null };
    const info = await ipcMain.invoke(IPC_CALL_CHANNEL, ours, { name: 'app.info', input: {} });
    assert.deepEqual(info, {
      ok: true,
      value: {
        version: '9.8.7',
        transport: 'ipc',
        canPickFolders: true,
        canPickFiles: true,
        defaultSitesRoot: join(base, 'paths', 'documents', 'Fieldkit Sites'),
      },
    });
    const foreign = await ipcMain.invoke(
      IPC_CALL_CHANNEL,
      { url: 'https://evil.example/', parent: null },
      { name: 'app.info', input: {} },
    );
    assert.equal((foreign as { ok: boolean }).ok, false);

    const created = await ipcMain.invoke(IPC_CALL_CHANNEL, ours, {
      name: 'site.create',
      input: { dir: join(base, 'paths', 'documents', 'Fieldkit Sites', 'site-a'), name: 'Site A' },
    });
    assert.equal((created as { ok: boolean }).ok, true, JSON.stringify(created));
    const sent = FakeBrowserWindow.all[0]!.webContents.sent;
    assert.ok(
      sent.some((m) => m.channel === IPC_EVENT_CHANNEL && (m.message as { name: string }).name === 'site.changed'),
    );
  });

  test('dialog.pickFile opens the native file dialog over the window with the asked file types', async () => {
    const { ipcMain, dialogs } = await startMain({ gotLock: true });
    const ours = { url: 'app://fieldkit/index.html', parent: null };
    const window = FakeBrowserWindow.all[0]!;
    const filters = [
      { name: 'Mitel firmware (.st, .zip)', extensions: ['st', 'zip'] },
      { name: 'All files', extensions: ['*'] },
    ];
    dialogs.answer = '/home/tech/Downloads/6867i-6.5.0.224.st';
    const picked = await ipcMain.invoke(IPC_CALL_CHANNEL, ours, {
      name: 'dialog.pickFile',
      input: { title: 'Firmware file to import', filters },
    });
    assert.deepEqual(picked, { ok: true, value: { path: '/home/tech/Downloads/6867i-6.5.0.224.st' } });
    assert.equal(dialogs.asked.length, 1);
    assert.equal(dialogs.asked[0]![0], window, 'the dialog is modal to the window');
    assert.deepEqual(dialogs.asked[0]![1], { title: 'Firmware file to import', properties: ['openFile'], filters });

    dialogs.answer = null;
    const cancelled = await ipcMain.invoke(IPC_CALL_CHANNEL, ours, {
      name: 'dialog.pickFile',
      input: { title: 'Firmware file to import' },
    });
    assert.deepEqual(cancelled, { ok: true, value: { path: null } });
    assert.deepEqual(dialogs.asked[1]![1], { title: 'Firmware file to import', properties: ['openFile'] });

    const refused = await ipcMain.invoke(IPC_CALL_CHANNEL, ours, {
      name: 'dialog.pickFile',
      input: { title: 'x', filters: [{ name: 'Firmware', extensions: ['.st'] }] },
    });
    assert.equal((refused as { ok: boolean }).ok, false, 'an extension is given without its dot');
    assert.equal(dialogs.asked.length, 2);
  });

  test('dialog.pickFolder asks for a folder that may be created; without a window the dialog has no parent', async () => {
    const { ipcMain, dialogs } = await startMain({ gotLock: true });
    const ours = { url: 'app://fieldkit/index.html', parent: null };
    FakeBrowserWindow.all[0]!.emit('closed');
    dialogs.answer = join(base, 'paths', 'documents', 'picked');
    const picked = await ipcMain.invoke(IPC_CALL_CHANNEL, ours, {
      name: 'dialog.pickFolder',
      input: { title: 'Open a site folder' },
    });
    assert.deepEqual(picked, { ok: true, value: { path: join(base, 'paths', 'documents', 'picked') } });
    assert.deepEqual(dialogs.asked, [
      [{ title: 'Open a site folder', properties: ['openDirectory', 'createDirectory'] }],
    ]);
  });

  test('a closed window is forgotten: later events are not sent to it', async () => {
    const { ipcMain } = await startMain({ gotLock: true });
    const window = FakeBrowserWindow.all[0]!;
    window.emit('closed');
    const before = window.webContents.sent.length;
    const ours = { url: 'app://fieldkit/index.html', parent: null };
    await ipcMain.invoke(IPC_CALL_CHANNEL, ours, {
      name: 'site.create',
      input: { dir: join(base, 'paths', 'documents', 'Fieldkit Sites', 'site-b'), name: 'Site B' },
    });
    assert.equal(window.webContents.sent.length, before);
  });

  test('quitting waits for the app to shut down, then quits for real', async () => {
    const { app, calls } = await startMain({ gotLock: true });
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    app.emit('before-quit', event);
    assert.equal(event.defaultPrevented, true);
    for (let i = 0; i < 50 && !calls.includes('quit'); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(calls.includes('quit'));
    const second = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    app.emit('before-quit', second);
    assert.equal(second.defaultPrevented, false, 'the second before-quit goes through');
  });
});
