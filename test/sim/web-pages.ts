// HTML as an embedded phone web server writes it: upper-case outer tags, plain lower-case <td> label/value
// cells (the form NeDi's regexes expect, phone-facts §3), no escaping niceties beyond what is needed.

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

function page(title: string, inner: string): string {
  return `<HTML>\n<HEAD>\n<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">\n<TITLE>${title}</TITLE>\n<LINK REL="stylesheet" HREF="/stylesheet.css" TYPE="text/css">\n</HEAD>\n<BODY BGCOLOR="#FFFFFF">\n${inner}\n</BODY>\n</HTML>\n`;
}

export interface SysinfoData {
  rows: Array<[string, string]>;
  lines: Array<{ line: number; user: string; status: string }>;
}

export function sysinfoPage(data: SysinfoData): string {
  const rows = data.rows
    .map(([label, value]) => `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  const lines = data.lines
    .map((l) => `<tr><td>${l.line}</td><td>${escapeHtml(l.user)}</td><td>${escapeHtml(l.status)}</td></tr>`)
    .join('\n');
  return page(
    'System Information',
    `<FORM NAME="sysinfo" METHOD="POST" ACTION="/sysinfo.html">\n<TABLE CLASS="settings" WIDTH="100%" BORDER=0 CELLSPACING=0 CELLPADDING=3>\n<TR><TH COLSPAN=2 CLASS="header">System Information</TH></TR>\n${rows}\n</TABLE>\n<BR>\n<TABLE CLASS="settings" BORDER=0>\n<TR><TH>Line</TH><TH>SIP Account</TH><TH>Status</TH></TR>\n${lines}\n</TABLE>\n</FORM>`,
  );
}

export function unauthorizedPage(): string {
  return page('401 Unauthorized', '<H1>401 Unauthorized</H1>\nAuthorization required to access this page.');
}

export function notFoundPage(path: string): string {
  return page(
    '404 Not Found',
    `<H1>404 Not Found</H1>\nThe requested URL ${escapeHtml(path)} was not found on this server.`,
  );
}

export function visitSysinfoFirstPage(): string {
  return page(
    'Information',
    '<P>The phone was reset to factory defaults.<BR>Please visit the <A HREF="/sysinfo.html">System Information</A> page before changing settings.</P>',
  );
}

export function sessionExpiredPage(): string {
  return page(
    'Session Expired',
    '<H2>Session Expired</H2>\n<P>Your session has expired. Please <A HREF="/sysinfo.html">log in</A> again.</P>',
  );
}

export function resetFormPage(message?: string): string {
  return page(
    'Reset',
    `${message ? `<P CLASS="message">${escapeHtml(message)}</P>\n` : ''}<FORM NAME="reset" METHOD="POST" ACTION="/reset.html">\n<TABLE CLASS="settings">\n<TR><TD>Phone</TD><TD><SELECT NAME="resetOption"><OPTION VALUE="0">Restart</OPTION><OPTION VALUE="1">Restore to Factory Defaults</OPTION><OPTION VALUE="2">Remove Local Configuration Settings</OPTION></SELECT></TD><TD><INPUT TYPE="submit" VALUE="Reset"></TD></TR>\n</TABLE>\n</FORM>`,
  );
}

export function configurationServerPage(fields: Array<[string, string, string]>, message?: string): string {
  const rows = fields
    .map(
      ([label, name, value]) =>
        `<TR><TD>${escapeHtml(label)}</TD><TD><INPUT TYPE="text" NAME="${name}" VALUE="${escapeHtml(value)}"></TD></TR>`,
    )
    .join('\n');
  return page(
    'Configuration Server Settings',
    `${message ? `<P CLASS="message">${escapeHtml(message)}</P>\n` : ''}<FORM NAME="configurationServer" METHOD="POST" ACTION="/configurationServer.html">\n<TABLE CLASS="settings">\n${rows}\n</TABLE>\n<INPUT TYPE="submit" VALUE="Save Settings">\n</FORM>`,
  );
}

export function homePage(model: string): string {
  return page(`${model}`, `<P>${escapeHtml(model)} IP Phone</P>\n<A HREF="/sysinfo.html">Status</A>`);
}

export function simplePage(title: string, text: string): string {
  return page(title, `<P>${escapeHtml(text)}</P>`);
}
