// MAC address forms used by the simulator: 12 upper-case hex digits internally (as in `<MAC>.cfg`, phone-facts §1).
export function normaliseMac(mac: string): string {
  const hex = mac.replace(/[:\-.]/g, '').toUpperCase();
  if (!/^[0-9A-F]{12}$/.test(hex)) throw new Error(`MAC "${mac}" must be 12 hex digits, e.g. 00:08:5D:1A:2B:3C`);
  return hex;
}

export function macWithSeparator(mac: string, sep: ':' | '-'): string {
  return normaliseMac(mac).match(/../g)!.join(sep);
}

export function addToMac(mac: string, n: number): string {
  const value = BigInt('0x' + normaliseMac(mac)) + BigInt(n);
  if (value > 0xffffffffffffn) throw new Error(`MAC range starting at ${mac} overflows after ${n} addresses`);
  return value.toString(16).toUpperCase().padStart(12, '0');
}
