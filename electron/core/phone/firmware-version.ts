// Mitel firmware versions: four numeric fields `major.minor.patch.build` (phone-facts §2 "Version format").

export interface FirmwareVersion {
  major: number;
  minor: number;
  patch: number;
  build: number;
}

const MAX_VERSION_INPUT = 64;

/**
 * Parses `6.5.0.224`, `V6.5.0.224`, `V 6.5.0.224` (integration guide spelling), `V:6.5.0.224-SIP`
 * (HTTP UA form, phone-facts §3) and `6.5.0.224-SIP`. Returns null for anything else, including
 * three-field or five-field versions.
 */
export function parseFirmwareVersion(input: string | null | undefined): FirmwareVersion | null {
  if (typeof input !== 'string' || input.length > MAX_VERSION_INPUT) return null;
  const m = /^\s*(?:v\s*:?\s*)?(\d{1,9})\.(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:-sip)?\s*$/i.exec(input);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), build: Number(m[4]) };
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareFirmware(a: FirmwareVersion, b: FirmwareVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || a.build - b.build;
}

export function formatFirmwareVersion(v: FirmwareVersion): string {
  return `${v.major}.${v.minor}.${v.patch}.${v.build}`;
}

/** Minimum firmware for the OpenScape Voice features (integration guide §2.1: "V 6.5.0.224 or later"). */
export const OSV_MINIMUM: FirmwareVersion = Object.freeze({ major: 6, minor: 5, patch: 0, build: 224 });
