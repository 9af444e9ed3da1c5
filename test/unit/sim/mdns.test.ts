import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bonjour } from 'bonjour-service';
import { startLab } from '../../sim/lab';
import type { ServiceConfig } from 'bonjour-service';

test('opt-in mDNS advertises each device with its own loopback address', async () => {
  const lab = await startLab(
    {
      loopbackBase: '127.207.0.0',
      groups: [
        {
          kind: 'mitel-6800',
          count: 2,
          model: '6867i',
          versions: ['6.5.0.224'],
          macStart: '00:08:5D:77:00:01',
          mdns: true,
          ports: { sip: 25060, http: 28080, https: null },
        },
      ],
    },
    { mode: 'loopback' },
  );
  const browser = new Bonjour({ interface: '127.0.0.1', bind: '0.0.0.0' } as unknown as Partial<ServiceConfig>);
  try {
    const found = new Map<string, string[]>();
    browser.find({ type: 'http' }, (s) => {
      if (s.name.includes('00085D77')) found.set(s.name, s.addresses ?? []);
    });
    const deadline = Date.now() + 5000;
    while (found.size < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(Object.fromEntries(found), {
      '6867i 00085D770001': ['127.207.0.1'],
      '6867i 00085D770002': ['127.207.0.2'],
    });
  } finally {
    browser.destroy();
    await lab.stop();
  }
});
