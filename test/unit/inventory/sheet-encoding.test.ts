// UTF-16 sheets ("Unicode text" from Excel) are read from files, and refused by name when they arrive as
// text that was read as 8-bit (issue 13 §6, I2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSheetBytes } from '../../../electron/core/inventory/sheet-encoding';
import { parseSheetCsv } from '../../../electron/core/inventory/sheet';

const SHEET = 'MAC\tDN\tName\r\n00085D1A2B3C\t2108189795\tZoë Müller\r\n';
const utf16le = (s: string, bom = true) =>
  Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(s, 'utf16le')]);

test('UTF-16 with and without a BOM, UTF-8 and Windows-1252 files all decode to the same sheet', () => {
  const be = Buffer.from(utf16le(SHEET, false));
  be.swap16();
  for (const bytes of [
    utf16le(SHEET),
    utf16le(SHEET, false),
    Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    Buffer.from(SHEET, 'utf8'),
    Buffer.from(SHEET, 'latin1'),
  ]) {
    const sheet = parseSheetCsv(decodeSheetBytes(bytes));
    assert.equal(sheet.rows[0]?.values.displayName, 'Zoë Müller');
  }
});

test('UTF-16 read as if it were 8-bit is refused by name, not "0 0 0 8 5 D is not a MAC address"', () => {
  assert.throws(
    () => parseSheetCsv(utf16le(SHEET).toString('latin1')),
    /UTF-16 text \("Unicode text" in Excel\).*Save it as "CSV UTF-8/,
  );
  assert.throws(() => parseSheetCsv(utf16le(SHEET).toString('utf8')), /UTF-16/);
});
