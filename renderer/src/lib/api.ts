// The one typed client of the contract. It works over the Electron preload bridge (window.fieldkit)
// or over the browser host, chosen at start-up.
import { httpBridge } from './bridge-http';
import type { CallInput, CallName, CallOutput, EventName, EventPayload, FieldkitBridge } from '$api/contract';

declare global {
  interface Window {
    fieldkit?: FieldkitBridge;
  }
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface FieldkitClient {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createClient(bridge: FieldkitBridge): FieldkitClient {
  return {
    async call(name, input) {
      let result;
      try {
        result = await bridge.call(name, input);
      } catch (e) {
        throw new ApiError(
          'unavailable',
          `Fieldkit's core did not answer (${(e as Error).message}). If this persists, restart Fieldkit.`,
        );
      }
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      return result.value as never;
    },
    on(name, listener) {
      return bridge.onEvent((eventName, payload) => {
        if (eventName === name) listener(payload as never);
      });
    },
  };
}

function pickBridge(): FieldkitBridge {
  if (window.fieldkit) return window.fieldkit;
  const token = document.querySelector<HTMLMetaElement>('meta[name="fieldkit-token"]')?.content;
  if (!token)
    throw new Error('Fieldkit must be opened from the desktop app or from the address the browser host printed.');
  return httpBridge(token);
}

export const api: FieldkitClient = createClient(pickBridge());
