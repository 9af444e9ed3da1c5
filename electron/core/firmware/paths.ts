export function joinPath(base: string, sub: string): string {
  return [base, sub]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
}

const STAGING_ROOT = 'fw';

/** The staging folder of one model and version, relative to the phones' home directory (MECHANISM.md §3). */
export function stagingFolder(model: string, version: string): string {
  return `${STAGING_ROOT}/${model}-${version}`;
}

/**
 * The site-relative folder of the library image a staging folder offers (library ids are
 * `<model>-<version>` too, library.ts), or undefined for any other folder.
 */
export function libraryImageFolder(folder: string): string | undefined {
  const m = /^fw\/(68\d\di-[0-9A-Za-z._-]+)$/.exec(folder);
  return m && !m[1]!.includes('..') ? `firmware/images/${m[1]}` : undefined;
}
