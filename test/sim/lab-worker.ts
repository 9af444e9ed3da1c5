// Runs inside the phones' network namespace (spawned by lab.ts through `ip netns exec`), hosting all devices
// of a namespace-mode lab in one process and answering lab.ts over the IPC channel.
import { ManualClock } from './clock';
import { buildLabDevices, startLabDevices } from './lab-devices';
import { LabControl } from './lab-control';
import type { RunningDevices } from './lab-devices';
import type { WorkerRequest, WorkerResponse } from './lab-worker-protocol';

let running: RunningDevices | null = null;
let control: LabControl | null = null;

function reply(msg: WorkerResponse): void {
  process.send?.(msg);
}

async function handle(req: WorkerRequest): Promise<unknown> {
  if (req.op === 'start') {
    const clock = req.clockStartMs !== undefined ? new ManualClock(req.clockStartMs) : null;
    const opts = { provisioningUrl: req.provisioningUrl, clock: clock ?? undefined, mdnsInterface: (a: string) => a };
    running = await startLabDevices(buildLabDevices(req.spec, req.addresses, opts), opts);
    control = new LabControl(running.devices, clock);
    return running.devices.map((d) => d.info);
  }
  if (req.op === 'stop') {
    await running?.stop();
    running = null;
    return null;
  }
  if (!control) throw new Error('lab worker not started');
  switch (req.op) {
    case 'inspect':
      return control.inspect(req.mac);
    case 'setFaults':
      return control.setFaults(req.mac, req.faults);
    case 'powerCycle':
      return control.powerCycle(req.mac);
    case 'setClock':
      return control.setClock(req.ms);
  }
}

process.on('message', (raw) => {
  const req = raw as WorkerRequest;
  handle(req).then(
    (result) => reply({ id: req.id, ok: true, result: result ?? null }),
    (err: unknown) => reply({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});

// The parent went away (killed or stopped): nothing may outlive it.
process.on('disconnect', () => {
  void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});
