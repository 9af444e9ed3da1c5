// Just enough of the ZIP format (PKWARE APPNOTE 4.3) to find `<model>.st` inside a Mitel firmware
// package and extract it: the end-of-central-directory record, the central directory, one local header,
// and stored or deflated data (Node's zlib). Bounded everywhere: a hostile zip is an error, never a hang.
import { crc32, inflateRawSync } from 'node:zlib';
import { FieldkitError } from '../util/errors';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
const MAX_COMMENT = 0xffff;
const MAX_ENTRIES = 10_000;
/** Firmware images are tens of MB; refuse to inflate anything beyond this. */
export const MAX_ZIP_ENTRY_BYTES = 256 * 1024 * 1024;

function bad(what: string, zipName: string): FieldkitError {
  return new FieldkitError(
    'invalid-input',
    `${zipName} is not a readable ZIP package (${what}). Download the package again from Mitel's partner portal.`,
  );
}

export function listZipEntries(zip: Buffer, zipName = 'The file'): ZipEntry[] {
  const from = Math.max(0, zip.length - 22 - MAX_COMMENT);
  let eocd = -1;
  for (let i = zip.length - 22; i >= from; i--) {
    if (zip.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('no end-of-central-directory record', zipName);
  const count = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw bad('ZIP64 packages are not supported', zipName);
  if (count > MAX_ENTRIES) throw bad(`${count} entries`, zipName);
  if (cdOffset + cdSize > eocd) throw bad('central directory outside the file', zipName);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || zip.readUInt32LE(p) !== CEN_SIG)
      throw bad(`central directory entry ${n + 1} is damaged`, zipName);
    const flags = zip.readUInt16LE(p + 8);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    if (p + 46 + nameLen > eocd) throw bad(`central directory entry ${n + 1} is cut short`, zipName);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1');
    entries.push({
      name,
      method: zip.readUInt16LE(p + 10),
      crc32: zip.readUInt32LE(p + 16),
      compressedSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      localHeaderOffset: zip.readUInt32LE(p + 42),
    });
    if (flags & 0x1) entries[entries.length - 1]!.method = -1; // encrypted
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

export function extractZipEntry(zip: Buffer, entry: ZipEntry, zipName = 'The file'): Buffer {
  if (entry.method === -1) throw bad(`${entry.name} is encrypted`, zipName);
  if (entry.size > MAX_ZIP_ENTRY_BYTES) throw bad(`${entry.name} would be ${entry.size} bytes`, zipName);
  const h = entry.localHeaderOffset;
  if (h + 30 > zip.length || zip.readUInt32LE(h) !== LOC_SIG)
    throw bad(`local header of ${entry.name} is damaged`, zipName);
  const start = h + 30 + zip.readUInt16LE(h + 26) + zip.readUInt16LE(h + 28);
  const end = start + entry.compressedSize;
  if (end > zip.length) throw bad(`${entry.name} runs past the end of the file`, zipName);
  const raw = zip.subarray(start, end);
  let data: Buffer;
  if (entry.method === 0) data = Buffer.from(raw);
  else if (entry.method === 8) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
    } catch (e) {
      throw bad(`${entry.name} does not decompress: ${(e as Error).message}`, zipName);
    }
  } else
    throw bad(`${entry.name} uses compression method ${entry.method}; only stored and deflate are supported`, zipName);
  if (data.length !== entry.size)
    throw bad(`${entry.name} is ${data.length} bytes, the directory says ${entry.size}`, zipName);
  if (crc32(data) !== entry.crc32) throw bad(`${entry.name} fails its CRC check`, zipName);
  return data;
}
