// Which restart method to try first for a phone of this site. Every public user sends NOTIFY check-sync from the
// PBX; from the technician's laptop it works only where the phone accepts it: `sip whitelist: 1` makes the phone
// refuse NOTIFY from anyone but its proxy, and a phone signalling over TLS only answers nothing on UDP 5060
// (phone-facts §4, §10). There the web UI restart goes first and NOTIFY last, and the result says why.
import type { SiteSettings } from '../config';
import type { RebootMethod } from './reboot';

export interface RebootRoute {
  /** Methods in the order they are tried (the XML one is Reset or FastReboot as the caller asks). */
  order: RebootMethod[];
  /** Why the order differs from the default (NOTIFY first), in the technician's words; null for the default. */
  reason: string | null;
}

export const DEFAULT_ORDER: readonly RebootMethod[] = ['sip-notify', 'web-restart', 'xml-reset'];
const NOTIFY_LAST: readonly RebootMethod[] = ['web-restart', 'xml-reset', 'sip-notify'];

function normaliseName(name: string): string {
  return name
    .replace(/^[!^\s]+/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

function unquote(value: string): string {
  return value
    .replace(/\s#.*$/, '')
    .trim()
    .replace(/^"(.*)"$/, '$1');
}

/**
 * The value a phone will read for `name` from the site's files: the generated setting, then the global, model and
 * per-phone overrides in the order the phone reads its files (last one wins, phone-facts §1).
 */
function effective(
  name: string,
  base: string | undefined,
  layers: ReadonlyArray<Readonly<Record<string, string>> | undefined>,
): { value: string | undefined; from: string } {
  let value = base;
  let from = 'the site settings';
  const where = ['the site overrides', 'the model overrides', "the phone's own overrides"];
  layers.forEach((layer, i) => {
    for (const [k, v] of Object.entries(layer ?? {})) {
      if (normaliseName(k) !== name) continue;
      value = unquote(v);
      from = where[i]!;
    }
  });
  return { value, from };
}

const TRANSPORT_CODE = { udp: '1', tcp: '2', tls: '4' } as const;

/** The restart order for one phone of the site (settings absent: the default order). */
export function rebootRouteFor(
  settings: SiteSettings | undefined,
  phone: { model: string | null; overrides?: Readonly<Record<string, string>> },
): RebootRoute {
  if (!settings) return { order: [...DEFAULT_ORDER], reason: null };
  const layers = [
    settings.globalOverrides,
    phone.model ? settings.modelOverrides[phone.model as keyof SiteSettings['modelOverrides']] : undefined,
    phone.overrides,
  ];
  const whitelist = effective('sip whitelist', '0', layers);
  const transport = effective('sip transport protocol', TRANSPORT_CODE[settings.osv.transport], layers);
  const why: string[] = [];
  if (whitelist.value === '1')
    why.push(
      `${whitelist.from} set sip whitelist: 1, so the phone accepts NOTIFY only from its proxy, not from this laptop`,
    );
  if (transport.value === '4')
    why.push(
      `the phone signals over TLS only (sip transport protocol: 4 in ${transport.from}), so nothing answers NOTIFY on UDP 5060`,
    );
  if (why.length === 0) return { order: [...DEFAULT_ORDER], reason: null };
  return {
    order: [...NOTIFY_LAST],
    reason: `Web UI restart first, SIP NOTIFY last: ${why.join('; ')} (phone-facts §10).`,
  };
}
