// Opt-in mDNS advertisement of a lab device (real 6800 phones show no evidence of mDNS, phone-facts §5).
import { Bonjour } from 'bonjour-service';
import type { ServiceConfig } from 'bonjour-service';
import type { LabDeviceInfo } from './lab-devices';

export interface Advertisement {
  stop(): Promise<void>;
}

export function advertise(info: LabDeviceInfo, interfaceAddress: string): Advertisement {
  // Bound to one interface address so nothing leaves through a real interface (network rules).
  // The options go to multicast-dns; bonjour-service's typings only list service fields.
  const socketOptions = { interface: interfaceAddress, bind: '0.0.0.0' } as unknown as Partial<ServiceConfig>;
  const bonjour = new Bonjour(socketOptions);
  const host = `sim-${info.mac.toLowerCase()}.local`;
  const service = bonjour.publish({
    name: `${info.model ?? info.kind} ${info.mac}`,
    type: info.httpPort !== null ? 'http' : 'sip',
    protocol: info.httpPort !== null ? 'tcp' : 'udp',
    port: info.httpPort ?? info.sipPort ?? 5060,
    host,
    txt: { mac: info.mac, model: info.model ?? info.kind },
    disableIPv6: true,
  });
  // bonjour-service derives A records from every non-internal interface; a lab device has exactly one address.
  const records = service.records.bind(service);
  service.records = () => [
    ...records().filter((r) => r.type !== 'A' && r.type !== 'AAAA'),
    { name: host, type: 'A', ttl: 120, data: info.address },
  ];
  return {
    stop: () => new Promise<void>((resolve) => bonjour.unpublishAll(() => bonjour.destroy(() => resolve()))),
  };
}
