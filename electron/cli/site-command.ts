// `fieldkit site create|info|show`: make a site workspace, or show one.
import { EXIT, parseOptions, printJson, UsageError, type CliCommand, type CliContext } from './command';
import type { CallOutput } from '../api/contract';

type SiteSummary = CallOutput<'site.current'>;

function print(ctx: CliContext, site: NonNullable<SiteSummary>, headline?: string): void {
  if (ctx.json) printJson(ctx.io, site);
  else ctx.io.out(headline ?? `${site.name} (${site.customer || 'no customer'})\n${site.path}`);
}

export const siteCommand: CliCommand = {
  name: 'site',
  summary: 'Create a site workspace, or show one.',
  usage: [
    'fieldkit site create <dir> --name NAME [--customer C] [--technician T] [--contact P] [--notes TEXT] [--json]',
    '       fieldkit site info <dir> [--json]',
    '       fieldkit site show --site DIR [--json]     (the site given with --site or the current folder)',
  ].join('\n'),
  opensSite: false,
  async run(ctx) {
    const [action, ...rest] = ctx.args;
    if (action === 'create') {
      const { values, positionals } = parseOptions(
        rest,
        {
          name: { type: 'string' },
          customer: { type: 'string' },
          technician: { type: 'string' },
          contact: { type: 'string' },
          notes: { type: 'string' },
        },
        { positionals: 1 },
      );
      const dir = positionals[0];
      if (!dir) throw new UsageError('Give the folder of the new site: fieldkit site create <dir> --name NAME.');
      if (!values.name) throw new UsageError('Give the site a name with --name.');
      const site = await ctx.call('site.create', {
        dir,
        name: values.name,
        customer: values.customer ?? '',
        technician: values.technician ?? '',
        contactPerson: values.contact ?? '',
        notes: values.notes ?? '',
      });
      print(ctx, site, `Created site "${site.name}" in ${site.path}`);
      return EXIT.ok;
    }
    if (action === 'info') {
      const { positionals } = parseOptions(rest, {}, { positionals: 1 });
      if (!positionals[0]) throw new UsageError('Give the folder of the site: fieldkit site info <dir>.');
      print(ctx, await ctx.call('site.open', { dir: positionals[0] }));
      return EXIT.ok;
    }
    if (action === 'show') {
      parseOptions(rest, {});
      if (!ctx.site) throw new UsageError('Give the site with --site DIR, or run the command inside a site folder.');
      print(ctx, await ctx.call('site.open', { dir: ctx.site }));
      return EXIT.ok;
    }
    throw new UsageError('Say "site create <dir> --name NAME", "site info <dir>" or "site show".');
  },
};
