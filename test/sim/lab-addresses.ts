// Address allocation for lab devices: consecutive IPv4 addresses, skipping .0 and .255 so every address looks
// like an ordinary host address.
export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`"${ip}" is not an IPv4 address`);
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `count` addresses after `first` (exclusive), all below `limit` (exclusive). */
export function allocateAddresses(first: string, count: number, limit: string): string[] {
  const out: string[] = [];
  const end = ipToInt(limit);
  for (let n = ipToInt(first) + 1; out.length < count; n++) {
    if (n >= end) throw new Error(`not enough addresses after ${first} for ${count} devices (limit ${limit})`);
    const last = n & 255;
    if (last !== 0 && last !== 255) out.push(intToIp(n));
  }
  return out;
}

/** `count` addresses spread evenly over (first, limit): the first just after `first`, the last near `limit`. */
export function spreadAddresses(first: string, count: number, limit: string): string[] {
  const start = ipToInt(first) + 1;
  const span = ipToInt(limit) - start;
  if (count > span / 2) throw new Error(`cannot spread ${count} devices between ${first} and ${limit}`);
  const step = Math.floor(span / count);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let n = start + i * step + (i === count - 1 ? step - 2 : 0);
    while ((n & 255) === 0 || (n & 255) === 255) n++;
    out.push(intToIp(n));
  }
  return out;
}
