// A button's work: busy while it runs, and its error kept for the control that started it, so the message
// appears next to that control (InlineError) instead of at the top of the page.
import { notify } from './toasts.svelte';

export interface ActionOptions<T> {
  /** A confirmation shown as a toast when the work succeeds. */
  ok?: string | ((value: T) => string | null);
}

export class Action<A extends unknown[], T> {
  busy = $state(false);
  error = $state<string | null>(null);

  constructor(
    private readonly work: (...args: A) => Promise<T>,
    private readonly options: ActionOptions<T> = {},
  ) {}

  /** Runs the work; resolves to its value, or undefined when it failed (the error is in `error`). */
  run = async (...args: A): Promise<T | undefined> => {
    this.busy = true;
    this.error = null;
    try {
      const value = await this.work(...args);
      const ok = typeof this.options.ok === 'function' ? this.options.ok(value) : this.options.ok;
      if (ok) notify('ok', ok);
      return value;
    } catch (e) {
      this.error = (e as Error).message;
      return undefined;
    } finally {
      this.busy = false;
    }
  };

  clearError(): void {
    this.error = null;
  }
}
