// Turns a parsed lab spec into simulated devices on given addresses, starts and stops them in one process.
// Used in-process (loopback mode) and by lab-worker.ts inside the phones' namespace.
import { addToMac, normaliseMac } from './mac';
import { advertise } from './mdns';
import { OtherDevice } from './other-device';
import { SimPhone } from './phone';
import type { Advertisement } from './mdns';
import type { LabSpec } from './lab-spec';
import type { SimClock } from './clock';
import type { BannerPrefix } from './phone';

export type DeviceKind = 'mitel-6800' | 'other-sip' | 'other-mitel';

export interface LabDeviceInfo {
  index: number;
  kind: DeviceKind;
  address: string;
  mac: string;
  model: string | null;
  firmware: string | null;
  bannerPrefix: BannerPrefix | null;
  sipPort: number | null;
  httpPort: number | null;
  httpsPort: number | null;
}

export interface LabDevice {
  info: LabDeviceInfo;
  device: SimPhone | OtherDevice;
  mdns: boolean;
}

export interface BuildOptions {
  provisioningUrl?: string;
  clock?: SimClock;
  /** Interface address mDNS sockets use (127.0.0.1 on loopback, the device's own address in a namespace). */
  mdnsInterface: (address: string) => string;
}

export function countDevices(spec: LabSpec): number {
  return spec.groups.reduce((n, g) => n + g.count, 0);
}

export function buildLabDevices(spec: LabSpec, addresses: string[], opts: BuildOptions): LabDevice[] {
  const devices: LabDevice[] = [];
  const macs = new Set<string>();
  for (const [g, group] of spec.groups.entries()) {
    for (let i = 0; i < group.count; i++) {
      const index = devices.length;
      const address = addresses[index];
      if (!address) throw new Error(`lab needs ${countDevices(spec)} addresses, only ${addresses.length} given`);
      const mac = addToMac(normaliseMac(group.macStart), i);
      if (macs.has(mac)) throw new Error(`groups[${g}] repeats MAC ${mac}: MAC ranges of the groups overlap`);
      macs.add(mac);
      if (group.kind === 'mitel-6800') {
        const firmware = group.versions[i % group.versions.length]!;
        const bannerPrefix: BannerPrefix =
          group.bannerPrefix === 'alternate' ? (i % 2 === 0 ? 'Mitel' : 'Aastra') : group.bannerPrefix;
        const phone = new SimPhone({
          model: group.model,
          mac,
          firmware,
          address,
          bannerPrefix,
          adminPassword: group.adminPassword,
          sipPort: group.ports.sip,
          sipTcp: group.sipTcp,
          httpPort: group.ports.http,
          httpsPort: group.ports.https,
          provisioningUrl: opts.provisioningUrl,
          globalCfgMode: group.globalCfgMode,
          bootMs: spec.bootMs,
          flashMs: spec.flashMs,
          clock: opts.clock,
          faults: group.faults,
          factoryState: group.factoryState,
          ...(group.webSessionIdleMs !== undefined ? { webSessionIdleMs: group.webSessionIdleMs } : {}),
        });
        devices.push({
          info: {
            index,
            kind: group.kind,
            address,
            mac,
            model: group.model,
            firmware,
            bannerPrefix,
            sipPort: group.ports.sip,
            httpPort: group.ports.http,
            httpsPort: group.ports.https,
          },
          device: phone,
          mdns: group.mdns,
        });
      } else {
        const other = new OtherDevice({
          address,
          mac,
          sipBanner: group.sipBanner,
          sipBannerHeader: group.sipBannerHeader,
          sipPort: group.ports.sip,
          httpPort: group.ports.http,
          httpRealm: group.httpRealm,
          httpServerHeader: group.httpServerHeader,
        });
        devices.push({
          info: {
            index,
            kind: group.kind,
            address,
            mac,
            model: null,
            firmware: null,
            bannerPrefix: null,
            sipPort: group.ports.sip,
            httpPort: group.ports.http,
            httpsPort: null,
          },
          device: other,
          mdns: group.mdns,
        });
      }
    }
  }
  return devices;
}

export interface RunningDevices {
  devices: LabDevice[];
  stop(): Promise<void>;
}

/** Starts all devices with bounded parallelism; on any failure stops the ones already started. */
export async function startLabDevices(
  devices: LabDevice[],
  opts: BuildOptions,
  parallel = 64,
): Promise<RunningDevices> {
  const ads: Advertisement[] = [];
  const started: LabDevice[] = [];
  const stop = async (): Promise<void> => {
    for (const ad of ads.splice(0)) await ad.stop();
    await Promise.all(started.splice(0).map((d) => d.device.stop()));
  };
  try {
    for (let i = 0; i < devices.length; i += parallel) {
      const batch = devices.slice(i, i + parallel);
      started.push(...batch);
      await Promise.all(batch.map((d) => d.device.start()));
    }
    for (const d of devices.filter((x) => x.mdns)) ads.push(advertise(d.info, opts.mdnsInterface(d.info.address)));
  } catch (err) {
    await stop();
    throw err;
  }
  return { devices, stop };
}
