// MAC addresses in every spelling a technician or a device table produces.

/** Canonical form used everywhere in Fieldkit: `AA:BB:CC:DD:EE:FF`. */
export type CanonicalMac = string;

const MAX_MAC_INPUT = 64;

/**
 * Parses colons, dashes, Cisco dots, bare hex, any case, surrounding whitespace.
 * Colon/dash forms may drop leading zeros per octet (macOS `arp -a` prints `0:8:5d:1a:2b:3c`).
 * Returns null when the input is not a MAC address.
 */
export function parseMac(input: string): CanonicalMac | null {
  if (typeof input !== 'string' || input.length > MAX_MAC_INPUT) return null;
  const text = input.trim();
  let hex: string | null = null;
  if (/^[0-9a-f]{12}$/i.test(text)) {
    hex = text;
  } else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(text)) {
    hex = text.replace(/\./g, '');
  } else {
    const octets = text.split(/[:-]/);
    const separators = text.match(/[:-]/g) ?? [];
    const oneSeparatorKind = new Set(separators).size === 1;
    if (octets.length === 6 && oneSeparatorKind && octets.every((o) => /^[0-9a-f]{1,2}$/i.test(o))) {
      hex = octets.map((o) => o.padStart(2, '0')).join('');
    }
  }
  if (hex === null) return null;
  const upper = hex.toUpperCase();
  return upper.match(/../g)!.join(':');
}

/** Like parseMac but throws an error a technician can act on. */
export function requireMac(input: string): CanonicalMac {
  const mac = parseMac(input);
  if (mac === null) {
    const shown = typeof input === 'string' ? JSON.stringify(input.slice(0, MAX_MAC_INPUT)) : String(input);
    throw new Error(
      `${shown} is not a MAC address. Write it as 12 hex digits, e.g. 00:08:5D:1A:2B:3C, 00-08-5d-1a-2b-3c, 0008.5d1a.2b3c or 00085D1A2B3C.`,
    );
  }
  return mac;
}

/**
 * File stem for the per-phone config file `<stem>.cfg`: 12 uppercase hex digits, no separators
 * (phone-facts §1 "MAC file name": WAZO `format_mac(..., separator='', uppercase=True)`, ELX, PROV `strtoupper`).
 */
export function macFileStem(mac: string): string {
  return requireMac(mac).replace(/:/g, '');
}

export type OuiVendor = 'Aastra' | 'Mitel';

export interface OuiInfo {
  oui: string;
  vendor: OuiVendor;
  /** Which product family the prefix has been seen on, where a source says so. */
  family: string | null;
}

// phone-facts §3 "MAC OUIs".
const OUIS: readonly OuiInfo[] = [
  { oui: '00:08:5D', vendor: 'Aastra', family: null }, // WAZO dhcp, PROV oui_list, UA examples
  { oui: '00:10:BC', vendor: 'Aastra', family: null }, // PROV oui_list
  { oui: '08:00:0F', vendor: 'Mitel', family: null }, // WAZO dhcp
  { oui: '14:00:E9', vendor: 'Mitel', family: '6900' }, // WAZO dhcp and 6900 UA examples
];

/** Vendor of a MAC by its first three octets, or null when it is not a known Mitel/Aastra prefix. */
export function lookupOui(mac: string): OuiInfo | null {
  const canonical = parseMac(mac);
  if (canonical === null) return null;
  const prefix = canonical.slice(0, 8);
  return OUIS.find((o) => o.oui === prefix) ?? null;
}
