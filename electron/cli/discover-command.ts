// `fieldkit discover <range>...`: runs the discovery job and merges what it found into the site's inventory,
// exactly as the app's scan does; prints one line (or with --json one object) per device the scan found.
// Without a site the scan runs in a temporary workspace that is removed afterwards: nothing is kept.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followJob } from './follow-job';
import { EXIT, listOption, parseOptions, printJson, UsageError, type CliCommand, type CliContext } from './command';
import type { CallOutput, JobParams } from '../api/contract';

type Device = CallOutput<'inventory.devices'>['devices'][number];

function portList(flag: string, values: string[] | undefined): number[] {
  return listOption(values).map((item) => {
    const n = Number(item);
    if (!/^\d{1,5}$/.test(item) || n < 1 || n > 65535)
      throw new UsageError(
        `${flag}: "${item}" is not a port number (1-65535). Give a comma-separated list, e.g. ${flag} 5060,5070.`,
      );
    return n;
  });
}

/** The CLI's JSON shape: flat values for scripts, with each field's source alongside. */
function deviceJson(d: Device) {
  return {
    ip: d.ip,
    mac: d.mac?.value ?? null,
    model: d.model?.value ?? null,
    firmware: d.firmware?.value ?? null,
    vendor: d.vendor?.value ?? null,
    classification: d.classification,
    sources: d.sources,
    fieldSources: {
      mac: d.mac?.source ?? null,
      model: d.model?.source ?? null,
      firmware: d.firmware?.source ?? null,
      vendor: d.vendor?.source ?? null,
    },
    banner: d.banner?.value ?? null,
    hostname: d.hostname?.value ?? null,
    sipPort: d.sipPort,
    httpPort: d.httpPort,
    httpsPort: d.httpsPort,
    services: d.services,
    flags: d.flags,
  };
}

function line(d: Device): string {
  const flags = [d.flags.belowOsvMinimum ? 'below 6.5.0.224' : '', ...d.flags.vulnerable].filter(Boolean).join(', ');
  return [
    (d.ip ?? '-').padEnd(15),
    (d.mac?.value ?? '-').padEnd(17),
    (d.model?.value ?? '-').padEnd(7),
    (d.firmware?.value ?? '-').padEnd(12),
    d.classification.padEnd(11),
    d.sources.join(',').padEnd(28),
    flags,
  ]
    .join('  ')
    .trimEnd();
}

/** Runs `fn` with a site open: the given one, or a temporary one that is removed afterwards. */
async function withSite<T>(ctx: CliContext, fn: () => Promise<T>): Promise<T> {
  if (ctx.site) return fn();
  const dir = await mkdtemp(join(tmpdir(), 'fieldkit-scan-'));
  try {
    const site = await ctx.call('site.create', { dir: join(dir, 'site'), name: 'Scan without a site' });
    try {
      return await fn();
    } finally {
      await ctx.call('site.close', {}).catch(() => undefined);
      await ctx.call('site.forgetRecent', { path: site.path }).catch(() => undefined);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const discoverCommand: CliCommand = {
  name: 'discover',
  summary: "Find phones in address ranges and merge them into the site's inventory (as the app's scan does).",
  usage: [
    'fieldkit discover <range>... [--sip-ports LIST] [--http-ports LIST] [--https-ports LIST] [--only-listed-ports]',
    '                  [--no-mdns] [--no-neighbour] [--no-passive] [--confirm-large] [--site DIR] [--json]',
    '  <range>: 192.168.10.0/24, 192.168.10.20-80, 192.168.10.20-192.168.11.40 or single addresses.',
    '  Ports (comma-separated or the option repeated) are probed in addition to 5060 (SIP), 80 (HTTP) and 443',
    '  (HTTPS) unless --only-listed-ports. Without a site nothing is kept. The phone admin password comes from',
    '  FIELDKIT_ADMIN_PASSWORD.',
  ].join('\n'),
  async run(ctx) {
    const { values, positionals } = parseOptions(
      ctx.args,
      {
        'sip-ports': { type: 'string', multiple: true },
        'http-ports': { type: 'string', multiple: true },
        'https-ports': { type: 'string', multiple: true },
        'only-listed-ports': { type: 'boolean' },
        'no-mdns': { type: 'boolean' },
        'no-neighbour': { type: 'boolean' },
        'no-passive': { type: 'boolean' },
        'confirm-large': { type: 'boolean' },
      },
      { positionals: Number.POSITIVE_INFINITY },
    );
    if (positionals.length === 0)
      throw new UsageError('Give at least one range to scan, e.g. fieldkit discover 192.168.10.0/24.');
    const confirmLarge = values['confirm-large'] === true;
    const params: JobParams<'discovery'> = {
      ranges: positionals,
      sipPorts: portList('--sip-ports', values['sip-ports']),
      httpPorts: portList('--http-ports', values['http-ports']),
      httpsPorts: portList('--https-ports', values['https-ports']),
      onlyListedPorts: values['only-listed-ports'] === true,
      methods: { mdns: !values['no-mdns'], neighbour: !values['no-neighbour'], passive: !values['no-passive'] },
      confirmLarge,
    };
    const check = await ctx.call('discovery.checkRanges', { ranges: positionals.join(' '), confirmLarge });
    if (check.large && !confirmLarge)
      throw new UsageError(
        `These targets hold ${check.total.toLocaleString('en')} addresses, more than a /16: such a scan takes long and sends a lot of traffic. Add --confirm-large to scan them anyway, or give smaller subnets.`,
      );
    if (check.error) throw new UsageError(check.error);
    return withSite(ctx, async () => {
      const job = await followJob(ctx, () => ctx.call('jobs.start', { kind: 'discovery', params }));
      if (job.state !== 'succeeded') {
        ctx.io.err(`The scan ${job.state}${job.error ? `: ${job.error}` : ''} (job ${job.id}).`);
        if (ctx.json) printJson(ctx.io, { error: { code: 'job-' + job.state, message: job.error ?? job.state } });
        return EXIT.failed;
      }
      const { devices } = await ctx.call('inventory.devices', { scan: job.id });
      if (ctx.json) {
        printJson(ctx.io, devices.map(deviceJson));
      } else {
        const c = job.counters;
        ctx.io.out(devices.map(line).join('\n') || 'No devices found.');
        ctx.io.out(
          `\n${c.found ?? devices.length} devices (${c.phones ?? 0} supported phones), firmware known for ${c.firmwareRead ?? 0}, ${job.total} addresses.${ctx.site ? ' The inventory of the site is updated.' : ''}`,
        );
      }
      return EXIT.ok;
    });
  },
};
