// Which phone models Fieldkit supports and how to recognise a model name in its many spellings.

/** The models Fieldkit deploys (integration guide §1; phone-facts §1 model files `6867i.cfg`, `6865i.cfg`). */
export const SUPPORTED_MODELS = ['6867i', '6865i'] as const;
export type SupportedModel = (typeof SUPPORTED_MODELS)[number];

export type DeviceClass = 'supported' | 'other-mitel' | 'other-sip' | 'unknown';

const MAX_MODEL_INPUT = 128;

// Prefixes seen in front of a model number: SIP banners `Aastra 6731i`, `Mitel 6930` (phone-facts §3),
// HTTP UAs `Aastra6863i`, `Mitel6930`, `MitelMINET_6930` (phone-facts §3, XMLAPI), DHCP option 60
// `AastraIPPhone6867i` / `MitelIPPhone…` (phone-facts §5), 401 realms `Aastra 6757i` (phone-facts §3).
const PREFIX = /^(?:aastra|mitel)(?:\s*ipphone|\s*minet_?)?[\s_-]*/i;

/**
 * Normalises a model name: `6867i`, `6867`, `Mitel 6867i`, `Aastra6867i`, `AastraIPPhone6867i`,
 * `Mitel-6920-SIP` … → `6867i`, `6920`. Returns null when no model number is recognisable.
 * 67xx and 68xx models are all named with a trailing `i`, 69xx models never are.
 */
export function normaliseModel(input: string | null | undefined): string | null {
  if (typeof input !== 'string' || input.length > MAX_MODEL_INPUT) return null;
  let text = input.trim().replace(PREFIX, '');
  text = text.replace(/[\s_-]*sip$/i, '').trim();
  const m = /^(\d{2,4})(i)?(?:\s+RP)?$/i.exec(text);
  if (!m) return null;
  const digits = m[1]!;
  if (/^6[78]\d\d$/.test(digits)) return `${digits}i`;
  if (/^69\d\d$/.test(digits)) return digits;
  return m[2] ? `${digits}i` : digits;
}

export function isSupportedModel(model: string | null | undefined): model is SupportedModel {
  const normal = normaliseModel(model);
  return normal !== null && (SUPPORTED_MODELS as readonly string[]).includes(normal);
}

export interface ClassificationEvidence {
  /** Model as read from any source (banner, realm, UA, sysinfo); normalised here. */
  model?: string | null;
  /** Vendor as read from a banner, realm, UA or OUI lookup. */
  vendor?: string | null;
  /** True when the device answered SIP at all (any status). */
  answeredSip?: boolean;
}

/**
 * supported: a 6867i/6865i; other-mitel: any other Mitel/Aastra device; other-sip: answered SIP
 * but is not Mitel/Aastra; unknown: nothing says what it is.
 */
export function classifyDevice(evidence: ClassificationEvidence): DeviceClass {
  if (isSupportedModel(evidence.model)) return 'supported';
  const vendor = (evidence.vendor ?? '').trim().toLowerCase();
  if (vendor === 'mitel' || vendor === 'aastra') return 'other-mitel';
  if (evidence.answeredSip) return 'other-sip';
  return 'unknown';
}
