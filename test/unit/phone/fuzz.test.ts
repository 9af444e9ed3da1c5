// Property tests: every parser of network input returns (never throws) and stays fast on
// hostile input: random strings, invalid UTF-8 bytes, megabyte lines, deep tag nesting.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  parseFirmwareVersion,
  parseMac,
  parseProvisioningUserAgent,
  parseSipBanner,
  parseSipMessage,
  parseSysinfo,
  normaliseModel,
  parseBasicRealm,
  isVisitSysinfoFirstAnswer,
} from '../../../electron/core/phone';
import { parseFormValues } from '../../../electron/core/phone/html-form';
import { withinCpuBudget } from '../../helpers/cpu-budget';

const MB = 1024 * 1024;

const stringParsers: [string, (s: string) => unknown][] = [
  ['parseSipBanner', parseSipBanner],
  ['parseProvisioningUserAgent', parseProvisioningUserAgent],
  ['parseSysinfo', parseSysinfo],
  ['parseSipMessage', parseSipMessage],
  ['parseMac', parseMac],
  ['parseFirmwareVersion', parseFirmwareVersion],
  ['normaliseModel', normaliseModel],
  ['parseBasicRealm', parseBasicRealm],
  ['isVisitSysinfoFirstAnswer', isVisitSysinfoFirstAnswer],
  ['parseFormValues', parseFormValues],
];
const byteParsers: [string, (b: Uint8Array) => unknown][] = [
  ['parseSipBanner', parseSipBanner],
  ['parseProvisioningUserAgent', parseProvisioningUserAgent],
  ['parseSysinfo', parseSysinfo],
  ['parseSipMessage', parseSipMessage],
];

// Fragments that steer random input towards the interesting paths of each grammar.
const fragments = fc.constantFrom(
  'SIP/2.0 200 OK\r\n',
  'OPTIONS sip:x SIP/2.0\r\n',
  'Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\n',
  'l: 5\r\n',
  '\r\n\r\n',
  ' \t',
  'Aastra',
  'Mitel',
  ' 6867i/',
  '6.5.0.224',
  '-SIP',
  ' MAC:',
  ' V:',
  '00-08-5D-1A-2B-3C',
  '<td>',
  '</td>',
  '<tr>',
  '<TD x="',
  'Firmware Version',
  'Platform',
  'MAC Address',
  '&#',
  '&amp;',
  ';',
  ':',
  '@',
  '<',
  '>',
  '"',
  '<select name="a">',
  '<option selected>',
  '<input name=b value=',
  'realm="',
  'Basic ',
  'visit',
  'sysinfo',
);
const hostile = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.array(fc.oneof(fragments, fc.string({ maxLength: 8 })), { maxLength: 60 }).map((parts) => parts.join('')),
);

describe('fuzz: no throw, bounded time', () => {
  for (const [name, parse] of stringParsers) {
    test(`${name} on random and grammar-shaped strings`, () => {
      fc.assert(
        fc.property(hostile, (s) => {
          withinCpuBudget(200, name, () => parse(s));
        }),
        { numRuns: 400 },
      );
    });
  }
  for (const [name, parse] of byteParsers) {
    test(`${name} on random bytes (invalid UTF-8)`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
          withinCpuBudget(200, name, () => parse(b));
        }),
        { numRuns: 300 },
      );
    });
  }

  const megabyteInputs: [string, string][] = [
    ['one megabyte line of A', 'A'.repeat(MB)],
    ['a megabyte of "<"', '<'.repeat(MB)],
    ['a megabyte of "<td>"', '<td>'.repeat(MB / 4)],
    ['deeply nested tags', '<table><tr><td>'.repeat(MB / 16) + 'x'],
    ['a megabyte of entities', '&#1234'.repeat(MB / 6)],
    ['banner-shaped megabyte', `Aastra 6867i/${'6.'.repeat(MB / 2)}`],
    ['UA-shaped megabyte', `Aastra6867i MAC:${' '.repeat(MB)}V:`],
    ['SIP-shaped megabyte', `SIP/2.0 200 OK\r\n${'X: y\r\n'.repeat(MB / 6)}`],
  ];
  for (const [label, input] of megabyteInputs) {
    test(`megabyte input: ${label}`, () => {
      for (const [name, parse] of stringParsers) withinCpuBudget(250, `${name} on ${label}`, () => parse(input));
      const bytes = Buffer.concat([
        Buffer.from(input.slice(0, MB / 2)),
        Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xff]),
      ]);
      for (const [name, parse] of byteParsers) withinCpuBudget(250, `${name} on bytes of ${label}`, () => parse(bytes));
    });
  }

  test('sysinfo just under its cap still parses and finds the value', () => {
    const filler = '<tr><td>x</td><td>y</td></tr>'.repeat(15000);
    const page = `${filler}<tr><td>Firmware Version</td><td>6.5.0.224</td></tr>`;
    const info = withinCpuBudget(500, 'parseSysinfo near cap', () => parseSysinfo(page));
    assert.equal(info?.firmwareVersion, '6.5.0.224');
  });
});
