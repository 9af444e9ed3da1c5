import { Journal } from '../../core/jobs/journal';
import { FieldkitError } from '../../core/util/errors';
import type { Handlers } from '../../api/dispatcher';
import type { jobCalls } from '../../api/calls/jobs';
import type { AppContext } from '../app-context';

export function jobHandlers(
  app: Pick<AppContext, 'currentSite' | 'jobManager' | 'openSiteOrNull'>,
): Pick<Handlers, keyof typeof jobCalls> {
  return {
    'jobs.start': async ({ kind, params }) => app.jobManager().start(kind, params),
    'jobs.list': async () => (app.openSiteOrNull ? app.jobManager().list() : []),
    'jobs.get': async ({ id }) => {
      const jobs = app.jobManager();
      const job = (await jobs.list()).find((j) => j.id === id);
      if (!job) throw new FieldkitError('not-found', `No job ${id} in this site.`);
      return { job, decision: jobs.pendingDecision(id) ?? null };
    },
    'jobs.cancel': async ({ id }) => app.jobManager().cancel(id),
    'jobs.resume': async ({ id }) => app.jobManager().resume(id),
    'jobs.answer': async ({ id, choice }) => app.jobManager().answer(id, choice),
    'jobs.journal': async ({ id }) => {
      if (!/^[\w.-]+$/.test(id)) throw new FieldkitError('invalid-input', `"${id}" is not a job id.`);
      const { entries } = await Journal.read(app.currentSite().path('journal', `${id}.jsonl`));
      return entries;
    },
  };
}
