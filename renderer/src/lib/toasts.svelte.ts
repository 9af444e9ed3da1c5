// Messages after an action, shown fixed at the bottom of the window so they are in view wherever the technician
// scrolled. Confirmations fade after a few seconds; errors stay until dismissed or the technician moves on.

export interface Toast {
  id: number;
  kind: 'ok' | 'error';
  text: string;
}

const OK_MS = 6000;

export class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;
  #timers: Record<number, ReturnType<typeof setTimeout>> = {};

  push(kind: Toast['kind'], text: string): number {
    const id = this.#next++;
    // The same words twice in a row are one message.
    this.items = [...this.items.filter((t) => t.text !== text), { id, kind, text }].slice(-4);
    if (kind === 'ok') this.#timers[id] = setTimeout(() => this.dismiss(id), OK_MS);
    return id;
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers[id]);
    delete this.#timers[id];
    this.items = this.items.filter((t) => t.id !== id);
  }

  /** Called when the technician goes to another place: messages about the last one do not follow. */
  clear(): void {
    for (const t of Object.values(this.#timers)) clearTimeout(t);
    this.#timers = {};
    this.items = [];
  }
}

export const toasts = new Toasts();

export function notify(kind: Toast['kind'], text: string): void {
  toasts.push(kind, text);
}
