import { createHash } from 'node:crypto';

/** Hex SHA-256 of data that holds no secret (firmware images, placeholder templates). Secret-bearing bytes: HMAC. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
