// The security and upgrade checklist for Mitel 6867i/6865i on OpenScape Voice, version 1, as data.
// Every item cites where it comes from: "guide §n" = the Mitel 6867/6865 OSV integration guide (12/2025),
// "phone-facts §n" = docs/phone-facts.md. A change to the items is a new version (new file),
// so that a finished run always names the exact list it was checked against.

export type ItemKind = 'automatic' | 'confirm' | 'info';

/** Checks the engine knows; an automatic item names one. */
export type AutoCheckId =
  | 'phone-firmware-minimum'
  | 'firmware-advisories'
  | 'firmware-changes'
  | 'auto-resync-firmware'
  | 'openscape-enable'
  | 'centralized-conf'
  | 'digest-dn'
  | 'tls-transport'
  | 'supported-models'
  | 'tested-version'
  | 'config-findings'
  | 'admin-password'
  | 'numeric-passwords'
  | 'locked-parameters'
  | 'contact-rcs'
  | 'xml-post-list'
  | 'https-provisioning'
  | 'srtp-sdes'
  | 'phone-verify'
  | 'certificate-expiry';

export interface ChecklistItem {
  id: string;
  section: string;
  kind: ItemKind;
  title: string;
  /** Where the item comes from, e.g. "guide §4.1" or "phone-facts §1 Passwords". */
  source: string;
  /** What the guide or the facts say, in the technician's words. */
  explanation: string;
  /** What the technician checks or does. */
  action: string;
  knownIssues?: string[];
  check?: AutoCheckId;
}

export interface ChecklistSection {
  id: string;
  title: string;
  source: string;
}

export interface FeatureRestriction {
  feature: string;
  restriction: string;
}

export interface KnownIssue {
  id: string;
  description: string;
  workaround: string;
}

export interface ChecklistDefinition {
  id: string;
  version: number;
  title: string;
  basedOn: string[];
  sections: ChecklistSection[];
  items: ChecklistItem[];
  /** guide §8, handed over to the customer. */
  featureRestrictions: FeatureRestriction[];
  /** guide §9. */
  knownIssues: KnownIssue[];
}

export const CHECKLIST_V1: ChecklistDefinition = {
  id: 'osv-mitel-6800',
  version: 1,
  title: 'Security and upgrade checklist: Mitel 6867i/6865i on OpenScape Voice',
  basedOn: [
    'Mitel 6867/6865 IP Phone, OpenScape Voice Integration Guide, 12/2025',
    'Mitel 6867i/6865i facts compiled from public sources (Fieldkit reference)',
  ],
  sections: [
    { id: 'prerequisites', title: 'Prerequisites', source: 'guide §2.1' },
    { id: 'security', title: 'Security checklist duty', source: 'guide §2.2' },
    { id: 'regulations', title: 'Regulations', source: 'guide §2.3' },
    { id: 'upgrade', title: 'Upgrade, migration and fallback', source: 'guide §3' },
    { id: 'integration', title: 'OpenScape Voice integration', source: 'guide §4.1' },
    { id: 'digest', title: 'Digest authentication', source: 'guide §4.2' },
    { id: 'certificates', title: 'Certificates', source: 'guide §5' },
    { id: 'compatibility', title: 'Hardware and software compatibility', source: 'guide §6' },
    { id: 'serviceability', title: 'Serviceability and licensing', source: 'guide §7' },
    { id: 'features', title: 'Feature restrictions (customer handover)', source: 'guide §8' },
    { id: 'known-issues', title: 'Known issues and workarounds', source: 'guide §9' },
    { id: 'hardening', title: 'Phone hardening', source: 'phone-facts §1, §3, §5' },
  ],
  items: [
    {
      id: 'prereq.osv-version',
      section: 'prerequisites',
      kind: 'confirm',
      title: 'OpenScape Voice is V10 R3.30.0 or later',
      source: 'guide §2.1, §6',
      explanation:
        'The integration features described in the guide need OpenScape Voice V10 R3.30.0 or later; the guide lists the same release as tested.',
      action: "Read the OSV release from the OSV Assistant (or ask the customer's OSV administrator) and note it.",
    },
    {
      id: 'prereq.phone-firmware',
      section: 'prerequisites',
      kind: 'automatic',
      check: 'phone-firmware-minimum',
      title: 'Phone firmware is 6.5.0.224 or later on every phone',
      source: 'guide §2.1',
      explanation:
        'Mitel phone firmware V 6.5.0.224 or later is required. Earlier firmware does not know the OpenScape Voice parameters (openscape enable, sip centralized conf).',
      action:
        'Fieldkit reads the firmware of every supported phone from the inventory. Upgrade phones below 6.5.0.224 in the Firmware place.',
    },
    {
      id: 'prereq.advisories',
      section: 'prerequisites',
      kind: 'automatic',
      check: 'firmware-advisories',
      title: 'No phone runs firmware with a published vulnerability',
      source: 'guide §2.1 Software Updates; phone-facts §3 (CVE-2024-31963..31967)',
      explanation:
        'The guide recommends installing product updates regularly to remove known vulnerabilities. Public advisories (CVE-2024-31963..31967, CVE-2024-41710, CVE-2025-47188) affect older 6800 firmware, including an unauthenticated bypass of the web UI login.',
      action: "Fieldkit compares every phone's firmware with the advisories it knows. Upgrade affected phones.",
    },
    {
      id: 'security.duty',
      section: 'security',
      kind: 'info',
      title: 'The security checklist is mandatory after installation and after every major or minor upgrade',
      source: 'guide §2.2',
      explanation:
        "It is mandatory to apply the Security Checklist after the first installation and after every major or minor upgrade, adapted to the customer's environment and security policy. Fieldkit marks this checklist as due after the first installation and after each major or minor firmware change it makes; patch and build changes do not make it due.",
      action: 'Work through every item. This run is the record the guide asks for.',
    },
    {
      id: 'security.deviations',
      section: 'security',
      kind: 'confirm',
      title: "Deviations from standard settings agreed with the customer's contact person",
      source: 'guide §2.2',
      explanation:
        "Deviations from standard settings are documented in the security checklist in consultation with the customer's contact person.",
      action:
        'Go through every deviation recorded in this run with the contact person; each one names its reason and who agreed to it.',
    },
    {
      id: 'regulations.national',
      section: 'regulations',
      kind: 'confirm',
      title: 'National and regional telecommunications regulations observed',
      source: 'guide §2.3',
      explanation:
        'Administrators must adhere to all applicable national and regional telecommunications regulations, including country-specific ones (for example emergency calls and location information), when deploying the phones.',
      action: 'Confirm with the customer which regulations apply and that the deployment meets them; note them.',
    },
    {
      id: 'upgrade.fallback',
      section: 'upgrade',
      kind: 'info',
      title: 'Fallback to earlier firmware is supported; below 6.5.0.224 the OSV parameters are lost',
      source: 'guide §3, §4.1; phone-facts §2',
      explanation:
        'Fallback to an earlier firmware version is supported, for troubleshooting or interoperability. A phone takes any firmware file whose version differs from its own at boot. Below 6.5.0.224 the OpenScape Voice parameters are not supported, so a fallback there needs this checklist again.',
      action: 'Plan fallbacks in the Firmware place; Fieldkit records every change it makes.',
    },
    {
      id: 'upgrade.changes',
      section: 'upgrade',
      kind: 'automatic',
      check: 'firmware-changes',
      title: 'Firmware changes made by Fieldkit since the last checklist',
      source: 'guide §2.2, §3',
      explanation:
        'Every major or minor firmware change makes the checklist due again. Changes that leave a phone below 6.5.0.224 lose the OSV integration.',
      action: 'Review the changes listed as evidence.',
    },
    {
      id: 'upgrade.no-firmware-resync',
      section: 'upgrade',
      kind: 'automatic',
      check: 'auto-resync-firmware',
      title: 'Phones do not pull firmware on their own at night',
      source: 'phone-facts §1 Auto resync, §2',
      explanation:
        'With auto resync mode 2 or 3 a phone fetches whatever firmware the server offers at the resync time and can silently undo a fallback or upgrade.',
      action: 'Fieldkit checks the generated configuration: auto resync mode must be 0 or 1.',
    },
    {
      id: 'integration.openscape-enable',
      section: 'integration',
      kind: 'automatic',
      check: 'openscape-enable',
      title: 'openscape enable: 1 on every phone',
      source: 'guide §4.1',
      explanation:
        'Starting with firmware V 6.5.0.224, OpenScape Voice-specific features are disabled by default. openscape enable: 1 turns them on (default 0).',
      action:
        'Fieldkit checks what every phone ends up with after reading startup.cfg, its model file and its MAC file.',
    },
    {
      id: 'integration.centralized-conf',
      section: 'integration',
      kind: 'automatic',
      check: 'centralized-conf',
      title: 'sip centralized conf is set to 1 (server) or 0 (local first)',
      source: 'guide §4.1',
      knownIssues: ['DTP-74244'],
      explanation:
        'With sip centralized conf: 1 the phone requests or joins a centralized conference on the server; with 0 it mixes a three-party conference itself unless it already is in a centralized one.',
      action: "Fieldkit checks the value in every phone's configuration.",
    },
    {
      id: 'integration.verified',
      section: 'integration',
      kind: 'automatic',
      check: 'phone-verify',
      title: 'Every phone verified after its reboot',
      source: 'guide §4.1 step 4',
      explanation:
        "The configuration takes effect after the phones are rebooted. Fieldkit's verification reads each phone back: it answered again, fetched its files, shows its directory number on line 1, runs the expected firmware and has the generated configuration server.",
      action:
        'Fieldkit reads the latest verification. Run Verify in the Provisioning place after publishing and rebooting.',
    },
    {
      id: 'integration.test-call',
      section: 'integration',
      kind: 'confirm',
      title: 'Registration, a test call and a conference work on each model',
      source: 'guide §4.1 step 4',
      explanation:
        'After the configuration is saved the phones are rebooted to apply it. A registration, a call and a conference per model show that the integration works.',
      action:
        'Place a call and build a three-party conference on one 6867i and one 6865i; note the directory numbers used.',
    },
    {
      id: 'digest.dn-user',
      section: 'digest',
      kind: 'automatic',
      check: 'digest-dn',
      title: 'Digest user name is the directory number on every phone',
      source: 'guide §4.2, §9',
      knownIssues: ['DTP-73963'],
      explanation:
        'The user name must be the phone number (directory number). Alphanumeric subscriber ids such as "realm3" make authentication fail (DTP-73963).',
      action:
        "Fieldkit checks auth name and user name of line 1 in every phone file and the directory numbers on the technician's sheet.",
    },
    {
      id: 'digest.osv-subscribers',
      section: 'digest',
      kind: 'confirm',
      title: 'Digest authentication configured per subscriber in OpenScape Voice',
      source: 'guide §4.2',
      explanation:
        'Digest authentication is not configured on the phone: it is a subscriber-level feature in OpenScape Voice (Subscribers → Authentication). The phone only uses the credentials it is given.',
      action:
        "Check in OSV that each subscriber has digest authentication with the directory number as user name and the password stored in Fieldkit's credentials.",
    },
    {
      id: 'cert.tls',
      section: 'certificates',
      kind: 'automatic',
      check: 'tls-transport',
      title: 'SIP signalling over TLS with a trusted CA file',
      source: 'guide §5; phone-facts §1 Transport/TLS',
      explanation:
        'The phones support certificate-based TLS. With sip transport protocol: 4 the phone needs the CA that issued the OSV certificate, named in sips trusted certificates.',
      action: "Fieldkit checks the transport and the CA file name in every phone's configuration.",
    },
    {
      id: 'cert.trusted-ca',
      section: 'certificates',
      kind: 'confirm',
      title: 'Certificates issued by a trusted CA per customer policy',
      source: 'guide §5',
      explanation:
        "TLS certificates must be issued by a trusted public or enterprise CA according to the customer's security policy. Certificate creation and lifecycle management are customer responsibilities.",
      action: 'Confirm the issuing CA with the customer and note it.',
    },
    {
      id: 'cert.expiry',
      section: 'certificates',
      kind: 'automatic',
      check: 'certificate-expiry',
      title: 'Certificate expiry dates known and renewal planned',
      source: 'guide §5',
      explanation:
        'Certificates are renewed before they expire, through the phone configuration and the server configuration.',
      action:
        "Fieldkit reads the expiry of the site's CA bundle and of the built-in server's certificate; note who renews them.",
    },
    {
      id: 'cert.dtp-74349',
      section: 'certificates',
      kind: 'confirm',
      title: 'TLS registration works with the current certificates',
      source: 'guide §9',
      knownIssues: ['DTP-74349'],
      explanation:
        'Known issue DTP-74349: registration to OpenScape Voice with TLS certificate authentication can fail; it requires creating new certificates.',
      action: 'Confirm that the phones register over TLS. If they do not, new certificates are needed.',
    },
    {
      id: 'compat.part-number',
      section: 'compatibility',
      kind: 'confirm',
      title: 'Hardware is the supported item P30152-P1805-A1',
      source: 'guide §6',
      explanation: 'The supported hardware is the Mitel 6867 and 6865 IP Phone, product item number P30152-P1805-A1.',
      action: "Check the item number on the delivery note or the phones' labels.",
    },
    {
      id: 'compat.models',
      section: 'compatibility',
      kind: 'automatic',
      check: 'supported-models',
      title: 'Every phone is a 6867i or 6865i and matches the sheet',
      source: 'guide §6',
      explanation:
        'The guide covers the Mitel 6867 and 6865 only. Other devices found on the network are not part of this integration.',
      action: "Fieldkit checks the models in the inventory against the technician's sheet.",
    },
    {
      id: 'compat.tested-version',
      section: 'compatibility',
      kind: 'automatic',
      check: 'tested-version',
      title: 'Firmware matches the tested version V6.5.0.224',
      source: 'guide §6',
      explanation:
        'The tested and preferred phone firmware is V6.5.0.224 with OpenScape Voice V10 R3.30.0 or later. Other combinations are listed in the common compatibility matrix on the Unify Partner Portal.',
      action: 'For other versions, check the compatibility matrix and note the result.',
    },
    {
      id: 'service.snmp',
      section: 'serviceability',
      kind: 'confirm',
      title: 'Monitoring uses SNMP v2 traps only',
      source: 'guide §7; phone-facts §1 SNMP',
      explanation:
        'The product sends SNMP V2 traps; SNMP V3 traps are not supported. No SNMP agent parameters for the 6800 were found in public sources.',
      action: "Confirm that the customer's monitoring does not expect SNMP v3 from the phones.",
    },
    {
      id: 'service.cls',
      section: 'serviceability',
      kind: 'confirm',
      title: 'Licensing through CLS',
      source: 'guide §7',
      explanation: 'The product is licensed using CLS (Common Licensing Service).',
      action: 'Confirm that the licences are in CLS.',
    },
    {
      id: 'service.remote-tools',
      section: 'serviceability',
      kind: 'confirm',
      title: 'No RSP, HiSPA or RTPatch remote access',
      source: 'guide §7',
      explanation:
        'The product is not certified for the remote access tools RSP, HiSPA and RTPatch. Tickets go through the Web Support Portal (AWSP).',
      action: 'Confirm that none of these tools is used for the phones.',
    },
    {
      id: 'features.handover',
      section: 'features',
      kind: 'confirm',
      title: 'Feature restrictions explained and handed over to the customer',
      source: 'guide §8',
      explanation:
        'The Mitel 6867/6865 behave differently from OpenScape CP devices: no server call forward control from the phone, no group pickup alerting, park not completed, no callback during an outgoing call, no local music on hold, different multiline, no alternate or consult, SRTP with SDES only, no UC, Bluetooth or Opus. The list is part of the report.',
      action: 'Walk through the list in the report with the contact person.',
    },
    {
      id: 'known.issues',
      section: 'known-issues',
      kind: 'info',
      title: 'Known issues and their workarounds',
      source: 'guide §9',
      knownIssues: ['DTP-73963', 'DTP-74349', 'DTP-74244', 'DTP-74032', 'DTP-73964', 'DTP-74233'],
      explanation:
        'DTP-73963 (alphanumeric digest user names fail: use the directory number), DTP-74349 (TLS certificate registration fails: new certificates), DTP-74244 (conference information not shown to all parties), DTP-74032 (no group pickup notification), DTP-73964 (no directed pickup), DTP-74233 (no MIKEY: use SDES). The list is part of the report.',
      action: 'Tell the customer about the issues without a workaround.',
    },
    {
      id: 'harden.admin-password',
      section: 'hardening',
      kind: 'automatic',
      check: 'admin-password',
      title: 'Default admin password 22222 replaced',
      source: 'phone-facts §1 Passwords, §3',
      explanation:
        "Every phone ships with admin password 22222, which protects its web UI (HTTP Basic). Fieldkit writes the site's admin password from the credential store.",
      action:
        'Fieldkit checks that every phone gets an admin password from the credential store and that it is not 22222.',
    },
    {
      id: 'harden.numeric-passwords',
      section: 'hardening',
      kind: 'automatic',
      check: 'numeric-passwords',
      title: 'Passwords are numeric only',
      source: 'phone-facts §1 Passwords (AG420 p.5-8)',
      explanation:
        'Only numeric passwords are supported; a password with letters makes the phone fall back to the default password.',
      action: 'Fieldkit checks the stored admin password and the generated configuration.',
    },
    {
      id: 'harden.locked',
      section: 'hardening',
      kind: 'automatic',
      check: 'locked-parameters',
      title: 'Critical parameters locked with "!"',
      source: 'phone-facts §1 Syntax',
      explanation:
        'A "!" before a parameter makes it read-only in the web and phone UI and in XML, so that the admin password and the security settings cannot be changed on the phone.',
      action:
        'Fieldkit checks the lock on admin password, openscape enable, sip transport protocol, contact rcs, xml application post list and download protocol.',
    },
    {
      id: 'harden.contact-rcs',
      section: 'hardening',
      kind: 'automatic',
      check: 'contact-rcs',
      title: 'contact rcs: 0 (no Mitel redirection service)',
      source: 'phone-facts §5 RCS',
      explanation:
        "A phone at factory state asks Mitel's Redirection and Configuration Service over the Internet for its configuration; RCS can change its configuration server and firmware.",
      action: "Fieldkit checks contact rcs: 0 in every phone's configuration.",
    },
    {
      id: 'harden.xml-post-list',
      section: 'hardening',
      kind: 'automatic',
      check: 'xml-post-list',
      title: 'XML push restricted to named hosts',
      source: 'phone-facts §1 XML, §4 XML push',
      explanation:
        'A phone accepts XML pushes, including Command: Reset, only from the hosts in xml application post list.',
      action: 'Fieldkit checks that the list is set and names hosts only.',
    },
    {
      id: 'harden.https',
      section: 'hardening',
      kind: 'automatic',
      check: 'https-provisioning',
      title: 'Configuration fetched over HTTPS',
      source: 'phone-facts §1 Config server',
      explanation:
        'Configuration files carry SIP and admin passwords; over HTTP, TFTP or FTP they cross the network in clear.',
      action: 'Fieldkit checks download protocol: HTTPS. Anything else is a deviation to agree with the customer.',
    },
    {
      id: 'harden.srtp',
      section: 'hardening',
      kind: 'automatic',
      check: 'srtp-sdes',
      title: 'SRTP on, keyed with SDES over TLS',
      source: 'guide §8, §9; phone-facts §1 SRTP',
      knownIssues: ['DTP-74233'],
      explanation:
        'The phones support only SDES for SRTP; MIKEY is not supported (DTP-74233). SDES keys travel in the SIP message, so SRTP is only confidential over TLS signalling.',
      action: 'Fieldkit checks the SRTP mode and the transport. OSV must offer SDES.',
    },
    {
      id: 'harden.config-clean',
      section: 'hardening',
      kind: 'automatic',
      check: 'config-findings',
      title: 'Generated configuration has no errors',
      source: 'phone-facts §1; guide §4',
      explanation:
        'Fieldkit validates every generated file against the parameter rules and the OSV profile before it can be published.',
      action: 'Fix the errors listed as evidence in the Provisioning place and generate again.',
    },
  ],
  featureRestrictions: [
    {
      feature: 'Call Forward',
      restriction: 'Not able to control server call forward via the phone. Server-based forwarding only.',
    },
    {
      feature: 'Group Pickup',
      restriction: 'Phones do not receive visual notification or alerting tones for incoming call pickup group calls.',
    },
    { feature: 'Call Park', restriction: 'Park is not completed on 6867/6865 devices.' },
    { feature: 'Call Back', restriction: 'Not possible to activate Callback during an outgoing call.' },
    {
      feature: 'Music on Hold',
      restriction: 'No local (phone) music on hold available. Music on hold from the server works correctly.',
    },
    { feature: 'Multiline', restriction: 'Multiline functionality on 6867/6865 phones is different from CP phones.' },
    {
      feature: 'Toggle / Alternate',
      restriction:
        'Alternate option is not available. Functionality can be achieved via a two-step action: Hold and then Retrieve (pickup) the second call.',
    },
    { feature: 'Consult', restriction: 'Consult option is not available. Workaround: Use the Conference option.' },
    { feature: 'TLS-SRTP', restriction: 'Devices support only SDES for SRTP. MIKEY is not supported.' },
    { feature: 'Unified Communications (UC)', restriction: 'UC functionality is not supported from Mitel devices.' },
    { feature: 'Bluetooth', restriction: 'Bluetooth is not supported.' },
    { feature: 'Opus', restriction: 'Opus feature is not supported.' },
  ],
  knownIssues: [
    {
      id: 'DTP-73963',
      description: 'Digest authentication fails when alphanumeric usernames (e.g., "realm3") are used.',
      workaround: 'Use the phone number as the user name for Digest Authentication.',
    },
    {
      id: 'DTP-74349',
      description: 'Fail to register to OpenScape Voice using TLS certificate authentication.',
      workaround: 'Requires creation of new certificates.',
    },
    {
      id: 'DTP-74244',
      description: 'Conference information is not displayed among all parties.',
      workaround: 'None available.',
    },
    {
      id: 'DTP-74032',
      description: 'Devices are not receiving visual or audible notifications in Group pickup scenarios.',
      workaround: 'None available.',
    },
    { id: 'DTP-73964', description: 'Directed pickup is not possible.', workaround: 'None available.' },
    { id: 'DTP-74233', description: 'No support of MIKEY for SRTP.', workaround: 'Use SDES for SRTP.' },
  ],
};

/** The checklist new runs use. */
export const CURRENT_CHECKLIST = CHECKLIST_V1;
