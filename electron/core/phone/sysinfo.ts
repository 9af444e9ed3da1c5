// Reads the phone's /sysinfo.html status page. The exact markup is not known for 6.x firmware
// (phone-facts §3 "sysinfo.html contents"), so this reads it loosely: tags are dropped, the page becomes
// a list of table cells, and a value is the cell that follows its label cell.

import { boundedText } from './bounded-text';
import { formatFirmwareVersion, parseFirmwareVersion } from './firmware-version';
import { parseMac } from './mac';
import { normaliseModel } from './models';
import type { TextInput } from './bounded-text';
import type { FirmwareVersion } from './firmware-version';
import type { CanonicalMac } from './mac';

export const MAX_SYSINFO_CHARS = 512 * 1024;
const MAX_CELLS = 100_000; // more than a 512 KiB page can hold
const MAX_CELL_CHARS = 1024;

export interface SysinfoInfo {
  firmwareVersion: string | null;
  firmware: FirmwareVersion | null;
  /** Platform cell as shown, e.g. `6867i Revision 0` (ELX comment shows `9112i Revision 0`). */
  platform: string | null;
  model: string | null;
  hardwareRevision: string | null;
  mac: CanonicalMac | null;
  releaseCode: string | null;
  /** User part of line 1's SIP URI, e.g. `1000` from `1000@10.0.0.1` (NeDi regex). */
  line1User: string | null;
  /** Every label/value pair seen, labels lowercased without trailing colon. */
  fields: Record<string, string>;
}

interface Cell {
  row: number;
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function normaliseCell(raw: string): string {
  return decodeEntities(raw.slice(0, MAX_CELL_CHARS * 4))
    .replace(/[\s\u0000-\u001f]+/g, ' ')
    .trim()
    .slice(0, MAX_CELL_CHARS);
}

/** Linear scan (indexOf only, no backtracking regex over the page). */
function cellsOf(html: string): Cell[] {
  const cells: Cell[] = [];
  let row = 0;
  let current = '';
  let inCell = false;
  const flush = (): void => {
    const text = normaliseCell(current);
    if (text !== '' && cells.length < MAX_CELLS) cells.push({ row, text });
    current = '';
  };
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const textEnd = lt === -1 ? html.length : lt;
    if (inCell && current.length < MAX_CELL_CHARS * 4)
      current += html.slice(i, Math.min(textEnd, i + MAX_CELL_CHARS * 4));
    if (lt === -1) break;
    const gt = html.indexOf('>', lt + 1);
    if (gt === -1) break;
    const tag = /^\s*(\/?)\s*([a-zA-Z]{1,10})/.exec(html.slice(lt + 1, Math.min(gt, lt + 24)));
    const name = tag?.[2]?.toLowerCase();
    if (name === 'td' || name === 'th') {
      if (inCell) flush();
      inCell = tag![1] !== '/';
    } else if (name === 'tr' || name === 'table') {
      if (inCell) flush();
      inCell = false;
      row++;
    } else if (inCell && (name === 'br' || name === 'p' || name === 'div')) {
      current += ' ';
    }
    i = gt + 1;
  }
  if (inCell) flush();
  return cells;
}

function labelKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s*:\s*$/, '')
    .trim();
}

// NeDi: `<td>Firmware Version</td><td>([0-9\.]+)</td>`, `<td>Platform</td>` (phone-facts §3).
// MAC and release-code labels are unconfirmed (phone-facts §3), so variants are accepted.
const LABELS = {
  firmware: /^(?:firmware|software)\s*version$/,
  platform: /^platform$/,
  mac: /^(?:mac|mac\s*address|mac\s*addr\.?|ethernet\s*mac(?:\s*address)?|hardware\s*address|mac-adresse)$/,
  releaseCode: /^(?:firmware\s*)?release\s*code$/,
};

export function parseSysinfo(input: TextInput): SysinfoInfo | null {
  const html = boundedText(input, MAX_SYSINFO_CHARS);
  if (html === null) return null;
  const cells = cellsOf(html);
  // No prototype: labels come from the network and may be `__proto__`.
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  let fieldCount = 0;
  const found: { [K in keyof typeof LABELS]?: string } = {};
  let line1User: string | null = null;

  for (let k = 0; k + 1 < cells.length; k++) {
    const label = cells[k]!;
    const value = cells[k + 1]!;
    const key = labelKey(label.text);
    if (key.length <= 64 && !(key in fields) && fieldCount < 500) {
      fields[key] = value.text;
      fieldCount++;
    }
    for (const name of Object.keys(LABELS) as (keyof typeof LABELS)[]) {
      if (found[name] === undefined && LABELS[name].test(key)) found[name] = value.text;
    }
    // NeDi: `<tr><td>1</td><td>([0-9]+)@`: first cell of a row is the line number.
    if (
      line1User === null &&
      label.text === '1' &&
      value.row === label.row &&
      (k === 0 || cells[k - 1]!.row !== label.row)
    ) {
      const user = /^(?:sips?:)?([^@\s]{1,64})@/.exec(value.text);
      if (user) line1User = user[1]!;
    }
  }

  const firmware = parseFirmwareVersion(found.firmware ?? null);
  const platform = found.platform ?? null;
  const revision = platform ? /^(.{1,40}?)\s+Revision\s+(\S{1,16})/i.exec(platform) : null;
  const model = normaliseModel(revision ? revision[1]! : platform);
  return {
    firmwareVersion: firmware ? formatFirmwareVersion(firmware) : (found.firmware ?? null),
    firmware,
    platform,
    model,
    hardwareRevision: revision ? revision[2]! : null,
    mac: found.mac ? parseMac(found.mac) : null,
    releaseCode: found.releaseCode ?? null,
    line1User,
    fields,
  };
}
