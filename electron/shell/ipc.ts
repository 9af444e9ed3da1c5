// The contract on Electron IPC: one invoke channel for every call, one send channel for every event.
// Each call is accepted only from the top frame of a page on our own origin (checklist item 17).
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallResult } from '../api/contract';
import { isAppUrl } from './app-origin';
import type { Dispatch } from '../api/dispatcher';
import type { EventListener } from '../app/event-bus';

export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

export interface InvokeEventLike {
  readonly senderFrame: SenderFrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, message: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export function isTrustedSender(event: InvokeEventLike): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

const MAX_CALL_NAME_LENGTH = 200;

function refused(code: string, message: string): CallResult<never> {
  return { ok: false, error: { code, message } };
}

/** Registers the single call handler; replaces any earlier one (e.g. after a reload in development). */
export function registerCallHandler(ipcMain: IpcMainLike, dispatch: Dispatch): void {
  ipcMain.removeHandler(IPC_CALL_CHANNEL);
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, message) => {
    if (!isTrustedSender(event)) {
      console.warn(`[fieldkit] IPC call refused from ${JSON.stringify(event.senderFrame?.url ?? 'a destroyed frame')}`);
      return refused('unauthorized', 'This page is not allowed to call Fieldkit.');
    }
    if (typeof message !== 'object' || message === null)
      return refused('invalid-input', 'A call must be an object {name, input}.');
    const { name, input } = message as { name?: unknown; input?: unknown };
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_CALL_NAME_LENGTH) {
      return refused('invalid-input', 'A call needs a name: a non-empty string of at most 200 characters.');
    }
    return dispatch(name, input);
  });
}

export interface EventTargetLike {
  isDestroyed(): boolean;
  send(channel: string, message: { name: string; payload: unknown }): void;
}

/** An event-bus listener that forwards every event to the window that is current when it fires. */
export function eventForwarder(currentTarget: () => EventTargetLike | undefined): EventListener {
  return (name, payload) => {
    const target = currentTarget();
    if (target && !target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, { name, payload });
  };
}
