// A firmware test bench: a temporary site whose inventory lists a loopback lab of simulated phones, the
// site's home directory on a real BuiltinServer (the phones' configuration server, which also holds the
// staging folders), a firmware library with simulator images, and a JobManager with the firmware job.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from '../../sim/lab';
import { buildFirmwareImage } from '../../sim/firmware-image';
import { BuiltinServer } from '../../../electron/core/provisioning/builtin-server';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { DEVICES_FILE, DevicesFileSchema } from '../../../electron/core/inventory/inventory-files';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { importFirmware } from '../../../electron/core/firmware/library';
import { firmwareServerOn, locationFromUrl } from '../../../electron/core/firmware/firmware-server';
import { createFirmwareWaveJob } from '../../../electron/core/firmware/wave-job';
import type { JobInfo } from '../../../electron/core/jobs/job-types';
import type { InventoryDevice } from '../../../electron/core/inventory/inventory-files';
import type { MitelPhoneGroup } from '../../sim/lab-spec';
import type { LabHandle } from '../../sim/lab';
import type { FirmwareJobDeps } from '../../../electron/core/firmware/wave-job';
import type { PlanDeps } from '../../../electron/core/firmware/plan';

export type GroupInput = Pick<MitelPhoneGroup, 'count' | 'model' | 'versions' | 'macStart'> & {
  faults?: MitelPhoneGroup['faults'];
};

export interface Bench {
  dir: string;
  site: SiteWorkspace;
  lab: LabHandle;
  home: BuiltinServer;
  secrets: MemorySecretStore;
  jobs: JobManager;
  updates: JobInfo[];
  planDeps(): PlanDeps;
  jobDeps: FirmwareJobDeps;
  /** Imports a simulator image as `<model>-<version>.st` (version from the file name). */
  addImage(
    model: '6867i' | '6865i',
    version: string,
    opts?: { corrupt?: boolean; name?: string; imageVersion?: string },
  ): Promise<void>;
  flashes(mac: string): number;
  /** The home directory's files (name -> base64), for a process that serves them in place of `home`. */
  homeFiles(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export function deviceFor(
  p: {
    mac: string;
    address: string;
    model: string | null;
    firmware: string | null;
    httpPort: number | null;
    sipPort: number | null;
  },
  at: string,
): InventoryDevice {
  const src = <T>(value: T) => ({ value, source: 'sysinfo' as const, at });
  return {
    record: {
      key: `mac:${p.mac}`,
      ip: p.address,
      mac: src(p.mac),
      vendor: src('Mitel'),
      model: src(p.model ?? ''),
      firmware: src(p.firmware ?? ''),
      banner: null,
      hostname: null,
      sipPort: p.sipPort,
      httpPort: p.httpPort,
      httpsPort: null,
      services: [],
      classification: 'supported',
      sources: ['sysinfo'],
      flags: { belowOsvMinimum: false, vulnerable: [], possiblyVulnerable: [], notes: [] },
      firstSeen: at,
      lastSeen: at,
    },
    state: 'present',
    changes: [],
    changedAt: null,
    goneSince: null,
    previousIps: [],
  };
}

export async function startBench(opts: {
  name: string;
  loopbackBase: string;
  groups: GroupInput[];
  bootMs?: number;
  flashMs?: number;
  clockStartMs?: number;
  provisioningUrl?: string;
}): Promise<Bench> {
  const dir = await mkdtemp(join(tmpdir(), 'fk-fw-'));
  const site = await SiteWorkspace.create(join(dir, 'site'), { name: opts.name });
  const home = new BuiltinServer({ address: '127.0.0.1', port: 0, pathPrefix: 'prov' });
  await home.start();
  await home.write('startup.cfg', Buffer.from('contact rcs: 0\nsip xml notify event: 1\n'), {
    expectSha256: null,
    backup: false,
  });
  for (const model of ['6867i', '6865i'])
    await home.write(`${model}.cfg`, Buffer.from(`# ${model}\nhttp path: prov\n`), {
      expectSha256: null,
      backup: false,
    });
  const lab = await startLab(
    {
      name: opts.name,
      loopbackBase: opts.loopbackBase,
      bootMs: opts.bootMs ?? 300,
      flashMs: opts.flashMs ?? 500,
      groups: opts.groups.map((g) => ({
        kind: 'mitel-6800' as const,
        ...g,
        ports: { sip: 5060, http: 80, https: null },
        faults: g.faults ?? {},
      })),
    },
    {
      mode: 'loopback',
      provisioningUrl: opts.provisioningUrl ?? home.url(),
      ...(opts.clockStartMs !== undefined ? { clockStartMs: opts.clockStartMs } : {}),
    },
  );
  const at = new Date().toISOString();
  for (const p of lab.phones) {
    await home.write(`${p.mac.replace(/:/g, '')}.cfg`, Buffer.from(`sip line1 user name: ${p.index}\n`), {
      expectSha256: null,
      backup: false,
    });
  }
  await site.writeJson(DEVICES_FILE, DevicesFileSchema, {
    format: 'fieldkit-inventory',
    formatVersion: 1,
    updatedAt: at,
    devices: lab.phones.map((p) =>
      deviceFor(
        {
          mac: p.mac,
          address: p.address,
          model: p.model,
          firmware: p.firmware,
          httpPort: p.httpPort,
          sipPort: p.sipPort,
        },
        at,
      ),
    ),
  });
  // The phones' configuration sets no admin password, so they keep the factory default; the run checks that the
  // password the phones have once provisioned is stored before it touches one.
  const secrets = new MemorySecretStore({ 'phone-admin-password': '22222' });
  const updates: JobInfo[] = [];
  const jobs = new JobManager(() => site.path('journal'), { onUpdate: (i) => updates.push(i), onLog: () => undefined });
  const server = () => firmwareServerOn(home, locationFromUrl(home.url()));
  const jobDeps: FirmwareJobDeps = { site: () => site, secrets, server: async () => server() };
  jobs.register(createFirmwareWaveJob(jobDeps));
  return {
    dir,
    site,
    lab,
    home,
    secrets,
    jobs,
    updates,
    jobDeps,
    planDeps: () => ({ site, secrets, server: server() }),
    async addImage(model, version, o = {}) {
      const file = join(dir, o.name ?? `${model}-${version}.st`);
      await writeFile(
        file,
        buildFirmwareImage({ model, version: o.imageVersion ?? version, sizeBytes: 4096, corrupt: o.corrupt }),
      );
      await importFirmware(site, { path: file });
    },
    flashes: (mac) => lab.phone(mac).history.filter((e) => e.type === 'flash-done').length,
    async homeFiles() {
      const out: Record<string, string> = {};
      for (const name of await home.list()) out[name] = Buffer.from((await home.read(name))!).toString('base64');
      return out;
    },
    async close() {
      await jobs.shutdown();
      await lab.stop();
      await home.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the job asks the technician something. */
export async function waitForDecision(
  jobs: JobManager,
  id: string,
  timeoutMs = 30_000,
): Promise<{ question: string; options: string[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = jobs.pendingDecision(id);
    if (d) return d;
    if (Date.now() > deadline) throw new Error(`job ${id} asked nothing within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const FAST = {
  canaryPerModel: 1,
  waveSize: 8,
  concurrency: 8,
  haltWhenFailuresExceed: 0,
  requestTimeoutMs: 1500,
  rebootStartTimeoutMs: 5000,
  flashTimeoutMs: 8000,
  pollMs: 100,
};
