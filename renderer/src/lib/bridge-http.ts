// The browser-host transport: calls over HTTP POST, events over one WebSocket. It imitates the
// Electron preload bridge so the rest of the renderer cannot tell the two apart.
import { HTTP_CALL_PREFIX, TOKEN_HEADER, WS_EVENTS_PATH, WS_TOKEN_PROTOCOL_PREFIX } from '$api/transport';
import type { CallResult, FieldkitBridge } from '$api/transport';

export function httpBridge(token: string): FieldkitBridge {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let socket: WebSocket | undefined;
  let retryMs = 250;

  const connect = () => {
    socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_EVENTS_PATH}`, [
      `${WS_TOKEN_PROTOCOL_PREFIX}${token}`,
    ]);
    socket.onopen = () => {
      retryMs = 250;
    };
    socket.onmessage = (msg) => {
      try {
        const { name, payload } = JSON.parse(String(msg.data)) as { name: string; payload: unknown };
        for (const l of listeners) l(name, payload);
      } catch {
        /* ignore malformed frames */
      }
    };
    socket.onclose = () => {
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    async call(name, input) {
      const res = await fetch(`${HTTP_CALL_PREFIX}${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(input ?? {}),
      });
      if (!res.ok && res.headers.get('content-type')?.includes('application/json') !== true) {
        return {
          ok: false,
          error: {
            code: 'unavailable',
            message: `Fieldkit's host refused the request (${res.status}): ${await res.text()}`,
          },
        };
      }
      return (await res.json()) as CallResult<unknown>;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
