// Host names and addresses as the phone accepts them in server parameters.
import { isIP } from 'node:net';

const MAX_HOST = 253;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** An IPv4/IPv6 address or a DNS host name (RFC 1123 labels). */
export function isValidHost(text: string): boolean {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_HOST) return false;
  if (isIP(text) !== 0) return true;
  const labels = (text.endsWith('.') ? text.slice(0, -1) : text).split('.');
  // an all-numeric dotted name is a mistyped IPv4 address, not a host name
  if (labels.every((l) => /^\d+$/.test(l))) return false;
  return labels.every((l) => LABEL.test(l));
}
