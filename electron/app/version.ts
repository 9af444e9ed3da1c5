// Fieldkit's version, from package.json: two folders up from the sources (electron/app/), two or three up from
// a bundle (dist-electron/cli/, dist-electron/cli/chunks/). Kept apart from the rest of the app so that
// `fieldkit --version` loads nothing else.
import { readFileSync } from 'node:fs';

export function fieldkitVersion(): string {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'fieldkit' && pkg.version) return pkg.version;
    } catch {
      // not there: try the next place
    }
  }
  return '0.0.0';
}
