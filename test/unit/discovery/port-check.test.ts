// tcpPortOpen: open, refused and cancelled ports on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { tcpPortOpen } from '../../../electron/core/discovery/port-check';

test('an accepting port is open; a closed one and a cancelled check are not', async () => {
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    assert.equal(await tcpPortOpen('127.0.0.1', port, { timeoutMs: 1000 }), true);
    const cancelled = new AbortController();
    cancelled.abort();
    assert.equal(await tcpPortOpen('127.0.0.1', port, { timeoutMs: 1000, signal: cancelled.signal }), false);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.equal(await tcpPortOpen('127.0.0.1', port, { timeoutMs: 1000 }), false, 'refused once closed');
});
