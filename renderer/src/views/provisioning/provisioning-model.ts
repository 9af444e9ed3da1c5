// Shared shapes and helpers of the provisioning flow (renderer side).
import { ui } from '../../lib/state.svelte';
import type { CallOutput } from '$api/contract';

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

type Loose = Record<string, unknown> | undefined;
const str = (v: unknown, fallback = ''): string => (v === undefined || v === null ? fallback : String(v));
const obj = (v: unknown): Loose => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

export function formFromSettings(s: Record<string, unknown> | null): SettingsForm {
  const f = emptyForm();
  if (!s) return f;
  const osv = obj(s.osv);
  const prov = obj(s.provisioning);
  const vlan = obj(s.vlan);
  const resync = obj(s.resync);
  return {
    siteName: str(s.siteName, f.siteName),
    proxyHost: str(obj(osv?.proxy)?.host),
    proxyPort: str(obj(osv?.proxy)?.port),
    registrarHost: str(obj(osv?.registrar)?.host),
    transport: (osv?.transport as SettingsForm['transport']) ?? f.transport,
    trustedCaFile: str(osv?.trustedCaFile),
    centralizedConference:
      (osv?.centralizedConference as SettingsForm['centralizedConference']) ?? f.centralizedConference,
    srtp: (osv?.srtp as SettingsForm['srtp']) ?? f.srtp,
    ntp1: str(obj(s.ntp)?.server1),
    ntp2: str(obj(s.ntp)?.server2),
    timeZone: str(s.timeZone, f.timeZone),
    vlanEnabled: Boolean(vlan?.enabled),
    vlanId: str(vlan?.id),
    resyncMode: (resync?.mode as SettingsForm['resyncMode']) ?? f.resyncMode,
    resyncTime: str(resync?.time, f.resyncTime),
    provProtocol: (prov?.protocol as SettingsForm['provProtocol']) ?? f.provProtocol,
    provServer: str(prov?.server),
    provPort: str(prov?.port),
    provPath: str(prov?.path),
    fieldkitHost: str(s.fieldkitHost),
  };
}

const num = (text: string): number | string => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());

/** What config.settings.save receives; empty optional fields are left out, the server validates the rest. */
export function settingsFromForm(f: SettingsForm): Record<string, unknown> {
  const opt = <T>(cond: boolean, value: T) => (cond ? value : undefined);
  const clean = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return clean({
    siteName: f.siteName.trim(),
    osv: clean({
      proxy: clean({ host: f.proxyHost.trim(), port: opt(f.proxyPort.trim() !== '', num(f.proxyPort)) }),
      registrar: opt(f.registrarHost.trim() !== '', { host: f.registrarHost.trim() }),
      transport: f.transport,
      trustedCaFile: f.trustedCaFile.trim(),
      centralizedConference: f.centralizedConference,
      srtp: f.srtp,
    }),
    ntp: clean({ server1: f.ntp1.trim(), server2: opt(f.ntp2.trim() !== '', f.ntp2.trim()) }),
    timeZone: f.timeZone.trim(),
    vlan: clean({ enabled: f.vlanEnabled, id: opt(f.vlanId.trim() !== '', num(f.vlanId)) }),
    resync: { mode: f.resyncMode, time: f.resyncTime.trim() },
    provisioning: clean({
      protocol: f.provProtocol,
      server: f.provServer.trim(),
      port: opt(f.provPort.trim() !== '', num(f.provPort)),
      path: f.provPath.trim().replace(/^\/+|\/+$/g, ''),
    }),
    fieldkitHost: opt(f.fieldkitHost.trim() !== '', f.fieldkitHost.trim()),
  });
}

/** The live job with this id (updated by job.updated events), or null. */
export function jobById(id: string | null) {
  return id ? (ui.jobs.find((j) => j.id === id) ?? null) : null;
}

export const finished = (state: string | undefined) =>
  state === 'succeeded' || state === 'failed' || state === 'cancelled';
