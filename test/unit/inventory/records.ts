// DeviceRecords as discovery produces them, for inventory tests.
import type { DeviceRecord } from '../../../electron/core/discovery/device-record';

export interface PhoneSpec {
  ip: string | null;
  mac?: string | null;
  model?: string | null;
  firmware?: string | null;
  at?: string;
}

export function phoneRecord(spec: PhoneSpec): DeviceRecord {
  const at = spec.at ?? '2026-03-01T10:00:00.000Z';
  const mac = spec.mac ?? null;
  const firmware = spec.firmware ?? null;
  return {
    key: mac ? `mac:${mac}` : `ip:${spec.ip}`,
    ip: spec.ip,
    mac: mac ? { value: mac, source: 'neighbour', at } : null,
    vendor: { value: 'Mitel', source: 'sip', at },
    model: spec.model === null ? null : { value: spec.model ?? '6867i', source: 'sip', at },
    firmware: firmware ? { value: firmware, source: 'sip', at } : null,
    banner: { value: `Mitel ${spec.model ?? '6867i'}/${firmware ?? ''}`, source: 'sip', at },
    hostname: null,
    sipPort: 5060,
    httpPort: 80,
    httpsPort: null,
    services: [],
    classification: 'supported',
    sources: ['sip', 'neighbour'],
    flags: {
      belowOsvMinimum: firmware !== null && firmware < '6.5.0.224',
      vulnerable: [],
      possiblyVulnerable: [],
      notes: [],
    },
    firstSeen: at,
    lastSeen: at,
  };
}

export const inSubnet =
  (prefix: string) =>
  (ip: string | null): boolean =>
    ip !== null && ip.startsWith(prefix);
