// `fieldkit jobs list|show|resume`: the jobs of a site.
import { followJob } from './follow-job';
import { EXIT, parseOptions, printJson, UsageError, type CliCommand } from './command';
import type { CallOutput } from '../api/contract';

type JobInfo = CallOutput<'jobs.start'>;

function line(j: JobInfo): string {
  return `${j.id}  ${j.state.padEnd(11)} ${j.title}${j.error ? `  (${j.error})` : ''}`;
}

export const jobsCommand: CliCommand = {
  name: 'jobs',
  summary: 'List the jobs of a site, show one, or resume an interrupted one.',
  usage: [
    'fieldkit jobs list --site DIR [--json]',
    '       fieldkit jobs show <job-id> --site DIR [--json]',
    '       fieldkit jobs resume <job-id> --site DIR [--json]',
  ].join('\n'),
  async run(ctx) {
    const [action, ...rest] = ctx.args;
    if (action === 'list') {
      parseOptions(rest, {});
      const list = await ctx.call('jobs.list', {});
      if (ctx.json) printJson(ctx.io, list);
      else ctx.io.out(list.length ? list.map(line).join('\n') : 'No jobs in this site.');
      return EXIT.ok;
    }
    const { positionals } = parseOptions(rest, {}, { positionals: 1 });
    const id = positionals[0];
    if ((action === 'show' || action === 'resume') && !id)
      throw new UsageError(`Give the job id: jobs ${action} <id>.`);
    if (action === 'show') {
      const { job, decision } = await ctx.call('jobs.get', { id: id! });
      if (ctx.json) printJson(ctx.io, { job, decision });
      else
        ctx.io.out(
          `${line(job)}${decision ? `\n  waiting: ${decision.question} (${decision.options.join(', ')})` : ''}`,
        );
      return EXIT.ok;
    }
    if (action === 'resume') {
      const info = await followJob(ctx, () => ctx.call('jobs.resume', { id: id! }));
      if (ctx.json) printJson(ctx.io, info);
      else ctx.io.out(line(info));
      return info.state === 'succeeded' ? EXIT.ok : EXIT.failed;
    }
    throw new UsageError('Say "jobs list", "jobs show <job-id>" or "jobs resume <job-id>".');
  },
};
