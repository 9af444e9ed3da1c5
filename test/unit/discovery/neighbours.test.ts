import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  neighbourObservation,
  parseArpA,
  parseIpNeighJson,
  parseIpNeighText,
} from '../../../electron/core/discovery/neighbours';

// Captured output shapes (addresses changed to documentation ranges).
const IP_J = JSON.stringify([
  { dst: '192.0.2.1', dev: 'eth0', lladdr: '02:fc:00:00:00:05', state: ['STALE'] },
  { dst: '192.0.2.20', dev: 'eth0', lladdr: '00:08:5d:1a:2b:3c', state: ['REACHABLE'] },
  { dst: '192.0.2.21', dev: 'eth0', state: ['FAILED'] },
  { dst: '192.0.2.22', dev: 'eth0', lladdr: '00:00:00:00:00:00', state: ['INCOMPLETE'] },
  { dst: 'fd00::1', dev: 'eth0', lladdr: '00:08:5d:1a:2b:3d', router: null, state: ['STALE'] },
]);

const IP_TEXT = `192.0.2.1 dev eth0 lladdr 02:fc:00:00:00:05 STALE
192.0.2.20 dev eth0 lladdr 00:08:5d:1a:2b:3c REACHABLE
192.0.2.30 dev eth0 lladdr 08:00:0f:00:00:01 router DELAY
192.0.2.21 dev eth0  FAILED
192.0.2.23 dev eth0 INCOMPLETE
`;

const MAC_ARP = `? (192.0.2.1) at 2:fc:0:0:0:5 on en0 ifscope [ethernet]
phone-1.local (192.0.2.20) at 0:8:5d:1a:2b:3c on en0 ifscope [ethernet]
? (192.0.2.21) at (incomplete) on en0 ifscope [ethernet]
? (224.0.0.251) at 1:0:5e:0:0:fb on en0 ifscope permanent [ethernet]
? (192.0.2.255) at ff:ff:ff:ff:ff:ff on en0 ifscope [ethernet]
`;

const LINUX_NET_TOOLS_ARP = `? (192.0.2.20) at 00:08:5d:1a:2b:3c [ether] on eth0
? (192.0.2.21) at <incomplete> on eth0
`;

const WINDOWS_ARP = `
Interface: 192.0.2.10 --- 0xb
  Internet Address      Physical Address      Type
  192.0.2.1             02-fc-00-00-00-05     dynamic
  192.0.2.20            00-08-5d-1a-2b-3c     dynamic
  192.0.2.255           ff-ff-ff-ff-ff-ff     static
  224.0.0.22            01-00-5e-00-00-16     static

Interface: 198.51.100.4 --- 0x11
  Internet Address      Physical Address      Type
  198.51.100.9          14-00-e9-00-00-09     dynamic
`;

describe('neighbour table parsers', () => {
  test('ip -j neigh: live IPv4 entries only', () => {
    assert.deepEqual(parseIpNeighJson(IP_J), [
      { ip: '192.0.2.1', mac: '02:FC:00:00:00:05', interface: 'eth0', state: 'STALE' },
      { ip: '192.0.2.20', mac: '00:08:5D:1A:2B:3C', interface: 'eth0', state: 'REACHABLE' },
    ]);
  });

  test('ip neigh text, with router flag and dead entries', () => {
    assert.deepEqual(
      parseIpNeighText(IP_TEXT).map((e) => [e.ip, e.mac, e.state]),
      [
        ['192.0.2.1', '02:FC:00:00:00:05', 'STALE'],
        ['192.0.2.20', '00:08:5D:1A:2B:3C', 'REACHABLE'],
        ['192.0.2.30', '08:00:0F:00:00:01', 'DELAY'],
      ],
    );
  });

  test('macOS arp -a: short octets, incomplete, multicast and broadcast dropped', () => {
    assert.deepEqual(
      parseArpA(MAC_ARP).map((e) => [e.ip, e.mac, e.interface]),
      [
        ['192.0.2.1', '02:FC:00:00:00:05', 'en0'],
        ['192.0.2.20', '00:08:5D:1A:2B:3C', 'en0'],
      ],
    );
    assert.deepEqual(
      parseArpA(LINUX_NET_TOOLS_ARP).map((e) => [e.ip, e.mac, e.interface]),
      [['192.0.2.20', '00:08:5D:1A:2B:3C', 'eth0']],
    );
  });

  test('Windows arp -a: per-interface blocks, static multicast/broadcast dropped', () => {
    assert.deepEqual(
      parseArpA(WINDOWS_ARP.replace(/\n/g, '\r\n')).map((e) => [e.ip, e.mac, e.interface, e.state]),
      [
        ['192.0.2.1', '02:FC:00:00:00:05', '192.0.2.10', 'dynamic'],
        ['192.0.2.20', '00:08:5D:1A:2B:3C', '192.0.2.10', 'dynamic'],
        ['198.51.100.9', '14:00:E9:00:00:09', '198.51.100.4', 'dynamic'],
      ],
    );
  });

  test('garbage never throws', () => {
    for (const junk of ['', '{', 'null', '[1,2,"x",null]', '\u0000'.repeat(1000), 'x'.repeat(100_000)]) {
      assert.deepEqual(parseIpNeighJson(junk), []);
      assert.deepEqual(parseIpNeighText(junk), []);
      assert.deepEqual(parseArpA(junk), []);
    }
  });

  test('observations carry the OUI vendor', () => {
    const at = '2026-01-01T00:00:00.000Z';
    assert.equal(
      neighbourObservation({ ip: '192.0.2.20', mac: '00:08:5D:1A:2B:3C', interface: null, state: null }, at).vendor,
      'Aastra',
    );
    assert.equal(
      neighbourObservation({ ip: '192.0.2.9', mac: '14:00:E9:00:00:09', interface: null, state: null }, at).vendor,
      'Mitel',
    );
    assert.equal(
      neighbourObservation({ ip: '192.0.2.1', mac: '02:FC:00:00:00:05', interface: null, state: null }, at).vendor,
      null,
    );
  });
});
