// `fieldkit discover <range>...`: finds phones and prints one line (or with --json one object) per device.
import { parseArgs } from 'node:util';
import { discover } from '../core/discovery/discover';
import { EnvSecretStore } from '../core/secrets/env-secret-store';
import { printJson, UsageError } from './command';
import type { DiscoverProgress } from '../core/discovery/discover';
import type { DeviceRecord } from '../core/discovery/device-record';
import type { CliCommand } from './command';

function portList(flag: string, text: string | undefined): number[] {
  if (text === undefined) return [];
  const items = text.split(/[,\s]+/).filter(Boolean);
  return items.map((item) => {
    const n = Number(item);
    if (!/^\d{1,5}$/.test(item) || n < 1 || n > 65535)
      throw new UsageError(
        `${flag}: "${item}" is not a port number (1-65535). Give a comma-separated list, e.g. ${flag} 5060,5070.`,
      );
    return n;
  });
}

/** The CLI's JSON shape: flat values for scripts, with each field's source alongside. */
export function deviceJson(d: DeviceRecord): Record<string, unknown> {
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

function line(d: DeviceRecord): string {
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

export const discoverCommand: CliCommand = {
  name: 'discover',
  summary: 'Find phones in address ranges (SIP, HTTP, /sysinfo.html, mDNS, neighbour table).',
  usage:
    'fieldkit discover <range>... [--sip-ports LIST] [--http-ports LIST] [--https-ports LIST] [--no-mdns] [--confirm-large] [--json]\n' +
    '  <range>: 192.168.10.0/24, 192.168.10.20-80, 192.168.10.20-192.168.11.40 or single addresses.\n' +
    '  Ports are probed in addition to 5060 (SIP), 80 (HTTP) and 443 (HTTPS). The phone admin password comes from FIELDKIT_ADMIN_PASSWORD.',
  async run(ctx) {
    let parsed;
    try {
      parsed = parseArgs({
        args: ctx.args,
        allowPositionals: true,
        options: {
          'sip-ports': { type: 'string' },
          'http-ports': { type: 'string' },
          'https-ports': { type: 'string' },
          'no-mdns': { type: 'boolean' },
          'confirm-large': { type: 'boolean' },
        },
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    if (positionals.length === 0)
      throw new UsageError('Give at least one range to scan, e.g. fieldkit discover 192.168.10.0/24.');
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    const tty = process.stderr.isTTY === true;
    const showProgress = (p: DiscoverProgress): void => {
      process.stderr.write(`\r${p.done}/${p.total} addresses, ${p.found} found   `);
    };
    try {
      const result = await discover(
        {
          ranges: positionals,
          sipPorts: portList('--sip-ports', values['sip-ports']),
          httpPorts: portList('--http-ports', values['http-ports']),
          httpsPorts: portList('--https-ports', values['https-ports']),
          methods: { mdns: !values['no-mdns'] },
          confirmLarge: values['confirm-large'] === true,
        },
        {
          signal: controller.signal,
          secrets: new EnvSecretStore(),
          onProgress: tty ? showProgress : undefined,
          onWarning: (w) => ctx.io.err(`${tty ? '\r' : ''}warning: ${w}`),
        },
      );
      if (tty) process.stderr.write('\n');
      if (ctx.json) {
        printJson(ctx.io, result.devices.map(deviceJson));
      } else {
        const s = result.summary;
        ctx.io.out(result.devices.map(line).join('\n') || 'No devices found.');
        ctx.io.out(
          `\n${s.devices} devices (${s.byClassification.supported} supported phones), firmware known for ${s.firmwareRead}, ${s.addresses} addresses in ${(s.durationMs / 1000).toFixed(1)} s.`,
        );
      }
      return 0;
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};
