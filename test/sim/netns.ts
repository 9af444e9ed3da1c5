// Network-namespace plumbing for namespace-mode labs (root only). Layout:
//   technician ns `fk-<pid>-<n>-t`: bridge br0 198.18.0.1/15, veth `vt` enslaved to it
//   phones ns     `fk-<pid>-<n>-p`: veth `vp` (no address) + one macvlan (bridge mode) per phone with its own
//                 MAC and /15 address; per-source policy routing so each phone answers through its own interface
//                 (and MAC); arp_ignore=1/arp_announce=2 so only the owning interface answers ARP.
// The root namespace gets `unreachable 198.18.0.0/15` first, so nothing in that range can leave the machine.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const LAB_SUBNET = '198.18.0.0/15';
export const TECH_ADDRESS = '198.18.0.1';
const NAMESPACE_PATTERN = /^fk-(\d+)-(\d+)-[tp]$/;

export interface LabNamespaces {
  tech: string;
  phones: string;
  addedUnreachableRoute: boolean;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function ip(args: string[], input?: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('ip', args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`ip ${args.join(' ')} failed (${code}): ${stderr.trim()}`)),
    );
    if (child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

async function ensureUnreachableRoute(): Promise<boolean> {
  const { stdout } = await run('ip', ['route', 'show', 'type', 'unreachable', LAB_SUBNET]);
  if (stdout.trim() !== '') return false;
  await ip(['route', 'add', 'unreachable', LAB_SUBNET]);
  return true;
}

let counter = 0;

/** Creates both namespaces and the wiring for `phones` (address + MAC each). Cleans up after itself on failure. */
export async function createLabNamespaces(phones: Array<{ address: string; mac: string }>): Promise<LabNamespaces> {
  if (!isRoot()) throw new Error('namespace mode needs root (ip netns); use mode "loopback" instead');
  const id = `fk-${process.pid}-${++counter}`;
  const ns: LabNamespaces = { tech: `${id}-t`, phones: `${id}-p`, addedUnreachableRoute: false };
  ns.addedUnreachableRoute = await ensureUnreachableRoute();
  try {
    await ip(['netns', 'add', ns.tech]);
    await ip(['netns', 'add', ns.phones]);
    await run('ip', [
      'netns',
      'exec',
      ns.phones,
      'sysctl',
      '-q',
      '-w',
      'net.ipv4.conf.all.arp_ignore=1',
      'net.ipv4.conf.all.arp_announce=2',
      'net.ipv4.conf.all.rp_filter=0',
      'net.ipv4.conf.default.rp_filter=0',
      // Every broadcast (ARP) reaches all N macvlans, and with the per-phone rules below the kernel's source check
      // walks the rules for each copy: O(N^2) per sweep, 500 phones needed 3+ s to answer ARP instead of 0.6 s.
      // accept_local skips that check (it only also admits packets from the namespace's own addresses).
      'net.ipv4.conf.all.accept_local=1',
    ]);
    await ip(['link', 'add', 'vt', 'netns', ns.tech, 'type', 'veth', 'peer', 'name', 'vp', 'netns', ns.phones]);
    await ip(
      ['-n', ns.tech, '-batch', '-'],
      [
        'link set lo up',
        'link add br0 type bridge',
        'link set vt master br0',
        'link set vt up',
        'link set br0 up',
        `addr add ${TECH_ADDRESS}/15 dev br0`,
        'route add 224.0.0.0/4 dev br0',
      ].join('\n') + '\n',
    );
    const lines = ['link set lo up', 'link set vp up'];
    for (const [i, p] of phones.entries()) {
      const mac = p.mac.match(/../g)!.join(':');
      lines.push(
        `link add m${i} link vp address ${mac} type macvlan mode bridge`,
        `addr add ${p.address}/15 dev m${i} noprefixroute`,
        `link set m${i} up`,
        `route add ${LAB_SUBNET} dev m${i} table ${1000 + i}`,
        `route add 224.0.0.0/4 dev m${i} table ${1000 + i}`,
        `rule add from ${p.address} table ${1000 + i} pref ${1000 + i}`,
      );
    }
    if (phones.length > 0) lines.push(`route add ${LAB_SUBNET} dev m0`, 'route add 224.0.0.0/4 dev m0');
    await ip(['-n', ns.phones, '-batch', '-'], lines.join('\n') + '\n');
  } catch (err) {
    removeLabNamespacesSync(ns);
    throw err;
  }
  return ns;
}

function labNamespacesAlive(): string[] {
  try {
    return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((n) => NAMESPACE_PATTERN.test(n));
  } catch {
    return [];
  }
}

function killNamespacePids(name: string): void {
  try {
    const pids = execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  } catch {
    // namespace already gone
  }
}

/** Synchronous so it can run from process 'exit' handlers. */
export function removeLabNamespacesSync(ns: LabNamespaces): void {
  for (const name of [ns.phones, ns.tech]) {
    killNamespacePids(name);
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  if (ns.addedUnreachableRoute && labNamespacesAlive().length === 0) {
    try {
      execFileSync('ip', ['route', 'del', 'unreachable', LAB_SUBNET], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

/**
 * Removes namespaces left by lab processes that were killed (their pid no longer exists). Returns the names removed.
 */
export function cleanupStaleLabs(): string[] {
  const removed: string[] = [];
  for (const name of labNamespacesAlive()) {
    const pid = Number(NAMESPACE_PATTERN.exec(name)![1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    killNamespacePids(name);
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
      removed.push(name);
    } catch {
      // raced with another cleaner
    }
  }
  return removed;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command inside a namespace and collects its output (bounded at 8 MiB each). */
export function execInNamespace(
  ns: string,
  command: string,
  args: string[],
  opts: { timeoutMs?: number } = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const cap = 8 * 1024 * 1024;
    child.stdout.on('data', (c: Buffer) => {
      if (stdout.length < cap) stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < cap) stderr += c.toString();
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** argv prefix to spawn something yourself inside a namespace: `spawn(argv[0], [...argv.slice(1), cmd, ...args])`. */
export function namespaceArgv(ns: string): string[] {
  return ['ip', 'netns', 'exec', ns];
}
