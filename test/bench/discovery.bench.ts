// Discovery bench (root), each part on its own namespace lab, Fieldkit and the peers (nmap, svmap) run from the
// technician namespace. Namespaces are removed on exit and on failure.
// - scan200: 200 devices in a /24 (190 phones, 20 of them on non-default ports, 5 with SIP off).
// - sparse16: a mostly empty /16 (20 phones spread over it): time, recall and peak RSS.
// - site500-discovery: the 500-phone site of issue 15 (site500-lab.ts), a /23.
// bench parts: scan200 sparse16 site500-discovery
// FIELDKIT_BENCH_PART=<part> runs one part; FIELDKIT_BENCH_PEERS=0 leaves the peers out (the sparse /16 peers take
// 15 min each); FIELDKIT_BENCH_ARP=namespace lets the sparse /16 scan use its own ARP budget estimate inside the
// namespace (it cannot read the OS neighbour table size there); FIELDKIT_BENCH_TSX=1 runs Fieldkit's TypeScript with
// tsx instead of the bundle.
// Where the time and memory go: FIELDKIT_MEM_TRACE, FIELDKIT_PROGRESS_TRACE, FIELDKIT_PROFILE_DIR (run-in-namespace.ts,
// discover-in-namespace.ts).
import { minimumOnLinkMs, systemArpBudget } from '../../electron/core/discovery/arp-budget';
import { parseMac } from '../../electron/core/phone';
import { cleanupStaleLabs, startLab } from '../sim/lab';
import { isRoot } from '../sim/netns';
import { ADMIN_PASSWORD, NON_DEFAULT, SCAN_200_SPEC, SPARSE_16_SPEC } from './discovery-lab-spec';
import { discoverInTech, timedInTech } from './run-in-namespace';
import { labWorkerCpuMs, SITE_500_ADMIN_PASSWORD, SITE_500_RANGE, startSite500Lab } from './site500-lab';
import type { LabHandle } from '../sim/lab';
import type { NamespaceDiscovery } from './run-in-namespace';

interface Row {
  tool: string;
  found: number;
  firmware: number;
  ms: number;
  note: string;
}

const PEER_TIMEOUT_MS = 300_000;
const SPARSE_PEER_TIMEOUT_MS = 900_000;

/** nmap -oG: `Host: 198.18.0.10 ()	Ports: 5060/open/udp//sip//Mitel 6867i\/6.5.0.224 (Status: 200 OK)/, …` */
function nmapHits(grepable: string): Map<string, string> {
  const hits = new Map<string, string>();
  for (const line of grepable.split('\n')) {
    const m = /^Host: (\S+) .*Ports: (.*)$/.exec(line);
    if (!m) continue;
    for (const port of m[2]!.split(', ')) {
      const [, state, , , service, , version] = port.split('/');
      if (state === 'open' && (service === 'sip' || /Mitel|Aastra/.test(version ?? '')))
        hits.set(m[1]!, `${hits.get(m[1]!) ?? ''} ${(version ?? '').replace(/\\\//g, '/')}`);
    }
  }
  return hits;
}

/** svmap table rows: `| 198.18.0.10:5060 | Mitel 6867i/6.5.0.224 |`. */
function svmapHits(text: string): Map<string, string> {
  const hits = new Map<string, string>();
  for (const m of text.matchAll(/^\|\s*([\d.]+):\d+\s*\|\s*(.*?)\s*\|/gm))
    hits.set(m[1]!, `${hits.get(m[1]!) ?? ''} ${m[2]}`);
  return hits;
}

function score(lab: LabHandle, hits: Map<string, string>): { found: number; firmware: number } {
  let found = 0;
  let firmware = 0;
  for (const p of lab.phones) {
    const text = hits.get(p.address);
    if (text === undefined) continue;
    found++;
    if (p.firmware && text.includes(p.firmware)) firmware++;
  }
  return { found, firmware };
}

async function peer(
  lab: LabHandle,
  tool: string,
  command: string,
  args: string[],
  parse: (out: string) => Map<string, string>,
  note: string,
  timeoutMs = PEER_TIMEOUT_MS,
): Promise<Row | null> {
  // FIELDKIT_BENCH_PEERS=0: Fieldkit alone (while investigating; the peers of the sparse /16 take 15 min each).
  if (process.env.FIELDKIT_BENCH_PEERS === '0') return null;
  const r = await timedInTech(lab, command, args, timeoutMs);
  const s = score(lab, parse(r.stdout));
  return {
    tool,
    ...s,
    ms: r.ms,
    note: r.timedOut
      ? `${note}; TIMED OUT after ${timeoutMs / 1000} s`
      : r.code !== 0
        ? `${note}; exit ${r.code}: ${r.stderr.slice(0, 120)}`
        : note,
  };
}

/** Fieldkit's row: phones classified as supported, with their firmware and real MAC. */
function fieldkitRow(lab: LabHandle, fk: NamespaceDiscovery, extra: string): Row {
  const byIp = new Map(fk.devices.map((d) => [d.ip, d]));
  let found = 0;
  let firmware = 0;
  let macs = 0;
  for (const p of lab.phones) {
    const d = byIp.get(p.address);
    if (d?.classification !== 'supported') continue;
    found++;
    if (d.firmware?.value === p.firmware) firmware++;
    if (d.mac?.value === parseMac(p.mac)) macs++;
  }
  return {
    tool: 'fieldkit discover',
    found,
    firmware,
    ms: fk.wallMs,
    note: `in-process scan time (CPU ${(fk.cpuMs / 1000).toFixed(2)} s); whole process incl. Node start ${(fk.processMs / 1000).toFixed(2)} s; MACs ${macs}/${lab.phones.length}; ${extra}`,
  };
}

/** nmap's SIP script on UDP `ports` of `range`; the script runs only where nmap names the port "sip" (5060). */
function nmapSipMethods(lab: LabHandle, range: string, ports: string, note: string, timeoutMs?: number) {
  const args = ['-n', '-T4', '-sU', '-p', ports, '--script', 'sip-methods', '-oG', '-', range];
  return peer(lab, 'nmap sip-methods', 'nmap', args, nmapHits, note, timeoutMs);
}

function table(all: (Row | null)[], fieldkitMs: number, phones = 190): string {
  const rows = all.filter((r): r is Row => r !== null);
  const head = ['tool', 'phones found', 'firmware read', 'wall time', 'Fieldkit / tool', 'notes'];
  const body = rows.map((r) => [
    r.tool,
    `${r.found}/${phones}`,
    `${r.firmware}/${phones}`,
    `${(r.ms / 1000).toFixed(2)} s`,
    `${(fieldkitMs / r.ms).toFixed(3)}`,
    r.note,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...body.map(fmt)].join('\n');
}

async function scan200(): Promise<void> {
  const lab = await startLab(SCAN_200_SPEC, { mode: 'namespace' });
  try {
    const range = '198.18.0.0/24';
    const sipPorts = `5060,${NON_DEFAULT.sip}`;
    const fk = await discoverInTech(
      lab,
      { ranges: [range], sipPorts: [NON_DEFAULT.sip], httpPorts: [NON_DEFAULT.http], httpsPorts: [NON_DEFAULT.https] },
      ADMIN_PASSWORD,
    );
    const fkRow = fieldkitRow(lab, fk, 'SIP, HTTP(S), sysinfo, mDNS, neighbour');
    const { found, firmware } = fkRow;
    const rows: (Row | null)[] = [
      fkRow,
      await nmapSipMethods(
        lab,
        range,
        sipPorts,
        `-sU -p ${sipPorts} --script sip-methods: the script runs only where nmap names the port "sip" (5060)`,
      ),
      await peer(
        lab,
        'nmap -sV',
        'nmap',
        [
          '-n',
          '-T4',
          '-sU',
          '-sV',
          '--version-intensity',
          '5',
          '--max-retries',
          '1',
          '-p',
          sipPorts,
          '-oG',
          '-',
          range,
        ],
        nmapHits,
        `-sU -sV --version-intensity 5 --max-retries 1 -p ${sipPorts}: version from the SIP Server header`,
      ),
      await peer(lab, 'svmap (OPTIONS)', 'svmap', [range], svmapHits, 'default: OPTIONS to 5060 only'),
      await peer(lab, 'svmap -p (OPTIONS)', 'svmap', ['-p', sipPorts, range], svmapHits, `OPTIONS to ${sipPorts}`),
      await peer(
        lab,
        'svmap -m INVITE -p',
        'svmap',
        ['-m', 'INVITE', '-p', sipPorts, range],
        svmapHits,
        `INVITE to ${sipPorts} (rings phones on a real site)`,
      ),
    ];
    console.log(
      `\n/24 with 200 devices (190 phones: 20 on SIP ${NON_DEFAULT.sip}/HTTP ${NON_DEFAULT.http}/HTTPS ${NON_DEFAULT.https}, 5 with SIP off), from the technician namespace:\n`,
    );
    console.log(table(rows, fk.wallMs));
    console.log(
      `\nFieldkit: ${fk.summary.devices} devices (${JSON.stringify(fk.summary.byClassification)}), peak RSS ${(fk.peakRss / 1048576).toFixed(0)} MiB; goal: all phones with firmware in < 3 s -> ${found === 190 && firmware === 190 && fk.wallMs < 3000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await lab.stop();
  }
}

async function sparse16(): Promise<void> {
  const lab = await startLab(SPARSE_16_SPEC, { mode: 'namespace' });
  try {
    // The neighbour table is shared by all namespaces but its size can only be read in the root namespace: by default
    // the technician namespace gets what a laptop reads itself (80 % of gc_thresh3). FIELDKIT_BENCH_ARP=namespace
    // leaves the scan to its own estimate inside the namespace (arp-budget.ts).
    const own = process.env.FIELDKIT_BENCH_ARP === 'namespace';
    const read = systemArpBudget();
    const range = '198.18.0.0/16';
    const fk = await discoverInTech(
      lab,
      { ranges: [range], ...(own ? {} : { limits: { arpSlots: read.slots } }) },
      ADMIN_PASSWORD,
    );
    // The scan's warning names the budget it used ("resolves (ARP) about N of them at once").
    const used = Number(/about (\d+) of them at once/.exec(fk.warnings.join(' '))?.[1] ?? read.slots);
    const budget = { slots: used, holdMs: read.holdMs };
    const found = lab.phones.filter((p) =>
      fk.devices.some((d) => d.ip === p.address && d.firmware?.value === p.firmware),
    ).length;
    const sipSeen = lab.phones.filter((p) =>
      fk.devices.some((d) => d.ip === p.address && d.sources.includes('sip')),
    ).length;
    const rows: (Row | null)[] = [
      {
        tool: 'fieldkit discover',
        found,
        firmware: found,
        ms: fk.wallMs,
        note: `SIP ${sipSeen}/${lab.phones.length}; at most ${used} addresses resolving at once${own ? ' (its own estimate in the namespace)' : ''} (OS floor ${(minimumOnLinkMs(65_534, budget) / 1000).toFixed(0)} s); peak RSS ${(fk.peakRss / 1048576).toFixed(0)} MiB`,
      },
      // As root, nmap finds hosts with its own raw-socket ARP requests, so the kernel neighbour table does not limit
      // it.
      await nmapSipMethods(
        lab,
        range,
        '5060',
        'root: raw-socket ARP host discovery first, then -sU -p 5060 --script sip-methods',
        SPARSE_PEER_TIMEOUT_MS,
      ),
      await peer(
        lab,
        'svmap (OPTIONS)',
        'svmap',
        [range],
        svmapHits,
        'default: OPTIONS to 5060 over the kernel stack, like Fieldkit',
        SPARSE_PEER_TIMEOUT_MS,
      ),
    ];
    console.log(
      `\nMostly empty /16 (65,534 addresses, ${lab.phones.length} phones spread over it), from the technician namespace:\n`,
    );
    console.log(table(rows, fk.wallMs, lab.phones.length));
    console.log(
      `\nFieldkit: web probes ${fk.summary.webTargets}, SIP sends refused: ${JSON.stringify(fk.summary.sweep?.sipSendFailed)}`,
    );
  } finally {
    await lab.stop();
  }
}

/** Issue 15 §3, discovery step: the 500-phone site's /23, all phones with firmware in < 3 s. */
async function site500Discovery(): Promise<void> {
  const { lab, startMs, workerRssMiB } = await startSite500Lab();
  try {
    const phones = lab.phones.length;
    const cpuBefore = labWorkerCpuMs(lab);
    const fk = await discoverInTech(lab, { ranges: [SITE_500_RANGE] }, SITE_500_ADMIN_PASSWORD);
    const labCpuMs = labWorkerCpuMs(lab) - cpuBefore;
    const fkRow = fieldkitRow(lab, fk, `peak RSS ${(fk.peakRss / 1048576).toFixed(0)} MiB`);
    const { found, firmware } = fkRow;
    const rows: (Row | null)[] = [
      fkRow,
      await nmapSipMethods(lab, SITE_500_RANGE, '5060', '-sU -p 5060 --script sip-methods'),
      await peer(lab, 'svmap (OPTIONS)', 'svmap', [SITE_500_RANGE], svmapHits, 'default: OPTIONS to 5060'),
    ];
    console.log(
      `\n500-phone site: ${SITE_500_RANGE} (510 addresses, ${phones} phones) on the technician's segment; lab up in ${(startMs / 1000).toFixed(2)} s, lab worker RSS ${workerRssMiB} MiB:\n`,
    );
    console.log(table(rows, fk.wallMs, phones));
    console.log(
      `\nFieldkit: ${fk.summary.devices} devices, sysinfo read ${fk.summary.sweep?.sysinfoRead ?? 0}; the 500 simulated phones used ${(labCpuMs / 1000).toFixed(2)} s CPU meanwhile; goal: all ${phones} phones with firmware in < 3 s -> ${found === phones && firmware === phones && fk.wallMs < 3000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await lab.stop();
  }
}

if (!isRoot()) {
  console.log('discovery bench skipped: it needs root for network namespaces');
} else {
  cleanupStaleLabs();
  // FIELDKIT_BENCH_PART=scan200|sparse16|site500-discovery runs one part only.
  const part = process.env.FIELDKIT_BENCH_PART;
  if (!part || part === 'scan200') await scan200();
  if (!part || part === 'sparse16') await sparse16();
  if (!part || part === 'site500-discovery') await site500Discovery();
}
