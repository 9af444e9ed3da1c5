// Line-based unified diff (Myers, O((N+M)·D) with D bounded) for the preview: generated file vs. the
// file on the target vs. the last published one.

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
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);

  const ops: Op[] = [];
  for (let i = 0; i < prefix; i++) ops.push({ kind: 'equal', a: i, b: i });
  let middle = myers(midA, midB, maxEdits);
  const approximate = middle === null;
  if (middle === null) {
    middle = [
      ...midA.map((_, i): Op => ({ kind: 'delete', a: i, b: 0 })),
      ...midB.map((_, j): Op => ({ kind: 'insert', a: midA.length, b: j })),
    ];
  }
  for (const op of middle) ops.push({ kind: op.kind, a: op.a + prefix, b: op.b + prefix });
  for (let i = 0; i < suffix; i++) ops.push({ kind: 'equal', a: a.length - suffix + i, b: b.length - suffix + i });
  return { ops, approximate };
}

/** Shortest edit script, or null when it needs more than `maxD` edits. */
function myers(a: string[], b: string[], maxD: number): Op[] | null {
  const n = a.length;
  const m = b.length;
  if (n === 0 && m === 0) return [];
  const max = Math.min(n + m, maxD);
  if (max < Math.max(n, m) - Math.min(n, m)) return null;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) found = d;
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  if (found < 0) return null;

  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d - 1]!;
    const at = (k: number) => prev[k + d - 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: 'equal', a: x, b: y });
    }
    if (prevK === k + 1) {
      y--;
      ops.push({ kind: 'insert', a: x, b: y });
    } else {
      x--;
      ops.push({ kind: 'delete', a: x, b: y });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    ops.push({ kind: 'equal', a: x, b: y });
  }
  return ops.reverse();
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
