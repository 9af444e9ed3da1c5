// A small, realistic site shared by the generator and profile tests.
import { parsePhoneEntries, parseSiteSettings } from '../../../electron/core/config/provisioning-settings';
import type { PhoneEntryInput, SiteSettingsInput } from '../../../electron/core/config/provisioning-settings';

export const siteInput: SiteSettingsInput = {
  siteName: 'Musterwerk Halle 3',
  osv: {
    proxy: { host: '10.20.0.10' },
    backupProxy: { host: 'osv-b.example.net', port: 5161 },
    trustedCaFile: 'osv-root-ca.pem',
  },
  ntp: { server1: '10.20.0.1' },
  provisioning: { protocol: 'HTTPS', server: 'prov.example.net', path: 'mitel' },
  fieldkitHost: '10.20.5.50',
  vlan: { enabled: true, id: 20 },
};

export const phonesInput: PhoneEntryInput[] = [
  {
    mac: '00:08:5d:1a:2b:3c',
    model: '6867i',
    directoryNumber: '2108189795',
    displayName: 'Anna Schmidt',
    location: 'Raum 3.14',
  },
  { mac: '00-10-bc-00-00-01', model: '6865i', directoryNumber: '2108189796', displayName: 'Empfang' },
  {
    mac: '00085d0000ff',
    model: '6867i',
    directoryNumber: '2108189797',
    displayName: '',
    overrides: { 'sip line1 vmail': '*98' },
  },
];

export const site = (patch: Partial<SiteSettingsInput> = {}) => parseSiteSettings({ ...siteInput, ...patch });
export const phones = (list: PhoneEntryInput[] = phonesInput) => parsePhoneEntries(list);
