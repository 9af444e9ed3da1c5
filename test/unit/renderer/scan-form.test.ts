// The scan form: ranges with spaces, public addresses, time estimates, ports and the answer timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  normaliseRanges,
  parsePorts,
  parseTimeout,
  publicAddresses,
  publicWarning,
  scanEstimate,
} from '../../../renderer/src/views/inventory/scan-form';

test('spaces around the dash of a range are accepted', () => {
  assert.equal(normaliseRanges('127.77.0.1 - 127.77.0.24'), '127.77.0.1-127.77.0.24');
  assert.equal(normaliseRanges('10.0.0.5 -10.0.0.9\n192.168.1.20 – 80'), '10.0.0.5-10.0.0.9\n192.168.1.20-80');
  assert.equal(normaliseRanges('10.0.0.0/24'), '10.0.0.0/24');
});

test('public internet addresses are named; private, loopback and test networks are not', () => {
  assert.deepEqual(publicAddresses('8.8.8.8\n10.0.0.0/8\n192.168.1.1-20\n127.77.0.1\n172.20.1.1\n198.18.0.1'), [
    '8.8.8.8',
  ]);
  assert.match(publicWarning('8.8.8.8')!, /^8\.8\.8\.8 is a public internet address/);
  assert.equal(publicWarning('10.1.2.3'), null);
});

test('large scans say how long they take; small ones do not', () => {
  assert.equal(scanEstimate(24), null);
  assert.equal(scanEstimate(65534), 'A scan of 65,534 addresses takes about 2 min 44 s.');
});

test('ports and the answer timeout are checked with a message naming the field', () => {
  assert.deepEqual(parsePorts('SIP ports', '5060, 5062 5060'), { ports: [5060, 5062], error: null });
  assert.match(parsePorts('HTTP ports', '80, 99999').error!, /^HTTP ports: "99999"/);
  assert.deepEqual(parseTimeout('3'), { ms: 3000, error: null });
  assert.deepEqual(parseTimeout('1,5'), { ms: 1500, error: null });
  assert.match(parseTimeout('90').error!, /between 0\.2 and 30/);
  assert.deepEqual(parseTimeout(''), { ms: null, error: null });
});
