// Shared shapes and helpers of the provisioning flow (renderer side).
import { ui } from '../../lib/state.svelte';
import type { CallInput, CallOutput } from '$api/contract';

export type StepId = 'settings' | 'generate' | 'publish' | 'reboot' | 'verify';
export const STEPS: { id: StepId; label: string }[] = [
  { id: 'settings', label: 'Settings' },
  { id: 'generate', label: 'Generate' },
  { id: 'publish', label: 'Preview & publish' },
  { id: 'reboot', label: 'Reboot' },
  { id: 'verify', label: 'Verify' },
];

export type GenerateReport = CallOutput<'config.generate'>;
export type Finding = GenerateReport['findings'][number];
export type SitePhone = CallOutput<'phones.list'>[number];

/** The form's shape: every field as text or flag, converted to the settings schema on save. */
export interface SettingsForm {
  siteName: string;
  proxyHost: string;
  proxyPort: string;
  registrarHost: string;
  transport: 'udp' | 'tcp' | 'tls';
  trustedCaFile: string;
  centralizedConference: 'server' | 'local';
  srtp: 'disabled' | 'preferred' | 'required';
  ntp1: string;
  ntp2: string;
  timeZone: string;
  vlanEnabled: boolean;
  vlanId: string;
  resyncMode: 'none' | 'config' | 'firmware' | 'both';
  resyncTime: string;
  provProtocol: 'HTTP' | 'HTTPS' | 'TFTP' | 'FTP';
  provServer: string;
  provPort: string;
  provPath: string;
  fieldkitHost: string;
}

export function emptyForm(): SettingsForm {
  return {
    siteName: ui.site?.name ?? '',
    proxyHost: '',
    proxyPort: '',
    registrarHost: '',
    transport: 'tls',
    trustedCaFile: '',
    centralizedConference: 'server',
    srtp: 'preferred',
    ntp1: '',
    ntp2: '',
    timeZone: 'DE-Berlin',
    vlanEnabled: false,
    vlanId: '',
    resyncMode: 'config',
    resyncTime: '03:00',
    provProtocol: 'HTTP',
    provServer: '',
    provPort: '',
    provPath: '',
    fieldkitHost: '',
  };
}

/** The settings as config.settings.save takes them and config.settings.get returns them (the contract's type). */
export type SettingsInput = CallInput<'config.settings.save'>['settings'];

const str = (v: string | number | undefined, fallback = ''): string => (v === undefined ? fallback : String(v));

export function formFromSettings(s: SettingsInput | null): SettingsForm {
  const f = emptyForm();
  if (!s) return f;
  return {
    siteName: str(s.siteName, f.siteName),
    proxyHost: s.osv.proxy.host,
    proxyPort: str(s.osv.proxy.port),
    registrarHost: str(s.osv.registrar?.host),
    transport: s.osv.transport ?? f.transport,
    trustedCaFile: str(s.osv.trustedCaFile),
    centralizedConference: s.osv.centralizedConference ?? f.centralizedConference,
    srtp: s.osv.srtp ?? f.srtp,
    ntp1: s.ntp.server1,
    ntp2: str(s.ntp.server2),
    timeZone: str(s.timeZone, f.timeZone),
    vlanEnabled: s.vlan?.enabled ?? false,
    vlanId: str(s.vlan?.id),
    resyncMode: s.resync?.mode ?? f.resyncMode,
    resyncTime: str(s.resync?.time, f.resyncTime),
    provProtocol: s.provisioning.protocol ?? f.provProtocol,
    provServer: s.provisioning.server,
    provPort: str(s.provisioning.port),
    provPath: str(s.provisioning.path),
    fieldkitHost: str(s.fieldkitHost),
  };
}

/** A number field as typed; not a whole number gives NaN, which the server refuses naming the field. */
const num = (text: string): number => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);
const filled = (text: string) => text.trim() !== '';

/** What config.settings.save receives; empty optional fields are left out, the server validates the rest. */
export function settingsFromForm(f: SettingsForm): SettingsInput {
  return {
    siteName: f.siteName.trim(),
    osv: {
      proxy: { host: f.proxyHost.trim(), ...(filled(f.proxyPort) ? { port: num(f.proxyPort) } : {}) },
      ...(filled(f.registrarHost) ? { registrar: { host: f.registrarHost.trim() } } : {}),
      transport: f.transport,
      trustedCaFile: f.trustedCaFile.trim(),
      centralizedConference: f.centralizedConference,
      srtp: f.srtp,
    },
    ntp: { server1: f.ntp1.trim(), ...(filled(f.ntp2) ? { server2: f.ntp2.trim() } : {}) },
    timeZone: f.timeZone.trim(),
    vlan: { enabled: f.vlanEnabled, ...(filled(f.vlanId) ? { id: num(f.vlanId) } : {}) },
    resync: { mode: f.resyncMode, time: f.resyncTime.trim() },
    provisioning: {
      protocol: f.provProtocol,
      server: f.provServer.trim(),
      ...(filled(f.provPort) ? { port: num(f.provPort) } : {}),
      path: f.provPath.trim().replace(/^\/+|\/+$/g, ''),
    },
    ...(filled(f.fieldkitHost) ? { fieldkitHost: f.fieldkitHost.trim() } : {}),
  };
}

/** The live job with this id (updated by job.updated events), or null. */
export function jobById(id: string | null) {
  return id ? (ui.jobs.find((j) => j.id === id) ?? null) : null;
}

export const finished = (state: string | undefined) =>
  state === 'succeeded' || state === 'stopped' || state === 'failed' || state === 'cancelled';
