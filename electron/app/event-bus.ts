import type { EventName, EventPayload } from '../api/contract';

export type EventListener = (name: EventName, payload: unknown) => void;

/** Fan-out of contract events to whatever transports are attached (IPC window, WebSocket clients, CLI). */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload);
      } catch {
        // One broken transport must not stop the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
