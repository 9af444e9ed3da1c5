// Hides credentials by their shape, whatever their value: passwords in URLs and query strings,
// Authorization headers, and secret parameters of configuration lines quoted in a message. Values the
// credential store knows are hidden by the Redactor; this catches the ones it cannot know (a password
// typed into a target URL, a phone's old password in a file read back from a server).
import { REDACTED, redactCfgText } from '../config/redact';
import { isSecretParameter } from '../config/parameter-rules';

// scheme://user:password@host  (sftp, http, https, ftp, ...): keep the user, hide the password.
// Lengths are bounded so that a hostile line (e.g. a megabyte of "a.") cannot make the match quadratic.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s/:@]{0,256}):([^\s/@]{0,256})@/gi;

// password=..., pass=..., pwd=... in a query string, a form body or a key=value message.
const QUERY_PASSWORD = /\b((?:password|passwd|pass|pwd|passphrase|secret)=)([^&\s"'<>]*)/gi;

// Authorization / Proxy-Authorization headers: Basic carries user:password in base64, Digest a hash of it.
const AUTH_HEADER = /\b((?:proxy-)?authorization\s*:\s*(?:basic|bearer|digest)\s+)([^\r\n]*)/gi;

// A line that starts like a cfg parameter (`[!^]name: value`) with one word or a quoted value (prose such
// as "Admin password: numeric, not 22222" is left readable); redactCfgText decides whether it is secret.
const CFG_LINE =
  /^[ \t]{0,64}[!^]?[ \t]{0,8}([a-z0-9][a-z0-9 _.-]{0,80}?)[ \t]{0,16}:[ \t]{0,64}("[^"]*"|\S+)[ \t]*(?:#.*)?$/i;
const MAX_CFG_LINE = 4096; // longer lines are not configuration lines

export function redactPatterns(text: string): string {
  return text
    .replace(URL_USERINFO, (_m, head: string) => `${head}:${REDACTED}@`)
    .replace(QUERY_PASSWORD, (_m, head: string) => `${head}${REDACTED}`)
    .replace(AUTH_HEADER, (_m, head: string) => `${head}${REDACTED}`)
    .split('\n')
    .map(redactCfgLine)
    .join('\n');
}

function redactCfgLine(line: string): string {
  const m = line.length > MAX_CFG_LINE ? null : CFG_LINE.exec(line);
  if (!m || !isSecretParameter(m[1]!)) return line;
  const cr = line.endsWith('\r') ? '\r' : '';
  return redactCfgText(cr ? line.slice(0, -1) : line).text + cr;
}
