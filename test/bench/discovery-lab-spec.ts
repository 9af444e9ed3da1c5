// The namespace lab the discovery bench and the namespace tests share: 200 devices in 198.18.0.0/24, 190 of them
// 6867i/6865i phones (20 on non-default ports, 5 with SIP off), plus other SIP and other Mitel devices.
import type { LabSpecInput } from '../sim/lab-spec';

export const NON_DEFAULT = { sip: 5070, http: 8080, https: 8443 } as const;

export const SCAN_200_SPEC: LabSpecInput = {
  name: 'discovery-200',
  bootMs: 0,
  groups: [
    {
      kind: 'mitel-6800',
      count: 110,
      model: '6867i',
      versions: ['6.5.0.224', '6.4.0.140', '5.1.0.2051'],
      macStart: '00:08:5D:50:00:01',
      bannerPrefix: 'alternate',
    },
    {
      kind: 'mitel-6800',
      count: 55,
      model: '6865i',
      versions: ['6.5.0.224', '6.4.0.140'],
      macStart: '08:00:0F:50:00:01',
      bannerPrefix: 'Mitel',
    },
    {
      kind: 'mitel-6800',
      count: 20,
      model: '6867i',
      versions: ['6.5.0.224', '4.2.0.181'],
      macStart: '00:08:5D:52:00:01',
      bannerPrefix: 'Aastra',
      ports: { ...NON_DEFAULT },
    },
    {
      kind: 'mitel-6800',
      count: 5,
      model: '6865i',
      versions: ['6.5.0.224'],
      macStart: '00:10:BC:53:00:01',
      ports: { sip: null, http: 80, https: 443 },
    },
    {
      kind: 'other-sip',
      count: 5,
      macStart: '80:5E:C0:50:00:01',
      sipBanner: 'Yealink SIP-T46S 66.86.0.15',
      sipBannerHeader: 'User-Agent',
    },
    {
      kind: 'other-mitel',
      count: 5,
      macStart: '00:08:5D:60:00:01',
      sipBanner: 'Aastra 6757i/3.3.1.4322',
      ports: { sip: 5060, http: 80 },
      httpRealm: 'Aastra 6757i',
      httpServerHeader: 'Aragorn',
    },
  ],
};

/** A mostly empty /16: 20 phones at the start of 198.18.0.0/16, the rest of the 65,534 addresses silent. */
export const SPARSE_16_SPEC: LabSpecInput = {
  name: 'discovery-sparse-16',
  // Spread over the /16 so the last phones sit near its end, after ~65,000 silent addresses.
  namespaceLayout: 'spread',
  bootMs: 0,
  groups: [{ kind: 'mitel-6800', count: 20, model: '6867i', versions: ['6.5.0.224'], macStart: '00:08:5D:70:00:01' }],
};

export const ADMIN_PASSWORD = '22222';

/** A few phones spread over a /21 (2,046 addresses, more than the OS can resolve at once), the last near its end. */
export const SPREAD_21_SPEC: LabSpecInput = {
  name: 'discovery-spread-21',
  namespaceLayout: 'spread',
  spreadPrefix: 21,
  bootMs: 0,
  groups: [
    {
      kind: 'mitel-6800',
      count: 6,
      model: '6865i',
      versions: ['6.5.0.224', '5.1.1.2033'],
      macStart: '00:08:5D:71:00:01',
    },
  ],
};
