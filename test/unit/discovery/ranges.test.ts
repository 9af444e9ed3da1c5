import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  intToIpv4,
  iterateAddresses,
  localSubnets,
  parseTargets,
  rangesContain,
} from '../../../electron/core/discovery/ranges';

const all = (specs: string[], confirmLarge = false): string[] => [
  ...iterateAddresses(parseTargets(specs, { confirmLarge }).ranges),
];

describe('parseTargets', () => {
  test('a /24 leaves out network and broadcast', () => {
    const t = parseTargets(['192.168.10.0/24']);
    assert.equal(t.total, 254);
    assert.equal(intToIpv4(t.ranges[0]!.first), '192.168.10.1');
    assert.equal(intToIpv4(t.ranges[0]!.last), '192.168.10.254');
    assert.deepEqual(t.warnings, []);
  });

  test('/31 and /32 keep every address', () => {
    assert.deepEqual(all(['10.0.0.4/31']), ['10.0.0.4', '10.0.0.5']);
    assert.deepEqual(all(['10.0.0.7/32']), ['10.0.0.7']);
  });

  test('host bits in a CIDR warn and scan the whole network', () => {
    const t = parseTargets(['192.168.10.77/24']);
    assert.equal(t.total, 254);
    assert.match(t.warnings[0]!, /host bits set.*192\.168\.10\.0\/24/);
  });

  test('ranges in both spellings, host lists with commas and spaces', () => {
    assert.deepEqual(all(['10.1.1.250-10.1.2.1']), [
      '10.1.1.250',
      '10.1.1.251',
      '10.1.1.252',
      '10.1.1.253',
      '10.1.1.254',
      '10.1.1.255',
      '10.1.2.0',
      '10.1.2.1',
    ]);
    assert.deepEqual(all(['10.1.1.5-7']), ['10.1.1.5', '10.1.1.6', '10.1.1.7']);
    assert.deepEqual(all(['10.0.0.9, 10.0.0.3 10.0.0.4']), ['10.0.0.3', '10.0.0.4', '10.0.0.9']);
  });

  test('overlapping items are merged once, with a warning; adjacent ones silently', () => {
    const t = parseTargets(['10.0.0.0/24', '10.0.0.100-10.0.1.10']);
    assert.equal(t.ranges.length, 1);
    assert.equal(t.total, 266); // 10.0.0.1 … 10.0.1.10
    assert.match(t.warnings.join('\n'), /overlaps/);
    const adjacent = parseTargets(['10.0.0.1-10', '10.0.0.11-20']);
    assert.equal(adjacent.ranges.length, 1);
    assert.deepEqual(adjacent.warnings, []);
    const dup = parseTargets(['10.0.0.5', '10.0.0.5']);
    assert.equal(dup.total, 1);
  });

  test('malformed input is named in the error', () => {
    assert.throws(() => parseTargets(['10.0.0.256']), /"10\.0\.0\.256" is not an IPv4 address/);
    assert.throws(() => parseTargets(['10.0.0.0/33']), /prefix \/33/);
    assert.throws(() => parseTargets(['10.0.0.9-10.0.0.1']), /ends before it starts/);
    assert.throws(() => parseTargets(['10.0.0.1-300']), /larger than 255/);
    assert.throws(() => parseTargets(['phones']), /"phones" is not an IPv4 address/);
    assert.throws(() => parseTargets(['10.0.0.0/']), /not a CIDR/);
    assert.throws(() => parseTargets(['', ' , ']), /No addresses to scan/);
    assert.throws(() => parseTargets(['0.0.0.0/24']), /0\.0\.0\.0\/8/);
    assert.throws(() => parseTargets(['224.0.0.0/24']), /multicast/);
  });

  test('IPv6 is refused with an explanation', () => {
    assert.throws(() => parseTargets(['fd00::/64']), /IPv4 only/);
  });

  test('more than a /16 needs confirmLarge; the error says how to confirm', () => {
    assert.equal(parseTargets(['10.0.0.0/16']).total, 65_534);
    assert.throws(() => parseTargets(['10.0.0.0/15']), /--confirm-large.*confirmLarge: true/);
    assert.equal(parseTargets(['10.0.0.0/15'], { confirmLarge: true }).total, 131_070);
    assert.throws(() => parseTargets(['10.0.0.0/7'], { confirmLarge: true }), /more than Fieldkit scans at once/);
  });

  test('iteration is lazy: the first addresses of a /8 come without building the list', () => {
    const it = iterateAddresses(parseTargets(['10.0.0.0/8'], { confirmLarge: true }).ranges);
    assert.equal(it.next().value, '10.0.0.1');
    assert.equal(it.next().value, '10.0.0.2');
  });

  test('rangesContain', () => {
    const { ranges } = parseTargets(['10.0.0.0/24']);
    assert.equal(rangesContain(ranges, '10.0.0.5'), true);
    assert.equal(rangesContain(ranges, '10.0.1.5'), false);
    assert.equal(rangesContain(ranges, 'x'), false);
  });
});

describe('localSubnets', () => {
  test('proposes IPv4 subnets of non-internal interfaces, marks large ones', () => {
    const subnets = localSubnets({
      lo: [
        {
          address: '127.0.0.1',
          netmask: '255.0.0.0',
          family: 'IPv4',
          mac: '00:00:00:00:00:00',
          internal: true,
          cidr: '127.0.0.1/8',
        },
      ],
      eth0: [
        {
          address: '192.168.10.7',
          netmask: '255.255.255.0',
          family: 'IPv4',
          mac: '02:00:00:00:00:01',
          internal: false,
          cidr: '192.168.10.7/24',
        },
        {
          address: 'fe80::1',
          netmask: 'ffff:ffff:ffff:ffff::',
          family: 'IPv6',
          mac: '02:00:00:00:00:01',
          internal: false,
          cidr: 'fe80::1/64',
          scopeid: 2,
        },
      ],
      wlan0: [
        {
          address: '10.20.30.40',
          netmask: '255.254.0.0',
          family: 'IPv4',
          mac: '02:00:00:00:00:02',
          internal: false,
          cidr: '10.20.30.40/15',
        },
      ],
      zc: [
        {
          address: '169.254.3.3',
          netmask: '255.255.0.0',
          family: 'IPv4',
          mac: '02:00:00:00:00:03',
          internal: false,
          cidr: '169.254.3.3/16',
        },
      ],
    });
    assert.deepEqual(subnets, [
      { interface: 'eth0', address: '192.168.10.7', cidr: '192.168.10.0/24', size: 254, large: false },
      { interface: 'wlan0', address: '10.20.30.40', cidr: '10.20.0.0/15', size: 131_070, large: true },
    ]);
  });
});

describe('ranges typed with spaces around the dash', () => {
  test('"127.77.0.1 - 127.77.0.24" is one range of 24 addresses, as the CLI and the scan form give it', () => {
    const t = parseTargets(['127.77.0.1 - 127.77.0.24']);
    assert.equal(t.total, 24);
    assert.deepEqual(all(['10.0.0.5 -10.0.0.7, 192.168.1.20 – 21']), [
      '10.0.0.5',
      '10.0.0.6',
      '10.0.0.7',
      '192.168.1.20',
      '192.168.1.21',
    ]);
  });
  test('hosts separated by spaces stay separate hosts', () => {
    assert.deepEqual(all(['10.0.0.1 10.0.0.3']), ['10.0.0.1', '10.0.0.3']);
  });
});
