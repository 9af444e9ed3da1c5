// Reads the current values of an HTML form page (the phone's configurationServer.html) the way a
// browser would submit them. Linear tag scan; bounded.

const MAX_TAG_CHARS = 4096;
const MAX_FIELDS = 500;

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(tag)) !== null) {
    const raw = m[2] ?? '';
    const value = raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw;
    const name = m[1]!.toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decode(value));
  }
  return attrs;
}

function decode(text: string): string {
  return text
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&#(\d{1,7});/g, (_, d: string) => (Number(d) <= 0x10ffff ? String.fromCodePoint(Number(d)) : ''))
    .replace(/&amp;/gi, '&');
}

/**
 * name → value of every successful control: text/hidden/password inputs, checked boxes, selected options, textareas.
 */
export function parseFormValues(html: string): Record<string, string> {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  let count = 0;
  const set = (name: string, value: string, overwrite: boolean): void => {
    if (!name || count >= MAX_FIELDS) return;
    if (!(name in values)) count++;
    else if (!overwrite) return;
    values[name] = value;
  };
  let select: { name: string; chosen: boolean; first: string | null } | null = null;
  let option: { value: string | null; selected: boolean; text: string } | null = null;
  let textarea: { name: string; text: string } | null = null;
  const closeOption = (): void => {
    if (select && option) {
      const value = option.value ?? option.text.trim();
      if (select.first === null) select.first = value;
      if (option.selected && !select.chosen) {
        set(select.name, value, true);
        select.chosen = true;
      }
    }
    option = null;
  };

  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const text = html.slice(i, lt === -1 ? html.length : lt);
    if (option && option.text.length < 256) option.text += decode(text);
    if (textarea && textarea.text.length < 4096) textarea.text += text;
    if (lt === -1) break;
    const gt = html.indexOf('>', lt + 1);
    if (gt === -1) break;
    const tag = html.slice(lt + 1, Math.min(gt, lt + 1 + MAX_TAG_CHARS));
    i = gt + 1;
    const nameMatch = /^\s*(\/?)([a-zA-Z]+)/.exec(tag);
    if (!nameMatch) continue;
    const closing = nameMatch[1] === '/';
    const tagName = nameMatch[2]!.toLowerCase();
    const attrs = closing ? new Map<string, string>() : attributes(tag.slice(nameMatch[0].length));
    if (tagName === 'input' && !closing) {
      const type = (attrs.get('type') ?? 'text').toLowerCase();
      const name = attrs.get('name') ?? '';
      if (type === 'checkbox' || type === 'radio') {
        if (attrs.has('checked')) set(name, attrs.get('value') || 'on', type === 'radio');
      } else if (!['submit', 'button', 'reset', 'image', 'file'].includes(type)) {
        set(name, attrs.get('value') ?? '', false);
      }
    } else if (tagName === 'select') {
      closeOption();
      if (select && !select.chosen && select.first !== null) set(select.name, select.first, false);
      select = closing ? null : { name: attrs.get('name') ?? '', chosen: false, first: null };
    } else if (tagName === 'option') {
      closeOption();
      if (!closing && select)
        option = { value: attrs.has('value') ? attrs.get('value')! : null, selected: attrs.has('selected'), text: '' };
    } else if (tagName === 'textarea') {
      if (closing && textarea) {
        set(textarea.name, decode(textarea.text), false);
        textarea = null;
      } else if (!closing) textarea = { name: attrs.get('name') ?? '', text: '' };
    }
  }
  closeOption();
  if (select && !select.chosen && select.first !== null) set(select.name, select.first, false);
  return values;
}
