// Runs a lab file standalone: prints the device table as JSON, stays until SIGINT/SIGTERM, then cleans up.
// Usage: npx tsx test/sim/lab-cli.ts <lab.json> [--mode loopback|namespace] [--provisioning-url URL] [--cleanup-stale]
import { cleanupStaleLabs, startLab } from './lab';
import { readLabFile } from './lab-spec';
import type { LabMode } from './lab';

function usage(message: string): never {
  console.error(
    `${message}\nusage: lab-cli.ts <lab.json> [--mode loopback|namespace] [--provisioning-url URL] [--cleanup-stale]`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined) usage(`${name} needs a value`);
  args.splice(i, 2);
  return value;
};
const mode = (option('--mode') ?? 'loopback') as LabMode;
const provisioningUrl = option('--provisioning-url');
const staleAt = args.indexOf('--cleanup-stale');
if (staleAt >= 0) {
  args.splice(staleAt, 1);
  console.error(`removed stale lab namespaces: ${JSON.stringify(cleanupStaleLabs())}`);
  if (args.length === 0) process.exit(0);
}
if (mode !== 'loopback' && mode !== 'namespace') usage(`--mode must be loopback or namespace, got "${mode}"`);
const file = args[0];
if (!file || args.length > 1) usage('give exactly one lab file');

const lab = await startLab(readLabFile(file), { mode, provisioningUrl });
console.log(
  JSON.stringify({ mode: lab.mode, name: lab.name, namespaces: lab.namespaces, devices: lab.devices }, null, 2),
);
let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  void lab.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
