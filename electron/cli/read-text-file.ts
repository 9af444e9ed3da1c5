// Reads a file the user named on the command line (a sheet, a settings file) and names its problems in plain
// words. Fieldkit itself is reached only through the contract.
import { readFile, stat } from 'node:fs/promises';

class FileProblem extends Error {}

/** A file error in plain words: what the file is for, its path, and what is wrong. */
export function fileProblem(e: NodeJS.ErrnoException, what: string, path: string): FileProblem {
  if (e.code === 'ENOENT') return new FileProblem(`${what} ${path}: the file or its folder was not found.`);
  if (e.code === 'EACCES' || e.code === 'EPERM')
    return new FileProblem(`${what} ${path} cannot be read or written (no permission).`);
  if (e.code === 'EISDIR') return new FileProblem(`${what} ${path} is a folder, not a file.`);
  return new FileProblem(`${what} ${path} cannot be used: ${e.message}`);
}

/** The file's bytes, refused with a clear message when missing, unreadable or larger than `maxBytes`. */
export async function readInputFile(path: string, what: string, maxBytes: number): Promise<Buffer> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw fileProblem(e, what, path);
  });
  if (info.isDirectory()) throw new FileProblem(`${what} ${path} is a folder, not a file.`);
  if (info.size > maxBytes)
    throw new FileProblem(
      `${what} ${path} is ${(info.size / 1024 / 1024).toFixed(1)} MB; Fieldkit reads at most ${(maxBytes / 1024 / 1024).toFixed(0)} MB.`,
    );
  return readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw fileProblem(e, what, path);
  });
}

/**
 * UTF-16 by its byte-order mark (spreadsheets' "Unicode text"), else UTF-8, or Windows-1252 when the bytes are
 * not valid UTF-8 (spreadsheets saved on Windows). UTF-16 without a mark is refused by name by the sheet reader.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
