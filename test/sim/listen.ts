// Promise wrappers for binding sockets that reject on EADDRINUSE/EADDRNOTAVAIL instead of emitting unhandled errors.
import type dgram from 'node:dgram';
import type net from 'node:net';

export function listenTcp(server: net.Server, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      server.on('error', () => undefined);
      resolve();
    });
  });
}

export function bindUdp(socket: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve();
    });
  });
}
