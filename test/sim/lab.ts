// startLab: runs a lab file's devices either on loopback (each device its own 127.x.y.z, in this process) or in
// network namespaces (root; one worker process inside the phones' namespace, technician namespace for the caller).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ManualClock } from './clock';
import { allocateAddresses, intToIp, ipToInt, spreadAddresses } from './lab-addresses';
import { LabControl } from './lab-control';
import { buildLabDevices, countDevices, startLabDevices } from './lab-devices';
import { parseLabSpec } from './lab-spec';
import { createLabNamespaces, execInNamespace, removeLabNamespacesSync, TECH_ADDRESS } from './netns';
import type { WorkerCall, WorkerRequest, WorkerResponse } from './lab-worker-protocol';
import type { LabSpecInput } from './lab-spec';
import type { LabDeviceInfo } from './lab-devices';
import type { PhoneFaults } from './faults';
import type { SimClock } from './clock';
import type { ChildProcess } from 'node:child_process';
import type { ExecResult, LabNamespaces } from './netns';
import type { PhoneInspection, SimPhone } from './phone';

export { cleanupStaleLabs, execInNamespace, namespaceArgv } from './netns';
export type { LabDeviceInfo } from './lab-devices';

export type LabMode = 'loopback' | 'namespace';

export interface LabOptions {
  mode: LabMode;
  /** Configuration server the phones get from "the network" (like DHCP option 66), e.g. http://127.0.0.1:8080/prov/ */
  provisioningUrl?: string;
  /** Loopback mode only: your own clock object for auto resync. */
  clock?: SimClock;
  /** Both modes: the lab creates a ManualClock starting here; move it with handle.setClock(). */
  clockStartMs?: number;
  /**
   * Namespace mode only: called after the namespaces exist and before the phones boot, e.g. to start a provisioning
   * server inside the technician namespace so the phones' first boot can reach it.
   */
  onNamespacesReady?: (ns: { tech: string; phones: string; techAddress: string }) => Promise<void>;
}

export interface LabHandle {
  mode: LabMode;
  name: string;
  devices: LabDeviceInfo[];
  /** Only the simulated 6867i/6865i (kind mitel-6800). */
  phones: LabDeviceInfo[];
  /** Namespace mode: where to run Fieldkit (technician ns, address 198.18.0.1) and where the phones live. */
  namespaces: { tech: string; phones: string; techAddress: string } | null;
  inspect(mac: string): Promise<PhoneInspection>;
  setFaults(mac: string, faults: PhoneFaults): Promise<void>;
  powerCycle(mac: string): Promise<void>;
  setClock(ms: number): Promise<void>;
  /** Loopback mode only: the in-process SimPhone (for waitForEvent and friends). */
  phone(mac: string): SimPhone;
  /** Namespace mode only: runs a command inside the technician namespace. */
  execInTech(command: string, args: string[], opts?: { timeoutMs?: number }): Promise<ExecResult>;
  stop(): Promise<void>;
}

const NAMESPACE_FIRST = '198.18.0.9';
const NAMESPACE_LIMIT = '198.20.0.0';

export async function startLab(specInput: LabSpecInput, opts: LabOptions): Promise<LabHandle> {
  const spec = parseLabSpec(specInput);
  if (opts.clock && opts.clockStartMs !== undefined) throw new Error('give either clock or clockStartMs, not both');
  if (opts.mode === 'loopback') return startLoopbackLab(spec, opts);
  if (opts.mode === 'namespace') {
    if (opts.clock) throw new Error('namespace mode runs phones in another process: use clockStartMs instead of clock');
    return startNamespaceLab(spec, opts);
  }
  throw new Error(`mode must be "loopback" or "namespace", got "${String(opts.mode)}"`);
}

async function startLoopbackLab(spec: ReturnType<typeof parseLabSpec>, opts: LabOptions): Promise<LabHandle> {
  const manual = opts.clockStartMs !== undefined ? new ManualClock(opts.clockStartMs) : null;
  const buildOpts = {
    provisioningUrl: opts.provisioningUrl,
    clock: opts.clock ?? manual ?? undefined,
    mdnsInterface: () => '127.0.0.1',
  };
  const addresses = allocateAddresses(spec.loopbackBase, countDevices(spec), '128.0.0.0');
  const running = await startLabDevices(buildLabDevices(spec, addresses, buildOpts), buildOpts);
  const control = new LabControl(running.devices, manual);
  const devices = running.devices.map((d) => d.info);
  return {
    mode: 'loopback',
    name: spec.name,
    devices,
    phones: devices.filter((d) => d.kind === 'mitel-6800'),
    namespaces: null,
    inspect: async (mac) => control.inspect(mac),
    setFaults: async (mac, faults) => control.setFaults(mac, faults),
    powerCycle: (mac) => control.powerCycle(mac),
    setClock: async (ms) => control.setClock(ms),
    phone: (mac) => control.phone(mac),
    execInTech: () => Promise.reject(new Error('execInTech needs a namespace-mode lab')),
    stop: () => running.stop(),
  };
}

class WorkerClient {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(readonly child: ChildProcess) {
    child.on('message', (raw) => {
      const msg = raw as WorkerResponse;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error));
    });
    child.on('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`lab worker exited (code ${code}, signal ${signal})`));
      this.pending.clear();
    });
  }

  call(req: WorkerCall, timeoutMs = 120_000): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      if (!this.child.connected) return reject(new Error('lab worker is not running'));
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`lab worker did not answer "${req.op}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ ...req, id } as WorkerRequest);
    });
  }
}

function repoRoot(): string {
  return fileURLToPath(new URL('../..', import.meta.url));
}

async function startNamespaceLab(spec: ReturnType<typeof parseLabSpec>, opts: LabOptions): Promise<LabHandle> {
  const addresses =
    spec.namespaceLayout === 'spread'
      ? spreadAddresses(
          NAMESPACE_FIRST,
          countDevices(spec),
          intToIp(ipToInt('198.18.0.0') + 2 ** (32 - spec.spreadPrefix)),
        )
      : allocateAddresses(spec.namespaceAfter ?? NAMESPACE_FIRST, countDevices(spec), NAMESPACE_LIMIT);
  // MACs are needed for the macvlan interfaces before the worker exists: build the device list once here (cheap).
  const infos = buildLabDevices(spec, addresses, { mdnsInterface: (a) => a }).map((d) => d.info);
  const ns: LabNamespaces = await createLabNamespaces(infos.map((d) => ({ address: d.address, mac: d.mac })));
  let cleaned = false;
  const cleanupSync = (): void => {
    if (cleaned) return;
    cleaned = true;
    removeLabNamespacesSync(ns);
  };
  const onExit = (): void => cleanupSync();
  const onSignal = (signal: NodeJS.Signals): void => {
    cleanupSync();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (process.listenerCount(signal) === 0) process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const detach = (): void => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };

  let worker: WorkerClient;
  try {
    await opts.onNamespacesReady?.({ tech: ns.tech, phones: ns.phones, techAddress: TECH_ADDRESS });
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        ns.phones,
        process.execPath,
        '--import',
        'tsx',
        fileURLToPath(new URL('./lab-worker.ts', import.meta.url)),
      ],
      {
        cwd: repoRoot(),
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    worker = new WorkerClient(child);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    await worker.call({
      op: 'start',
      spec,
      addresses,
      provisioningUrl: opts.provisioningUrl,
      clockStartMs: opts.clockStartMs,
    });
  } catch (err) {
    cleanupSync();
    detach();
    throw err;
  }

  const stop = async (): Promise<void> => {
    if (cleaned) return;
    await worker.call({ op: 'stop' }, 15_000).catch(() => undefined);
    worker.child.disconnect?.();
    cleanupSync();
    detach();
  };
  return {
    mode: 'namespace',
    name: spec.name,
    devices: infos,
    phones: infos.filter((d) => d.kind === 'mitel-6800'),
    namespaces: { tech: ns.tech, phones: ns.phones, techAddress: TECH_ADDRESS },
    inspect: async (mac) => (await worker.call({ op: 'inspect', mac })) as PhoneInspection,
    setFaults: async (mac, faults) => void (await worker.call({ op: 'setFaults', mac, faults })),
    powerCycle: async (mac) => void (await worker.call({ op: 'powerCycle', mac })),
    setClock: async (ms) => void (await worker.call({ op: 'setClock', ms })),
    phone: () => {
      throw new Error(
        'phone() is loopback-only: in namespace mode the phones live in another process; use inspect()/setFaults()',
      );
    },
    execInTech: (command, args, o) => execInNamespace(ns.tech, command, args, o),
    stop,
  };
}
