// The simulator's stand-in for Mitel `<model>.st` firmware files (phone-facts §2). Real .st files are opaque;
// this format only has to let a simulated phone tell model, version and integrity apart.
//   line 1: `FKSIM-ST/1 model=<model> version=<a.b.c.d> size=<payload bytes> sha256=<hex of payload>\n`
//   then:   the payload
import { createHash } from 'node:crypto';

const MAGIC = 'FKSIM-ST/1';
const MAX_HEADER_BYTES = 256;
export const VERSION_PATTERN = /^\d{1,4}\.\d{1,4}\.\d{1,4}\.\d{1,6}$/;

export interface FirmwareImageSpec {
  model: string;
  version: string;
  /** Payload size; default 64 KiB. */
  sizeBytes?: number;
  /** Damages the payload after the checksum was computed, so the image fails verification. */
  corrupt?: boolean;
}

export function buildFirmwareImage(spec: FirmwareImageSpec): Buffer {
  if (!/^[0-9A-Za-z]{2,16}$/.test(spec.model))
    throw new Error(`firmware model "${spec.model}" must be 2-16 letters/digits, e.g. 6867i`);
  if (!VERSION_PATTERN.test(spec.version))
    throw new Error(`firmware version "${spec.version}" must be four numeric fields, e.g. 6.5.0.224`);
  const size = spec.sizeBytes ?? 64 * 1024;
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`firmware sizeBytes must be a positive integer, got ${size}`);
  const seed = createHash('sha256').update(`${spec.model}/${spec.version}`).digest();
  const payload = Buffer.alloc(size, seed);
  const sha = createHash('sha256').update(payload).digest('hex');
  if (spec.corrupt) payload[Math.floor(size / 2)] = payload[Math.floor(size / 2)]! ^ 0xff;
  const head = Buffer.from(
    `${MAGIC} model=${spec.model} version=${spec.version} size=${size} sha256=${sha}\n`,
    'ascii',
  );
  return Buffer.concat([head, payload]);
}

export type FirmwareCheck =
  { ok: true; model: string; version: string } | { ok: false; reason: string; model?: string; version?: string };

/** Reads only the header: enough for the "is it different from what I run" decision before flashing. */
export function readFirmwareHeader(
  image: Buffer,
): { model: string; version: string; size: number; sha256: string } | null {
  const nl = image.subarray(0, MAX_HEADER_BYTES).indexOf(0x0a);
  if (nl < 0) return null;
  const m = /^FKSIM-ST\/1 model=(\S+) version=(\S+) size=(\d+) sha256=([0-9a-f]{64})$/.exec(
    image.subarray(0, nl).toString('ascii'),
  );
  if (!m || !VERSION_PATTERN.test(m[2]!)) return null;
  return { model: m[1]!, version: m[2]!, size: Number(m[3]), sha256: m[4]! };
}

/** Full check done while flashing: model must match the phone, size and checksum must match the header. */
export function verifyFirmwareImage(image: Buffer, phoneModel: string): FirmwareCheck {
  const head = readFirmwareHeader(image);
  if (!head) return { ok: false, reason: 'not a firmware image (bad header)' };
  const { model, version } = head;
  if (model !== phoneModel)
    return { ok: false, reason: `image is for ${model}, phone is ${phoneModel}`, model, version };
  const payload = image.subarray(image.indexOf(0x0a) + 1);
  if (payload.length !== head.size)
    return { ok: false, reason: `payload is ${payload.length} bytes, header says ${head.size}`, model, version };
  if (createHash('sha256').update(payload).digest('hex') !== head.sha256)
    return { ok: false, reason: 'checksum mismatch', model, version };
  return { ok: true, model, version };
}
