// Hostile input the per-area fuzz tests (test/unit/phone/fuzz, config/cfg-format, inventory/csv) do not
// cover: heap growth on repeated megabyte inputs (measured after forced GC), deep nesting for the HTML
// and SIP readers, invalid UTF-8 through the cfg and CSV readers, and the Redactor itself, which sees
// every log line and error message (pathological regex input, thousands of known secrets).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import {
  parseProvisioningUserAgent,
  parseSipBanner,
  parseSipMessage,
  parseSysinfo,
} from '../../../electron/core/phone';
import { parseCfg, serializeCfg } from '../../../electron/core/config/cfg-format';
import { parseCsv } from '../../../electron/core/inventory/csv';
import { parseSheetCsv } from '../../../electron/core/inventory/sheet';
import { Redactor } from '../../../electron/core/security/redactor';
import { withinCpuBudget } from '../../helpers/cpu-budget';

const MB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapGrowthMb(rounds: number, f: () => unknown): number {
  f(); // warm up: compiled code and caches are not growth
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < rounds; i++) f();
  gc();
  return (process.memoryUsage().heapUsed - before) / MB;
}

const invalidUtf8 = Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc, 0xff, 0xfe, 0x00]);
const decode = (b: Uint8Array) => new TextDecoder('utf-8', { fatal: false }).decode(b);

describe('deep nesting and hostile structure', () => {
  test('sysinfo: 100k nested tables, an unterminated comment, a megabyte attribute: bounded, and the value is still found when present', () => {
    const deep = `${'<table><tr><td>'.repeat(100_000)}Firmware Version</td><td>6.5.0.224${'</td></tr></table>'.repeat(100_000)}`;
    withinCpuBudget(1000, 'nested tables', () => parseSysinfo(deep));
    withinCpuBudget(500, 'unterminated comment', () => parseSysinfo(`<!--${'<td>x</td>'.repeat(100_000)}`));
    withinCpuBudget(500, 'megabyte attribute', () =>
      parseSysinfo(`<td title="${'"'.repeat(MB)}">Firmware Version</td><td>6.5.0.224</td>`),
    );
    const ok = parseSysinfo('<table><tr><td>Firmware Version</td><td>6.5.0.224</td></tr></table>');
    assert.equal(ok?.firmwareVersion, '6.5.0.224');
  });

  test('SIP: 100k headers, a megabyte of folded continuation lines, nested angle brackets: bounded', () => {
    const head = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\nCSeq: 1 OPTIONS\r\n';
    withinCpuBudget(1000, '100k headers', () => parseSipMessage(`${head}${'X-A: b\r\n'.repeat(100_000)}\r\n`));
    withinCpuBudget(1000, 'folding', () => parseSipMessage(`${head}Server: Aastra${'\r\n x'.repeat(MB / 4)}\r\n\r\n`));
    withinCpuBudget(500, 'angle brackets', () =>
      parseSipMessage(`${head}From: ${'<'.repeat(MB / 2)}sip:a@b${'>'.repeat(MB / 2)}\r\n\r\n`),
    );
    withinCpuBudget(500, 'banner of brackets', () => parseSipBanner(`Aastra 6867i/${'('.repeat(MB)}`));
    withinCpuBudget(500, 'UA of separators', () =>
      parseProvisioningUserAgent(`Aastra6867i MAC:${'-'.repeat(MB)} V:6.5.0.224-SIP`),
    );
  });
});

describe('invalid UTF-8 through the file readers', () => {
  test('cfg: random bytes decoded leniently never throw, and what parses re-serialises to the same text', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom('', 'sip line1 password: ', '!admin password: "', '# c\n'),
        (bytes, prefix) => {
          const text = prefix + decode(Buffer.concat([bytes, invalidUtf8]));
          const { doc, errors } = parseCfg(text);
          if (errors.length === 0) assert.equal(serializeCfg(doc), text);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('CSV and the sheet: random bytes decoded leniently never throw; a megabyte of invalid UTF-8 is bounded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        parseCsv(decode(bytes));
        parseSheetCsv(`MAC;DN;Name\n${decode(Buffer.concat([bytes, invalidUtf8]))}`);
      }),
      { numRuns: 500 },
    );
    const big = decode(Buffer.concat(Array.from({ length: (MB / invalidUtf8.length) | 0 }, () => invalidUtf8)));
    withinCpuBudget(2000, 'sheet of invalid UTF-8', () => parseSheetCsv(`MAC;DN;Name\n${big}`));
    withinCpuBudget(2000, 'cfg of invalid UTF-8', () => parseCfg(big));
  });
});

describe('memory stays bounded on repeated megabyte inputs', () => {
  const inputs: [string, () => unknown][] = [
    ['parseSysinfo', () => parseSysinfo('<td>'.repeat(MB / 4))],
    ['parseSipMessage', () => parseSipMessage(`SIP/2.0 200 OK\r\n${'X: y\r\n'.repeat(MB / 6)}\r\n`)],
    ['parseSipBanner', () => parseSipBanner(`Mitel 6867i/${'6.'.repeat(MB / 2)}`)],
    ['parseProvisioningUserAgent', () => parseProvisioningUserAgent(`Aastra6867i MAC:${' '.repeat(MB)}V:`)],
    ['parseCfg', () => parseCfg(`a: ${'b'.repeat(MB)}\n`.repeat(2))],
    ['parseSheetCsv', () => parseSheetCsv(`MAC;DN\n${'"'.repeat(MB)}`)],
  ];
  for (const [name, run] of inputs) {
    test(`${name}: 10 rounds of ~1 MB leave < 8 MB of heap behind`, () => {
      const growth = heapGrowthMb(10, run);
      assert.ok(growth < 8, `${name} kept ${growth.toFixed(1)} MB`);
    });
  }
});

describe('the Redactor on hostile text', () => {
  const redactor = new Redactor();
  for (let i = 0; i < 1000; i++)
    redactor.learn(`Sip-${i.toString(36)}-pw-${(i * 7919).toString(16)}`, `sip-password:${i}`);
  const cases: [string, string][] = [
    ['a megabyte of "a."', 'a.'.repeat(MB / 2)],
    ['a megabyte of "a:"', 'a:'.repeat(MB / 2)],
    ['URL-shaped without @', `sftp://${'u:'.repeat(MB / 2)}`],
    ['scheme after scheme', 'a://'.repeat(MB / 4)],
    ['password= repeated', 'password='.repeat(MB / 9)],
    ['Authorization repeated', 'Authorization: Basic '.repeat(MB / 21)],
    ['cfg-shaped megabyte line', `admin password: ${'x '.repeat(MB / 2)}#`],
    ['a megabyte of spaces then a colon', `${' '.repeat(MB)}: x`],
    ['a megabyte of near-miss secrets', 'Sip-1-pw-'.repeat(MB / 9)],
  ];
  for (const [label, text] of cases) {
    test(`${label}: bounded time`, () => {
      withinCpuBudget(1500, label, () => redactor.redact(text));
    });
  }

  test('1000 known secrets x 200 KB of log text: bounded time, and every planted secret is found', () => {
    const planted = ['Sip-0-pw-0', `Sip-${(999).toString(36)}-pw-${(999 * 7919).toString(16)}`];
    const text = `${'job 42 step 7 phone 00085D1A2B3C ok\n'.repeat(5500)}${planted.join(' and ')}`;
    const out = withinCpuBudget(1500, 'many secrets', () => redactor.redact(text));
    assert.ok(!planted.some((p) => out.includes(p)));
    assert.match(out, /\[redacted: sip-password:0\] and \[redacted: sip-password:999\]$/);
  });

  test('never throws and never lets a known secret through, whatever surrounds it', () => {
    const r = new Redactor().learn('K3y-Val&ue', 'k');
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (a, b) => {
        const out = r.redact(`${a}K3y-Val&ue${b}`);
        assert.ok(!out.includes('K3y-Val&ue') || `${a}${b}`.includes('K3y-Val&ue'));
      }),
      { numRuns: 1000 },
    );
  });
});
