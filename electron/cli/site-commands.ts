import { parseArgs } from 'node:util';
import { SiteWorkspace } from '../core/workspace/site-workspace';
import { printJson, UsageError, type CliCommand } from './command';

export const siteCommand: CliCommand = {
  name: 'site',
  summary: 'Create a site workspace or show one.',
  usage:
    'fieldkit site create <dir> --name NAME [--customer C] [--technician T] [--contact P] [--json]\n       fieldkit site info <dir> [--json]',
  async run(ctx) {
    const [action, dir, ...rest] = ctx.args;
    if (!dir || (action !== 'create' && action !== 'info'))
      throw new UsageError('Say "site create <dir> --name NAME" or "site info <dir>".');
    if (action === 'info') {
      const site = await SiteWorkspace.open(dir);
      if (ctx.json) printJson(ctx.io, site.summary());
      else ctx.io.out(`${site.meta.name} (${site.meta.customer || 'no customer'})\n${site.root}`);
      return 0;
    }
    const { values } = parseArgs({
      args: rest,
      options: {
        name: { type: 'string' },
        customer: { type: 'string' },
        technician: { type: 'string' },
        contact: { type: 'string' },
        notes: { type: 'string' },
      },
    });
    if (!values.name) throw new UsageError('Give the site a name with --name.');
    const site = await SiteWorkspace.create(dir, {
      name: values.name,
      customer: values.customer ?? '',
      technician: values.technician ?? '',
      contactPerson: values.contact ?? '',
      notes: values.notes ?? '',
    });
    if (ctx.json) printJson(ctx.io, site.summary());
    else ctx.io.out(`Created site "${site.meta.name}" in ${site.root}`);
    return 0;
  },
};
