// The site's firmware library: firmware/library.json plus the imported files. Originals are copied in
// byte for byte and never modified; the `<model>.st` image a phone fetches is kept next to them
// (extracted from a Mitel zip package, or the imported `.st` itself). Every file carries size and sha256.
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { z } from 'zod';
import { sha256Hex } from '../util/hash';
import { formatFirmwareVersion, parseFirmwareVersion } from '../phone/firmware-version';
import { SUPPORTED_MODELS, isSupportedModel, normaliseModel } from '../phone/models';
import { FieldkitError, describeFsError } from '../util/errors';
import { writeFileAtomic } from '../workspace/atomic-file';
import { factsFromFileName } from './file-name';
import { extractZipEntry, listZipEntries } from './zip-reader';
import type { SiteWorkspace } from '../workspace/site-workspace';

export const LIBRARY_FILE = 'firmware/library.json';
export const MAX_FIRMWARE_FILE_BYTES = 512 * 1024 * 1024;

const Sha = z.string().regex(/^[0-9a-f]{64}$/);

export const LibraryEntrySchema = z.object({
  /** `<model>-<version>`: one image per model and version. */
  id: z.string(),
  model: z.enum(SUPPORTED_MODELS),
  version: z.string(),
  servicePack: z.string().nullable(),
  /** Where the version came from: the file name, or typed and confirmed by the technician. */
  versionSource: z.enum(['file-name', 'technician']),
  /** The `.st` image, relative to the site folder. */
  image: z.object({ path: z.string(), size: z.number().int(), sha256: Sha }),
  /** The file as imported (zip package or .st), relative to the site folder; never modified. */
  original: z.object({ path: z.string(), name: z.string(), size: z.number().int(), sha256: Sha }),
  /** The `.st` entry inside a zip package, if the original is one. */
  packageEntry: z.string().nullable(),
  importedAt: z.string(),
});
export type LibraryEntry = z.infer<typeof LibraryEntrySchema>;

const LibraryFileSchema = z.object({
  format: z.literal('fieldkit-firmware-library'),
  formatVersion: z.literal(1),
  entries: z.array(LibraryEntrySchema),
});

export interface ImportRequest {
  /** Path of the .st file or Mitel .zip package on this computer. */
  path: string;
  /** Model, when the file name does not say it (a bare `firmware.st`). */
  model?: string;
  /** Version typed by the technician; needed when the file name carries none. */
  version?: string;
  /** The technician confirms a typed version (a wrong version would make verification lie). */
  confirmVersion?: boolean;
}

export interface ImportResult {
  entries: LibraryEntry[];
  /** Entries that were already in the library with identical content. */
  alreadyPresent: string[];
}

const sha256 = sha256Hex;

export function libraryId(model: string, version: string): string {
  return `${model}-${version}`;
}

export async function readLibrary(site: SiteWorkspace): Promise<LibraryEntry[]> {
  return (await site.readJson(LIBRARY_FILE, LibraryFileSchema))?.entries ?? [];
}

export async function findLibraryEntry(
  site: SiteWorkspace,
  model: string,
  version: string,
): Promise<LibraryEntry | undefined> {
  return (await readLibrary(site)).find((e) => e.model === model && e.version === version);
}

/** The image's bytes, checked against the sha256 recorded at import (a changed file is refused). */
export async function readLibraryImage(site: SiteWorkspace, entry: LibraryEntry): Promise<Buffer> {
  const full = site.path(entry.image.path);
  let data: Buffer;
  try {
    data = await readFile(full);
  } catch (e) {
    throw describeFsError(e, `the firmware image ${entry.id}`, full);
  }
  if (sha256(data) !== entry.image.sha256) {
    throw new FieldkitError(
      'workspace-corrupt',
      `${full} changed since it was imported (sha256 differs). Import the firmware again from the original package.`,
    );
  }
  return data;
}

function resolveVersion(
  fromName: string | null,
  typed: string | undefined,
  confirmed: boolean,
  fileName: string,
): { version: string; source: LibraryEntry['versionSource'] } {
  const typedParsed = typed !== undefined && typed.trim() !== '' ? parseFirmwareVersion(typed) : null;
  if (typed !== undefined && typed.trim() !== '' && !typedParsed) {
    throw new FieldkitError(
      'invalid-input',
      `"${typed}" is not a firmware version. Write four numbers, e.g. 6.5.0.224.`,
    );
  }
  if (fromName) {
    if (typedParsed && formatFirmwareVersion(typedParsed) !== fromName) {
      throw new FieldkitError(
        'invalid-input',
        `The file name ${fileName} says version ${fromName}, but ${formatFirmwareVersion(typedParsed)} was typed. Check which is right; rename the file or leave the version empty.`,
      );
    }
    return { version: fromName, source: 'file-name' };
  }
  if (!typedParsed) {
    throw new FieldkitError(
      'invalid-input',
      `The file name ${fileName} carries no firmware version. Type the version from Mitel's release notes (four numbers, e.g. 6.5.0.224) and confirm it.`,
    );
  }
  if (!confirmed) {
    throw new FieldkitError(
      'invalid-input',
      `Confirm that ${fileName} is firmware ${formatFirmwareVersion(typedParsed)}: Fieldkit cannot read the version from the file, and verification after flashing compares against it.`,
    );
  }
  return { version: formatFirmwareVersion(typedParsed), source: 'technician' };
}

function resolveModel(fromName: string | null, typed: string | undefined, fileName: string): string {
  const typedModel = typed ? normaliseModel(typed) : null;
  if (fromName && typedModel && fromName !== typedModel) {
    throw new FieldkitError('invalid-input', `${fileName} is for the ${fromName}, not the ${typedModel}.`);
  }
  const model = fromName ?? typedModel;
  if (!model)
    throw new FieldkitError(
      'invalid-input',
      `The file name ${fileName} does not name a phone model. Say which model it is for (6867i or 6865i).`,
    );
  if (!isSupportedModel(model))
    throw new FieldkitError(
      'invalid-input',
      `${fileName} is firmware for the ${model}; Fieldkit handles the ${SUPPORTED_MODELS.join(' and ')} only.`,
    );
  return model;
}

interface Candidate {
  model: string;
  image: Buffer;
  packageEntry: string | null;
}

/** The `<model>.st` images inside a zip package (phone-facts §2: file name `<model>.st`). */
function imagesInZip(zip: Buffer, fileName: string, wantedModel: string | null): Candidate[] {
  const entries = listZipEntries(zip, fileName).filter((e) => /(^|\/)6\d{3}i?\.st$/i.test(e.name));
  const found = entries
    .map((e) => ({ entry: e, model: normaliseModel(basename(e.name, extname(e.name))) }))
    .filter(
      (c): c is { entry: (typeof entries)[number]; model: string } =>
        c.model !== null && (wantedModel === null || c.model === wantedModel),
    );
  if (found.length === 0) {
    throw new FieldkitError(
      'invalid-input',
      `${fileName} holds no ${wantedModel ?? '<model>'}.st firmware image. Check that it is a Mitel 6800 SIP firmware package.`,
    );
  }
  return found.map(({ entry, model }) => ({
    model,
    image: extractZipEntry(zip, entry, fileName),
    packageEntry: entry.name,
  }));
}

/** Copies a firmware file or package into the site and records it in the library. */
export async function importFirmware(
  site: SiteWorkspace,
  request: ImportRequest,
  now = new Date(),
): Promise<ImportResult> {
  const source = request.path.trim();
  const fileName = basename(source);
  const info = await stat(source).catch((e) => {
    throw describeFsError(e, 'the firmware file', source);
  });
  if (!info.isFile())
    throw new FieldkitError(
      'invalid-input',
      `${source} is not a file. Give the path of a .st file or a Mitel .zip package.`,
    );
  if (info.size > MAX_FIRMWARE_FILE_BYTES)
    throw new FieldkitError(
      'invalid-input',
      `${source} is ${info.size} bytes, larger than any phone firmware. Check the file.`,
    );
  const kind = extname(fileName).toLowerCase();
  if (kind !== '.st' && kind !== '.zip')
    throw new FieldkitError('invalid-input', `${fileName} is neither a .st firmware image nor a Mitel .zip package.`);
  const original = await readFile(source);
  const facts = factsFromFileName(fileName);
  const { version, source: versionSource } = resolveVersion(
    facts.version,
    request.version,
    request.confirmVersion === true,
    fileName,
  );
  const wantedModel =
    kind === '.st'
      ? resolveModel(facts.model, request.model, fileName)
      : (facts.model ?? (request.model ? normaliseModel(request.model) : null));
  const candidates: Candidate[] =
    kind === '.st'
      ? [{ model: wantedModel!, image: original, packageEntry: null }]
      : imagesInZip(original, fileName, wantedModel);

  const originalSha = sha256(original);
  const originalRel = `firmware/originals/${originalSha.slice(0, 12)}-${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const entries = await readLibrary(site);
  const result: ImportResult = { entries: [], alreadyPresent: [] };
  const added: LibraryEntry[] = [];
  for (const c of candidates) {
    if (!isSupportedModel(c.model)) continue;
    const id = libraryId(c.model, version);
    const imageSha = sha256(c.image);
    const existing = entries.find((e) => e.id === id);
    if (existing) {
      if (existing.image.sha256 !== imageSha) {
        throw new FieldkitError(
          'conflict',
          `The library already holds ${c.model} firmware ${version} with different content (sha256 ${existing.image.sha256.slice(0, 12)}…, this file ${imageSha.slice(0, 12)}…). One of them is mislabelled or damaged; remove the wrong one before importing.`,
        );
      }
      result.alreadyPresent.push(id);
      result.entries.push(existing);
      continue;
    }
    added.push({
      id,
      model: c.model as LibraryEntry['model'],
      version,
      servicePack: facts.servicePack,
      versionSource,
      image: { path: `firmware/images/${id}/${c.model}.st`, size: c.image.length, sha256: imageSha },
      original: { path: originalRel, name: fileName, size: original.length, sha256: originalSha },
      packageEntry: c.packageEntry,
      importedAt: now.toISOString(),
    });
  }
  if (added.length === 0 && result.entries.length === 0) {
    throw new FieldkitError('invalid-input', `${fileName} holds no firmware for the ${SUPPORTED_MODELS.join(' or ')}.`);
  }
  if (added.length > 0) {
    await mkdir(site.path('firmware/originals'), { recursive: true });
    await copyFile(source, site.path(originalRel));
    for (const entry of added) {
      const image = candidates.find((c) => c.model === entry.model)!.image;
      await mkdir(site.path(`firmware/images/${entry.id}`), { recursive: true });
      await writeFileAtomic(site.path(entry.image.path), image);
    }
    await site.writeJson(LIBRARY_FILE, LibraryFileSchema, {
      format: 'fieldkit-firmware-library',
      formatVersion: 1,
      entries: [...entries, ...added],
    });
    result.entries.push(...added);
  }
  return result;
}
