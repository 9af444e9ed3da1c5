import { printJson, UsageError, type CliCommand } from './command';
import type { JobInfo } from '../core/jobs/job-types';

function line(j: JobInfo): string {
  return `${j.id}  ${j.state.padEnd(11)} ${j.title}${j.error ? `  (${j.error})` : ''}`;
}

export const jobsCommand: CliCommand = {
  name: 'jobs',
  summary: 'List the jobs of a site, or resume an interrupted one.',
  usage: 'fieldkit jobs list --site DIR [--json]\n       fieldkit jobs resume <job-id> --site DIR [--json]',
  async run(ctx) {
    const [action, id] = ctx.args;
    const app = await ctx.app();
    const jobs = app.jobManager();
    if (action === 'list') {
      const list = await jobs.list();
      if (ctx.json) printJson(ctx.io, list);
      else ctx.io.out(list.length ? list.map(line).join('\n') : 'No jobs in this site.');
      return 0;
    }
    if (action === 'resume' && id) {
      await jobs.resume(id);
      const info = await jobs.wait(id);
      if (ctx.json) printJson(ctx.io, info);
      else ctx.io.out(line(info));
      return info.state === 'succeeded' ? 0 : 1;
    }
    throw new UsageError('Say "jobs list" or "jobs resume <job-id>".');
  },
};
