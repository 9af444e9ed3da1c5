// The technician's sheet: which phone (by MAC) gets which directory number, name and location.
// Read from the CSV a customer or planner hands over; every row is checked and reported on its own.
import { z } from 'zod';
import { parseMac, normaliseModel, isSupportedModel } from '../phone';
import { FieldkitError } from '../util/errors';
import { assertNotMisreadUtf16 } from './sheet-encoding';
import { parseCsv, unguardCell, type CsvSeparator } from './csv';

export const SheetRowSchema = z.object({
  mac: z.string(),
  directoryNumber: z.string().max(32),
  displayName: z.string().max(200),
  location: z.string().max(200),
  model: z.string().max(64),
  importedAt: z.string(),
  sourceFile: z.string().max(300).nullable(),
});
export type SheetRow = z.infer<typeof SheetRowSchema>;

export const SheetFileSchema = z.object({
  format: z.literal('fieldkit-sheet'),
  formatVersion: z.literal(1),
  updatedAt: z.string(),
  rows: z.array(SheetRowSchema),
});
export type SheetFile = z.infer<typeof SheetFileSchema>;

export type SheetField = 'mac' | 'directoryNumber' | 'displayName' | 'location' | 'model';

export const SHEET_FIELD_LABELS: Record<SheetField, string> = {
  mac: 'MAC',
  directoryNumber: 'Directory number',
  displayName: 'Display name',
  location: 'Location',
  model: 'Model',
};

/** Header spellings accepted per field, compared after lower-casing and dropping everything but letters and digits. */
const HEADER_ALIASES: Record<SheetField, readonly string[]> = {
  mac: ['mac', 'macaddress', 'macaddr', 'hardwareaddress', 'hwaddress', 'ethernetaddress'],
  directoryNumber: [
    'dn',
    'directorynumber',
    'extension',
    'ext',
    'number',
    'phonenumber',
    'telephonenumber',
    'callnumber',
  ],
  displayName: ['name', 'displayname', 'fullname', 'user'],
  location: ['location', 'room', 'place', 'office'],
  model: ['model', 'type', 'phonemodel', 'phonetype', 'devicetype'],
};

export const SHEET_LIMITS = { maxChars: 5 * 1024 * 1024, maxRows: 20_000 } as const;
const TEXT_MAX = 200;
const DN_MAX = 32;

export interface RowIssue {
  row: number;
  message: string;
}

export interface ParsedSheet {
  separator: CsvSeparator;
  /** Which header each field was read from. */
  columns: Partial<Record<SheetField, string>>;
  /** Valid rows; the fields of `present` are the ones the file has a column for. */
  rows: { row: number; values: Omit<SheetRow, 'importedAt' | 'sourceFile'> }[];
  present: SheetField[];
  errors: RowIssue[];
  warnings: RowIssue[];
  /** Data rows read (blank rows not counted). */
  dataRows: number;
}

const shown = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
const headerKey = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

function mapHeader(header: readonly string[], row: number, warnings: RowIssue[]): Map<SheetField, number> {
  const map = new Map<SheetField, number>();
  const unused: string[] = [];
  header.forEach((raw, index) => {
    const key = headerKey(raw);
    if (!key) return;
    const field = (Object.keys(HEADER_ALIASES) as SheetField[]).find((f) => HEADER_ALIASES[f].includes(key));
    if (!field) {
      unused.push(shown(raw.trim()));
    } else if (map.has(field)) {
      warnings.push({
        row,
        message: `Column "${raw.trim().slice(0, 60)}" is a second ${SHEET_FIELD_LABELS[field]} column; the first one is used.`,
      });
    } else {
      map.set(field, index);
    }
  });
  if (unused.length > 0) {
    warnings.push({
      row,
      message: `Column${unused.length > 1 ? 's' : ''} ${unused.slice(0, 12).join(', ')}${unused.length > 12 ? ', …' : ''} not used (Fieldkit reads MAC, directory number, display name, location and model).`,
    });
  }
  return map;
}

/** Trims, folds control characters to spaces and undoes Fieldkit's own formula guard. */
function cleanCell(raw: string | undefined): string {
  return unguardCell((raw ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim());
}

export function parseSheetCsv(text: string): ParsedSheet {
  assertNotMisreadUtf16(text);
  if (text.length > SHEET_LIMITS.maxChars) {
    throw new FieldkitError(
      'invalid-input',
      `The file is too large (${(text.length / 1024 / 1024).toFixed(1)} MB); Fieldkit reads sheets up to 5 MB. Split it or remove unused columns.`,
    );
  }
  const csv = parseCsv(text, { maxRecords: SHEET_LIMITS.maxRows + 1 });
  const warnings: RowIssue[] = [];
  const errors: RowIssue[] = [];
  const nonBlank = csv.records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const headerRecord = nonBlank[0];
  if (!headerRecord)
    throw new FieldkitError(
      'invalid-input',
      'The file is empty. It needs a header row (MAC, Directory number, Display name, Location, Model) and one row per phone.',
    );
  const columns = mapHeader(headerRecord.fields, headerRecord.row, warnings);
  const macColumn = columns.get('mac');
  if (macColumn === undefined) {
    const found = headerRecord.fields
      .map((f) => shown(f.trim()))
      .slice(0, 10)
      .join(', ');
    const looksLikeData = headerRecord.fields.some((f) => parseMac(f) !== null);
    throw new FieldkitError(
      'invalid-input',
      `No MAC column found in the header row (row ${headerRecord.row}: ${found}). ` +
        (looksLikeData
          ? 'The first row looks like data: add a header row above it, e.g. "MAC;DN;Name;Location;Model". '
          : '') +
        'Name the column "MAC", "MAC address" or "Hardware address"; other columns may be "DN"/"Extension", "Name", "Location"/"Room" and "Model"/"Type".',
    );
  }
  if (csv.truncated) {
    errors.push({
      row: SHEET_LIMITS.maxRows + 2,
      message: `The file has more than ${SHEET_LIMITS.maxRows.toLocaleString('en')} rows; rows after that were not read. Split the file.`,
    });
  }
  const cell = (fields: string[], field: SheetField): string => {
    const index = columns.get(field);
    return index === undefined ? '' : cleanCell(fields[index]);
  };
  const rows: ParsedSheet['rows'] = [];
  const firstRowOfMac = new Map<string, number>();
  let dataRows = 0;
  for (const record of nonBlank.slice(1)) {
    dataRows++;
    const { row, fields } = record;
    const at = `Row ${row}`;
    if (record.error) {
      errors.push({ row, message: `${at}: ${record.error}.` });
      continue;
    }
    const rawMac = cell(fields, 'mac');
    const mac = parseMac(rawMac);
    if (!rawMac) {
      errors.push({
        row,
        message: `${at}: the MAC is empty; every phone in the sheet needs its MAC (on the label under the phone).`,
      });
      continue;
    }
    if (!mac) {
      errors.push({
        row,
        message: `${at}: ${shown(rawMac)} is not a MAC address. Write 12 hex digits, e.g. 00:08:5D:1A:2B:3C, 00-08-5d-1a-2b-3c or 00085D1A2B3C.`,
      });
      continue;
    }
    const earlier = firstRowOfMac.get(mac);
    if (earlier !== undefined) {
      errors.push({ row, message: `${at}: MAC ${mac} is already on row ${earlier}; keep one row per phone.` });
      continue;
    }
    const directoryNumber = cell(fields, 'directoryNumber');
    const displayName = cell(fields, 'displayName');
    const location = cell(fields, 'location');
    const rawModel = cell(fields, 'model');
    const tooLong = (
      [
        ['directory number', directoryNumber, DN_MAX],
        ['display name', displayName, TEXT_MAX],
        ['location', location, TEXT_MAX],
      ] as const
    ).find(([, value, max]) => value.length > max);
    if (tooLong) {
      errors.push({ row, message: `${at}: the ${tooLong[0]} is longer than ${tooLong[2]} characters; shorten it.` });
      continue;
    }
    if (directoryNumber && !/^\d+$/.test(directoryNumber)) {
      warnings.push({
        row,
        message: `${at}: directory number ${shown(directoryNumber)} is not only digits. OpenScape Voice digest authentication needs the numeric phone number as user name (DTP-73963); fix it before provisioning.`,
      });
    }
    let model = '';
    if (rawModel) {
      const normal = normaliseModel(rawModel);
      if (normal === null) {
        model = rawModel.slice(0, 64);
        warnings.push({
          row,
          message: `${at}: model ${shown(rawModel)} is not a phone model Fieldkit recognises (e.g. 6867i, 6865i); kept as written.`,
        });
      } else {
        model = normal;
        if (!isSupportedModel(normal))
          warnings.push({
            row,
            message: `${at}: model ${normal} is not a 6867i or 6865i, the models Fieldkit provisions.`,
          });
      }
    }
    firstRowOfMac.set(mac, row);
    rows.push({ row, values: { mac, directoryNumber, displayName, location, model } });
  }
  const present = [...columns.keys()];
  const columnNames: ParsedSheet['columns'] = {};
  for (const [field, index] of columns) columnNames[field] = headerRecord.fields[index]!.trim();
  return { separator: csv.separator, columns: columnNames, rows, present, errors, warnings, dataRows };
}
