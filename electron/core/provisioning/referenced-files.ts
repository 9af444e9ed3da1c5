// The files a configuration tells the phone to fetch from its configuration server besides the .cfg files:
// the CA bundle of `sips trusted certificates` and the trust file of `https user certificates` (field-truth
// audit §2 #4; XMLGUIDE p.205). Every place the configuration goes (the target, firmware staging folders)
// needs them next to it, or TLS to OpenScape Voice and HTTPS provisioning fail.
import { parseCfg, normaliseParamName } from '../config/cfg-format';
import { PUBLISHABLE_NAME } from './target';

export const REFERENCED_FILE_PARAMETERS = ['sips trusted certificates', 'https user certificates'] as const;

/** The bare file names a configuration text names in those parameters (URLs and paths are not ours). */
export function filesNamedIn(text: string): string[] {
  const { doc } = parseCfg(text);
  const out: string[] = [];
  for (const line of doc.lines) {
    if (line.kind !== 'param') continue;
    if (!(REFERENCED_FILE_PARAMETERS as readonly string[]).includes(normaliseParamName(line.name))) continue;
    for (const name of line.value.split(',').map((v) => v.trim()))
      if (PUBLISHABLE_NAME.test(name) && !name.includes('..') && !out.includes(name)) out.push(name);
  }
  return out;
}
