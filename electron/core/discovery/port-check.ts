// Whether a TCP port accepts connections, without speaking any protocol on it: the sweep uses it for a phone's HTTPS
// port once HTTP has already identified the phone (a TLS handshake per phone costs several times a whole HTTP exchange,
// on the laptop and on the phone).
import net from 'node:net';

export interface PortCheckOptions {
  timeoutMs: number;
  localAddress?: string;
  signal?: AbortSignal;
}

/** Resolves true once the port accepts a connection, false when refused, unreachable, timed out or aborted. */
export function tcpPortOpen(host: string, port: number, options: PortCheckOptions): Promise<boolean> {
  const { signal } = options;
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, localAddress: options.localAddress });
    const finish = (open: boolean): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(open);
    };
    const onAbort = (): void => finish(false);
    const timer = setTimeout(() => finish(false), options.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
