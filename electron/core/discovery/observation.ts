// What one discovery method saw about one address at one moment. The merger folds these into DeviceRecords.
import type { DiscoveryMethod } from './device-record';

export interface Observation {
  method: DiscoveryMethod;
  /** Address the device was seen at; null only when a method knows a MAC but no address. */
  ip: string | null;
  at: string;
  mac?: string | null;
  vendor?: string | null;
  model?: string | null;
  /** Four-field Mitel firmware `a.b.c.d`; only set by sources that parsed it as such. */
  firmware?: string | null;
  banner?: string | null;
  hostname?: string | null;
  sipPort?: number;
  httpPort?: number;
  httpsPort?: number;
  services?: string[];
  /** The device answered a SIP request (any status). */
  answeredSip?: boolean;
  /** Something the technician should know about this device, e.g. a rejected admin password. */
  note?: string;
  /** The observation only carries a note (e.g. a rejected password): the method did not read the device's data. */
  noteOnly?: boolean;
}

export const nowIso = (): string => new Date().toISOString();
