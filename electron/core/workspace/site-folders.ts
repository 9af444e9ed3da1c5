// Where a new site folder may be made. The renderer is not trusted with the file system (threat model 2):
// a compromised UI must not make folders in /etc (it could, as root). So a site is created only
//   - under the sites root (the browser host and the CLI: FIELDKIT_SITES_DIR / --sites-dir), or
//   - in, or directly inside, a folder the technician picked in the operating system's own folder dialog
//     (the desktop app), which the renderer cannot fake.
// Special file systems (/proc, /sys, /dev and their kind) are refused whatever the root: recursive mkdir on
// /proc never returned (issue 13 §6), and a site there would be nonsense anyway.
import { mkdir, realpath, stat, statfs } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { FieldkitError, describeFsError } from '../util/errors';
import { withinTimeLimit } from '../util/time-limit';

/** statfs types of kernel file systems no site belongs on (Linux magic numbers). */
const SPECIAL_FILESYSTEMS = new Set([
  0x9fa0, // proc
  0x62656572, // sysfs
  0x1cd1, // devpts
  0x64626720, // debugfs
  0x74726163, // tracefs
  0x73636673, // securityfs
  0x27e0eb, // cgroup
  0x63677270, // cgroup2
  0xcafe4a11, // bpf
  0x6165676c, // pstore
  0x62656570, // configfs
  0xde5e81e4, // efivarfs
  0x65735543, // fusectl
]);
const SPECIAL_PREFIXES = ['/proc', '/sys', '/dev'];

function within(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
}

/** The nearest folder of `path` that exists (the path itself if it does), resolved through symlinks. */
async function existingAncestor(path: string): Promise<string> {
  let at = path;
  for (;;) {
    const info = await stat(at).catch(() => undefined);
    if (info) {
      if (!info.isDirectory())
        throw new FieldkitError('invalid-input', `${at} is a file, not a folder: a site cannot be made inside it.`, {
          path: at,
        });
      return realpath(at);
    }
    const up = dirname(at);
    if (up === at) return at;
    at = up;
  }
}

export async function assertOrdinaryFolder(path: string): Promise<void> {
  const full = resolve(path);
  if (process.platform === 'linux' && SPECIAL_PREFIXES.some((p) => full === p || full.startsWith(`${p}/`)))
    throw new FieldkitError(
      'invalid-input',
      `${full} is inside ${full.split('/').slice(0, 2).join('/')}, a system folder of the kernel: choose an ordinary folder for the site.`,
    );
  const ancestor = await existingAncestor(full);
  const fs = await statfs(ancestor).catch(() => undefined);
  if (fs && SPECIAL_FILESYSTEMS.has(Number(fs.type)))
    throw new FieldkitError(
      'invalid-input',
      `${full} is on a kernel file system (like /proc or /sys), not on a disk: choose an ordinary folder for the site.`,
    );
}

/**
 * Makes `path` and any missing folders above it one level at a time (no recursive mkdir, which loops on
 * some kernel file systems), after checking the file system is an ordinary one.
 */
export async function makeSiteFolder(path: string, timeLimitMs = 30_000): Promise<void> {
  await withinTimeLimit(
    makeFolders(path),
    timeLimitMs,
    () =>
      new FieldkitError(
        'unavailable',
        `Creating the folder ${resolve(path)} did not finish in ${timeLimitMs / 1000} s. Choose a folder on a local disk.`,
      ),
  );
}

async function makeFolders(path: string): Promise<void> {
  const full = resolve(path);
  await assertOrdinaryFolder(full);
  const missing: string[] = [];
  for (let at = full; !(await stat(at).catch(() => undefined)); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const dir of missing)
    await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw describeFsError(e, 'the site folder', dir);
    });
}

export class SiteFolderPolicy {
  private readonly picked = new Set<string>();

  constructor(
    private readonly sitesRoot: string,
    /** The caller is the technician's own terminal (the CLI): any ordinary folder will do. */
    private readonly options: { anywhere?: boolean } = {},
  ) {}

  /** A folder the technician chose in the operating system's dialog (never one the renderer names). */
  rememberPicked(path: string): void {
    this.picked.add(resolve(path));
  }

  /** Refuses a new site folder outside the sites root and the picked folders, naming where sites may go. */
  async assertCreatable(dir: string): Promise<string> {
    // a terminal's relative path means its working folder, as in any command
    const full = this.options.anywhere ? resolve(dir) : resolve(this.sitesRoot, dir);
    await assertOrdinaryFolder(full);
    if (this.options.anywhere) return full;
    if (this.picked.has(full) || this.picked.has(dirname(full))) return full;
    const root = resolve(this.sitesRoot);
    if (within(root, full) && full !== root) {
      // a symlink inside the root must not lead out of it
      const real = await existingAncestor(full);
      const realRoot = await realpath(root).catch(() => root);
      if (within(realRoot, real) || within(real, realRoot)) return full;
    }
    throw new FieldkitError(
      'unauthorized',
      `Fieldkit creates sites under ${root}${this.picked.size > 0 ? ' or in a folder you picked' : ''}, not in ${full}. Choose a folder there${this.picked.size > 0 ? ', or pick one with "Choose folder…"' : ' (or start Fieldkit with another sites folder: --sites-dir / FIELDKIT_SITES_DIR)'}.`,
      { path: full },
    );
  }
}
