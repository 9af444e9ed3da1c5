import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSheetCsv } from '../../../electron/core/inventory/sheet';
import { FieldkitError } from '../../../electron/core/util/errors';

test('header aliases in any case and spacing, any separator, and MACs in every spelling', () => {
  const variants = [
    'MAC Address;Directory Number;Display Name;Room;Type\n00-08-5d-1a-2b-3c;4711;Dana Weber;3.14;Mitel 6867i\n',
    'hardware address,EXTENSION,name,Location,model\r\n0008.5d1a.2b3c,4711,Dana Weber,3.14,6867\r\n',
    'mac\tdn\tdisplay_name\tlocation\tphone model\n00085D1A2B3C\t4711\tDana Weber\t3.14\t6867i\n',
    '\uFEFF"Mac";"Number";"Name";"Location";"Model"\n"00:08:5d:1a:2b:3c";"4711";"Dana Weber";"3.14";"Aastra6867i"\n',
  ];
  for (const text of variants) {
    const parsed = parseSheetCsv(text);
    assert.deepEqual(parsed.errors, [], text);
    assert.deepEqual(
      parsed.rows.map((r) => r.values),
      [
        {
          mac: '00:08:5D:1A:2B:3C',
          directoryNumber: '4711',
          displayName: 'Dana Weber',
          location: '3.14',
          model: '6867i',
        },
      ],
      text,
    );
    assert.deepEqual(parsed.present.sort(), ['directoryNumber', 'displayName', 'location', 'mac', 'model']);
  }
});

test('bad rows are reported with their row number and what to fix; good rows still come through', () => {
  const text = [
    'MAC,DN,Name,Location,Model',
    '00085D000001,100,Anna,Lobby,6867i',
    'not-a-mac,101,Ben,Lobby,6867i',
    ',102,Cleo,Lobby,6867i',
    '',
    '00085D000001,103,Dup,Lobby,6865i',
    '00085D000002,"unclosed,Eve,Lobby,6865i',
    '00085D000003,+49 30 1234,Finn,Lab,6865i',
    '00085D000004,104,Gus,Lab,Polycom VVX',
    '00085D000005,105,Hal,Lab,6730i',
  ].join('\n');
  const parsed = parseSheetCsv(text);
  assert.deepEqual(
    parsed.rows.map((r) => [r.row, r.values.mac]),
    [
      [2, '00:08:5D:00:00:01'],
      [8, '00:08:5D:00:00:03'],
      [9, '00:08:5D:00:00:04'],
      [10, '00:08:5D:00:00:05'],
    ],
  );
  assert.deepEqual(
    parsed.errors.map((e) => e.row),
    [3, 4, 6, 7],
  );
  assert.match(parsed.errors[0]!.message, /^Row 3: "not-a-mac" is not a MAC address\. Write 12 hex digits/);
  assert.match(parsed.errors[1]!.message, /^Row 4: the MAC is empty/);
  assert.match(parsed.errors[2]!.message, /^Row 6: MAC 00:08:5D:00:00:01 is already on row 2/);
  assert.match(parsed.errors[3]!.message, /^Row 7: .*never closes/);
  assert.deepEqual(
    parsed.warnings.map((w) => w.row),
    [8, 9, 10],
  );
  assert.match(parsed.warnings[0]!.message, /not only digits.*DTP-73963/);
  assert.match(parsed.warnings[1]!.message, /"Polycom VVX" is not a phone model/);
  assert.match(parsed.warnings[2]!.message, /6730i is not a 6867i or 6865i/);
  assert.equal(parsed.rows[2]!.values.model, 'Polycom VVX', 'an unknown model is kept as written');
  assert.equal(parsed.dataRows, 8, 'the blank row is not counted');
});

test('a file without a MAC column, an empty file and an oversized file are refused with a clear message', () => {
  assert.throws(
    () => parseSheetCsv('Name;Room\nDana;3.14\n'),
    (e: FieldkitError) =>
      e.code === 'invalid-input' && /No MAC column found.*"Name", "Room".*"MAC address"/.test(e.message),
  );
  assert.throws(() => parseSheetCsv('00085D000001;100\n'), /looks like data: add a header row/);
  assert.throws(() => parseSheetCsv('\n\n'), /file is empty/);
  assert.throws(() => parseSheetCsv('MAC\n' + 'x'.repeat(6 * 1024 * 1024)), /too large.*5 MB/);
});

test('unused and duplicate columns are named once as warnings', () => {
  const parsed = parseSheetCsv('MAC,Status,Notes,MAC address\n00085D000001,ok,x,00085D000009\n');
  assert.equal(parsed.rows[0]!.values.mac, '00:08:5D:00:00:01');
  assert.deepEqual(parsed.warnings.map((w) => w.message).sort(), [
    'Column "MAC address" is a second MAC column; the first one is used.',
    'Columns "Status", "Notes" not used (Fieldkit reads MAC, directory number, display name, location and model).',
  ]);
});

test('more than 20,000 rows: the rest is reported, not silently dropped', () => {
  const text =
    'MAC\n' + Array.from({ length: 20_010 }, (_, i) => (0x00085d000000 + i).toString(16).padStart(12, '0')).join('\n');
  const parsed = parseSheetCsv(text);
  assert.equal(parsed.rows.length, 20_000);
  assert.match(parsed.errors.at(-1)!.message, /more than 20,000 rows/);
});

test('property: any text either parses into rows and issues, or is refused with a FieldkitError; never anything else', () => {
  const cell = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('00:08:5D:00:00:01', '0008.5d00.0002', '4711', '"', '""', '=1+1', 'a;b', '\r\n'),
  );
  const line = fc
    .array(cell, { maxLength: 6 })
    .map((cells) => cells.join(fc.sample(fc.constantFrom(',', ';', '\t'), 1)[0]));
  const file = fc
    .tuple(fc.constantFrom('MAC,DN,Name', 'mac;number;room', 'Name', ''), fc.array(line, { maxLength: 20 }))
    .map(([h, ls]) => [h, ...ls].join('\n'));
  fc.assert(
    fc.property(fc.oneof(file, fc.string({ maxLength: 500 })), (text) => {
      try {
        const parsed = parseSheetCsv(text);
        for (const r of parsed.rows) assert.match(r.values.mac, /^([0-9A-F]{2}:){5}[0-9A-F]{2}$/);
        for (const issue of [...parsed.errors, ...parsed.warnings])
          assert.ok(issue.row >= 1 && issue.message.length > 0);
      } catch (e) {
        assert.ok(e instanceof FieldkitError, String(e));
      }
    }),
    { numRuns: 500 },
  );
});
