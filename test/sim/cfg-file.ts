// Parser for Aastra/Mitel .cfg files as the phone reads them (phone-facts §1 "Syntax").
export const MAX_CFG_BYTES = 1024 * 1024;

export interface CfgEntry {
  /** Lowercased, whitespace-collapsed name: parameter names are not case-sensitive (IG6800 p.A-6). */
  name: string;
  value: string;
  /** `!name: value` locks the parameter against Web/phone UI changes (AG420 p.2-17). */
  locked: boolean;
  /** `^name: value` overwrites a locally changed value (AG420 p.2-17). */
  overridesLocal: boolean;
}

export function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Lines that are not `name: value` are skipped, as a phone would; never throws. */
export function parseCfg(text: string): CfgEntry[] {
  const entries: CfgEntry[] = [];
  for (const rawLine of text.slice(0, MAX_CFG_BYTES).split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    let name = line.slice(0, colon).trim();
    let locked = false;
    let overridesLocal = false;
    while (name.startsWith('!') || name.startsWith('^')) {
      if (name.startsWith('!')) locked = true;
      else overridesLocal = true;
      name = name.slice(1).trimStart();
    }
    if (name === '') continue;
    entries.push({ name: normaliseName(name), value: parseValue(line.slice(colon + 1)), locked, overridesLocal });
  }
  return entries;
}

function parseValue(rest: string): string {
  const trimmed = rest.trim();
  if (trimmed.startsWith('"')) {
    const close = trimmed.indexOf('"', 1);
    return close > 0 ? trimmed.slice(1, close) : trimmed.slice(1);
  }
  // A trailing ` #comment` appears in PROV templates (`… 1 #enabled`), so it is tolerated.
  const hash = trimmed.search(/\s#/);
  return (hash >= 0 ? trimmed.slice(0, hash) : trimmed).trim();
}
