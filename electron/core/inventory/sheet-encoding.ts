// Spreadsheet exports come in several encodings: UTF-8 (with or without a BOM), Windows-1252, and UTF-16
// ("Unicode text" in Excel, little-endian with a BOM). Bytes are decoded by what they are; text that is
// UTF-16 read as 8-bit (every other character NUL) is refused by name instead of failing later with
// "0 0 0 8 5 D… is not a MAC address".
import { FieldkitError } from '../util/errors';

/** Decodes a sheet file: UTF-16 by its BOM (or its NUL pattern), else UTF-8, else Windows-1252. */
export function decodeSheetBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const head = bytes.subarray(0, 400);
  const zeroOdd = head.filter((b, i) => i % 2 === 1 && b === 0).length;
  const zeroEven = head.filter((b, i) => i % 2 === 0 && b === 0).length;
  if (head.length >= 8 && zeroOdd > head.length / 4) return new TextDecoder('utf-16le').decode(bytes);
  if (head.length >= 8 && zeroEven > head.length / 4) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Refuses UTF-16 text that was read as if it were 8-bit (NUL between the characters). */
export function assertNotMisreadUtf16(text: string): void {
  const head = text.slice(0, 400);
  const nul = head.split('\u0000').length - 1;
  if (head.length >= 8 && nul > head.length / 4)
    throw new FieldkitError(
      'invalid-input',
      'The file is UTF-16 text ("Unicode text" in Excel) read as if it were UTF-8, so every character comes with a zero byte. Save it as "CSV UTF-8 (comma delimited)" and import that, or import it with the command line, which reads UTF-16.',
    );
}
