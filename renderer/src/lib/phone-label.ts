// Phones are named the way the technician and the customer know them: "Desk 3", with the MAC as the detail.
// MACs come in several spellings (00085D240003 in provisioning, 00:08:5D:24:00:03 in the inventory).

export interface KnownPhone {
  mac: string | null;
  displayName: string;
  directoryNumber: string;
  location: string;
}

/** 12 uppercase hex digits, whatever the spelling; '' when it is not a MAC. */
export function macKey(mac: string | null | undefined): string {
  const hex = (mac ?? '').replace(/[^0-9a-f]/gi, '').toUpperCase();
  return hex.length === 12 ? hex : '';
}

/** 00:08:5D:24:00:03 */
export const macColons = (mac: string): string => {
  const key = macKey(mac);
  return key ? key.match(/../g)!.join(':') : mac;
};

export function indexPhones(phones: readonly KnownPhone[]): Map<string, KnownPhone> {
  const map = new Map<string, KnownPhone>();
  for (const p of phones) {
    const key = macKey(p.mac);
    if (key && !map.has(key)) map.set(key, p);
  }
  return map;
}

export interface PhoneLabel {
  /** The display name, else the directory number, else the MAC. */
  name: string;
  /** What tells it apart: the MAC (and number) when the name is shown. */
  detail: string;
}

export function phoneLabel(mac: string, known: ReadonlyMap<string, KnownPhone>): PhoneLabel {
  const p = known.get(macKey(mac));
  const colons = macColons(mac);
  if (p?.displayName) return { name: p.displayName, detail: [colons, p.directoryNumber].filter(Boolean).join(' · ') };
  if (p?.directoryNumber) return { name: `DN ${p.directoryNumber}`, detail: colons };
  return { name: colons, detail: p?.location ?? '' };
}

/** "Desk 3 (00:08:5D:24:00:03)" for sentences. */
export function phoneText(mac: string, known: ReadonlyMap<string, KnownPhone>): string {
  const l = phoneLabel(mac, known);
  return l.name === macColons(mac) ? l.name : `${l.name} (${macColons(mac)})`;
}
