// The built-in provisioning server's state, always visible in the header: read when a site opens, every few
// seconds while one is open, and after anything that may change it (publishing, starting or stopping it).
import { api } from './api';
import type { ServerStatus } from './server-text';

const POLL_MS = 5000;

class ServerState {
  status = $state<ServerStatus | null>(null);
  #timer: ReturnType<typeof setInterval> | null = null;

  async refresh(): Promise<void> {
    try {
      this.status = await api.call('provisioning.server.status', {});
    } catch {
      this.status = null;
    }
  }

  /** Someone started or stopped the server and has its new state. */
  set(status: ServerStatus): void {
    this.status = status;
  }

  watch(): () => void {
    void this.refresh();
    this.#timer ??= setInterval(() => void this.refresh(), POLL_MS);
    return () => {
      if (this.#timer) clearInterval(this.#timer);
      this.#timer = null;
      this.status = null;
    };
  }
}

export const server = new ServerState();
