// Puts the target `<model>.st` and copies of the phone's configuration files into the staging folder of
// one model and version, through the site's PublishTarget. The phone keeps its configuration because it
// reads the same files there; the lines that say where the configuration server is are left out of the
// copies so that a `^http path` in a site file cannot send the phone back home during the wave (the
// web-UI setting Fieldkit makes is what points it, phone-facts §1 precedence).
import { parseCfg, removeParam, serializeCfg } from '../config/cfg-format';
import { sha256Hex } from '../util/hash';
import { filesNamedIn } from '../provisioning/referenced-files';
import type { PublishTarget } from '../provisioning/target';

export const CONFIG_SERVER_PARAMETERS = [
  'download protocol',
  'http server',
  'http path',
  'http port',
  'https server',
  'https path',
  'https port',
  'tftp server',
  'tftp path',
  'alternate tftp server',
  'alternate tftp path',
  'use alternate tftp',
  'ftp server',
  'ftp path',
] as const;

/**
 * Global and model files every phone of the model reads (phone-facts §1; both global names, which one 5.x/6.x asks for
 * is
 * uncertain).
 */
export function sharedConfigNames(model: string): string[] {
  return ['startup.cfg', 'aastra.cfg', `${model}.cfg`];
}

export function withoutConfigServerLines(text: string): string {
  const { doc } = parseCfg(text);
  // The admin password stays what it is during the wave (the run logs in with it); the phone takes its
  // own from home afterwards.
  for (const name of [...CONFIG_SERVER_PARAMETERS, 'admin password']) removeParam(doc, name);
  return serializeCfg(doc);
}

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

/** Copies config files from home to the staging folder; returns the names copied (missing ones are skipped). */
export async function copyConfigs(
  home: PublishTarget,
  staging: PublishTarget,
  names: readonly string[],
): Promise<string[]> {
  const copied: string[] = [];
  const referenced = new Set<string>();
  for (const name of names) {
    const bytes = await home.read(name);
    if (bytes === null) continue;
    const text = Buffer.from(bytes).toString('utf8');
    for (const file of filesNamedIn(text)) referenced.add(file);
    await putFile(staging, name, Buffer.from(withoutConfigServerLines(text), 'utf8'));
    copied.push(name);
  }
  // the files the configuration tells the phone to fetch from its configuration server (the CA bundle)
  for (const name of referenced) {
    if (names.includes(name) || copied.includes(name)) continue;
    const bytes = await home.read(name).catch(() => null);
    if (bytes === null) continue;
    await putFile(staging, name, bytes);
    copied.push(name);
  }
  return copied;
}
