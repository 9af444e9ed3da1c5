// The Ansible example of docs/automation.md: one site from the technician's sheet to the customer report,
// every step a `fieldkit` command with --json. The commands are listed once, here; the playbook
// docs/examples/fieldkit-site.yml is written from this list (`npm run examples`) and
// test/integration/automation/playbook.test.ts runs the same list against simulated phones and a real sshd,
// so the example cannot drift from what works.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PLAYBOOK = 'docs/examples/fieldkit-site.yml';

export interface PlaybookStep {
  name: string;
  /** The command line; `{{ var }}` and, in a loop, `{{ item.key }}` are filled in from the playbook's vars. */
  argv: string[];
  /** Skip the step when this file exists (Ansible's `creates`). */
  creates?: string;
  /** Run once per element of this list variable. */
  loop?: string;
  /** Why the step is there, as a comment above it. */
  note?: string;
}

const site = ['--site', '{{ site_dir }}', '--json'];

export const PLAYBOOK_STEPS: PlaybookStep[] = [
  {
    name: 'Create the site folder',
    note: 'Once per site: later runs find the folder and skip this step.',
    argv: [
      '{{ fieldkit }}',
      'site',
      'create',
      '{{ site_dir }}',
      '--name',
      '{{ site_name }}',
      '--customer',
      '{{ customer }}',
      '--json',
    ],
    creates: '{{ site_dir }}/fieldkit-site.json',
  },
  {
    name: 'Save the provisioning settings (OSV, NTP, provisioning server)',
    note: 'Validated like the form in the app; a wrong field fails the task and names the field.',
    argv: ['{{ fieldkit }}', 'settings', 'set', '--file', '{{ settings_file }}', ...site],
  },
  {
    name: "Scan the phones' network and merge what is found into the inventory",
    note: 'mDNS browsing is left out: automation scans exactly the ranges it is given.',
    argv: ['{{ fieldkit }}', 'discover', '{{ scan_range }}', '--no-mdns', ...site],
  },
  {
    name: "Import the technician's sheet (MAC, directory number, name, location)",
    argv: ['{{ fieldkit }}', 'inventory', 'import', '{{ sheet_csv }}', ...site],
  },
  {
    name: "Import the customer's CA certificate (the phones need it for TLS to OpenScape Voice)",
    argv: ['{{ fieldkit }}', 'ca', 'import', '{{ customer_ca_pem }}', ...site],
  },
  {
    name: 'Check that every credential is set (names only, never values)',
    argv: ['{{ fieldkit }}', 'credentials', 'status', ...site],
  },
  {
    name: 'Generate and validate the configuration files',
    note: 'Exit code 1 when a finding blocks publishing or a credential is missing.',
    argv: ['{{ fieldkit }}', 'generate', ...site],
  },
  {
    name: 'Preview and publish to the provisioning server over SFTP',
    note:
      'The host key is pinned on first use only if it is the one given; a changed key stops the run. --yes ' +
      'confirms the preview; files someone else changed since are never overwritten (docs/automation.md).',
    argv: [
      '{{ fieldkit }}',
      'push',
      '--target',
      '{{ sftp_url }}',
      '--trust-host-key',
      '{{ sftp_host_key }}',
      '--yes',
      ...site,
    ],
  },
  {
    name: 'Restart the phones so they fetch their configuration',
    argv: ['{{ fieldkit }}', 'reboot', '--all', '--yes', ...site],
  },
  {
    name: 'Verify every phone (came back, fetched, firmware, settings)',
    argv: ['{{ fieldkit }}', 'verify', '--boot-timeout', '{{ boot_timeout }}', ...site],
  },
  {
    name: 'Start the security checklist with the customer',
    argv: [
      '{{ fieldkit }}',
      'checklist',
      'start',
      '--technician',
      '{{ technician }}',
      '--contact',
      '{{ contact }}',
      ...site,
    ],
  },
  {
    name: 'Answer the checklist items the site leaves open',
    note: '"fieldkit checklist status --json" lists them; a deviation needs its reason as the note.',
    argv: [
      '{{ fieldkit }}',
      'checklist',
      'answer',
      '{{ item.id }}',
      '--outcome',
      '{{ item.outcome }}',
      '--note',
      '{{ item.note }}',
      ...site,
    ],
    loop: 'checklist_answers',
  },
  {
    name: 'Complete the checklist run',
    argv: ['{{ fieldkit }}', 'checklist', 'complete', ...site],
  },
  {
    name: 'Write the customer report (HTML and PDF) into the site folder',
    argv: ['{{ fieldkit }}', 'checklist', 'report', '--pdf', ...site],
  },
];

const HEADER = `# Fieldkit from Ansible: one site from the technician's sheet to the customer report.
# Every task is one \`fieldkit\` command with --json; a task fails when the command's exit code is not 0
# (docs/cli.md lists the codes). How to run many sites, and what holds when two runs share one provisioning
# server: docs/automation.md.
#
# Written from build/automation-example.ts by \`npm run examples\`; test/integration/automation runs the same
# commands against simulated phones and a real OpenSSH server. Edit the list there, not this file.
#
#   ansible-playbook docs/examples/fieldkit-site.yml -e @site-vars.yml
#
- name: Provision one site with Fieldkit
  hosts: localhost # the machine with Fieldkit installed and a leg on the phones' network
  gather_facts: false
  vars:
    fieldkit: "{{ playbook_dir }}/../../node_modules/.bin/fieldkit"
    site_dir: /srv/fieldkit/sites/acme-hq
    site_name: ACME HQ
    customer: ACME
    settings_file: "{{ playbook_dir }}/site-settings.json"
    sheet_csv: /srv/fieldkit/sheets/acme-hq.csv
    scan_range: 192.168.10.0/24
    sftp_url: sftp://prov@10.0.0.5:22/srv/prov/acme-hq
    sftp_host_key: SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8 # as the server's administrator gives it
    boot_timeout: 300
    customer_ca_pem: /srv/fieldkit/acme-hq/customer-ca.pem
    technician: Tess Tech
    contact: Carl Customer
    checklist_answers:
      - { id: prereq.osv-version, outcome: confirmed, note: OSV V10 R3 checked with the customer }
      - { id: cert.expiry, outcome: deviation, note: The customer renews the certificates }
  environment:
    # One data folder per automation host: pinned host keys, previews and the recent-sites list live here.
    FIELDKIT_DATA_DIR: /srv/fieldkit/data
    # Secrets come from the environment only (Ansible Vault here); Fieldkit never writes them to the site.
    FIELDKIT_ADMIN_PASSWORD: "{{ vault_phone_admin_password }}"
    # The site's secret each phone's own admin password is derived from (keep it in the vault: same secret, same passwords).
    FIELDKIT_ADMIN_SECRET: "{{ vault_site_admin_secret }}"
    FIELDKIT_SECRET_SFTP_PASSWORD_SFTP_10_0_0_5: "{{ vault_sftp_password }}"
    # ...and one FIELDKIT_SECRET_SIP_PASSWORD_<MAC> per phone, e.g. from a vault dictionary.
  tasks:
`;

function yamlTask(step: PlaybookStep): string {
  const lines: string[] = [];
  if (step.note) lines.push(`    # ${step.note}`);
  lines.push(`    - name: ${JSON.stringify(step.name)}`);
  lines.push('      ansible.builtin.command:');
  lines.push(`        argv: ${JSON.stringify(step.argv).replace(/","/g, '", "')}`);
  if (step.creates) lines.push(`        creates: ${JSON.stringify(step.creates)}`);
  if (step.loop) lines.push(`      loop: "{{ ${step.loop} }}"`);
  lines.push(`      changed_when: ${step.argv.includes('status') ? 'false' : 'true'}`);
  return lines.join('\n');
}

export function playbookYaml(): string {
  return `${HEADER}${PLAYBOOK_STEPS.map(yamlTask).join('\n\n')}\n`;
}

/** Fills `{{ name }}` and `{{ item.key }}` in one argument. */
export function fillTemplate(arg: string, vars: Record<string, unknown>, item?: Record<string, unknown>): string {
  return arg.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
    const [head, key] = path.split('.');
    const value = head === 'item' && key ? item?.[key] : vars[path];
    if (value === undefined) throw new Error(`the playbook uses {{ ${path} }}, which has no value`);
    return String(value);
  });
}

export async function playbookIsCurrent(): Promise<boolean> {
  return (await readFile(join(ROOT, PLAYBOOK), 'utf8').catch(() => '')) === playbookYaml();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(join(ROOT, PLAYBOOK), playbookYaml());
  console.log(`wrote ${PLAYBOOK}`);
}
