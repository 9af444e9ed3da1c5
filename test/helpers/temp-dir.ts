import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder, removed when the test ends. */
export async function tempDir(
  t: { after(fn: () => Promise<void> | void): void },
  prefix = 'fieldkit-',
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  // retried, and never throwing: a failed removal must not skip the other clean-ups (servers, phones),
  // which would leave the test process running
  t.after(() => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch(() => undefined));
  return dir;
}
