// The built-in provisioning server's state, always visible in the header: read when a site opens, every few
// seconds while one is open, and after anything that may change it (publishing, starting or stopping it).
import { api } from './api';
import type { ServerStatus } from './server-text';

const POLL_MS = 5000;

class ServerState {
  status = $state<ServerStatus | null>(null);
  #timer: ReturnType<typeof setInterval> | null = null;
  /** Bumped by every new state; a read that started before one is older than it and is dropped. */
  #version = 0;

  async refresh(): Promise<void> {
    const asked = ++this.#version;
    let status: ServerStatus | null;
    try {
      status = await api.call('provisioning.server.status', {});
    } catch {
      status = null;
    }
    // The site's first read can still be under way when the technician starts the server: its answer must not
    // turn the header back to "stopped".
    if (asked === this.#version) this.status = status;
  }

  /** Someone started or stopped the server and has its new state. */
  set(status: ServerStatus): void {
    this.#version++;
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
