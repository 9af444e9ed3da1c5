// Runs the real preload bundle against a stand-in `electron` module, the way a sandboxed renderer would.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type FieldkitBridge } from '../../../electron/api/contract';
import { preloadOptions } from '../../../build/bundle-electron';
import { FakeIpcRenderer } from './fake-electron';

const MAX_PRELOAD_BYTES = 2 * 1024;
let code: string;

before(async () => {
  const result = await build({ ...preloadOptions, write: false });
  code = result.outputFiles[0]!.text;
});

function runPreload() {
  const ipcRenderer = new FakeIpcRenderer();
  const exposed = new Map<string, unknown>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer,
  };
  const requireInSandbox = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found in the preload sandbox: ${id}`);
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', code)(requireInSandbox, module, module.exports);
  return { ipcRenderer, exposed, required, bridge: exposed.get('fieldkit') as FieldkitBridge };
}

describe('preload', () => {
  test('the bundle is tiny, requires only electron and carries no zod or core code', () => {
    assert.ok(Buffer.byteLength(code) < MAX_PRELOAD_BYTES, `preload is ${Buffer.byteLength(code)} bytes`);
    assert.doesNotMatch(code, /zod|ZodError|electron\/core|SiteWorkspace/);
    const { required } = runPreload();
    assert.deepEqual(required, ['electron']);
  });

  test('exposes exactly window.fieldkit with call and onEvent, frozen', () => {
    const { exposed, bridge } = runPreload();
    assert.deepEqual([...exposed.keys()], ['fieldkit']);
    assert.deepEqual(Object.keys(bridge).sort(), ['call', 'onEvent']);
    assert.ok(Object.isFrozen(bridge));
  });

  test('call invokes the one call channel with {name, input} and returns the answer', async () => {
    const { bridge, ipcRenderer } = runPreload();
    assert.deepEqual(await bridge.call('site.open', { dir: '/x' }), { ok: true, value: 'answered' });
    assert.deepEqual(ipcRenderer.invoked, [
      { channel: IPC_CALL_CHANNEL, message: { name: 'site.open', input: { dir: '/x' } } },
    ]);
  });

  test('onEvent passes only name and payload, never the IPC event, and unsubscribes', () => {
    const { bridge, ipcRenderer } = runPreload();
    const seen: unknown[][] = [];
    const unsubscribe = bridge.onEvent((...args: unknown[]) => seen.push(args));
    const ipcEvent = { sender: ipcRenderer, ports: [], senderId: 0 };
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, { name: 'job.updated', payload: { id: 'j1' } });
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, 'not an event message');
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, { payload: 'no name' });
    assert.deepEqual(seen, [['job.updated', { id: 'j1' }]]);
    assert.equal(ipcRenderer.listenerCount(IPC_EVENT_CHANNEL), 1);
    unsubscribe();
    assert.equal(ipcRenderer.listenerCount(IPC_EVENT_CHANNEL), 0);
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, { name: 'job.updated', payload: {} });
    assert.equal(seen.length, 1);
  });
});
