// Hides secret values in any configuration text (a file read from a server or a phone, a log line)
// while keeping the file's shape, so that diffs stay readable.

import { normaliseParamName, parseCfg, renderLine } from './cfg-format';
import { isSecretParameter } from './parameter-rules';

export const REDACTED = '********';

export interface RedactResult {
  text: string;
  /** 1-based lines whose value (or whole content) was hidden, with the parameter name when known. */
  redacted: { line: number; name: string | null }[];
}

// A line the parser cannot read may still carry a password (e.g. "sip line1 password 1234").
const SECRET_WORD = /password|passwd|passphrase|secret|private key/i;

export function redactCfgText(text: string): RedactResult {
  const { doc, errors } = parseCfg(text);
  if (errors.length === 1 && errors[0]!.line === 0) {
    return { text: SECRET_WORD.test(text) ? `${REDACTED} (unreadable file withheld)` : text, redacted: [] };
  }
  const redacted: RedactResult['redacted'] = [];
  const parts: string[] = doc.bom ? ['\uFEFF'] : [];
  doc.lines.forEach((line, index) => {
    let out: string;
    if (line.kind === 'param' && isSecretParameter(line.name) && line.value !== '') {
      out = renderLine({ ...line, value: REDACTED, quoted: false, trailing: '' }); // a trailing comment may hold an old value
      redacted.push({ line: index + 1, name: normaliseParamName(line.name) });
    } else if (line.kind === 'invalid' && SECRET_WORD.test(line.raw)) {
      out = REDACTED;
      redacted.push({ line: index + 1, name: null });
    } else if (line.kind === 'comment' && commentedSecret(line.raw) !== null) {
      out = `${commentedSecret(line.raw)} ${REDACTED}`;
      redacted.push({ line: index + 1, name: null });
    } else if (line.kind === 'invalid') {
      out = escapeControls(line.raw);
    } else {
      out = renderLine(line);
    }
    parts.push(out, line.eol);
  });
  return { text: parts.join(''), redacted };
}

/** `# admin password: 1234` (a disabled line still shows an old secret): the text up to the colon. */
function commentedSecret(raw: string): string | null {
  const m = SECRET_WORD.exec(raw);
  if (!m) return null;
  const colon = raw.indexOf(':', m.index);
  if (colon < 0 || raw.slice(colon + 1).trim() === '') return null;
  return raw.slice(0, colon + 1);
}

/** Control characters shown as \u escapes, so that a hostile file cannot forge lines in a log. */
function escapeControls(raw: string): string {
  return raw.replace(
    /[\u0000-\u0008\u000A-\u001F\u007F\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
