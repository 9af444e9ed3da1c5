// What a device says about itself in one line: SIP `Server:`/`User-Agent:` banners and the HTTP
// User-Agent a phone sends to its provisioning server.

import { boundedText } from './bounded-text';
import { formatFirmwareVersion, parseFirmwareVersion } from './firmware-version';
import { parseMac } from './mac';
import { normaliseModel } from './models';
import type { TextInput } from './bounded-text';
import type { FirmwareVersion } from './firmware-version';
import type { CanonicalMac } from './mac';

/** Longer banners are refused: real ones are a few dozen characters. */
export const MAX_BANNER_CHARS = 1024;

export interface SipBanner {
  raw: string;
  vendor: string | null;
  product: string | null;
  version: string | null;
  /** True for `Aastra …` / `Mitel …` banners. */
  mitel: boolean;
  /** Normalised model (`6867i`, `6930`, `51i`) for Mitel/Aastra banners, else null. */
  model: string | null;
  /** Parsed four-field firmware for Mitel/Aastra banners, else null. */
  firmware: FirmwareVersion | null;
}

function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

// `Aastra 6731i/3.2.2.3077`, `Mitel 6930/6.4.0.132` (Greenbone, phone-facts §3), `Aastra 51i/2.5.1.41`
// (Asterisk log, phone-facts §3), `Mitel-6920-SIP/6.4.0.140` (dirazi83 README, unverified, phone-facts §3).
const MITEL_BANNER = /^(Aastra|Mitel)[\s-]+([A-Za-z0-9]{2,8})(?:-SIP)?(?:\s*\/\s*([^\s;()]{1,64}))?/i;

/** Parses a SIP `Server:` or `User-Agent:` value. Returns null for empty or oversized input. */
export function parseSipBanner(input: TextInput): SipBanner | null {
  const text = boundedText(input, MAX_BANNER_CHARS);
  if (text === null) return null;
  const raw = clean(text);
  if (raw === '') return null;

  const m = MITEL_BANNER.exec(raw);
  if (m) {
    const model = normaliseModel(m[2]!);
    if (model !== null) {
      const version = m[3] ?? null;
      const vendor = m[1]!.toLowerCase() === 'aastra' ? 'Aastra' : 'Mitel';
      return { raw, vendor, product: model, version, mitel: true, model, firmware: parseFirmwareVersion(version) };
    }
  }
  return { raw, ...genericBanner(raw), mitel: false, model: null, firmware: null };
}

function genericBanner(raw: string): { vendor: string | null; product: string | null; version: string | null } {
  const head = raw.slice(0, 200);
  let name: string;
  let version: string | null = null;
  const slash = /^([^\s/]{1,100})\/(\S{1,64})/.exec(head);
  const spaced = /^(.{1,100}?)\s+[vV]?(\d{1,9}(?:\.\d{1,9})+[^\s]{0,32})/.exec(head);
  if (slash) {
    name = slash[1]!;
    version = slash[2]!;
  } else if (spaced) {
    name = spaced[1]!;
    version = spaced[2]!;
  } else {
    name = head.split(/\s+/).slice(0, 3).join(' ');
  }
  const parts = /^([^\s_-]+)[\s_-]+(.+)$/.exec(name);
  if (parts) return { vendor: parts[1]!, product: parts[2]!.trim() || null, version };
  return { vendor: name || null, product: null, version };
}

export interface ProvisioningUserAgent {
  raw: string;
  vendor: 'Aastra' | 'Mitel';
  /** Normalised model, e.g. `6867i`, `6930`. */
  model: string;
  /** Null when the MAC field is present but malformed. */
  mac: CanonicalMac | null;
  /** `a.b.c.d` without the `-SIP` suffix, or the raw field if it is not four numbers. */
  version: string;
  firmware: FirmwareVersion | null;
  /** MiNET (not SIP) load: UA starts `MitelMINET_` (XMLAPI, phone-facts §2/§3). */
  minet: boolean;
}

export const MAX_USER_AGENT_CHARS = 512;

// WAZO: ^(?:Aastra|Mitel)(\w+) MAC:([^ ]+) V:([^ ]+)-SIP$ (phone-facts §3). Made tolerant of case,
// extra spaces, a missing `-SIP` suffix, trailing tokens and the `MitelMINET_` prefix.
const PROVISIONING_UA =
  /^(Aastra|Mitel)(MINET_)?\s*([A-Za-z0-9]{2,8}(?:\s+RP)?)\s+MAC:\s*(\S{1,32})\s+V:\s*(\S{1,64}?)(-SIP)?(?:\s.*)?$/i;

/**
 * Parses the HTTP User-Agent of a phone fetching provisioning files, e.g. `Aastra6867i MAC:00-08-5D-1A-2B-3C
 * V:6.5.0.224-SIP`.
 */
export function parseProvisioningUserAgent(input: TextInput): ProvisioningUserAgent | null {
  const text = boundedText(input, MAX_USER_AGENT_CHARS);
  if (text === null) return null;
  const raw = clean(text);
  const m = PROVISIONING_UA.exec(raw);
  if (!m) return null;
  const model = normaliseModel(m[3]!);
  if (model === null) return null;
  const firmware = parseFirmwareVersion(m[5]!);
  return {
    raw,
    vendor: m[1]!.toLowerCase() === 'aastra' ? 'Aastra' : 'Mitel',
    model,
    mac: parseMac(m[4]!),
    version: firmware ? formatFirmwareVersion(firmware) : m[5]!,
    firmware,
    minet: m[2] !== undefined,
  };
}
