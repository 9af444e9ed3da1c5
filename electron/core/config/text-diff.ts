// Line-based unified diff for the preview: generated file vs. the file on the target vs. the last published
// one. The edit script comes from jsdiff (`diffArrays`, Myers with a bounded edit length); this module adds
// what the preview needs on top: hunks with context, line numbers, and notes for line endings and the final
// newline (which are not line content).
import { diffArrays } from 'diff';

export type DiffLineKind = 'context' | 'add' | 'remove';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
  /** 1-based line in the old text (context and remove lines). */
  oldLine?: number;
  /** 1-based line in the new text (context and add lines). */
  newLine?: number;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

export interface TextDiff {
  /** The two texts are byte-identical. */
  identical: boolean;
  hunks: DiffHunk[];
  added: number;
  removed: number;
  /** Differences that are not line content: line endings, final newline. */
  notes: string[];
  /**
   * The texts differ in more than `maxEdits` lines, so the differing middle is shown as removed and
   * re-added as a whole instead of line by line.
   */
  approximate: boolean;
}

export interface DiffOptions {
  /** Unchanged lines shown around each change; default 3. */
  context?: number;
  /** Bound on the edit distance searched; default 2000 (memory grows with its square). */
  maxEdits?: number;
}

type Op = { kind: 'equal' | 'delete' | 'insert'; a: number; b: number };

interface SplitText {
  lines: string[];
  crlf: number;
  lf: number;
  finalNewline: boolean;
}

function splitLines(text: string): SplitText {
  const out: SplitText = { lines: [], crlf: 0, lf: 0, finalNewline: text.endsWith('\n') };
  if (text === '') return out;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      out.lines.push(text.slice(start));
      break;
    }
    if (nl > start && text.charCodeAt(nl - 1) === 13) {
      out.lines.push(text.slice(start, nl - 1));
      out.crlf++;
    } else {
      out.lines.push(text.slice(start, nl));
      out.lf++;
    }
    start = nl + 1;
  }
  return out;
}

export function diffText(oldText: string, newText: string, options: DiffOptions = {}): TextDiff {
  const context = Math.max(0, options.context ?? 3);
  const maxEdits = Math.max(0, options.maxEdits ?? 2000);
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const { ops, approximate } = editScript(a.lines, b.lines, maxEdits);
  const hunks = buildHunks(ops, a.lines, b.lines, context);
  return {
    identical: oldText === newText,
    hunks,
    added: ops.filter((o) => o.kind === 'insert').length,
    removed: ops.filter((o) => o.kind === 'delete').length,
    notes: describeEndings(a, b),
    approximate,
  };
}

function describeEndings(a: SplitText, b: SplitText): string[] {
  const notes: string[] = [];
  const style = (s: SplitText) =>
    s.crlf > 0 && s.lf > 0 ? 'mixed CRLF/LF' : s.crlf > 0 ? 'CRLF' : s.lf > 0 ? 'LF' : null;
  const sa = style(a);
  const sb = style(b);
  if (sa && sb && sa !== sb) notes.push(`Line endings differ: old ${sa}, new ${sb}.`);
  if (a.lines.length > 0 && b.lines.length > 0 && a.finalNewline !== b.finalNewline) {
    notes.push(b.finalNewline ? 'The old text has no newline at the end.' : 'The new text has no newline at the end.');
  }
  return notes;
}

function editScript(a: string[], b: string[], maxEdits: number): { ops: Op[]; approximate: boolean } {
  const changes = diffArrays(a, b, { maxEditLength: maxEdits });
  if (changes === undefined) {
    // beyond the bound: the differing middle as one removed block and one added block
    let prefix = 0;
    while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
    let suffix = 0;
    while (
      suffix < a.length - prefix &&
      suffix < b.length - prefix &&
      a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
    )
      suffix++;
    const ops: Op[] = [];
    for (let i = 0; i < prefix; i++) ops.push({ kind: 'equal', a: i, b: i });
    for (let i = prefix; i < a.length - suffix; i++) ops.push({ kind: 'delete', a: i, b: prefix });
    for (let j = prefix; j < b.length - suffix; j++) ops.push({ kind: 'insert', a: a.length - suffix, b: j });
    for (let i = 0; i < suffix; i++) ops.push({ kind: 'equal', a: a.length - suffix + i, b: b.length - suffix + i });
    return { ops, approximate: true };
  }
  const ops: Op[] = [];
  let x = 0;
  let y = 0;
  for (const change of changes) {
    for (let n = 0; n < change.count; n++) {
      if (change.added) ops.push({ kind: 'insert', a: x, b: y++ });
      else if (change.removed) ops.push({ kind: 'delete', a: x++, b: y });
      else ops.push({ kind: 'equal', a: x++, b: y++ });
    }
  }
  return { ops, approximate: false };
}

function buildHunks(ops: Op[], a: string[], b: string[], context: number): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === 'equal') {
      i++;
      continue;
    }
    // a change at i: extend while the next change is within 2*context equal lines
    const start = Math.max(0, i - context);
    let end = i;
    let j = i;
    while (j < ops.length) {
      if (ops[j]!.kind !== 'equal') {
        end = j;
        j++;
        continue;
      }
      let run = 0;
      while (j + run < ops.length && ops[j + run]!.kind === 'equal') run++;
      if (j + run >= ops.length || run > 2 * context) break;
      j += run;
    }
    const stop = Math.min(ops.length, end + 1 + context);
    const lines: DiffLine[] = ops
      .slice(start, stop)
      .map((op) =>
        op.kind === 'equal'
          ? { kind: 'context', text: a[op.a]!, oldLine: op.a + 1, newLine: op.b + 1 }
          : op.kind === 'delete'
            ? { kind: 'remove', text: a[op.a]!, oldLine: op.a + 1 }
            : { kind: 'add', text: b[op.b]!, newLine: op.b + 1 },
      );
    const oldLines = lines.filter((l) => l.kind !== 'add').length;
    const newLines = lines.filter((l) => l.kind !== 'remove').length;
    const first = ops[start]!;
    hunks.push({
      oldStart: oldLines === 0 ? first.a : first.a + 1,
      oldLines,
      newStart: newLines === 0 ? first.b : first.b + 1,
      newLines,
      lines,
    });
    i = stop;
  }
  return hunks;
}

/** The diff as `diff -u` prints it. */
export function formatUnifiedDiff(diff: TextDiff, oldName: string, newName: string): string {
  if (diff.hunks.length === 0 && diff.notes.length === 0) return '';
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  for (const h of diff.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) out.push(`${l.kind === 'add' ? '+' : l.kind === 'remove' ? '-' : ' '}${l.text}`);
  }
  for (const note of diff.notes) out.push(`\\ ${note}`);
  return `${out.join('\n')}\n`;
}
