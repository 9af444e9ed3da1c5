// CSV as technicians' spreadsheets write it: comma, semicolon or tab separated (detected, or named by an
// Excel `sep=` line), quoted fields with embedded separators, quotes and line breaks, BOM, CRLF.
// Parsing never throws and stays linear-ish on hostile input: fields are capped, an unclosed quote only
// costs its own line, and the number of records is capped.

export type CsvSeparator = ',' | ';' | '\t';

export interface CsvRecord {
  /** Spreadsheet row number: the first record is row 1. */
  row: number;
  /** Physical line the record starts on (differs from row when quoted fields hold line breaks). */
  line: number;
  fields: string[];
  /** Set when the record could not be read as written; fields then hold what could be read. */
  error?: string;
}

export interface CsvParseResult {
  separator: CsvSeparator;
  records: CsvRecord[];
  /** True when records beyond maxRecords were not read. */
  truncated: boolean;
}

export interface CsvParseOptions {
  maxRecords?: number;
  maxFieldChars?: number;
  maxFields?: number;
}

export const CSV_LIMITS = { maxRecords: 20_001, maxFieldChars: 4_096, maxFields: 200 } as const;

const QUOTE = 34;
const CR = 13;
const LF = 10;
const SEPARATORS: readonly CsvSeparator[] = [',', ';', '\t'];

/** Picks the separator that occurs most often, outside quotes, in the first line (the header). Ties go to comma. */
export function detectSeparator(text: string): CsvSeparator {
  const counts = new Map<CsvSeparator, number>(SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  const end = Math.min(text.length, 64 * 1024);
  for (let i = 0; i < end; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch as CsvSeparator))
      counts.set(ch as CsvSeparator, counts.get(ch as CsvSeparator)! + 1);
  }
  let best: CsvSeparator = ',';
  for (const s of SEPARATORS) if (counts.get(s)! > counts.get(best)!) best = s;
  return best;
}

function lineEnd(text: string, from: number): { end: number; next: number } {
  let i = from;
  while (i < text.length && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
  const next = i < text.length && text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  return { end: i, next };
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) n++;
  }
  return n;
}

interface RecordRead {
  fields: string[];
  next: number;
  error?: string;
}

type QuoteFailure = 'unclosed' | 'too-long';

/** Reads one record starting at `pos`, or says why a quoted field could not be read. */
function readRecord(
  text: string,
  pos: number,
  sep: number,
  maxField: number,
  maxFields: number,
): RecordRead | QuoteFailure {
  const fields: string[] = [];
  let error: string | undefined;
  let i = pos;
  for (;;) {
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      let out = '';
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const c = text.charCodeAt(j);
        if (c === QUOTE) {
          if (text.charCodeAt(j + 1) === QUOTE) {
            out += '"';
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        out += text[j];
        j++;
        if (out.length > maxField) return 'too-long';
      }
      if (!closed) return 'unclosed';
      // Text after the closing quote up to the separator is kept, as spreadsheets do (`"a"b` reads `ab`).
      const tailStart = j;
      while (j < text.length && text.charCodeAt(j) !== sep && text.charCodeAt(j) !== LF && text.charCodeAt(j) !== CR)
        j++;
      if (j > tailStart) {
        out += text.slice(tailStart, Math.min(j, tailStart + maxField));
        error ??= `a quoted field has text after its closing quote (line reads ${JSON.stringify(text.slice(i, Math.min(j, i + 60)))})`;
      }
      value = out;
      i = j;
    } else {
      let j = i;
      while (j < text.length && text.charCodeAt(j) !== sep && text.charCodeAt(j) !== LF && text.charCodeAt(j) !== CR)
        j++;
      if (j - i > maxField) error ??= `a field is longer than ${maxField} characters`;
      value = text.slice(i, Math.min(j, i + maxField));
      i = j;
    }
    if (fields.length < maxFields) fields.push(value);
    else error ??= `the row has more than ${maxFields} fields`;
    if (i >= text.length) return { fields, next: text.length, ...(error ? { error } : {}) };
    const c = text.charCodeAt(i);
    if (c === sep) {
      i++;
      continue;
    }
    const next = c === CR && text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    return { fields, next, ...(error ? { error } : {}) };
  }
}

export function parseCsv(input: string, options: CsvParseOptions = {}): CsvParseResult {
  const maxRecords = options.maxRecords ?? CSV_LIMITS.maxRecords;
  const maxField = options.maxFieldChars ?? CSV_LIMITS.maxFieldChars;
  const maxFields = options.maxFields ?? CSV_LIMITS.maxFields;
  let text = typeof input === 'string' ? input : '';
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let pos = 0;
  let line = 1;
  let separator: CsvSeparator;
  const sepLine = /^sep=(.)[ \t]*(?:\r\n|\r|\n|$)/i.exec(text.slice(0, 16));
  if (sepLine && SEPARATORS.includes(sepLine[1] as CsvSeparator)) {
    separator = sepLine[1] as CsvSeparator;
    pos = sepLine[0].length;
    line = 2;
  } else {
    separator = detectSeparator(text);
  }
  const sep = separator.charCodeAt(0);
  const records: CsvRecord[] = [];
  let truncated = false;
  while (pos < text.length) {
    if (records.length >= maxRecords) {
      truncated = true;
      break;
    }
    const row = records.length + 1;
    const read = readRecord(text, pos, sep, maxField, maxFields);
    if (typeof read === 'string') {
      // An unclosed (or endless) quoted field: give up on this line only and carry on with the next one.
      const { end, next } = lineEnd(text, pos);
      const raw = text.slice(pos, Math.min(end, pos + maxField));
      const error =
        read === 'unclosed'
          ? 'a quote (") opens a field that never closes; remove the quote or close it'
          : `a quoted field is longer than ${maxField} characters (or its closing quote is missing)`;
      records.push({ row, line, fields: raw.split(separator).slice(0, maxFields), error });
      pos = next;
      line++;
      continue;
    }
    records.push({ row, line, fields: read.fields, ...(read.error ? { error: read.error } : {}) });
    line += 1 + countLines(text, pos, Math.max(pos, read.next - 1));
    pos = read.next;
  }
  return { separator, records, truncated };
}

// Cells that spreadsheets would run as formulas (CSV injection): `=`, `+`, `-`, `@`, tab and CR at the start.
// Apostrophes in front of a formula character are guarded too, so that unguardCell is exact.
const GUARDED = /^'*[=+\-@\t\r]/;

/** Makes a cell safe to open in a spreadsheet: a leading formula character gets a `'` in front. */
export function guardCell(value: string): string {
  return GUARDED.test(value) ? `'${value}` : value;
}

/** Reverses guardCell for a cell read back from a Fieldkit export. */
export function unguardCell(value: string): string {
  return value.startsWith("'") && GUARDED.test(value.slice(1)) ? value.slice(1) : value;
}

function quoteCell(value: string, separator: CsvSeparator): string {
  const needsQuotes = value.includes(separator) || /["\r\n]/.test(value) || value !== value.trim();
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes rows as CSV with CRLF line ends (what spreadsheets expect), every cell formula-guarded. */
export function toCsv(rows: readonly (readonly string[])[], separator: CsvSeparator = ','): string {
  return (
    rows.map((cells) => cells.map((c) => quoteCell(guardCell(c), separator)).join(separator)).join('\r\n') + '\r\n'
  );
}
