// Which of the admin passwords web-logins.ts tries worked on each phone, kept in the site
// (inventory/web-logins.json) so that the next Fieldkit process tries it first. `fieldkit discover`, then `reboot`,
// `verify` or `firmware run`, each its own process, otherwise start every phone in the default order: a refused
// login and a wasted round trip per phone, every run. Only the source's name is kept ('current-site': "the
// password entered as the one all phones have now worked"), never a password: that stays in the credential store.
//
// Changes are written together: a scan of 500 phones learns 500 of them but writes the file once per WRITE_DELAY_MS
// at most while it learns, and once more when the site is left or Fieldkit stops (flush). A write applies only this
// memory's changes to the file as it is on disk then, one update of the file at a time (SiteWorkspace.updateJson):
// two memories of one site in one process lose nothing of each other's.
//
// It is a hint: a damaged file is reported and left as it is (the site's rule), and the memory then lasts only
// this session. A source that stops working is replaced or forgotten by web-logins.ts.
import { z } from 'zod';

export const LOGIN_SOURCES = ['fieldkit', 'current-phone', 'current-site', 'factory-default'] as const;
export type LoginSource = (typeof LOGIN_SOURCES)[number];

export const WEB_LOGINS_FILE = 'inventory/web-logins.json';
/** While phones keep being learned, the file is written at most this often. */
export const WRITE_DELAY_MS = 2000;

const MAC_KEY = /^[0-9A-F]{12}$/;

export const WebLoginsFileSchema = z
  .object({
    format: z.literal('fieldkit-web-logins'),
    formatVersion: z.literal(1),
    /** Per phone (12 hex digits, upper case): which password worked, and since when. */
    phones: z.record(
      z.string().regex(MAC_KEY, 'a MAC of 12 hex digits, upper case'),
      z.object({ source: z.enum(LOGIN_SOURCES), since: z.string().max(40) }).strict(),
    ),
  })
  .strict();
export type WebLoginsFile = z.infer<typeof WebLoginsFileSchema>;

/** What the memory needs of a site: its id and its JSON files (SiteWorkspace; secrets may not import workspace). */
export interface LoginMemorySite {
  readonly meta: { readonly id: string };
  readJson<S extends z.ZodType>(relPath: string, schema: S): Promise<z.infer<S> | undefined>;
  updateJson<S extends z.ZodType>(
    relPath: string,
    schema: S,
    change: (current: z.infer<S> | undefined) => z.input<S>,
  ): Promise<z.infer<S>>;
}

export interface LoginMemoryOptions {
  /** Told once when the file cannot be read or written (the memory then lasts this session only). */
  onProblem?: (message: string) => void;
  writeDelayMs?: number;
}

export class LoginMemory {
  private readonly sources = new Map<string, LoginSource>();
  /** Changes not yet written: a source, or null for a phone forgotten. */
  private readonly changed = new Map<string, LoginSource | null>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private reported = false;
  /** How many times the file was written (tests). */
  writes = 0;

  /** Without a site: this process only. */
  constructor(
    private site: LoginMemorySite | null = null,
    private readonly options: LoginMemoryOptions = {},
  ) {}

  /** The site's memory as its file has it (an absent file: nothing remembered yet). */
  static async open(site: LoginMemorySite, options: LoginMemoryOptions = {}): Promise<LoginMemory> {
    const memory = new LoginMemory(site, options);
    try {
      const file = await site.readJson(WEB_LOGINS_FILE, WebLoginsFileSchema);
      for (const [mac, entry] of Object.entries(file?.phones ?? {})) memory.sources.set(mac, entry.source);
    } catch (e) {
      // damaged: kept as it is (readJson copied it aside); nothing is written over it
      memory.site = null;
      memory.problem(e);
    }
    return memory;
  }

  get(mac12: string): LoginSource | undefined {
    return this.sources.get(mac12.toUpperCase());
  }

  remember(mac12: string, source: LoginSource): void {
    const mac = mac12.toUpperCase();
    if (this.sources.get(mac) === source) return;
    this.sources.set(mac, source);
    this.note(mac, source);
  }

  forget(mac12: string): void {
    const mac = mac12.toUpperCase();
    if (!this.sources.delete(mac)) return;
    this.note(mac, null);
  }

  /** Writes what changed; resolves once it is on disk (or reported). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private note(mac: string, source: LoginSource | null): void {
    if (!this.site || !MAC_KEY.test(mac)) return;
    this.changed.set(mac, source);
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.options.writeDelayMs ?? WRITE_DELAY_MS);
    // a CLI process ends without waiting for it: Fieldkit's shutdown flushes
    this.timer.unref?.();
  }

  private async write(): Promise<void> {
    const site = this.site;
    if (!site || this.changed.size === 0) return;
    const batch = new Map(this.changed);
    this.changed.clear();
    const since = new Date().toISOString();
    try {
      await site.updateJson(WEB_LOGINS_FILE, WebLoginsFileSchema, (current) => {
        const phones = { ...current?.phones };
        for (const [mac, source] of batch) {
          if (source === null) delete phones[mac];
          else if (phones[mac]?.source !== source) phones[mac] = { source, since };
        }
        return { format: 'fieldkit-web-logins' as const, formatVersion: 1 as const, phones };
      });
      this.writes++;
    } catch (e) {
      // not written: this session keeps it, the file stays as it is
      this.site = null;
      this.problem(e);
    }
  }

  private problem(e: unknown): void {
    if (this.reported) return;
    this.reported = true;
    this.options.onProblem?.(
      `Fieldkit could not keep which admin password worked on each phone in ${WEB_LOGINS_FILE} (${(e as Error).message}); it remembers them until it stops.`,
    );
  }
}

/** The site memories attached to a credential store (by the running app), by site id. */
const attached = new WeakMap<object, Map<string, LoginMemory>>();
/** A store's memory for everything else (no site attached): this process only. */
const transient = new WeakMap<object, LoginMemory>();

/**
 * The memory `secrets` uses: a site view (SiteSecrets: `store` and `id`) finds its site's memory when the app
 * attached one, anything else the store's own, which lasts this process.
 */
export function loginMemoryOf(secrets: object): LoginMemory {
  const view = secrets as { store?: object; id?: string };
  const owner = view.store ?? secrets;
  let siteId: string | undefined;
  try {
    siteId = view.id;
  } catch {
    siteId = undefined; // a view of "the open site" while none is open
  }
  const bySite = siteId === undefined ? undefined : attached.get(owner)?.get(siteId);
  if (bySite) return bySite;
  let memory = transient.get(owner);
  if (!memory) {
    memory = new LoginMemory();
    transient.set(owner, memory);
  }
  return memory;
}

export interface OpenLoginMemory {
  readonly memory: LoginMemory;
  /** Writes what changed and detaches the memory from the store. */
  close(): Promise<void>;
}

/** Loads the site's memory and attaches it to `store`: every site view of that store then uses it. */
export async function openSiteLoginMemory(
  site: LoginMemorySite,
  store: object,
  options: LoginMemoryOptions = {},
): Promise<OpenLoginMemory> {
  const memory = await LoginMemory.open(site, options);
  const siteId = site.meta.id;
  let bySite = attached.get(store);
  if (!bySite) {
    bySite = new Map();
    attached.set(store, bySite);
  }
  bySite.set(siteId, memory);
  return {
    memory,
    async close() {
      await memory.flush();
      if (attached.get(store)?.get(siteId) === memory) attached.get(store)!.delete(siteId);
    },
  };
}
