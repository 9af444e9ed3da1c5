// Passive discovery: every phone that fetches files from Fieldkit's provisioning server names its model, MAC and
// firmware in its User-Agent (phone-facts §3 "Passive version source"). The provisioning server calls
// recordProvisioningRequest() for each request; listeners and the next discovery run get the observation.
import { EventEmitter } from 'node:events';
import { isIPv4 } from 'node:net';
import { formatFirmwareVersion, parseProvisioningUserAgent } from '../phone';
import type { Observation } from './observation';

export interface ProvisioningRequest {
  /** Address the request came from (IPv4-mapped IPv6 `::ffff:a.b.c.d` is accepted). */
  ip: string;
  userAgent: string | undefined;
  /** Requested path; passed on to listeners with the observation (what the phone asked for). */
  path: string;
  at?: Date | string;
}

export interface PassiveEvents {
  observation: [Observation, ProvisioningRequest];
}

const MAX_REMEMBERED = 10_000;

export class PassiveObserver extends EventEmitter<PassiveEvents> {
  /** Latest observation per MAC (or IP when the UA has no valid MAC), bounded. */
  readonly #latest = new Map<string, Observation>();

  /** Returns the observation, or null when the request does not come from a Mitel/Aastra phone. */
  recordProvisioningRequest(request: ProvisioningRequest): Observation | null {
    const ip = request.ip.replace(/^::ffff:/i, '');
    const ua = parseProvisioningUserAgent(request.userAgent ?? '');
    if (ua === null || !isIPv4(ip)) return null;
    const at = request.at === undefined ? new Date().toISOString() : new Date(request.at).toISOString();
    const observation: Observation = {
      method: 'passive',
      ip,
      at,
      mac: ua.mac,
      vendor: ua.vendor,
      model: ua.model,
      firmware: ua.firmware ? formatFirmwareVersion(ua.firmware) : null,
      banner: ua.raw,
      ...(ua.minet ? { note: 'The phone runs a MiNET load, not SIP firmware.' } : {}),
    };
    const key = ua.mac ?? `ip:${ip}`;
    this.#latest.delete(key);
    this.#latest.set(key, observation);
    if (this.#latest.size > MAX_REMEMBERED) this.#latest.delete(this.#latest.keys().next().value!);
    this.emit('observation', observation, request);
    return observation;
  }

  /** What was seen so far, oldest first. */
  observations(): Observation[] {
    return [...this.#latest.values()];
  }
}
