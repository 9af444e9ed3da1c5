import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { redactCfgText, REDACTED } from '../../../electron/core/config/redact';
import { diffText, formatUnifiedDiff } from '../../../electron/core/config/text-diff';
import { withinCpuBudget } from '../../helpers/cpu-budget';
import type { TextDiff } from '../../../electron/core/config/text-diff';

describe('redactCfgText', () => {
  test('hides every secret value and keeps everything else byte for byte', () => {
    const text = [
      '!admin password: 4711',
      'User Password: 1234 # old 9999',
      'sip line1 password: "pass #word"',
      'http digest username: prov',
      'http digest password: aastra',
      'ftp password: ftp-secret',
      '# sip line2 password: oldsecret',
      '# set the admin password in Credentials',
      'sip line1 password 7788',
      'sip line1 auth name: 2108189795',
      'sip line2 password:',
      '',
    ].join('\r\n');
    const { text: out, redacted } = redactCfgText(text);
    for (const secret of ['4711', '1234', '9999', 'pass #word', 'aastra', 'ftp-secret', 'oldsecret', '7788'])
      assert.ok(!out.includes(secret), secret);
    assert.deepEqual(out.split('\r\n'), [
      `!admin password: ${REDACTED}`,
      `User Password: ${REDACTED}`,
      `sip line1 password: ${REDACTED}`,
      'http digest username: prov',
      `http digest password: ${REDACTED}`,
      `ftp password: ${REDACTED}`,
      `# sip line2 password: ${REDACTED}`,
      '# set the admin password in Credentials',
      REDACTED,
      'sip line1 auth name: 2108189795',
      'sip line2 password:',
      '',
    ]);
    assert.deepEqual(
      redacted.map((r) => r.line),
      [1, 2, 3, 5, 6, 7, 9],
    );
  });
  test('control characters in unreadable lines are escaped, so logs cannot be forged', () => {
    const { text } = redactCfgText('a: 1\u001b[2J\nb: 2\rc: 3\n');
    assert.equal(text, 'a: 1\\u001b[2J\nb: 2\\u000dc: 3\n');
  });
  test('a file without secrets is unchanged', () => {
    const text = readFileSync(join(import.meta.dirname, 'fixtures', 'wazo-aastra.cfg'), 'utf8');
    assert.equal(redactCfgText(text).text, text);
  });
});

/** Rebuilds the new text from the old one and the hunks: proves the hunks are right and complete. */
function applyHunks(oldText: string, diff: TextDiff): string[] {
  const old = oldText === '' ? [] : oldText.replace(/\r?\n$/, '').split(/\r?\n/);
  const out: string[] = [];
  let at = 0; // next old line index
  for (const h of diff.hunks) {
    const start = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    while (at < start) out.push(old[at++]!);
    for (const l of h.lines) {
      if (l.kind === 'add') out.push(l.text);
      else {
        assert.equal(old[at], l.text, 'context/remove lines match the old text');
        if (l.kind === 'context') out.push(l.text);
        at++;
      }
    }
  }
  while (at < old.length) out.push(old[at++]!);
  return out;
}
const linesOf = (t: string) => (t === '' ? [] : t.replace(/\r?\n$/, '').split(/\r?\n/));

describe('diffText', () => {
  test('a changed value gives one hunk with context', () => {
    const a = 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\n';
    const b = a.replace('e: 5', 'e: 50');
    const d = diffText(a, b);
    assert.equal(d.identical, false);
    assert.deepEqual([d.added, d.removed, d.hunks.length], [1, 1, 1]);
    assert.equal(
      formatUnifiedDiff(d, 'on-target/startup.cfg', 'generated/startup.cfg'),
      [
        '--- on-target/startup.cfg',
        '+++ generated/startup.cfg',
        '@@ -2,7 +2,7 @@',
        ' b: 2',
        ' c: 3',
        ' d: 4',
        '-e: 5',
        '+e: 50',
        ' f: 6',
        ' g: 7',
        ' h: 8',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      d.hunks[0]!.lines.find((l) => l.kind === 'add'),
      { kind: 'add', text: 'e: 50', newLine: 5 },
    );
  });
  test('far-apart changes give separate hunks; near ones merge', () => {
    const a = Array.from({ length: 30 }, (_, i) => `p${i}: ${i}`).join('\n');
    assert.equal(diffText(a, a.replace('p2: 2', 'p2: x').replace('p25: 25', 'p25: x')).hunks.length, 2);
    assert.equal(diffText(a, a.replace('p2: 2', 'p2: x').replace('p8: 8', 'p8: x')).hunks.length, 1);
  });
  test('identical texts, new file, deleted file', () => {
    assert.deepEqual(diffText('a\n', 'a\n'), {
      identical: true,
      hunks: [],
      added: 0,
      removed: 0,
      notes: [],
      approximate: false,
    });
    const created = diffText('', 'a\nb\n');
    assert.deepEqual(
      created.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]),
      [[0, 0, 1, 2]],
    );
    const deleted = diffText('a\nb\n', '');
    assert.deepEqual(
      deleted.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]),
      [[1, 2, 0, 0]],
    );
  });
  test('line-ending and final-newline differences are reported as notes, not as changed lines', () => {
    const d = diffText('a: 1\r\nb: 2\r\n', 'a: 1\nb: 2');
    assert.equal(d.identical, false);
    assert.deepEqual(d.hunks, []);
    assert.deepEqual(d.notes, ['Line endings differ: old CRLF, new LF.', 'The new text has no newline at the end.']);
  });
  test('beyond the edit bound the middle is replaced as a block, still correct', () => {
    const a = Array.from({ length: 400 }, (_, i) => `x${i}`).join('\n');
    const b = Array.from({ length: 400 }, (_, i) => `y${i}`).join('\n');
    const d = diffText(`head\n${a}\ntail\n`, `head\n${b}\ntail\n`, { maxEdits: 100 });
    assert.equal(d.approximate, true);
    assert.deepEqual(applyHunks(`head\n${a}\ntail\n`, d), linesOf(`head\n${b}\ntail\n`));
  });
  test('2,000-line files with scattered edits diff quickly', () => {
    const a = Array.from({ length: 2000 }, (_, i) => `param ${i}: ${i}`);
    const b = a.map((l, i) => (i % 50 === 0 ? `${l}0` : l));
    const d = withinCpuBudget(1000, 'diff of 2,000 lines', () => diffText(a.join('\n'), b.join('\n')));
    assert.equal(d.approximate, false);
    assert.deepEqual([d.added, d.removed], [40, 40]);
  });
  test('property: hunks turn the old text into the new one, and the edit is minimal-ish', () => {
    const lineArb = fc.constantFrom('a: 1', 'b: 2', 'c: 3', '', '# x', 'd: 4');
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 40 }),
        fc.array(lineArb, { maxLength: 40 }),
        fc.integer({ min: 0, max: 4 }),
        (a, b, context) => {
          const oldText = a.length ? `${a.join('\n')}\n` : '';
          const newText = b.length ? `${b.join('\n')}\n` : '';
          const d = diffText(oldText, newText, { context });
          assert.deepEqual(applyHunks(oldText, d), linesOf(newText));
          assert.equal(d.hunks.length === 0, oldText === newText);
          assert.ok(d.added + d.removed <= a.length + b.length);
          for (const h of d.hunks) {
            assert.equal(h.lines.filter((l) => l.kind !== 'add').length, h.oldLines);
            assert.equal(h.lines.filter((l) => l.kind !== 'remove').length, h.newLines);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
