// `fieldkit ca import <file.pem>` / `fieldkit ca show`: the customer's CA bundle of the site, which the phones
// need to trust OpenScape Voice over TLS and the provisioning server over HTTPS (guide §5).
import { readFile } from 'node:fs/promises';
import { EXIT, printJson, parseOptions, UsageError } from './command';
import type { CliCommand, CliContext } from './command';
import type { CallOutput } from '../api/contract';

type CaView = CallOutput<'ca.show'>;

function describe(view: CaView): string[] {
  if (!view.imported)
    return [
      'No CA certificate is imported: TLS to OpenScape Voice and validated HTTPS provisioning cannot work.',
      'Import it with: fieldkit ca import <file.pem> --site DIR',
    ];
  return [
    `CA bundle published as ${view.publishedAs} (${view.certificates.length} certificate${view.certificates.length === 1 ? '' : 's'}):`,
    ...view.certificates.map(
      (c) =>
        `  ${c.subject}\n    issued by ${c.issuer}\n    valid until ${c.notAfter.slice(0, 10)} (${c.daysLeft < 0 ? 'EXPIRED' : `${c.daysLeft} days left`})${c.isCa ? '' : ' NOT A CA'}\n    SHA-256 ${c.fingerprint256}`,
    ),
  ];
}

async function importCa(ctx: CliContext, args: string[]): Promise<number> {
  const { positionals } = parseOptions(args, {}, { positionals: 1 });
  const file = positionals[0];
  if (!file) throw new UsageError('Name the PEM file: fieldkit ca import <file.pem>.');
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read ${file}: ${(e as Error).message}`);
  }
  const view = await ctx.call('ca.import', { pem });
  if (ctx.json) printJson(ctx.io, view);
  else ctx.io.out(['Imported.', ...describe(view), 'Generate again so that the phones get it.'].join('\n'));
  return view.certificates.some((c) => c.daysLeft < 60) ? EXIT.failed : EXIT.ok;
}

export const caCommand: CliCommand = {
  name: 'ca',
  summary: "Import or show the site's CA certificate(s) for TLS and HTTPS (published with the configuration).",
  usage:
    'fieldkit ca import <file.pem> --site DIR [--json]\n' +
    '       fieldkit ca show --site DIR [--json]\n' +
    '  The file holds the PEM certificate(s) of the CA that issued the OpenScape Voice (and provisioning server)\n' +
    '  certificates. Each must be a CA certificate that has not expired. Exit code 1 when one expires within 60 days.',
  async run(ctx) {
    const [action, ...rest] = ctx.args;
    if (action === 'import') return importCa(ctx, rest);
    if (action === 'show') {
      parseOptions(rest, {});
      const view = await ctx.call('ca.show', {});
      if (ctx.json) printJson(ctx.io, view);
      else ctx.io.out(describe(view).join('\n'));
      return view.imported && view.certificates.every((c) => c.daysLeft >= 60) ? EXIT.ok : EXIT.failed;
    }
    throw new UsageError('Say "ca import <file.pem>" or "ca show".');
  },
};
