// A site is a folder a technician can zip, mail or put under version control.
// Layout: fieldkit-site.json (what the site is) plus one folder per concern (see SITE_FOLDERS).
import { mkdir, readdir, stat, copyFile } from 'node:fs/promises';
import { join, resolve, relative, isAbsolute, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { FieldkitError } from '../util/errors';
import { readTextIfExists, writeJsonAtomic } from './atomic-file';
import { assertOrdinaryFolder, makeSiteFolder } from './site-folders';

export const SITE_FILE = 'fieldkit-site.json';
// certificates/ (the CA bundle, the HTTPS server's certificate) is made when the first one is imported
export const SITE_FOLDERS = ['inventory', 'configs', 'firmware', 'journal', 'reports', 'checklist'] as const;
export type SiteFolder = (typeof SITE_FOLDERS)[number];

const text = (max: number) => z.string().trim().max(max);

const SiteFields = {
  name: text(120).min(1, 'Give the site a name, e.g. "Head office, 3rd floor".'),
  customer: text(200),
  technician: text(120),
  contactPerson: text(200),
  notes: text(5000),
};

export const SiteInputSchema = z.object({
  name: SiteFields.name,
  customer: SiteFields.customer.default(''),
  technician: SiteFields.technician.default(''),
  contactPerson: SiteFields.contactPerson.default(''),
  notes: SiteFields.notes.default(''),
});
export type SiteInput = z.input<typeof SiteInputSchema>;

/** A change to some details: fields left out stay as they are (no defaults here). */
export const SiteUpdateSchema = z.object(SiteFields).partial().strict();
export type SiteUpdate = z.infer<typeof SiteUpdateSchema>;

export const SiteMetaSchema = SiteInputSchema.extend({
  format: z.literal('fieldkit-site'),
  formatVersion: z.literal(1),
  id: z.string().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SiteMeta = z.infer<typeof SiteMetaSchema>;

export interface SiteSummary extends SiteMeta {
  path: string;
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir);
    return entries.filter((e) => e !== '.DS_Store').length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
}

/** Read-modify-write of one file runs one at a time within this process (keyed by absolute path). */
const fileQueues = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = fileQueues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  fileQueues.set(key, settled);
  void settled.then(() => {
    if (fileQueues.get(key) === settled) fileQueues.delete(key);
  });
  return next;
}

export class SiteWorkspace {
  private constructor(
    readonly root: string,
    private metaValue: SiteMeta,
  ) {}

  get meta(): SiteMeta {
    return this.metaValue;
  }

  summary(): SiteSummary {
    return { ...this.metaValue, path: this.root };
  }

  static async create(dir: string, input: SiteInput, now = new Date()): Promise<SiteWorkspace> {
    const root = resolve(dir);
    const parsed = SiteInputSchema.safeParse(input);
    if (!parsed.success)
      throw new FieldkitError('invalid-input', `The site details are not valid: ${formatZodIssues(parsed.error)}`);
    await assertOrdinaryFolder(root);
    if (await readTextIfExists(join(root, SITE_FILE))) {
      throw new FieldkitError(
        'workspace-exists',
        `${root} already holds a Fieldkit site. Open it instead, or choose another folder.`,
        { path: root },
      );
    }
    if (!(await isEmptyOrMissing(root))) {
      throw new FieldkitError(
        'not-a-workspace',
        `${root} is not empty and is not a Fieldkit site. Choose an empty or new folder so that nothing in it is overwritten.`,
        { path: root },
      );
    }
    const stamp = now.toISOString();
    const meta: SiteMeta = {
      ...parsed.data,
      format: 'fieldkit-site',
      formatVersion: 1,
      id: randomUUID(),
      createdAt: stamp,
      updatedAt: stamp,
    };
    // one level at a time, after checking it is an ordinary disk (recursive mkdir never returns on /proc)
    await makeSiteFolder(root);
    for (const folder of SITE_FOLDERS) await mkdir(join(root, folder), { recursive: true });
    await writeJsonAtomic(join(root, SITE_FILE), meta);
    return new SiteWorkspace(root, meta);
  }

  static async open(dir: string): Promise<SiteWorkspace> {
    const root = resolve(dir);
    const info = await stat(root).catch(() => undefined);
    if (!info)
      throw new FieldkitError('not-found', `No folder at ${root}. Check the path, or create a new site.`, {
        path: root,
      });
    if (!info.isDirectory())
      throw new FieldkitError('not-a-workspace', `${root} is a file, not a site folder.`, { path: root });
    const raw = await readTextIfExists(join(root, SITE_FILE));
    if (raw === undefined) {
      throw new FieldkitError(
        'not-a-workspace',
        `${root} is not a Fieldkit site: it has no ${SITE_FILE}. Choose the site's folder, or create a new site.`,
        { path: root },
      );
    }
    const meta = SiteWorkspace.parseStored(raw, SiteMetaSchema, join(root, SITE_FILE));
    for (const folder of SITE_FOLDERS) await mkdir(join(root, folder), { recursive: true });
    return new SiteWorkspace(root, meta);
  }

  /** Parses a stored JSON document; a broken one is a clear error naming the file, never silently replaced. */
  static parseStored<S extends z.ZodType>(raw: string, schema: S, path: string): z.infer<S> {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new FieldkitError(
        'workspace-corrupt',
        `${path} is damaged (not valid JSON: ${(e as Error).message}). Fieldkit did not change it. Restore it from ${path}.bak or a copy of the site, then open the site again.`,
        { path },
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new FieldkitError(
        'workspace-corrupt',
        `${path} does not have the expected content (${formatZodIssues(parsed.error)}). Fieldkit did not change it. Restore it from ${path}.bak or a copy of the site.`,
        { path },
      );
    }
    return parsed.data;
  }

  /** Absolute path of a file inside the site; refuses anything that would escape the folder. */
  path(...parts: string[]): string {
    const full = resolve(this.root, ...parts);
    const rel = relative(this.root, full);
    if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
      throw new FieldkitError('invalid-input', `Refusing a path outside the site folder: ${parts.join('/')}`);
    }
    return full;
  }

  async readJson<S extends z.ZodType>(relPath: string, schema: S): Promise<z.infer<S> | undefined> {
    const full = this.path(relPath);
    const raw = await readTextIfExists(full);
    if (raw === undefined) return undefined;
    try {
      return SiteWorkspace.parseStored(raw, schema, full);
    } catch (e) {
      // Keep a dated copy of the damaged file before anyone touches it.
      await copyFile(full, `${full}.corrupt-${Date.now()}`).catch(() => undefined);
      throw e;
    }
  }

  async writeJson<S extends z.ZodType>(relPath: string, schema: S, value: z.input<S>): Promise<z.infer<S>> {
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new FieldkitError('invalid-input', `Refusing to save ${relPath}: ${formatZodIssues(parsed.error)}`);
    await writeJsonAtomic(this.path(relPath), parsed.data, { keepBackup: true });
    return parsed.data;
  }

  /**
   * Reads a document, lets `change` produce the new one and writes it, with no other update of the same
   * file in between (two jobs recording at once lose nothing). A damaged file stops the update.
   */
  async updateJson<S extends z.ZodType>(
    relPath: string,
    schema: S,
    change: (current: z.infer<S> | undefined) => z.input<S>,
  ): Promise<z.infer<S>> {
    return serialised(this.path(relPath), async () =>
      this.writeJson(relPath, schema, change(await this.readJson(relPath, schema))),
    );
  }

  async updateMeta(patch: SiteUpdate, now = new Date()): Promise<SiteMeta> {
    const merged = SiteMetaSchema.parse({ ...this.metaValue, ...patch, updatedAt: now.toISOString() });
    await writeJsonAtomic(join(this.root, SITE_FILE), merged, { keepBackup: true });
    this.metaValue = merged;
    return merged;
  }
}
