import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  appendComment,
  appendParam,
  createCfgDocument,
  effectiveValues,
  getParam,
  isLocked,
  isOverride,
  mergeEffectiveValues,
  parseCfg,
  removeParam,
  serializeCfg,
  setParam,
  CfgValueError,
} from '../../../electron/core/config/cfg-format';
import { withinCpuBudget } from '../../helpers/cpu-budget';
import type { CfgParamLine } from '../../../electron/core/config/cfg-format';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixtureNames = readdirSync(fixtures)
  .filter((n) => n.endsWith('.cfg'))
  .sort();
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');

function params(text: string): CfgParamLine[] {
  return parseCfg(text).doc.lines.filter((l): l is CfgParamLine => l.kind === 'param');
}

describe('round trip', () => {
  test('there are at least four fixtures', () => assert.ok(fixtureNames.length >= 4));
  for (const name of fixtureNames) {
    test(`${name}: parse → serialise is byte-identical, with no errors`, () => {
      const text = read(name);
      const { doc, errors } = parseCfg(text);
      assert.deepEqual(errors, []);
      assert.equal(serializeCfg(doc), text);
    });
    test(`${name}: also byte-identical as CRLF, mixed endings, BOM and without the final newline`, () => {
      const lf = read(name).replace(/\r\n/g, '\n');
      const variants = [
        lf.replace(/\n/g, '\r\n'),
        lf
          .split('\n')
          .map((l, i, all) => (i % 2 && i < all.length - 1 ? `${l}\r` : l))
          .join('\n'),
        `\uFEFF${lf}`,
        lf.replace(/\n+$/, ''),
        `${lf}\n\n`,
      ];
      for (const v of variants) {
        const { doc, errors } = parseCfg(v);
        assert.deepEqual(errors, []);
        assert.equal(serializeCfg(doc), v);
      }
    });
  }
  test('a CRLF file keeps CRLF for lines added later', () => {
    const { doc } = parseCfg(read('elx-global-crlf.cfg'));
    assert.equal(doc.eol, '\r\n');
    setParam(doc, 'contact rcs', '0');
    const out = serializeCfg(doc);
    assert.ok(out.endsWith('auto resync time: 00h00\r\ncontact rcs: 0\r\n'));
    assert.ok(!/[^\r]\n/.test(out));
  });
  test('empty text is an empty document', () => {
    const { doc, errors } = parseCfg('');
    assert.equal(doc.lines.length, 0);
    assert.deepEqual(errors, []);
    assert.equal(serializeCfg(doc), '');
  });
});

describe('lines', () => {
  const text = read('prov-mac.cfg');
  test('names keep their spelling; the value excludes quotes, spacing and trailing comments', () => {
    const byName = new Map(params(text).map((p) => [p.name, p]));
    assert.equal(byName.get('dhcp')?.value, '1');
    assert.equal(byName.get('dhcp')?.trailing, ' #enabled');
    assert.equal(byName.get('time server1')?.value, '192.168.1.1');
    assert.equal(byName.get('SIP Line1 Display Name')?.value, 'Empfang  Süd');
    assert.equal(byName.get('SIP Line1 Display Name')?.quoted, true);
    assert.equal(byName.get('SIP Line1 Auth Name')?.value, '2001');
    assert.equal(byName.get('sip line1 user name')?.value, '2001');
    assert.equal(byName.get('sip line1 password')?.value, 'pass #word');
    assert.equal(byName.get('sip dial plan')?.value, 'x+^|00x+|*x+');
    assert.equal(byName.get('sip line1 vmail')?.value, '');
    assert.equal(byName.get('softkey2 label')?.value, 'Gruppe #1');
    assert.equal(byName.get('auto resync time')?.value, '02:30');
  });
  test('! locks and ^ overrides, alone or together', () => {
    const eff = effectiveValues(parseCfg(text).doc);
    assert.deepEqual([eff.get('admin password')?.lock, eff.get('admin password')?.override], [true, false]);
    assert.deepEqual(
      [eff.get('sip line1 display name')?.lock, eff.get('sip line1 display name')?.override],
      [false, true],
    );
    const both = params(text).find((p) => p.name === 'sip line1 mode')!;
    assert.ok(isLocked(both) && isOverride(both));
  });
  test('case-insensitive, whitespace-normalised names; the last value wins', () => {
    const doc = parseCfg('SIP  Line1 Mode: 0\nsip line1 mode: 1\nSip Line1 MODE: 2\nother: x\n').doc;
    const eff = effectiveValues(doc);
    assert.equal(eff.get('sip line1 mode')?.value, '2');
    assert.equal(eff.get('sip line1 mode')?.line, 3);
    assert.equal(eff.get('sip line1 mode')?.name, 'Sip Line1 MODE');
    assert.equal(getParam(doc, 'SIP LINE1   mode')?.value, '2');
    assert.equal(eff.size, 2);
    assert.equal(effectiveValues(parseCfg(text).doc).get('sip line1 mode')?.value, '1');
  });
  test('values may contain colons (times, URLs)', () => {
    const eff = effectiveValues(parseCfg('upgrade uri: http://10.0.0.2:8667/Aastra\nauto resync time: 00:00\n').doc);
    assert.equal(eff.get('upgrade uri')?.value, 'http://10.0.0.2:8667/Aastra');
    assert.equal(eff.get('auto resync time')?.value, '00:00');
  });
  test('a # inside an unquoted word is part of the value', () => {
    assert.equal(getParam(parseCfg('sip line1 vmail: *98#\n').doc, 'sip line1 vmail')?.value, '*98#');
  });
  test('files read in order merge with the last file winning', () => {
    const merged = mergeEffectiveValues([
      { file: 'startup.cfg', doc: parseCfg('a: 1\nb: 1\n').doc },
      { file: '6867i.cfg', doc: parseCfg('b: 2\n').doc },
      { file: 'X.cfg', doc: parseCfg('A: 3\n').doc },
    ]);
    assert.deepEqual([merged.get('a')?.value, merged.get('a')?.file], ['3', 'X.cfg']);
    assert.deepEqual([merged.get('b')?.value, merged.get('b')?.file], ['2', '6867i.cfg']);
  });
});

describe('parse errors', () => {
  test('carry line numbers and a fix, and keep the line verbatim', () => {
    const text = 'ok: 1\nno colon here\n: novalue\nlabel: "open\nlabel: "a" b\nname"x: 1\n';
    const { doc, errors } = parseCfg(text);
    assert.deepEqual(
      errors.map((e) => e.line),
      [2, 3, 4, 5, 6],
    );
    for (const e of errors) assert.ok(e.fix.length > 10, e.fix);
    assert.match(errors[0]!.message, /no ':'/);
    assert.match(errors[2]!.message, /does not close/);
    assert.equal(serializeCfg(doc), text);
  });
  test('control characters inside a line are errors', () => {
    for (const ch of ['\u0000', '\u0001', '\u001b', '\r', '\u007f', '\u0085', '\u2028', '\u2029']) {
      const { errors } = parseCfg(`a: 1${ch}b: 2\n`);
      assert.equal(errors.length, 1, JSON.stringify(ch));
      assert.match(errors[0]!.message, /control character U\+/);
    }
  });
  test('a file larger than the cap is refused without being read', () => {
    const { doc, errors } = parseCfg('a'.repeat(8 * 1024 * 1024 + 1));
    assert.equal(doc.lines.length, 0);
    assert.equal(errors[0]!.line, 0);
  });
});

describe('setters and injection', () => {
  test('setParam changes the winning line in place and keeps its spelling', () => {
    const { doc } = parseCfg('# head\nSIP Proxy IP: 1.1.1.1\nx: 1\nsip proxy ip: 2.2.2.2 # second\n');
    setParam(doc, 'sip proxy ip', '10.0.0.1');
    assert.equal(serializeCfg(doc), '# head\nSIP Proxy IP: 1.1.1.1\nx: 1\nsip proxy ip: 10.0.0.1 # second\n');
    setParam(doc, 'new one', 'v', { lock: true });
    assert.ok(serializeCfg(doc).endsWith('\n!new one: v\n'));
    setParam(doc, 'x', '2', { override: true });
    assert.match(serializeCfg(doc), /\n\^x: 2\n/);
  });
  test('appending to a file without a final newline terminates its last line first', () => {
    const { doc } = parseCfg('a: 1');
    appendParam(doc, 'b', '2');
    assert.equal(serializeCfg(doc), 'a: 1\nb: 2\n');
  });
  test('values that need quotes are quoted and read back unchanged', () => {
    const doc = createCfgDocument();
    for (const v of [' lead', 'trail ', '#start', 'a #b', '"', 'x"y', 'Voice Mail']) {
      if (v === '"') {
        assert.throws(() => appendParam(doc, 'q', v), CfgValueError);
        continue;
      }
      appendParam(doc, 'k', v);
      assert.equal(getParam(parseCfg(serializeCfg(doc)).doc, 'k')?.value, v);
    }
    appendParam(doc, 'softkey1 label', 'Voice Mail', { quoted: true });
    assert.ok(serializeCfg(doc).endsWith('softkey1 label: "Voice Mail"\n'));
    assert.throws(() => appendParam(doc, 'softkey1 label', 'say "hi"', { quoted: true }), /double quote/);
  });
  test('line breaks and control characters in values, names and comments are refused', () => {
    const doc = createCfgDocument();
    const evil = [
      '1\nadmin password: 0000',
      '1\radmin password: 0',
      'a\0b',
      'tab\there',
      'esc\u001b[2J',
      'del\u007f',
      'nel\u0085x',
      'ls\u2028x',
      'ps\u2029x',
    ];
    for (const v of evil) {
      assert.throws(
        () => appendParam(doc, 'sip line1 display name', v),
        (e: unknown) => e instanceof CfgValueError && /control character/.test(e.message),
        JSON.stringify(v),
      );
      assert.throws(() => appendParam(doc, `name${v}`, '1'), CfgValueError);
      assert.throws(() => appendComment(doc, v), CfgValueError);
    }
    assert.throws(() => setParam(parseCfg('a: 1\n').doc, 'a', 'x\ny: 2'), CfgValueError);
    for (const bad of ['', ' a', 'a:b', '!a', '^a', 'a#b'])
      assert.throws(() => appendParam(doc, bad, '1'), CfgValueError, bad);
    assert.equal(doc.lines.length, 0);
  });
  test('serialise refuses a document tampered with directly', () => {
    const { doc } = parseCfg('a: 1\n');
    (doc.lines[0] as CfgParamLine).value = '1\nadmin password: 0';
    assert.throws(() => serializeCfg(doc), /Line 1 contains the control character U\+000A/);
    (doc.lines[0] as CfgParamLine).value = ' x';
    assert.throws(() => serializeCfg(doc), /must be quoted/);
  });
  test('removeParam removes every spelling', () => {
    const { doc } = parseCfg('A: 1\nb: 2\na: 3\n');
    assert.equal(removeParam(doc, 'a'), 2);
    assert.equal(serializeCfg(doc), 'b: 2\n');
  });
});

describe('properties', () => {
  const nameArb = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(?: [a-z0-9]{1,8}){0,3}$/);
  const valueArb = fc.string({ unit: fc.constantFrom(...'ab 1:#^!x+|*"\'./-ü€'.split('')), maxLength: 20 });
  const safeValue = valueArb.filter(
    (v) => !(v.includes('"') && (v !== v.trim() || v.startsWith('"') || /(^|\s)#/.test(v))),
  );

  test('parse(serialise(doc)) gives back every name, value, lock and override', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: nameArb,
            value: safeValue,
            lock: fc.boolean(),
            override: fc.boolean(),
            quoted: fc.boolean(),
          }),
          { maxLength: 30 },
        ),
        fc.boolean(),
        (entries, crlf) => {
          const doc = createCfgDocument(crlf ? '\r\n' : '\n');
          const kept = entries.filter((e) => !(e.quoted && e.value.includes('"')));
          for (const e of kept)
            appendParam(doc, e.name, e.value, { lock: e.lock, override: e.override, quoted: e.quoted });
          const text = serializeCfg(doc);
          const back = parseCfg(text);
          assert.deepEqual(back.errors, []);
          const got = back.doc.lines.map((l) =>
            l.kind === 'param' ? [l.name, l.value, isLocked(l), isOverride(l)] : null,
          );
          assert.deepEqual(
            got,
            kept.map((e) => [e.name, e.value, e.lock, e.override]),
          );
          assert.equal(serializeCfg(back.doc), text);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the parser never throws, and text without control characters round-trips byte for byte', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({
          unit: fc.constantFrom('a', ':', ' ', '\t', '#', '"', '!', '^', '\n', '\r\n', '\r', '\u0000', 'x'),
          maxLength: 80,
        }),
        (s1, s2) => {
          for (const s of [s1, s2, s1 + s2]) {
            const { doc } = parseCfg(s);
            if (!/[\u0000-\u0008\u000B-\u001F\u007F\u0085\u2028\u2029]|\r(?!\n)/.test(s))
              assert.equal(serializeCfg(doc), s);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a 1 MB line parses in bounded time', () => {
    const cases = [
      `name: ${'a '.repeat(500_000)}`,
      `${'x'.repeat(1_000_000)}`,
      `k: "${'#'.repeat(1_000_000)}`,
      `${' !^'.repeat(333_333)}a: 1`,
      `k: ${' #'.repeat(500_000)}`,
    ];
    for (const line of cases) {
      const { doc } = withinCpuBudget(500, `a ${line.length}-character line`, () => parseCfg(line));
      assert.equal(doc.lines.length, 1);
    }
  });
});
