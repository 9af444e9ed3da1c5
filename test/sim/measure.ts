// Measures how long a lab of N devices takes to start and how much memory its process uses.
// Usage: npx tsx test/sim/measure.ts [--mode loopback|namespace] [--lab test/sim/labs/scale-200.json] [--provision]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startLab } from './lab';
import { readLabFile } from './lab-spec';
import { startProvisioningServer } from './testing';
import type { LabMode } from './lab';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const mode = opt('--mode', 'loopback') as LabMode;
const spec = readLabFile(opt('--lab', new URL('./labs/scale-200.json', import.meta.url).pathname));
const provision = args.includes('--provision');
if (provision && mode !== 'loopback')
  throw new Error('--provision is loopback-only (the provisioning server runs in this process)');

const rssMiB = (pid: number | 'self'): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

const server = provision ? await startProvisioningServer('127.0.0.1') : null;
server?.files.set('prov/startup.cfg', 'sip line1 user name: 1000\n');
const before = rssMiB('self');
const t0 = performance.now();
const lab = await startLab(spec, { mode, provisioningUrl: server?.url });
const startMs = Math.round(performance.now() - t0);
let labRss: number;
if (mode === 'namespace') {
  const pids = execFileSync('ip', ['netns', 'pids', lab.namespaces!.phones], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  labRss = pids.reduce((sum, pid) => sum + rssMiB(Number(pid)), 0);
} else {
  labRss = rssMiB('self') - before;
}
console.log(
  JSON.stringify({
    mode,
    devices: lab.devices.length,
    provisioned: provision,
    startMs,
    rssMiB: mode === 'namespace' ? labRss : rssMiB('self'),
    rssForLabMiB: labRss,
  }),
);
const t1 = performance.now();
await lab.stop();
console.log(JSON.stringify({ stopMs: Math.round(performance.now() - t1) }));
await server?.close();
