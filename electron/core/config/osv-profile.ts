// The OpenScape Voice integration profile for Mitel 6867i/6865i: what Fieldkit writes into the
// configuration files and what it checks in them, each rule citing the integration guide
// (the Mitel 6867/6865 OSV integration guide 12/2025, "guide §n") or the public facts (docs/phone-facts.md,
// "phone-facts §n").
// The rules are data so that the checklist and the UI can show them.

import { secretKeys } from '../secrets/secret-store';
import { digestUserFor as digestUserName } from '../secrets/admin-passwords';
import { caFileName } from './provisioning-settings';
import { SCREEN_NAME_MAX } from './parameter-rules';
import type { MergedParam } from './cfg-format';
import type { Finding, Severity } from './parameter-rules';
import type { PhoneEntry, SiteSettings, Transport } from './provisioning-settings';
import type { SecretKey } from '../secrets/secret-store';
import type { ProfileRule } from './profile-rule-schemas';

export type ProfileRuleId =
  | 'osv.openscape-enable'
  | 'osv.centralized-conf'
  | 'osv.digest-dn'
  | 'osv.realm'
  | 'osv.srtp-sdes'
  | 'osv.tls'
  | 'site.sip-servers'
  | 'site.line-identity'
  | 'site.ntp'
  | 'site.time-zone'
  | 'site.vlan'
  | 'site.provisioning'
  | 'site.auto-resync'
  | 'harden.admin-password'
  | 'harden.contact-rcs'
  | 'harden.xml-post-list'
  | 'harden.https-provisioning'
  | 'harden.https-trust'
  | 'harden.http-digest';

export type { ProfileRule };

export const profileRules: readonly ProfileRule[] = [
  {
    id: 'osv.openscape-enable',
    title: 'OpenScape Voice features on',
    source: 'guide §4.1',
    knownIssues: [],
    rationale:
      'Since firmware 6.5.0.224 the OSV-specific features are off by default (openscape enable: 0); without this line large conferences and the other OSV features do not work.',
    parameters: ['openscape enable'],
  },
  {
    id: 'osv.centralized-conf',
    title: 'Conference behaviour (centralized or local)',
    source: 'guide §4.1',
    knownIssues: ['DTP-74244'],
    rationale:
      'sip centralized conf: 1 makes the phone always use the server: it requests a new centralized conference or adds the party to the one it is in. sip centralized conf: 0 makes the phone mix a three-party conference itself, unless it is already a member of a centralized conference, in which case it adds the party there. Use 1 for OSV large conferences. Older Aastra guides (AG 3.2.2 p.5-339) use the same name to turn on server-side ad-hoc conferencing for Sylantro/BroadSoft, and kazoo writes 1000 (apparently a conference number); for OSV the guide defines only 0 and 1, so any other value is refused.',
    parameters: ['sip centralized conf'],
  },
  {
    id: 'osv.digest-dn',
    title: 'Digest authentication with the directory number',
    source: 'guide §4.2, §9',
    knownIssues: ['DTP-73963'],
    rationale:
      'Digest authentication is configured per subscriber in OSV; the phone only uses the credentials. The user name must be the directory number: alphanumeric user names (e.g. "realm3") make registration fail (DTP-73963). The SIP password comes from the credential store, never from the workspace.',
    parameters: ['sip lineN auth name', 'sip lineN user name', 'sip lineN password'],
  },
  {
    id: 'osv.realm',
    title: 'Phone realm (guide example: realm = directory number)',
    source: 'guide §4.2; phone-facts §1',
    knownIssues: ['DTP-73963'],
    rationale:
      'The guide\'s example sets the phone\'s realm to the directory number (OSV subscriber realm "realm3", phone realm 2108189795). No public Mitel source names a realm parameter for these phones (phone-facts §1), and a SIP client normally takes the realm from the server\'s 401 challenge. Fieldkit therefore writes no realm line unless the site names a parameter verified on a bench phone (site option osv.realmParameter, e.g. "sip line{line} realm"); then it writes that parameter with the directory number and reports it as unverified. Either way the technician confirms in the checklist that the phone registers.',
    parameters: ['(site option osv.realmParameter)'],
  },
  {
    id: 'osv.srtp-sdes',
    title: 'SRTP with SDES only, never MIKEY',
    source: 'guide §8, §9',
    knownIssues: ['DTP-74233'],
    rationale:
      'The phones support only SDES for SRTP key exchange; MIKEY is not supported (DTP-74233), so OSV must offer SDES. SDES keys travel in the SDP, so SRTP is only confidential over TLS signalling. The per-line name sip lineN srtp mode is seen in WAZO; the global sip srtp mode is likely but not seen in a primary source (phone-facts §1), so Fieldkit writes both.',
    parameters: ['sip srtp mode', 'sip lineN srtp mode'],
  },
  {
    id: 'osv.tls',
    title: 'TLS signalling with trusted CA certificates',
    source: 'guide §5, §9',
    knownIssues: ['DTP-74349'],
    rationale:
      "SIP over TLS (sip transport protocol: 4) with certificates from a trusted public or enterprise CA; the phone fetches the CA file named in sips trusted certificates from its configuration server, so Fieldkit publishes the site's imported CA bundle next to the configuration files (and into firmware staging folders). If TLS registration fails with existing certificates, new certificates are needed (DTP-74349). sips persistent tls is written as 0, as wazo-provd does for these phones: persistent TLS would also need sip outbound proxy, which an OSV site does not use, and non-persistent TLS works with the trusted certificates alone in that public configuration (AG331 p.A-84 asks for more; the evidence is mixed, so the value is explicit rather than the firmware's default). Another transport is a deviation to document in the security checklist (guide §2.2).",
    parameters: ['sip transport protocol', 'sips trusted certificates', 'sips persistent tls'],
  },
  {
    id: 'site.sip-servers',
    title: 'OSV SIP servers',
    source: 'phone-facts §1 SIP line N',
    knownIssues: [],
    rationale:
      'Proxy and registrar (and their backups) of the OSV node, written as global parameters that every line inherits.',
    parameters: [
      'sip proxy ip',
      'sip proxy port',
      'sip registrar ip',
      'sip registrar port',
      'sip backup proxy ip',
      'sip backup proxy port',
      'sip backup registrar ip',
      'sip backup registrar port',
    ],
  },
  {
    id: 'site.line-identity',
    title: 'Line 1 display and screen name',
    source: 'phone-facts §1 SIP line N',
    knownIssues: [],
    rationale: "The name from the technician's sheet, shown on the phone and sent as caller name.",
    parameters: ['sip lineN display name', 'sip lineN screen name'],
  },
  {
    id: 'site.ntp',
    title: 'Time server',
    source: 'phone-facts §6 WAZO base.tpl',
    knownIssues: [],
    rationale:
      'Correct time is needed to check certificate validity for TLS and HTTPS. time server disabled: 0 is written explicitly (as wazo-provd, Elastix, FusionPBX and MX-ONE templates do) instead of relying on an unpublished default.',
    parameters: ['time server disabled', 'time server1', 'time server2', 'time server3'],
  },
  {
    id: 'site.time-zone',
    title: 'Time zone',
    source: 'phone-facts §6 WAZO base.tpl',
    knownIssues: [],
    rationale: 'Local time on the display and in call logs.',
    parameters: ['time zone name'],
  },
  {
    id: 'site.vlan',
    title: 'Voice VLAN',
    source: 'phone-facts §6 WAZO base.tpl',
    knownIssues: [],
    rationale: "Tags voice traffic with the site's voice VLAN when the switch does not assign it by LLDP-MED or DHCP.",
    parameters: ['tagging enabled', 'vlan id'],
  },
  {
    id: 'site.provisioning',
    title: 'Configuration server',
    source: 'phone-facts §1 Config server',
    knownIssues: [],
    rationale:
      "Where the phone fetches its files from at the next boot or resync. The http server/path/port names are seen in WAZO; https follows the same pattern (Web UI fields httpsserv/httpspath/httpsport). TFTP and FTP have a server and a path but no port parameter in any public source, so none is written; FTP needs ftp username and ftp password, the password from the credential store. For the site's built-in server the path carries the server's random key.",
    parameters: [
      'download protocol',
      'http server',
      'http path',
      'http port',
      'https server',
      'https path',
      'https port',
      'tftp server',
      'tftp path',
      'ftp server',
      'ftp path',
      'ftp username',
      'ftp password',
    ],
  },
  {
    id: 'site.auto-resync',
    title: 'Automatic resync policy',
    source: 'phone-facts §1 Auto resync',
    knownIssues: [],
    rationale:
      "Phones re-read their configuration at a quiet hour (and wait until idle). Firmware resync (mode 2 or 3) would let phones take new firmware outside Fieldkit's controlled waves, so the default is configuration files only.",
    parameters: ['auto resync mode', 'auto resync time', 'auto resync max delay'],
  },
  {
    id: 'harden.admin-password',
    title: 'Admin password per phone, numeric, not 22222, locked',
    source: 'phone-facts §1 Passwords, Syntax',
    knownIssues: [],
    rationale:
      "Every phone ships with admin password 22222. Only integers from 0 to 4294967295 work (letters make the phone fall back to the default). Each phone gets its own, derived from the site's secret and its MAC (or an explicit value stored for it), written locked (!) in the phone's own <MAC>.cfg and never in startup.cfg, aastra.cfg or <model>.cfg: a leaked file or a rogue host posing as a phone learns one phone's password, not the site's.",
    parameters: ['admin password'],
  },
  {
    id: 'harden.contact-rcs',
    title: "No contact with Mitel's redirection service",
    source: 'phone-facts §5 RCS',
    knownIssues: [],
    rationale:
      "A phone at factory state asks Mitel's RCS over the Internet where its configuration is; RCS can change its config server and firmware. contact rcs: 0 stops that.",
    parameters: ['contact rcs'],
  },
  {
    id: 'harden.xml-post-list',
    title: 'XML push only from Fieldkit and the provisioning server',
    source: 'phone-facts §1 XML, §4 XML push',
    knownIssues: [],
    rationale:
      'The phone accepts XML pushes (including Command: Reset) only from the hosts in xml application post list. Fieldkit needs to be listed to reboot phones by XML; nobody else should be.',
    parameters: ['xml application post list'],
  },
  {
    id: 'harden.https-provisioning',
    title: 'HTTPS for provisioning',
    source: 'phone-facts §1 Config server',
    knownIssues: [],
    rationale:
      'Configuration files carry SIP and admin passwords; over HTTP or TFTP they cross the network in clear. HTTPS is recommended; anything else is a deviation to document (guide §2.2).',
    parameters: ['download protocol'],
  },
  {
    id: 'harden.https-trust',
    title: 'HTTPS provisioning the phones can trust',
    source: 'guide §5; XMLGUIDE p.205',
    knownIssues: [],
    rationale:
      "Over HTTPS the phone checks the server's certificate against a few built-in public roots plus the certificates named in https user certificates (XMLGUIDE p.205). Fieldkit names the file that makes the server trusted (the customer's CA bundle, or the built-in server's own certificate in a lab) and publishes it with the configuration. https validate certificates: 0 is written only when the site chooses it, and the security checklist records it as a deviation.",
    parameters: ['https user certificates', 'https validate certificates'],
  },
  {
    id: 'harden.http-digest',
    title: 'The built-in server asks each phone for its own digest credentials',
    source: 'phone-facts §1 Config server; AG420 p.5-314; AG331 p.A-81, p.5-273',
    knownIssues: [],
    rationale:
      "With the option on, the built-in server answers every request with an HTTP digest challenge (RFC 2617). A factory-new phone answers with the documented default aastra/aastra, which the server accepts only for the phone's own files while the bootstrap window is open; its <MAC>.cfg then gives it its own user name and a password derived from the site secret, and from then on the server accepts only those for that phone.",
    parameters: ['http digest username', 'http digest password'],
  },
];

const ruleById = new Map(profileRules.map((r) => [r.id, r]));

export function profileRule(id: ProfileRuleId): ProfileRule {
  return ruleById.get(id)!;
}

export type Assignment =
  | { name: string; value: string; quoted?: boolean; lock?: boolean }
  | {
      name: string;
      secret: SecretKey;
      /** Message when the credential store has no value for `secret`. */
      missing: string;
      lock?: boolean;
      /** `^`: replaces a value set in the phone's own web UI, which would otherwise win (AG420 p.1-25, p.2-17). */
      override?: boolean;
    };

export interface AssignmentGroup {
  ruleId: ProfileRuleId;
  assignments: Assignment[];
}

/** What generation knows besides the settings: the site and the server the phones fetch from. */
export interface ProfileContext {
  /** The site id: names the site's own credentials (ftp-password:<site>). */
  siteId?: string;
  /** The built-in server's random key, added to the phones' path when they fetch from it. */
  pathKey?: string;
  /** File named in https user certificates (published with the configuration); default: the CA bundle. */
  httpsTrustFile?: string;
  /** The built-in server asks for per-phone HTTP digest credentials. */
  httpDigest?: boolean;
}

export const FACTORY_DIGEST_USER = 'aastra';

const TRANSPORT_CODE: Record<Transport, string> = { udp: '1', tcp: '2', tls: '4' };
/** What the phone shows of a screen name (AG331 p.A-69). */
export function screenNameOf(displayName: string): string {
  return [...displayName].slice(0, SCREEN_NAME_MAX).join('');
}
const SRTP_CODE = { disabled: '0', preferred: '1', required: '2' } as const;
const RESYNC_CODE = { none: '0', config: '1', firmware: '2', both: '3' } as const;

function defaultSipPort(transport: Transport): number {
  return transport === 'tls' ? 5061 : 5060;
}

/** The folder the phones fetch from: the site's path, plus the built-in server's key when it is the server. */
export function provisioningPath(settings: SiteSettings, context: ProfileContext = {}): string {
  const base = settings.provisioning.path.replace(/^\/+|\/+$/g, '');
  if (!context.pathKey) return settings.provisioning.path;
  return base === '' ? context.pathKey : `${base}/${context.pathKey}`;
}

/** The global file's parameters (startup.cfg / aastra.cfg), grouped by the rule that wants them. */
export function globalAssignments(settings: SiteSettings, context: ProfileContext = {}): AssignmentGroup[] {
  const lock = settings.lockCritical;
  const { osv } = settings;
  const sipPort = defaultSipPort(osv.transport);
  const server = (prefix: string, s: { host: string; port?: number | undefined } | undefined): Assignment[] =>
    s
      ? [
          { name: `${prefix} ip`, value: s.host },
          { name: `${prefix} port`, value: String(s.port ?? sipPort) },
        ]
      : [];
  const registrar = osv.registrar ?? osv.proxy;

  const provisioning: Assignment[] = [{ name: 'download protocol', value: settings.provisioning.protocol, lock }];
  const proto = settings.provisioning.protocol.toLowerCase();
  const path = provisioningPath(settings, context);
  provisioning.push({ name: `${proto} server`, value: settings.provisioning.server });
  if (path !== '' || proto.startsWith('http')) provisioning.push({ name: `${proto} path`, value: path });
  // No `tftp port` / `ftp port`: no public source has them (field-truth audit §2 #19, #21).
  if (settings.provisioning.port !== undefined && proto.startsWith('http'))
    provisioning.push({ name: `${proto} port`, value: String(settings.provisioning.port) });
  if (proto === 'ftp') {
    if (settings.provisioning.ftpUser)
      provisioning.push({ name: 'ftp username', value: settings.provisioning.ftpUser });
    provisioning.push({
      name: 'ftp password',
      secret: secretKeys.ftpPassword(context.siteId ?? 'site'),
      missing:
        'No FTP password stored for this site: set it in Credentials (the password the phones use on the FTP server).',
    });
  }
  const httpsTrust: Assignment[] =
    proto !== 'https'
      ? []
      : settings.provisioning.validateCertificates === false
        ? [{ name: 'https validate certificates', value: '0' }]
        : [{ name: 'https user certificates', value: context.httpsTrustFile ?? caFileName(settings) }];

  const pushHosts = [
    ...new Set([
      ...(settings.fieldkitHost ? [settings.fieldkitHost] : []),
      settings.provisioning.server,
      ...settings.xmlPushAllowList,
    ]),
  ];

  return [
    { ruleId: 'osv.openscape-enable', assignments: [{ name: 'openscape enable', value: '1', lock }] },
    {
      ruleId: 'osv.centralized-conf',
      assignments: [{ name: 'sip centralized conf', value: osv.centralizedConference === 'server' ? '1' : '0' }],
    },
    {
      ruleId: 'osv.tls',
      assignments: [
        { name: 'sip transport protocol', value: TRANSPORT_CODE[osv.transport], lock },
        ...(osv.transport === 'tls'
          ? [
              { name: 'sips trusted certificates', value: caFileName(settings), lock },
              { name: 'sips persistent tls', value: '0' },
            ]
          : []),
      ],
    },
    { ruleId: 'osv.srtp-sdes', assignments: [{ name: 'sip srtp mode', value: SRTP_CODE[osv.srtp] }] },
    {
      ruleId: 'site.sip-servers',
      assignments: [
        ...server('sip proxy', osv.proxy),
        ...server('sip registrar', registrar),
        ...server('sip backup proxy', osv.backupProxy),
        ...server('sip backup registrar', osv.backupRegistrar),
      ],
    },
    {
      ruleId: 'site.ntp',
      assignments: [
        { name: 'time server disabled', value: '0' },
        ...[settings.ntp.server1, settings.ntp.server2, settings.ntp.server3].flatMap((h, i) =>
          h ? [{ name: `time server${i + 1}`, value: h }] : [],
        ),
      ],
    },
    { ruleId: 'site.time-zone', assignments: [{ name: 'time zone name', value: settings.timeZone }] },
    {
      ruleId: 'site.vlan',
      assignments: settings.vlan.enabled
        ? [
            { name: 'tagging enabled', value: '1' },
            { name: 'vlan id', value: String(settings.vlan.id) },
          ]
        : [{ name: 'tagging enabled', value: '0' }],
    },
    { ruleId: 'harden.contact-rcs', assignments: [{ name: 'contact rcs', value: '0', lock }] },
    { ruleId: 'site.provisioning', assignments: provisioning },
    { ruleId: 'harden.https-trust', assignments: httpsTrust },
    {
      ruleId: 'site.auto-resync',
      assignments: [
        { name: 'auto resync mode', value: RESYNC_CODE[settings.resync.mode] },
        { name: 'auto resync time', value: settings.resync.time },
        { name: 'auto resync max delay', value: String(settings.resync.maxDelayMinutes) },
      ],
    },
    {
      ruleId: 'harden.xml-post-list',
      assignments: [{ name: 'xml application post list', value: pushHosts.join(','), lock }],
    },
  ];
}

/** The per-phone file's parameters (`<MAC>.cfg`), line 1 = the phone's directory number. */
export function phoneAssignments(
  phone: PhoneEntry,
  settings: SiteSettings,
  context: ProfileContext = {},
): AssignmentGroup[] {
  const line = 1;
  const dn = phone.directoryNumber;
  const groups: AssignmentGroup[] = [
    {
      ruleId: 'osv.digest-dn',
      assignments: [
        { name: `sip line${line} auth name`, value: dn },
        { name: `sip line${line} user name`, value: dn },
        {
          name: `sip line${line} password`,
          secret: secretKeys.sipPassword(phone.mac),
          missing: `No SIP password stored for phone ${phone.mac} (directory number ${dn}): set it in Credentials.`,
        },
      ],
    },
  ];
  if (settings.osv.realmParameter !== '') {
    groups.push({
      ruleId: 'osv.realm',
      assignments: [{ name: realmParameterName(settings.osv.realmParameter, line), value: dn }],
    });
  }
  if (phone.displayName !== '') {
    groups.push({
      ruleId: 'site.line-identity',
      assignments: [
        { name: `sip line${line} display name`, value: phone.displayName, quoted: true },
        { name: `sip line${line} screen name`, value: screenNameOf(phone.displayName), quoted: true },
      ],
    });
  }
  groups.push({
    ruleId: 'osv.srtp-sdes',
    assignments: [{ name: `sip line${line} srtp mode`, value: SRTP_CODE[settings.osv.srtp] }],
  });
  groups.push({
    ruleId: 'harden.admin-password',
    assignments: [
      {
        name: 'admin password',
        secret: secretKeys.phoneAdminPassword(phone.mac),
        lock: settings.lockCritical,
        // a password once typed into the phone's web UI is a local value and would keep winning over this file
        override: true,
        missing: phone.ownAdminPassword
          ? `No admin password stored for phone ${phone.mac} (directory number ${dn}), which is marked as having its own: enter it as "Password Fieldkit will set" in the phone's detail (Inventory) under Admin passwords, or in Credentials, or clear "own admin password".`
          : `No admin password for phone ${phone.mac} (directory number ${dn}): Fieldkit derives it from the site's admin secret, which is not available. Generate in the app (which makes the secret) or set it (CLI: FIELDKIT_ADMIN_SECRET).`,
      },
    ],
  });
  if (context.httpDigest) {
    groups.push({
      ruleId: 'harden.http-digest',
      assignments: [
        { name: 'http digest username', value: digestUserName(phone.mac) },
        {
          name: 'http digest password',
          secret: secretKeys.httpDigestPassword(phone.mac),
          missing: `No HTTP digest password for phone ${phone.mac}: it is derived from the site's admin secret, which is not available.`,
        },
      ],
    });
  }
  return groups;
}

export function realmParameterName(template: string, line: number): string {
  return template.includes('{line}') ? template.replaceAll('{line}', String(line)) : template;
}

export interface ProfileCheckOptions {
  /** File to name on findings about a missing parameter (the phone's own file). */
  phoneFile: string;
  /** Lines of the phone that carry a directory number; default [1]. */
  lines?: number[];
  /** Normalised names whose values are placeholders for secrets (not compared by value). */
  secretParameters?: ReadonlySet<string>;
  /** The site's realm parameter template, if any (reported as unverified). */
  realmParameter?: string;
}

/**
 * Checks what one phone ends up with (all its files merged, last wins) against the profile.
 * Works the same on generated files and on files read from a server or a phone.
 */
export function checkOsvProfile(view: ReadonlyMap<string, MergedParam>, options: ProfileCheckOptions): Finding[] {
  const findings: Finding[] = [];
  const get = (key: string) => view.get(key);
  const add = (ruleId: ProfileRuleId, severity: Severity, message: string, fix: string, where?: MergedParam) => {
    const rule = profileRule(ruleId);
    findings.push({
      severity,
      ruleId,
      fix,
      message: `${message} (${rule.source}${rule.knownIssues.length ? `, ${rule.knownIssues.join(', ')}` : ''})`,
      ...(where ? { file: where.file, line: where.line, name: where.name } : { file: options.phoneFile }),
    });
  };
  const isSecret = (key: string) => options.secretParameters?.has(key) ?? false;

  const enable = get('openscape enable');
  if (enable?.value !== '1') {
    add(
      'osv.openscape-enable',
      'error',
      enable
        ? `openscape enable is ${JSON.stringify(enable.value)}, so the OSV features stay off`
        : 'openscape enable is not set; since firmware 6.5.0.224 the OSV features are off by default',
      'Set openscape enable: 1.',
      enable,
    );
  }

  const conf = get('sip centralized conf');
  if (!conf) {
    add(
      'osv.centralized-conf',
      'warning',
      'sip centralized conf is not set, so the conference behaviour is the firmware default',
      'Choose 1 (always use the server conference) or 0 (local 3-party mixing unless already in a server conference).',
    );
  } else if (conf.value !== '0' && conf.value !== '1') {
    add(
      'osv.centralized-conf',
      'error',
      `sip centralized conf is ${JSON.stringify(conf.value)}; for OSV the guide defines only 0 and 1`,
      'Set 1 (server conference) or 0 (local mixing first).',
      conf,
    );
  }

  for (const n of options.lines ?? [1]) {
    const auth = get(`sip line${n} auth name`) ?? get('sip auth name');
    const user = get(`sip line${n} user name`) ?? get('sip user name');
    if (!user) {
      add(
        'osv.digest-dn',
        'error',
        `Line ${n} has no user name`,
        'Set the directory number as sip lineN user name and auth name.',
      );
      continue;
    }
    if (auth && auth.value !== user.value) {
      add(
        'osv.digest-dn',
        'warning',
        `Line ${n}: auth name ${JSON.stringify(auth.value)} differs from user name ${JSON.stringify(user.value)}`,
        'Use the directory number for both.',
        auth,
      );
    }
    if (options.realmParameter) {
      const realm = get(realmParameterName(options.realmParameter, n).toLowerCase().replace(/\s+/g, ' '));
      add(
        'osv.realm',
        'warning',
        `The realm parameter "${realmParameterName(options.realmParameter, n)}" is the site's choice; no public source confirms that the phone knows it`,
        'Confirm on a bench phone that it registers; remove the site option if the parameter is ignored.',
        realm,
      );
    }
  }

  const transport = get('sip transport protocol');
  if (transport?.value !== '4') {
    add(
      'osv.tls',
      'warning',
      transport
        ? `SIP transport is ${JSON.stringify(transport.value)}, not TLS (4)`
        : 'sip transport protocol is not set; the phone uses its default (not TLS)',
      'Use TLS (4) with a trusted CA, or document the deviation in the security checklist with the customer (guide §2.2).',
      transport,
    );
  } else {
    const ca = get('sips trusted certificates');
    if (!ca || ca.value.trim() === '') {
      add(
        'osv.tls',
        'error',
        'TLS is on but sips trusted certificates names no CA file, so the phone cannot trust the OSV certificate',
        'Put the CA certificate (PEM) of the OSV certificate issuer on the provisioning server and name its file in the site settings (TLS CA file).',
        ca,
      );
    }
  }

  const srtpModes = [...view.values()].filter((p) => /^(?:sip srtp mode|sip line\d{1,2} srtp mode)$/.test(p.key));
  const srtpOn = srtpModes.find((p) => p.value === '1' || p.value === '2');
  if (srtpOn && transport?.value !== '4') {
    add(
      'osv.srtp-sdes',
      'warning',
      'SRTP uses SDES, whose keys travel in the SIP message body; without TLS anyone on the path can read them',
      'Use TLS signalling (sip transport protocol: 4) together with SRTP.',
      srtpOn,
    );
  }
  if (!srtpOn) {
    add(
      'osv.srtp-sdes',
      'info',
      'SRTP is off: calls are not encrypted',
      "Set SRTP to preferred or required if the customer's policy asks for encrypted media; OSV must offer SDES, not MIKEY.",
      srtpModes.at(-1),
    );
  }

  if (!get('sip proxy ip') && !get('sip line1 proxy ip')) {
    add('site.sip-servers', 'error', 'No SIP proxy is set', 'Set the OSV SIP server address in the site settings.');
  }

  if (!get('time server1')) {
    add(
      'site.ntp',
      'warning',
      'No time server is set; certificate checks need the correct time',
      'Set the site NTP server.',
    );
  }

  const admin = get('admin password');
  if (!admin) {
    add(
      'harden.admin-password',
      'error',
      'admin password is not set, so the phone keeps the factory default 22222',
      'Store a numeric admin password in Credentials; Fieldkit writes it locked.',
    );
  } else {
    if (!admin.lock)
      add(
        'harden.admin-password',
        'warning',
        'admin password is not locked with "!"',
        'Lock it so that it cannot be changed on the phone.',
        admin,
      );
    if (!isSecret('admin password') && admin.value === '22222') {
      add(
        'harden.admin-password',
        'error',
        'admin password is the factory default 22222',
        'Set a site-specific numeric admin password.',
        admin,
      );
    }
  }

  const rcs = get('contact rcs');
  if (rcs?.value !== '0') {
    add(
      'harden.contact-rcs',
      'warning',
      "contact rcs is not 0, so a reset phone asks Mitel's redirection service for its configuration",
      'Set contact rcs: 0.',
      rcs,
    );
  }

  const postList = get('xml application post list');
  if (!postList || postList.value.trim() === '') {
    add(
      'harden.xml-post-list',
      'warning',
      'xml application post list is empty or not set: Fieldkit cannot reboot by XML push, and it is unclear who else may push',
      'List the Fieldkit laptop and the provisioning server.',
      postList,
    );
  }

  const protocol = get('download protocol');
  if (protocol?.value !== 'HTTPS') {
    add(
      'harden.https-provisioning',
      'warning',
      `Phones fetch their configuration over ${protocol?.value ?? 'the default protocol'}, so passwords cross the network in clear`,
      'Use HTTPS provisioning, or document the deviation in the security checklist with the customer (guide §2.2).',
      protocol,
    );
  }

  const resync = get('auto resync mode');
  if (resync && (resync.value === '2' || resync.value === '3')) {
    add(
      'site.auto-resync',
      'info',
      "Automatic resync includes firmware: phones take whatever firmware the server offers at the resync time, outside Fieldkit's waves",
      'Use mode 1 (configuration files only) and upgrade firmware in waves.',
      resync,
    );
  }
  return findings;
}
