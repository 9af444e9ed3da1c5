// Transport names, written once. No imports: the preload and the renderer bundle this file alone.
export const IPC_CALL_CHANNEL = 'fieldkit:call';
export const IPC_EVENT_CHANNEL = 'fieldkit:event';
export const HTTP_CALL_PREFIX = '/api/call/';
export const WS_EVENTS_PATH = '/api/events';
/** Browser host only: POST a file's bytes to <prefix><file name>; the answer is {ok, value: {path}}. */
export const HTTP_UPLOAD_PREFIX = '/api/upload/';
export const TOKEN_HEADER = 'x-fieldkit-token';
export const WS_TOKEN_PROTOCOL_PREFIX = 'fieldkit.';

/** What every transport returns for a call: a value, or an error a technician can read. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** The object the preload exposes as window.fieldkit and the browser client imitates. */
export interface FieldkitBridge {
  call(name: string, input: unknown): Promise<CallResult<unknown>>;
  /** Subscribes to all events; returns an unsubscribe function. */
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}
