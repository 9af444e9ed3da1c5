// A throwaway OpenSSH server on 127.0.0.1 for tests and benches: its own config, host key, port and
// test user (useradd + chpasswd, removed by cleanup()). Password and key authentication both work.
// kill() takes down the listener and every session (its whole process group), like a server crash;
// start() brings it back on the same port with the same host key unless rotateHostKey() made a new one.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile, chmod, chown } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { freePort } from './free-port';

export const SSHD_PATH = '/usr/sbin/sshd';

export interface SshdHarness {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The user's home on this machine (the server's file system is ours: tests look at it directly). */
  readonly home: string;
  /** Private key (OpenSSH PEM) accepted for the user, and its file (for `sftp -i`). */
  readonly clientKey: string;
  readonly clientKeyPath: string;
  /** Current host key fingerprint as OpenSSH prints it: `SHA256:<base64 without padding>`. */
  hostKeyFingerprint(): Promise<string>;
  /** The server log (sshd -e writes to stderr). */
  log(): string;
  running(): boolean;
  /** Starts sshd again after kill()/stop(); waits until the port accepts connections. */
  start(): Promise<void>;
  /** SIGKILL to sshd and every session process under it: connections drop mid-transfer. */
  kill(): Promise<void>;
  /** Generates a new host key; takes effect at the next start() (call kill() first). */
  rotateHostKey(): Promise<void>;
  /** Stops sshd, removes the user and every file. Safe to call twice. */
  cleanup(): Promise<void>;
}

/** Why the real-sshd tests cannot run here, or null when they can. */
export function sshdUnavailableReason(): string | null {
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return 'needs root (creates a test user and runs sshd)';
  if (!existsSync(SSHD_PATH)) return `${SSHD_PATH} not found (apt-get install -y openssh-server)`;
  for (const tool of ['/usr/bin/ssh-keygen', '/usr/sbin/useradd', '/usr/sbin/chpasswd', '/usr/sbin/userdel']) {
    if (!existsSync(tool)) return `${tool} not found`;
  }
  return null;
}

/** Every process below `root`, from /proc (Linux). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // exited while we looked
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

async function waitForPort(port: number, timeoutMs: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`sshd exited at start:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`sshd did not listen on 127.0.0.1:${port} within ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `SHA256:` + base64 (no padding) of the key blob, as `ssh-keygen -l -E sha256` prints it. */
function fingerprintOf(publicKeyLine: string): string {
  const blob = publicKeyLine.trim().split(/\s+/)[1];
  if (!blob) throw new Error(`not an OpenSSH public key line: ${publicKeyLine}`);
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

export interface StartSshdOptions {
  /** Extra sshd_config lines (e.g. MaxSessions). */
  extraConfig?: string[];
}

export async function startSshd(options: StartSshdOptions = {}): Promise<SshdHarness> {
  const reason = sshdUnavailableReason();
  if (reason) throw new Error(`cannot start a test sshd: ${reason}`);
  await mkdir('/run/sshd', { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'fieldkit-sshd-'));
  const user = `fk${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const home = join(dir, 'home');
  const hostKey = join(dir, 'host_ed25519');
  const clientKeyPath = join(dir, 'client_ed25519');
  const authorized = join(dir, 'authorized');
  const config = join(dir, 'sshd_config');
  const port = await freePort();
  let userCreated = false;
  let child: ChildProcess | undefined;
  let output = '';
  let cleaned = false;

  const newHostKey = async () => {
    await rm(hostKey, { force: true });
    await rm(`${hostKey}.pub`, { force: true });
    execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'fieldkit-test-host', '-f', hostKey]);
  };

  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    // A session process of the last run may still hold the port for a moment after kill().
    const proc = spawn(SSHD_PATH, ['-D', '-e', '-f', config], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-20_000);
    });
    child = proc;
    await waitForPort(port, 5000, proc, () => output);
  };

  const kill = async () => {
    const proc = child;
    if (!proc || proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    // Each session runs in its own session (setsid), so the process group is not enough: kill the tree.
    for (const pid of [proc.pid, ...descendants(proc.pid)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await exited;
  };

  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await kill();
    if (userCreated) {
      try {
        execFileSync('/usr/sbin/userdel', [user], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await chmod(dir, 0o755); // sshd reads authorized keys and the chroot-less home as the user
    await mkdir(home, { recursive: true });
    await newHostKey();
    execFileSync('/usr/bin/ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'fieldkit-test-client',
      '-f',
      clientKeyPath,
    ]);
    execFileSync('/usr/sbin/useradd', ['-M', '-d', home, '-s', '/usr/sbin/nologin', user]);
    userCreated = true;
    execFileSync('/usr/sbin/chpasswd', [], { input: `${user}:${password}\n` });
    await mkdir(authorized, { recursive: true });
    await writeFile(join(authorized, user), await readFile(`${clientKeyPath}.pub`));
    const uid = Number(execFileSync('/usr/bin/id', ['-u', user]).toString().trim());
    const gid = Number(execFileSync('/usr/bin/id', ['-g', user]).toString().trim());
    await chown(home, uid, gid);
    await chmod(home, 0o755);
    await writeFile(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${authorized}/%u`,
        'StrictModes no',
        'PasswordAuthentication yes',
        'PubkeyAuthentication yes',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        `AllowUsers ${user}`,
        'Subsystem sftp internal-sftp',
        'ForceCommand internal-sftp',
        'MaxStartups 100:30:200',
        'LogLevel ERROR',
        ...(options.extraConfig ?? []),
        '',
      ].join('\n'),
    );
    await start();
  } catch (e) {
    await cleanup();
    throw e;
  }

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    home,
    clientKey: await readFile(clientKeyPath, 'utf8'),
    clientKeyPath,
    hostKeyFingerprint: async () => fingerprintOf(await readFile(`${hostKey}.pub`, 'utf8')),
    log: () => output,
    running: () => Boolean(child && child.exitCode === null && child.signalCode === null),
    start,
    kill,
    rotateHostKey: newHostKey,
    cleanup,
  };
}
