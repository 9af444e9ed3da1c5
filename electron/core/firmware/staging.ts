// Puts the target `<model>.st` into the staging folder of one model and version, through the site's PublishTarget.
// Only the image goes there: the phones keep fetching their configuration from home and take the image from the
// folder their `firmware server` pin names (pins.ts, phone-facts §8).
import { sha256Hex } from '../util/hash';
import type { PublishTarget } from '../provisioning/target';

/** Writes `bytes` unless the same content is already there; replaces anything else (with a backup). */
export async function putFile(
  target: PublishTarget,
  name: string,
  bytes: Uint8Array,
): Promise<'written' | 'unchanged'> {
  const [state] = await target.stat([name]);
  const sha = sha256Hex(bytes);
  if (state?.exists && state.sha256 === sha) return 'unchanged';
  await target.write(name, bytes, {
    expectSha256: state?.exists ? (state.sha256 ?? null) : null,
    backup: Boolean(state?.exists),
  });
  return 'written';
}

/** Global file names a phone may ask for (which one 5.x/6.x asks for first is uncertain, phone-facts §1). */
export const GLOBAL_FILES = ['startup.cfg', 'aastra.cfg'] as const;
