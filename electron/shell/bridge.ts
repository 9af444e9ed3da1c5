// What the preload exposes as window.fieldkit. Only the channel names come from the contract; the
// renderer never sees ipcRenderer or the IPC event object.
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallResult, type FieldkitBridge } from '../api/transport';

export interface IpcRendererLike {
  invoke(channel: string, message: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
}

export function createBridge(ipcRenderer: IpcRendererLike): FieldkitBridge {
  return Object.freeze({
    call: (name: string, input: unknown) =>
      ipcRenderer.invoke(IPC_CALL_CHANNEL, { name, input }) as Promise<CallResult<unknown>>,
    onEvent(listener: (name: string, payload: unknown) => void): () => void {
      const relay = (_event: unknown, message: unknown) => {
        if (typeof message !== 'object' || message === null) return;
        const { name, payload } = message as { name?: unknown; payload?: unknown };
        if (typeof name === 'string') listener(name, payload);
      };
      ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
      return () => {
        ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
      };
    },
  });
}
