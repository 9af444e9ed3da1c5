import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../electron/api/contract';
import { EventBus } from '../../../electron/app/event-bus';
import { eventForwarder, registerCallHandler } from '../../../electron/shell/ipc';
import { FakeIpcMain, FakeWebContents } from './fake-electron';
import type { Dispatch } from '../../../electron/api/dispatcher';

function setUp() {
  const ipcMain = new FakeIpcMain();
  const dispatched: Array<{ name: string; input: unknown }> = [];
  const dispatch: Dispatch = async (name, input) => {
    dispatched.push({ name, input });
    return { ok: true, value: `ran ${name}` };
  };
  registerCallHandler(ipcMain, dispatch);
  return { ipcMain, dispatched };
}

const topFrame = (url: string) => ({ url, parent: null });

describe('IPC sender validation', () => {
  test('a call from the top frame of app://fieldkit reaches the dispatcher with its name and input', async () => {
    const { ipcMain, dispatched } = setUp();
    const result = await ipcMain.invoke(IPC_CALL_CHANNEL, topFrame('app://fieldkit/index.html'), {
      name: 'app.info',
      input: {},
    });
    assert.deepEqual(result, { ok: true, value: 'ran app.info' });
    assert.deepEqual(dispatched, [{ name: 'app.info', input: {} }]);
  });

  test('foreign origins, sub-frames and destroyed frames are refused before dispatch', async () => {
    const { ipcMain, dispatched } = setUp();
    const senders = [
      topFrame('https://evil.example/'),
      topFrame('file:///home/tech/Downloads/page.html'),
      topFrame('app://other/index.html'),
      topFrame('app://user:pw@fieldkit/index.html'),
      topFrame('http://127.0.0.1:5173/'),
      topFrame('about:blank'),
      topFrame(''),
      { url: 'app://fieldkit/index.html', parent: { url: 'app://fieldkit/index.html' } },
      null,
    ];
    for (const sender of senders) {
      const result = await ipcMain.invoke(IPC_CALL_CHANNEL, sender, { name: 'site.close', input: {} });
      assert.deepEqual((result as { ok: boolean }).ok, false, JSON.stringify(sender));
      assert.equal((result as { error: { code: string } }).error.code, 'unauthorized');
    }
    assert.deepEqual(dispatched, []);
  });

  test('malformed messages are answered with invalid-input and never dispatched', async () => {
    const { ipcMain, dispatched } = setUp();
    for (const message of [null, 'app.info', 42, {}, { name: '' }, { name: 7 }, { name: 'x'.repeat(201) }]) {
      const result = await ipcMain.invoke(IPC_CALL_CHANNEL, topFrame('app://fieldkit/'), message);
      assert.equal((result as { error: { code: string } }).error.code, 'invalid-input', JSON.stringify(message));
    }
    assert.deepEqual(dispatched, []);
  });

  test('registering again replaces the handler instead of failing', () => {
    const ipcMain = new FakeIpcMain();
    const dispatch: Dispatch = async () => ({ ok: true, value: null });
    registerCallHandler(ipcMain, dispatch);
    registerCallHandler(ipcMain, dispatch);
    assert.deepEqual([...ipcMain.handlers.keys()], [IPC_CALL_CHANNEL]);
  });
});

describe('event forwarding', () => {
  test('every bus event reaches the current window as {name, payload}; destroyed or absent windows are skipped', () => {
    const bus = new EventBus();
    let window: FakeWebContents | undefined; // eslint-disable-line prefer-const -- assigned below
    bus.subscribe(eventForwarder(() => window));
    bus.emit('site.changed', null);
    window = new FakeWebContents();
    bus.emit('site.changed', null);
    window.destroyed = true;
    bus.emit('site.changed', null);
    assert.deepEqual(window.sent, [{ channel: IPC_EVENT_CHANNEL, message: { name: 'site.changed', payload: null } }]);
  });
});
