import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCsv, detectSeparator, toCsv, guardCell, unguardCell } from '../../../electron/core/inventory/csv';
import { withinCpuBudget } from '../../helpers/cpu-budget';

describe('CSV parsing', () => {
  test('detects comma, semicolon and tab from the header line', () => {
    assert.equal(detectSeparator('MAC,DN,Name\n1;2;3;4'), ',');
    assert.equal(detectSeparator('MAC;DN;Name\n1,2,3,4'), ';');
    assert.equal(detectSeparator('MAC\tDN\tName'), '\t');
    assert.equal(detectSeparator('"a;b",c'), ',', 'separators inside quotes do not count');
    assert.equal(detectSeparator('MAC'), ',');
  });

  test('quoted fields keep separators, doubled quotes and line breaks; BOM and CRLF are handled', () => {
    const text = '\uFEFFMAC;Name\r\n00085D000001;"Weber; Dana ""DW"""\r\n00085D000002;"two\r\nlines"\r\n';
    const result = parseCsv(text);
    assert.equal(result.separator, ';');
    assert.deepEqual(
      result.records.map((r) => r.fields),
      [
        ['MAC', 'Name'],
        ['00085D000001', 'Weber; Dana "DW"'],
        ['00085D000002', 'two\r\nlines'],
      ],
    );
    assert.deepEqual(
      result.records.map((r) => [r.row, r.line]),
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
    );
  });

  test('rows after a multi-line field report the physical line they start on', () => {
    const result = parseCsv('a,b\n"x\ny\nz",1\nq,2\n');
    assert.deepEqual(
      result.records.map((r) => [r.row, r.line]),
      [
        [1, 1],
        [2, 2],
        [3, 5],
      ],
    );
  });

  test('an Excel "sep=" line names the separator and is not a row', () => {
    const result = parseCsv('sep=;\nMAC,x;DN\n1;2');
    assert.equal(result.separator, ';');
    assert.deepEqual(
      result.records.map((r) => r.fields),
      [
        ['MAC,x', 'DN'],
        ['1', '2'],
      ],
    );
    assert.equal(result.records[0]!.line, 2);
  });

  test('an unclosed quote costs only its own line', () => {
    const result = parseCsv('MAC,Name\n00085D000001,"Dana\n00085D000002,Kim\n');
    assert.equal(result.records.length, 3);
    assert.match(result.records[1]!.error ?? '', /never closes/);
    assert.deepEqual(result.records[2]!.fields, ['00085D000002', 'Kim']);
    assert.equal(result.records[2]!.line, 3);
  });

  test('overlong fields and too many records are capped and reported', () => {
    const long = parseCsv(`a,b\n${'x'.repeat(10_000)},1\n`, { maxFieldChars: 100 });
    assert.match(long.records[1]!.error ?? '', /longer than 100/);
    assert.equal(long.records[1]!.fields[0]!.length, 100);
    const many = parseCsv('a\n'.repeat(50), { maxRecords: 10 });
    assert.equal(many.records.length, 10);
    assert.equal(many.truncated, true);
  });

  test('text after a closing quote is kept and flagged', () => {
    const r = parseCsv('"ab"cd,e');
    assert.deepEqual(r.records[0]!.fields, ['abcd', 'e']);
    assert.match(r.records[0]!.error ?? '', /after its closing quote/);
  });
});

describe('CSV writing', () => {
  test('cells starting with = + - @ tab or CR get a quote in front (formula injection)', () => {
    for (const bad of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx'])
      assert.equal(guardCell(bad)[0], "'", bad);
    assert.equal(guardCell('6867i'), '6867i');
    const csv = toCsv([['Name'], ['=cmd|" /C calc"!A0']]);
    assert.equal(csv, 'Name\r\n"\'=cmd|"" /C calc""!A0"\r\n');
    assert.equal(unguardCell(guardCell('=1+1')), '=1+1');
    assert.equal(unguardCell("'plain"), "'plain", 'an apostrophe Fieldkit did not add stays');
  });

  test('round trip: what toCsv writes, parseCsv reads back (formula guard undone)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 20 }), { minLength: 2, maxLength: 5 }), {
          minLength: 1,
          maxLength: 10,
        }),
        fc.constantFrom<',' | ';' | '\t'>(',', ';', '\t'),
        (rows, sep) => {
          const width = rows[0]!.length;
          const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
          // A row of only empty cells at the start would make separator detection ambiguous; keep a header.
          const withHeader = [Array.from({ length: width }, (_, i) => `h${i}`), ...table];
          const parsed = parseCsv(toCsv(withHeader, sep));
          assert.equal(parsed.separator, sep);
          assert.deepEqual(
            parsed.records.map((r) => r.fields.map(unguardCell)),
            withHeader,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('CSV parser on hostile input (properties)', () => {
  const hostile = fc.oneof(
    fc.string({ maxLength: 2000 }),
    fc.string({
      unit: fc.constantFrom('"', ',', ';', '\t', '\n', '\r', 'a', ' ', '\uFEFF', '\uFFFD', '\uD800'),
      maxLength: 3000,
    }),
    fc.string({ unit: 'binary', maxLength: 500 }),
  );

  test('never throws and every record has at most the field cap', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const result = parseCsv(text, { maxFields: 50, maxFieldChars: 256 });
        for (const r of result.records) {
          assert.ok(r.fields.length <= 50);
          for (const f of r.fields) assert.ok(f.length <= 256 + 256);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('a megabyte line, a megabyte of quotes and 100k unbalanced quotes finish quickly', () => {
    const cases = {
      'megabyte line': 'x'.repeat(1024 * 1024),
      'megabyte quoted': `"${'y'.repeat(1024 * 1024)}`,
      'unbalanced quote per line': '"a\n'.repeat(100_000),
      'separators only': ','.repeat(2 * 1024 * 1024),
      'quote pairs': '""'.repeat(1024 * 1024),
    };
    for (const [name, text] of Object.entries(cases)) {
      const result = withinCpuBudget(2000, name, () => parseCsv(text));
      assert.ok(result.records.length <= 20_001, name);
    }
  });
});
