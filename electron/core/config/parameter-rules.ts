// Per-parameter value rules for Mitel 6867i/6865i configuration files. Each rule says where the
// constraint comes from (phone-facts = docs/phone-facts.md, guide = the Mitel 6867/6865 OSV integration guide 12/2025).

import { PHONE_PASSWORD_MAX } from '../secrets/admin-passwords';
import { normaliseParamName } from './cfg-format';
import { isValidHost } from './host-names';
import type { CfgDocument } from './cfg-format';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  /** Stable id of the rule that produced it (parameter rule or OSV profile rule). */
  ruleId: string;
  message: string;
  /** What the technician does about it. */
  fix: string;
  /** File the finding is about, when known. */
  file?: string;
  /** 1-based line in that file, when the finding is about one line. */
  line?: number;
  /** Parameter name as spelled in the file. */
  name?: string;
}

export interface ValidationContext {
  /** The OSV integration profile is in force (guide §4): directory numbers as SIP user names. */
  osvProfile: boolean;
  /** File name put on findings. */
  file?: string;
  /** 1-based lines whose value is a secret placeholder; their values are checked when the secret is filled in. */
  secretLines?: ReadonlySet<number>;
}

type Check = { severity: Severity; message: string; fix: string };

export interface ParameterRule {
  id: string;
  /** Where the constraint comes from. */
  source: string;
  appliesTo(key: string): boolean;
  check(value: string, name: string, context: ValidationContext): Check | undefined;
}

const exact =
  (...names: string[]) =>
  (key: string) =>
    names.includes(key);
const LINE = String.raw`sip line\d{1,2}`;
const pattern = (source: string) => {
  const re = new RegExp(`^(?:${source})$`);
  return (key: string) => re.test(key);
};

function integerIn(value: string, min: number, max: number): boolean {
  if (!/^\d{1,6}$/.test(value)) return false;
  const n = Number(value);
  return n >= min && n <= max;
}

const BOOLEAN_PARAMETERS = [
  'openscape enable',
  'contact rcs',
  'tagging enabled',
  'sips persistent tls',
  'https validate certificates',
  'https validate hostname',
  'https validate expires',
  'sip xml notify event',
  'http digest force login',
  'use alternate tftp',
  'dhcp',
  'lldp',
  'inactive minet present',
  'time server disabled',
];

/** The phone shows at most this many characters of a screen name (AG331 p.A-69). */
export const SCREEN_NAME_MAX = 20;

const HOST_PARAMETERS = pattern(
  [
    `(?:${LINE} |sip )(?:backup )?(?:proxy|registrar) ip`,
    'sip outbound proxy',
    'time server[1-3]',
    'http server',
    'https server',
    'tftp server',
    'alternate tftp server',
    'ftp server',
    'log server ip',
    'dns[12]',
  ].join('|'),
);

const SIP_SERVER_PORTS = pattern(`(?:${LINE} |sip )(?:backup )?(?:proxy|registrar) port|sip outbound proxy port`);

export const parameterRules: readonly ParameterRule[] = [
  {
    id: 'param.numeric-password',
    source: 'phone-facts §1 Passwords (AG420 p.5-8; user guides: integers 0 to 4294967295)',
    appliesTo: exact('admin password', 'user password'),
    check: (value, name) => {
      if (value === '' && normaliseParamName(name) === 'user password') return undefined;
      if (!/^\d+$/.test(value))
        return {
          severity: 'error',
          message: `${name} must be digits only: a password with letters or symbols makes the phone fall back to its default password.`,
          fix: 'Choose a numeric password (digits 0-9 only).',
        };
      if (value.length > 10 || Number(value) > PHONE_PASSWORD_MAX)
        return {
          severity: 'error',
          message: `${name} is a number above ${PHONE_PASSWORD_MAX}; the phones take passwords from 0 to ${PHONE_PASSWORD_MAX} only (integers).`,
          fix: `Choose a number of at most 10 digits, no larger than ${PHONE_PASSWORD_MAX}.`,
        };
      return undefined;
    },
  },
  {
    id: 'param.admin-password-not-default',
    source: 'phone-facts §1 Passwords (default 22222)',
    appliesTo: exact('admin password'),
    check: (value, name) =>
      value === '22222'
        ? {
            severity: 'error',
            message: `${name} is the factory default 22222, which every Mitel phone shares.`,
            fix: 'Set a site-specific numeric admin password in Credentials.',
          }
        : undefined,
  },
  {
    id: 'param.http-digest-username-length',
    source: 'phone-facts §1 Syntax (http digest username ≤ 40 chars)',
    appliesTo: exact('http digest username'),
    check: (value, name) =>
      value.length <= 40
        ? undefined
        : {
            severity: 'error',
            message: `${name} is ${value.length} characters long; the phone accepts at most 40.`,
            fix: 'Use a user name of 40 characters or fewer.',
          },
  },
  {
    id: 'param.http-digest-password-length',
    source: 'AG331 p.A-81 (http digest password: up to 20 characters)',
    appliesTo: exact('http digest password'),
    check: (value, name) =>
      value.length <= 20
        ? undefined
        : {
            severity: 'error',
            message: `${name} is longer than the 20 characters the phone accepts.`,
            fix: 'Use a password of 20 characters or fewer.',
          },
  },
  {
    id: 'param.screen-name-length',
    source: 'AG331 p.A-69 (screen name: up to 20 characters)',
    appliesTo: pattern(`sip screen name|${LINE} screen name`),
    check: (value, name) =>
      [...value].length <= SCREEN_NAME_MAX
        ? undefined
        : {
            severity: 'warning',
            message: `${name} "${value}" is longer than the ${SCREEN_NAME_MAX} characters the phone shows; it shows "${[...value].slice(0, SCREEN_NAME_MAX).join('')}".`,
            fix: `Shorten the name to ${SCREEN_NAME_MAX} characters in the sheet if the cut is not readable.`,
          },
  },
  {
    id: 'param.boolean',
    source: 'phone-facts §1 (0/1 flags in WAZO, PROV, kazoo templates)',
    appliesTo: exact(...BOOLEAN_PARAMETERS),
    check: (value, name) =>
      value === '0' || value === '1'
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}", but it is a switch that takes 0 or 1.`,
            fix: 'Write 1 to turn it on or 0 to turn it off.',
          },
  },
  {
    id: 'param.sip-server-port',
    source: 'SIP ports 1-65535',
    appliesTo: SIP_SERVER_PORTS,
    check: (value, name) => {
      if (value === '0') {
        return {
          severity: 'warning',
          message: `${name} is 0. On Aastra firmware 0 has meant "look the port up by DNS SRV"; this is not verified for the 6800 series.`,
          fix: 'Write the OSV port (5060 for UDP/TCP, 5061 for TLS) unless the site relies on DNS SRV.',
        };
      }
      return integerIn(value, 1, 65535)
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}", not a port number.`,
            fix: 'Write a port between 1 and 65535, e.g. 5061 for TLS.',
          };
    },
  },
  {
    id: 'param.port',
    source: 'TCP/UDP ports 1-65535',
    appliesTo: (key) => / port$/.test(key) && !SIP_SERVER_PORTS(key),
    check: (value, name) =>
      integerIn(value, 1, 65535)
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}", not a port number.`,
            fix: 'Write a port between 1 and 65535.',
          },
  },
  {
    id: 'param.sip-transport',
    source: 'phone-facts §1 Transport/TLS (AG331 p.A-84: 0 UDP and TCP, 1 UDP, 2 TCP, 4 TLS)',
    appliesTo: pattern(`sip transport protocol|${LINE} transport protocol`),
    check: (value, name) =>
      ['0', '1', '2', '4'].includes(value)
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}"; the documented values are 0 (UDP and TCP), 1 (UDP), 2 (TCP) and 4 (TLS).`,
            fix: 'Write 4 for TLS (recommended for OpenScape Voice), 2 for TCP, 1 for UDP or 0 for UDP and TCP.',
          },
  },
  {
    id: 'param.srtp-mode',
    source: 'phone-facts §1 SRTP (0 disabled, 1 preferred, 2 required)',
    appliesTo: pattern(`sip srtp mode|${LINE} srtp mode`),
    check: (value, name) =>
      ['0', '1', '2'].includes(value)
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}"; it takes 0 (SRTP off), 1 (preferred) or 2 (required).`,
            fix: 'Write 0, 1 or 2.',
          },
  },
  {
    id: 'param.auto-resync-mode',
    source: 'phone-facts §1 Auto resync (AG331 p.A-22)',
    appliesTo: exact('auto resync mode'),
    check: (value, name) =>
      integerIn(value, 0, 3)
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}"; it takes 0 (none), 1 (config files), 2 (firmware) or 3 (both).`,
            fix: 'Write a number from 0 to 3.',
          },
  },
  {
    id: 'param.auto-resync-time',
    source: 'phone-facts §1 Auto resync (hh:mm; French/Spanish files use 00h00)',
    appliesTo: exact('auto resync time'),
    check: (value, name) => {
      if (/^(?:[01]\d|2[0-3]):[0-5]\d$/.test(value)) return undefined;
      if (/^(?:[01]\d|2[0-3])h[0-5]\d$/.test(value)) {
        return {
          severity: 'info',
          message: `${name} is written as "${value}", the form seen in French/Spanish release notes.`,
          fix: 'Fieldkit writes hh:mm (e.g. 03:00), the form in the English guides.',
        };
      }
      return {
        severity: 'error',
        message: `${name} is "${value}", not a time of day.`,
        fix: 'Write the time as hh:mm in 24-hour form, e.g. 03:00.',
      };
    },
  },
  {
    id: 'param.auto-resync-max-delay',
    source: 'phone-facts §1 Auto resync (minutes, 0-1439)',
    appliesTo: exact('auto resync max delay'),
    check: (value, name) =>
      integerIn(value, 0, 1439)
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}"; it takes minutes from 0 to 1439.`,
            fix: 'Write a number of minutes from 0 to 1439 (default 15).',
          },
  },
  {
    id: 'param.auto-resync-days',
    source: 'phone-facts §1 Auto resync (days, default 0)',
    appliesTo: exact('auto resync days'),
    check: (value, name) =>
      integerIn(value, 0, 999)
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}", not a number of days.`,
            fix: 'Write a whole number of days (0 = every day).',
          },
  },
  {
    id: 'param.download-protocol',
    source: 'phone-facts §1 Config server (TFTP/FTP/HTTP/HTTPS)',
    appliesTo: exact('download protocol'),
    check: (value, name) =>
      ['TFTP', 'FTP', 'HTTP', 'HTTPS'].includes(value)
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}"; it takes TFTP, FTP, HTTP or HTTPS.`,
            fix: 'Write HTTPS (recommended) or HTTP in capitals.',
          },
  },
  {
    id: 'param.host',
    source: 'IP address or DNS name',
    appliesTo: HOST_PARAMETERS,
    check: (value, name) =>
      value === '' || isValidHost(value)
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}", which is neither an IP address nor a host name.`,
            fix: 'Write an IP address (e.g. 10.1.2.3) or a DNS name (e.g. osv.example.net), without "sip:" or a port.',
          },
  },
  {
    id: 'param.xml-post-list',
    source: 'phone-facts §1 XML (comma-separated IPs/hosts allowed to push)',
    appliesTo: exact('xml application post list'),
    check: (value, name) => {
      const wrong = value
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h !== '' && !isValidHost(h));
      return wrong.length === 0
        ? undefined
        : {
            severity: 'error',
            message: `${name} contains "${wrong.join('", "')}", which is not an IP address or host name.`,
            fix: 'List IP addresses or host names separated by commas, e.g. 10.1.2.50,prov.example.net.',
          };
    },
  },
  {
    id: 'param.vlan-id',
    source: 'IEEE 802.1Q VLAN ids 1-4094',
    appliesTo: exact('vlan id'),
    check: (value, name) =>
      integerIn(value, 1, 4094)
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}", not a VLAN id.`,
            fix: 'Write the voice VLAN id, 1 to 4094.',
          },
  },
  {
    id: 'param.vlan-id-port',
    source: 'phone-facts §6 WAZO base.tpl (vlan id port 1: 4095)',
    appliesTo: pattern(String.raw`vlan id port \d`),
    check: (value, name) =>
      integerIn(value, 1, 4095)
        ? undefined
        : {
            severity: 'error',
            message: `${name} is "${value}"; it takes a VLAN id 1-4094 or 4095 (untagged).`,
            fix: 'Write 4095 to leave the PC port untagged, or a VLAN id.',
          },
  },
  {
    id: 'osv.digest-dn',
    source: 'guide §4.2 and §9 DTP-73963',
    appliesTo: pattern(`(?:${LINE}|sip) (?:auth name|user name)`),
    check: (value, name, context) => {
      if (!context.osvProfile || /^\d+$/.test(value)) return undefined;
      return {
        severity: 'error',
        message: `${name} is "${value}". OpenScape Voice digest authentication fails with alphanumeric user names (known issue DTP-73963, guide §4.2/§9).`,
        fix: "Use the directory number (digits only, e.g. 2108189795) as auth name and user name, and the same number as the subscriber's digest user in OSV.",
      };
    },
  },
];

/** Findings for one `name: value` pair (no line or file attached). */
export function checkParameter(name: string, value: string, context: ValidationContext): Finding[] {
  const key = normaliseParamName(name);
  const out: Finding[] = [];
  for (const rule of parameterRules) {
    if (!rule.appliesTo(key)) continue;
    const result = rule.check(value, name, context);
    if (result) out.push({ ...result, ruleId: rule.id, name });
  }
  return out;
}

/**
 * Line-level validation of one file: unreadable lines, every parameter line against its rules,
 * and parameters set more than once. Cross-file OSV checks live in osv-profile.ts.
 */
export function validateDocument(doc: CfgDocument, context: ValidationContext): Finding[] {
  const findings: Finding[] = [];
  const at = (line: number) => (context.file === undefined ? { line } : { file: context.file, line });
  const firstSeen = new Map<string, number>();
  doc.lines.forEach((line, index) => {
    const lineNumber = index + 1;
    if (line.kind === 'invalid') {
      findings.push({
        severity: 'error',
        ruleId: 'format.syntax',
        message: `Line ${lineNumber}: ${line.error}`,
        fix: line.fix,
        ...at(lineNumber),
      });
      return;
    }
    if (line.kind !== 'param') return;
    const key = normaliseParamName(line.name);
    const earlier = firstSeen.get(key);
    if (earlier !== undefined) {
      // A secret set twice means something other than the credential store decides it (the realm option
      // once made every SIP password the extension number): refused, not noted.
      const secret = isSecretParameter(key);
      findings.push({
        severity: secret ? 'error' : 'info',
        ruleId: secret ? 'format.secret-repeated' : 'format.repeated',
        name: line.name,
        ...at(lineNumber),
        message: `Line ${lineNumber}: ${line.name} is set again (first on line ${earlier}); the phone uses the last value.`,
        fix: secret
          ? 'A password is written once, from the credential store: remove the other line (an override or the realm option).'
          : 'Remove the earlier line if it is not meant to be overridden.',
      });
    } else firstSeen.set(key, lineNumber);
    if (context.secretLines?.has(lineNumber)) return;
    for (const f of checkParameter(line.name, line.value, context)) {
      findings.push({ ...f, message: `Line ${lineNumber}: ${f.message}`, ...at(lineNumber) });
    }
  });
  return findings;
}

/** Parameters whose values are secrets: never shown, logged or written to the workspace in clear. */
export function isSecretParameter(name: string): boolean {
  const key = normaliseParamName(name);
  return /password|passwd|passphrase|secret|private key|\bpin$/.test(key);
}
