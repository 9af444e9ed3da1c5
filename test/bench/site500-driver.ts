// The technician's side of the site500 bench (issue 15 §3), run inside the lab's technician namespace by
// site500.bench.ts: a real OpenSSH server (the site's provisioning server, on this namespace's loopback), a web
// server the phones fetch its folder from (198.18.0.1), and the whole site from an empty folder to the customer
// report as separate `fieldkit` processes, like an automation engine runs them. Each step is timed; every fieldkit
// process reports its own peak memory and CPU time (usage-on-exit.mjs). Prints one JSON document (Site500Run) on
// stdout; progress on stderr. Removes its server, user and files on exit, SIGINT and SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFirmwareImage } from '../sim/firmware-image';
import { startSshd, type SshdHarness } from '../helpers/sshd';
import { testCa } from '../helpers/test-ca';

export interface Site500Input {
  phones: { mac: string; model: string; address: string }[];
  range: string;
  adminPassword: string;
  /** The web server the phones fetch the SFTP folder from: http://<techAddress>:<webPort>/prov/ */
  techAddress: string;
  webPort: number;
  /** Size of each simulated .st image. */
  imageBytes: number;
  waveSize: number;
}

export interface Site500Step {
  name: string;
  /** Wall time of the step's fieldkit process(es), start to exit (epoch ms). */
  startedAt: number;
  endedAt: number;
  processes: number;
  /** CPU time (user + system) of the fieldkit processes. */
  cpuMs: number;
  /** Largest peak resident memory of one fieldkit process in the step. */
  peakRssMiB: number;
  /** Confirmations (--yes) and answers the technician gave in this step. */
  confirmations: number;
  /** Firmware runs: the plan's phones and what the run verified. */
  detail?: Record<string, unknown>;
  /** Firmware runs: every phone-state entry of the job's journal (when Fieldkit recorded each transition). */
  phoneStates?: PhoneStateEntry[];
}

export interface PhoneStateEntry {
  mac: string;
  state: string;
  wave: string;
  at: number;
}

export interface Site500Run {
  steps: Site500Step[];
  plans: unknown[];
  /**
   * What starting one fieldkit process costs, measured apart: the median wall time of `fieldkit site show` on the
   * site (start, open the site, print, exit), which every step's process pays before its own work.
   */
  processStartMs: number;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'fieldkit.js');
const USAGE_PRELOAD = fileURLToPath(new URL('./usage-on-exit.mjs', import.meta.url));
const FALLBACK = '6.4.0.140';
const HOME = '6.5.0.224';

let sshd: SshdHarness | null = null;
let web: Server | null = null;
let work: string | null = null;
let running: ChildProcess | null = null;

function cleanupSync(): void {
  running?.kill('SIGKILL');
  web?.closeAllConnections();
  web?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  work = null;
}

async function cleanup(): Promise<void> {
  cleanupSync();
  await sshd?.cleanup();
  sshd = null;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(1));
  });
}

/** The phones fetch the SFTP folder (and the firmware staging folders below it) over HTTP. */
async function webServerFor(folder: string, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const rel = normalize(path.replace(/^\/prov\//, ''));
    if (!path.startsWith('/prov/') || rel.startsWith('..') || !/^[\w./-]+$/.test(rel))
      return void res.writeHead(404).end();
    readFile(join(folder, rel)).then(
      (body) => res.writeHead(200).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '') as Site500Input;
  work = await mkdtemp(join(tmpdir(), 'fk-site500-'));
  const dir = work;
  sshd = await startSshd({ extraConfig: ['MaxSessions 64'] });
  const folder = join(sshd.home, 'prov');
  await mkdir(folder, { recursive: true });
  const home = await stat(sshd.home);
  await chown(folder, home.uid, home.gid);
  web = await webServerFor(folder, input.techAddress, input.webPort);
  const serverUrl = `http://${input.techAddress}:${input.webPort}/prov/`;

  const siteDir = join(dir, 'site');
  const settingsFile = join(dir, 'site-settings.json');
  await writeFile(
    settingsFile,
    JSON.stringify({
      settings: {
        siteName: 'Site 500',
        osv: { proxy: { host: '10.20.30.40' }, transport: 'tls', trustedCaFile: 'osv-ca.pem' },
        ntp: { server1: '10.20.30.1' },
        provisioning: { protocol: 'HTTP', server: input.techAddress, port: input.webPort, path: 'prov' },
        fieldkitHost: input.techAddress,
      },
    }),
  );
  const macs = input.phones.map((p) => p.mac.replace(/:/g, ''));
  const sheet = join(dir, 'sheet.csv');
  await writeFile(
    sheet,
    [
      'MAC;DN;Name;Location',
      ...macs.map((m, i) => `${m};${2108180000 + i};User ${i + 1};Floor ${1 + Math.floor(i / 100)}`),
    ].join('\n'),
  );
  const images: string[] = [];
  for (const model of ['6867i', '6865i'])
    for (const version of [FALLBACK, HOME]) {
      const file = join(dir, `${model}-${version}.st`);
      await writeFile(file, buildFirmwareImage({ model, version, sizeBytes: input.imageBytes }));
      images.push(file);
    }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FIELDKIT_DATA_DIR: join(dir, 'data'),
    FIELDKIT_ADMIN_PASSWORD: input.adminPassword,
    // The site's admin secret, from which each phone's admin password is derived (the CLI keeps no secret itself).
    FIELDKIT_ADMIN_SECRET: '5a'.repeat(32),
    FIELDKIT_SECRET_SFTP_PASSWORD_PROV: sshd.password,
    ...Object.fromEntries(macs.map((m) => [`FIELDKIT_SECRET_SIP_PASSWORD_${m}`, `Sip-${m.slice(-6)}-pw`])),
  };
  delete env.NODE_OPTIONS; // the tsx hooks of this process stay out of the measured ones
  let processCount = 0;
  // FIELDKIT_PROFILE_DIR=<dir>: every fieldkit process writes a CPU profile there (where Fieldkit's time goes).
  const profileDir = process.env.FIELDKIT_PROFILE_DIR;
  const profileFlags = (n: number, args: string[]): string[] =>
    profileDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${profileDir}`,
          `--cpu-prof-name=${n}-${args
            .slice(0, 2)
            .join('-')
            .replace(/[^\w.-]/g, '_')}.cpuprofile`,
        ]
      : [];

  const fieldkit = (args: string[]): Promise<Run & { cpuMs: number; maxRssKiB: number }> => {
    const n = ++processCount;
    const usageFile = join(dir, `usage-${n}.json`);
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...profileFlags(n, args), '--import', USAGE_PRELOAD, BIN, ...args], {
        cwd: ROOT,
        env: { ...env, FIELDKIT_BENCH_USAGE_FILE: usageFile },
      });
      running = child;
      const run: Run = { code: null, stdout: '', stderr: '' };
      child.stdout.on('data', (b: Buffer) => (run.stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (run.stderr += b.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        running = null;
        const usage = existsSync(usageFile)
          ? (JSON.parse(readFileSync(usageFile, 'utf8')) as { cpuMs: number; maxRssKiB: number })
          : { cpuMs: 0, maxRssKiB: 0 };
        resolve({ ...run, code, ...usage });
      });
    });
  };

  const steps: Site500Step[] = [];
  const plans: unknown[] = [];
  /** Runs one step: each argv as its own fieldkit process, in order; fails on an exit code but 0. */
  const step = async (name: string, argvs: string[][], confirmations = 0): Promise<Record<string, unknown>[]> => {
    const s: Site500Step = {
      name,
      startedAt: Date.now(),
      endedAt: 0,
      processes: 0,
      cpuMs: 0,
      peakRssMiB: 0,
      confirmations,
    };
    const outputs: Record<string, unknown>[] = [];
    for (const argv of argvs) {
      const r = await fieldkit([...argv, '--site', siteDir, '--json']);
      s.processes++;
      s.cpuMs += r.cpuMs;
      s.peakRssMiB = Math.max(s.peakRssMiB, r.maxRssKiB / 1024);
      if (r.code !== 0)
        throw new Error(
          `${name}: fieldkit ${argv.join(' ')} exited ${r.code}\n${r.stdout.slice(0, 4000)}\n${r.stderr}`,
        );
      outputs.push(JSON.parse(r.stdout) as Record<string, unknown>);
    }
    s.endedAt = Date.now();
    steps.push(s);
    process.stderr.write(`${name}: ${((s.endedAt - s.startedAt) / 1000).toFixed(2)} s\n`);
    return outputs;
  };
  const expect = (ok: boolean, what: string, output: unknown): void => {
    if (!ok) throw new Error(`${what}: ${JSON.stringify(output).slice(0, 4000)}`);
  };

  await step('site create', [['site', 'create', siteDir, '--name', 'Site 500', '--customer', 'ACME']]);
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const began = Date.now();
    const r = await fieldkit(['site', 'show', '--site', siteDir, '--json']);
    if (r.code !== 0) throw new Error(`fieldkit site show exited ${r.code}: ${r.stderr}`);
    starts.push(Date.now() - began);
  }
  const processStartMs = starts.sort((a, b) => a - b)[2]!;
  await step('settings set', [['settings', 'set', '--file', settingsFile]]);
  // SIP over TLS needs the customer's CA on the phones: generate refuses without it (guide §5).
  const caFile = join(dir, 'customer-ca.pem');
  await writeFile(caFile, (await testCa()).certPem);
  await step('ca import', [['ca', 'import', caFile]]);
  const [found] = await step('discover /23', [['discover', input.range, '--no-mdns']]);
  const devices = found as unknown as { mac: string | null; firmware: string | null }[];
  const withFirmware = devices.filter((d) => d.mac && d.firmware).length;
  expect(withFirmware === input.phones.length, `discover: ${withFirmware} phones with firmware`, devices.length);
  steps.at(-1)!.detail = { devices: devices.length, withFirmware };
  await step('sheet import', [['inventory', 'import', sheet]]);
  await step('credentials status', [['credentials', 'status']]);
  await step('generate', [['generate']]);
  const [pushed] = await step(
    'push (SFTP)',
    [
      [
        'push',
        '--target',
        `sftp://${sshd.user}@127.0.0.1:${sshd.port}${folder}`,
        '--target-id',
        'prov',
        '--trust-host-key',
        await sshd.hostKeyFingerprint(),
        '--yes',
      ],
    ],
    1,
  );
  expect(pushed!.published === true, 'push', pushed);
  steps.at(-1)!.detail = { counts: pushed!.counts };
  await step('reboot', [['reboot', '--all', '--concurrency', '64', '--yes']], 1);
  const [verified] = await step('verify', [['verify', '--boot-timeout', '120']]);
  const summary = (verified!.report as { summary: { verified: number; failed: number } }).summary;
  expect(summary.verified === input.phones.length, 'verify', summary);
  await step(
    'firmware import',
    images.map((file) => ['firmware', 'import', file]),
  );

  const firmwareRun = async (version: string, label: string): Promise<void> => {
    const [plan] = await step(`firmware plan (${label})`, [
      [
        'firmware',
        'plan',
        '--target',
        `6867i=${version}`,
        '--target',
        `6865i=${version}`,
        '--canary',
        '1',
        '--wave-size',
        String(input.waveSize),
        '--concurrency',
        String(Math.min(100, input.waveSize)),
        '--halt-after',
        '5',
        '--publish-target',
        'prov',
        '--server-url',
        serverUrl,
      ],
    ]);
    expect(Boolean(plan!.confirmToken), `firmware plan (${label}) refused`, plan!.guardRails);
    plans.push(plan);
    const [run] = await step(`firmware run (${label})`, [['firmware', 'run', '--plan', String(plan!.id), '--yes']], 1);
    const counts = (run!.result as { counts: Record<string, number> }).counts;
    const flash = (plan!.summary as { flash: number }).flash;
    expect(counts.verified === flash, `firmware run (${label})`, counts);
    const jobId = (run!.job as { id: string }).id;
    const journal = await readFile(join(siteDir, 'journal', `${jobId}.jsonl`), 'utf8');
    // with the CPU profiles, the run's journal: when each step of each phone began and ended
    if (profileDir) await writeFile(join(profileDir, `${jobId}.jsonl`), journal);
    steps.at(-1)!.detail = { flash, counts, planId: plan!.id };
    steps.at(-1)!.phoneStates = journal
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((e) => e.type === 'phone-state' && typeof e.wave === 'string')
      .map((e) => ({ mac: String(e.mac), state: String(e.state), wave: String(e.wave), at: Date.parse(String(e.at)) }));
  };
  await firmwareRun(FALLBACK, `fallback to ${FALLBACK}`);
  await firmwareRun(HOME, `back to ${HOME}`);

  await step('checklist start', [['checklist', 'start', '--technician', 'Tess Tech', '--contact', 'Carl Customer']]);
  const [status] = await step('checklist status', [['checklist', 'status']]);
  const open = (status!.items as { id: string; outcome: string; allowed: string[] }[]).filter(
    (i) => i.outcome === 'open',
  );
  await step(
    'checklist answers',
    open.map((i) =>
      i.allowed.includes('pass') || i.allowed.includes('noted')
        ? ['checklist', 'answer', i.id, '--outcome', 'confirmed', '--note', 'checked with the customer']
        : ['checklist', 'answer', i.id, '--outcome', 'deviation', '--note', 'accepted for this site'],
    ),
    open.length,
  );
  await step('checklist complete', [['checklist', 'complete']]);
  const [report] = await step('report (HTML + PDF)', [['checklist', 'report', '--pdf']]);
  expect(report!.draft === false, 'report', report);
  process.stdout.write(JSON.stringify({ steps, plans, processStartMs } satisfies Site500Run));
}

main()
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
