// The Mitel/Aastra .cfg format (phone-facts §1 "Syntax"): one `name: value` per line, `#` comments,
// double-quoted values, `!` lock and `^` override prefixes, case-insensitive names, last value wins.
// The document keeps every line with its exact spacing and line ending, so parse → serialise is
// byte-identical; only lines changed through the setters are re-rendered.

import { FieldkitError } from '../util/errors';

export type Eol = '\n' | '\r\n' | '';

interface LineBase {
  /** Line ending as read (`''` only on a last line without a newline). */
  eol: Eol;
}
export interface CfgBlankLine extends LineBase {
  kind: 'blank';
  raw: string;
}
export interface CfgCommentLine extends LineBase {
  kind: 'comment';
  raw: string;
}
/** A line the parser could not read; kept verbatim so that nothing is lost. */
export interface CfgInvalidLine extends LineBase {
  kind: 'invalid';
  raw: string;
  error: string;
  fix: string;
}
export interface CfgParamLine extends LineBase {
  kind: 'param';
  /** Whitespace before the prefix. */
  indent: string;
  /** The `!` / `^` characters and any whitespace around them, exactly as written. */
  prefix: string;
  /** Parameter name in its original spelling (no surrounding whitespace). */
  name: string;
  /** From the end of the name to the start of the value: `': '`, `' :\t'` … */
  separator: string;
  /** The value without its quotes. */
  value: string;
  quoted: boolean;
  /** After the value: trailing whitespace and a ` # comment`, if any. */
  trailing: string;
}
export type CfgLine = CfgBlankLine | CfgCommentLine | CfgInvalidLine | CfgParamLine;

export interface CfgDocument {
  lines: CfgLine[];
  /** Line ending used for lines added through the setters (the file's first line ending). */
  eol: '\n' | '\r\n';
  /** The file started with a UTF-8 byte order mark. */
  bom: boolean;
}

export interface CfgParseError {
  line: number;
  message: string;
  fix: string;
}

export interface CfgParseResult {
  doc: CfgDocument;
  errors: CfgParseError[];
}

export class CfgValueError extends FieldkitError {
  constructor(
    message: string,
    readonly fix: string,
    details?: Record<string, unknown>,
  ) {
    super('invalid-input', `${message} ${fix}`, details);
    this.name = 'CfgValueError';
  }
}

/** Config files are small (a big site's global file is a few KiB); anything far larger is not one. */
export const MAX_CFG_CHARS = 8 * 1024 * 1024;

// Characters that end a line for the phone or for some other reader of the file (NEL, LS, PS),
// and every other control character except tab: all of them could smuggle a second parameter
// into a value, so none may appear in a line.
const FORBIDDEN_IN_LINE = /[\u0000-\u0008\u000A-\u001F\u007F\u0085\u2028\u2029]/;
const FORBIDDEN_IN_VALUE = /[\u0000-\u001F\u007F\u0085\u2028\u2029]/;

export function createCfgDocument(eol: '\n' | '\r\n' = '\n'): CfgDocument {
  return { lines: [], eol, bom: false };
}

/** Lower-case, whitespace collapsed: the phone compares names case-insensitively (IG6800 p.A-6). */
export function normaliseParamName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function isLocked(line: CfgParamLine): boolean {
  return line.prefix.includes('!');
}

export function isOverride(line: CfgParamLine): boolean {
  return line.prefix.includes('^');
}

function describeChar(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Never throws; lines it cannot read become `invalid` lines listed in `errors`. */
export function parseCfg(text: string): CfgParseResult {
  const doc = createCfgDocument();
  const errors: CfgParseError[] = [];
  if (typeof text !== 'string') {
    errors.push({ line: 0, message: 'The configuration is not text.', fix: 'Pass the file contents as a string.' });
    return { doc, errors };
  }
  if (text.length > MAX_CFG_CHARS) {
    errors.push({
      line: 0,
      message: `The file has ${text.length} characters, more than the ${MAX_CFG_CHARS} a Mitel configuration file can sensibly have.`,
      fix: 'Check that this is the right file; Fieldkit does not read it.',
    });
    return { doc, errors };
  }
  let body = text;
  if (body.startsWith('\uFEFF')) {
    doc.bom = true;
    body = body.slice(1);
  }
  let start = 0;
  let lineNumber = 0;
  let eolChosen = false;
  while (start < body.length) {
    lineNumber++;
    const nl = body.indexOf('\n', start);
    let content: string;
    let eol: Eol;
    if (nl < 0) {
      content = body.slice(start);
      eol = '';
      start = body.length;
    } else if (nl > start && body.charCodeAt(nl - 1) === 13) {
      content = body.slice(start, nl - 1);
      eol = '\r\n';
      start = nl + 1;
    } else {
      content = body.slice(start, nl);
      eol = '\n';
      start = nl + 1;
    }
    if (!eolChosen && eol !== '') {
      doc.eol = eol;
      eolChosen = true;
    }
    const line = parseLine(content, eol);
    if (line.kind === 'invalid') errors.push({ line: lineNumber, message: line.error, fix: line.fix });
    doc.lines.push(line);
  }
  return { doc, errors };
}

function invalid(raw: string, eol: Eol, error: string, fix: string): CfgInvalidLine {
  return { kind: 'invalid', raw, eol, error, fix };
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

function parseLine(raw: string, eol: Eol): CfgLine {
  const bad = FORBIDDEN_IN_LINE.exec(raw);
  if (bad) {
    return invalid(
      raw,
      eol,
      `The line contains the control character ${describeChar(bad[0])}.`,
      'Remove it: control characters and line breaks are not allowed inside a line.',
    );
  }
  let i = 0;
  while (i < raw.length && isSpace(raw.charCodeAt(i))) i++;
  if (i === raw.length) return { kind: 'blank', raw, eol };
  if (raw[i] === '#') return { kind: 'comment', raw, eol };
  const indent = raw.slice(0, i);

  let p = i;
  while (p < raw.length && (raw[p] === '!' || raw[p] === '^' || isSpace(raw.charCodeAt(p)))) p++;
  const prefix = raw.slice(i, p);

  const colon = raw.indexOf(':', p);
  if (colon < 0) {
    return invalid(
      raw,
      eol,
      `"${clip(raw.trim())}" has no ':' between a name and a value.`,
      "Write it as 'name: value', or start the line with '#' to make it a comment.",
    );
  }
  let nameEnd = colon;
  while (nameEnd > p && isSpace(raw.charCodeAt(nameEnd - 1))) nameEnd--;
  const name = raw.slice(p, nameEnd);
  if (name === '') {
    return invalid(raw, eol, "There is no parameter name before ':'.", "Write it as 'name: value'.");
  }
  if (name.includes('#') || name.includes('"')) {
    return invalid(
      raw,
      eol,
      `The parameter name "${clip(name)}" contains '#' or '"'.`,
      "Parameter names are words and digits; if this is a comment, start the line with '#'.",
    );
  }

  let v = colon + 1;
  while (v < raw.length && isSpace(raw.charCodeAt(v))) v++;
  const separator = raw.slice(nameEnd, v);

  if (raw[v] === '"') {
    const close = raw.indexOf('"', v + 1);
    if (close < 0) {
      return invalid(
        raw,
        eol,
        `The value of "${clip(name)}" opens a double quote but does not close it.`,
        'Add the closing " at the end of the value.',
      );
    }
    const trailing = raw.slice(close + 1);
    if (!isTrailingComment(trailing)) {
      return invalid(
        raw,
        eol,
        `The value of "${clip(name)}" has text after its closing quote.`,
        'Put the whole value inside the quotes, or start the extra text with " #" to make it a comment.',
      );
    }
    return {
      kind: 'param',
      eol,
      indent,
      prefix,
      name,
      separator,
      value: raw.slice(v + 1, close),
      quoted: true,
      trailing,
    };
  }

  const commentAt = findTrailingComment(raw, v);
  let valueEnd = commentAt;
  while (valueEnd > v && isSpace(raw.charCodeAt(valueEnd - 1))) valueEnd--;
  return {
    kind: 'param',
    eol,
    indent,
    prefix,
    name,
    separator,
    value: raw.slice(v, valueEnd),
    quoted: false,
    trailing: raw.slice(valueEnd),
  };
}

/** `#` starts a comment at the start of a value or after whitespace (PROV writes `1 #enabled`). */
function findTrailingComment(raw: string, from: number): number {
  for (let k = from; k < raw.length; k++) {
    if (raw[k] === '#' && (k === from || isSpace(raw.charCodeAt(k - 1)))) return k;
  }
  return raw.length;
}

function isTrailingComment(text: string): boolean {
  let k = 0;
  while (k < text.length && isSpace(text.charCodeAt(k))) k++;
  return k === text.length || text[k] === '#';
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** True when the value can only be written inside double quotes. */
function needsQuotes(value: string): boolean {
  if (value === '') return false;
  if (value !== value.trim()) return true;
  if (value.startsWith('"')) return true;
  return findTrailingComment(value, 0) < value.length;
}

/** Refuses names that would not read back as the same single parameter. */
export function assertSafeName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new CfgValueError(
      'A parameter name is empty.',
      'Give the parameter its Mitel name, e.g. "sip line1 auth name".',
    );
  }
  const bad = FORBIDDEN_IN_VALUE.exec(name);
  if (bad) {
    throw new CfgValueError(
      `The parameter name "${clip(name)}" contains the control character ${describeChar(bad[0])}.`,
      'Remove line breaks and control characters from the name.',
      { name },
    );
  }
  if (/[:#"]/.test(name) || /^[\s!^]/.test(name) || name !== name.trim()) {
    throw new CfgValueError(
      `The parameter name "${clip(name)}" contains ':', '#', '"', a leading '!'/'^' or surrounding spaces.`,
      'Use the plain Mitel name; set locking and override with the options, not in the name.',
      { name },
    );
  }
}

/** Refuses values that could inject a line or could not be read back unchanged (config injection). */
export function assertSafeValue(name: string, value: string, quoted = false): void {
  if (typeof value !== 'string') {
    throw new CfgValueError(`The value of "${clip(name)}" is not text.`, 'Pass the value as a string.', { name });
  }
  const bad = FORBIDDEN_IN_VALUE.exec(value);
  if (bad) {
    throw new CfgValueError(
      `The value of "${clip(name)}" contains the control character ${describeChar(bad[0])} (line breaks and control characters could inject other parameters).`,
      'Remove line breaks, tabs and control characters from the value.',
      { name },
    );
  }
  if (value.includes('"') && (quoted || needsQuotes(value))) {
    throw new CfgValueError(
      `The value of "${clip(name)}" contains a double quote and also needs quoting, which the format cannot express.`,
      'Remove the double quote from the value.',
      { name },
    );
  }
}

function renderValue(line: CfgParamLine): string {
  if (line.quoted) {
    if (line.value.includes('"')) {
      throw new CfgValueError(
        `The quoted value of "${clip(line.name)}" contains a double quote.`,
        'Remove the double quote from the value.',
        { name: line.name },
      );
    }
    return `"${line.value}"`;
  }
  if (needsQuotes(line.value)) {
    throw new CfgValueError(
      `The value of "${clip(line.name)}" must be quoted to read back unchanged.`,
      'Set it through setParam, which quotes when needed.',
      { name: line.name },
    );
  }
  return line.value;
}

export function renderLine(line: CfgLine): string {
  switch (line.kind) {
    case 'blank':
    case 'comment':
    case 'invalid':
      return line.raw;
    case 'param':
      return `${line.indent}${line.prefix}${line.name}${line.separator}${renderValue(line)}${line.trailing}`;
  }
}

/**
 * The file's text. Throws CfgValueError naming the line when any line carries a control character
 * or a line break, so that a tampered document can never be published.
 */
export function serializeCfg(doc: CfgDocument): string {
  const parts: string[] = doc.bom ? ['\uFEFF'] : [];
  doc.lines.forEach((line, index) => {
    const text = renderLine(line);
    const bad = FORBIDDEN_IN_LINE.exec(text);
    if (bad) {
      throw new CfgValueError(
        `Line ${index + 1} contains the control character ${describeChar(bad[0])}.`,
        'Remove line breaks and control characters from names, values and comments.',
        { line: index + 1 },
      );
    }
    const isLast = index === doc.lines.length - 1;
    if (line.eol === '' && !isLast) {
      throw new CfgValueError(
        `Line ${index + 1} has no line ending but is not the last line.`,
        'Give every line but the last a line ending.',
        { line: index + 1 },
      );
    }
    parts.push(text, line.eol);
  });
  return parts.join('');
}

export interface SetParamOptions {
  lock?: boolean;
  override?: boolean;
  /** Write the value in double quotes (labels, dial plans). Values that need quotes are quoted anyway. */
  quoted?: boolean;
}

function canonicalPrefix(lock: boolean, override: boolean): string {
  return `${lock ? '!' : ''}${override ? '^' : ''}`;
}

function terminateLastLine(doc: CfgDocument): void {
  const last = doc.lines.at(-1);
  if (last && last.eol === '') last.eol = doc.eol;
}

/** Appends `name: value` even when the name is already set (the later line wins). */
export function appendParam(
  doc: CfgDocument,
  name: string,
  value: string,
  options: SetParamOptions = {},
): CfgParamLine {
  assertSafeName(name);
  assertSafeValue(name, value, options.quoted);
  terminateLastLine(doc);
  const line: CfgParamLine = {
    kind: 'param',
    eol: doc.eol,
    indent: '',
    prefix: canonicalPrefix(options.lock ?? false, options.override ?? false),
    name,
    separator: ': ',
    value,
    quoted: (options.quoted ?? false) || needsQuotes(value),
    trailing: '',
  };
  doc.lines.push(line);
  return line;
}

/** Changes the line that is in effect for `name` (keeping its spelling and position) or appends one. */
export function setParam(doc: CfgDocument, name: string, value: string, options: SetParamOptions = {}): CfgParamLine {
  const existing = findEffectiveLine(doc, name);
  if (!existing) return appendParam(doc, name, value, options);
  const quoted = (options.quoted ?? existing.quoted) || needsQuotes(value);
  assertSafeValue(name, value, quoted);
  existing.value = value;
  existing.quoted = quoted;
  if (options.lock !== undefined || options.override !== undefined) {
    existing.prefix = canonicalPrefix(options.lock ?? isLocked(existing), options.override ?? isOverride(existing));
  }
  return existing;
}

/** Removes every line that sets `name`; returns how many were removed. */
export function removeParam(doc: CfgDocument, name: string): number {
  const key = normaliseParamName(name);
  const before = doc.lines.length;
  doc.lines = doc.lines.filter((l) => !(l.kind === 'param' && normaliseParamName(l.name) === key));
  return before - doc.lines.length;
}

export function appendComment(doc: CfgDocument, text: string): void {
  const bad = FORBIDDEN_IN_VALUE.exec(text);
  if (bad) {
    throw new CfgValueError(
      `A comment contains the control character ${describeChar(bad[0])}.`,
      'Write each comment line separately, without control characters.',
    );
  }
  terminateLastLine(doc);
  doc.lines.push({ kind: 'comment', raw: text === '' ? '#' : `# ${text}`, eol: doc.eol });
}

export function appendBlank(doc: CfgDocument): void {
  terminateLastLine(doc);
  doc.lines.push({ kind: 'blank', raw: '', eol: doc.eol });
}

function findEffectiveLine(doc: CfgDocument, name: string): CfgParamLine | undefined {
  const key = normaliseParamName(name);
  for (let k = doc.lines.length - 1; k >= 0; k--) {
    const line = doc.lines[k]!;
    if (line.kind === 'param' && normaliseParamName(line.name) === key) return line;
  }
  return undefined;
}

export interface EffectiveParam {
  /** Normalised name (lower case, single spaces). */
  key: string;
  /** Name as spelled on the winning line. */
  name: string;
  value: string;
  lock: boolean;
  override: boolean;
  /** 1-based line number of the winning line. */
  line: number;
}

/** The value the phone ends up with for each parameter in this one file: the last line wins. */
export function effectiveValues(doc: CfgDocument): Map<string, EffectiveParam> {
  const out = new Map<string, EffectiveParam>();
  doc.lines.forEach((line, index) => {
    if (line.kind !== 'param') return;
    const key = normaliseParamName(line.name);
    out.delete(key); // re-insert so that iteration order follows the winning lines
    out.set(key, {
      key,
      name: line.name,
      value: line.value,
      lock: isLocked(line),
      override: isOverride(line),
      line: index + 1,
    });
  });
  return out;
}

export function getParam(doc: CfgDocument, name: string): EffectiveParam | undefined {
  return effectiveValues(doc).get(normaliseParamName(name));
}

export interface MergedParam extends EffectiveParam {
  file: string;
}

/**
 * What one phone ends up with after reading several files in order
 * (`startup.cfg` → `<model>.cfg` → `<MAC>.cfg`, phone-facts §1): the last file that sets a name wins.
 */
export function mergeEffectiveValues(sources: readonly { file: string; doc: CfgDocument }[]): Map<string, MergedParam> {
  const out = new Map<string, MergedParam>();
  for (const { file, doc } of sources) {
    for (const [key, p] of effectiveValues(doc)) out.set(key, { ...p, file });
  }
  return out;
}

export function cloneCfgDocument(doc: CfgDocument): CfgDocument {
  return { eol: doc.eol, bom: doc.bom, lines: doc.lines.map((l) => ({ ...l })) };
}
