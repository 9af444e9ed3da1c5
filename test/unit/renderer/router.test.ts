// The current place is in the address and survives a reload: parse and format are each other's inverse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRoute, parseHash } from '../../../renderer/src/lib/router';

test('places, paths and queries round-trip through the address', () => {
  const routes = [
    { place: 'overview', path: [], query: {} },
    { place: 'firmware', path: ['run', '20261129-230417-firmware-wave-ab12cd'], query: {} },
    {
      place: 'inventory',
      path: ['phone', 'mac:00:08:5D:24:00:01'],
      query: { presence: 'no-answer', search: 'desk 3' },
    },
    { place: 'provisioning', path: ['reboot'], query: { phones: '00085D240001,00085D240002' } },
  ] as const;
  for (const r of routes) {
    const hash = formatRoute(r);
    assert.deepEqual(parseHash(hash), { place: r.place, path: [...r.path], query: { ...r.query } }, hash);
  }
  assert.equal(formatRoute({ place: 'inventory', query: { presence: '', model: '6867i' } }), '#/inventory?model=6867i');
});

test('an unknown or empty address is the Site page', () => {
  for (const hash of ['', '#', '#/', '#main', '#/nowhere/else'])
    assert.deepEqual(parseHash(hash), { place: 'overview', path: [], query: {} }, hash);
});
