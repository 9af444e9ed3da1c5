// One running Fieldkit: the open site, its job manager, and the handlers of every contract call.
import { join } from 'node:path';
import { SiteWorkspace } from '../core/workspace/site-workspace';
import { RecentSites } from '../core/workspace/recent-sites';
import { JobManager } from '../core/jobs/job-manager';
import { Journal } from '../core/jobs/journal';
import { FieldkitError } from '../core/util/errors';
import { createDispatcher, type Dispatch, type Handlers } from '../api/dispatcher';
import { EventBus } from './event-bus';
import type { Platform } from './platform';
import { registerJobKinds } from './job-kinds';

export function slugForFolder(name: string): string {
  const slug = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._ -]+/g, '').trim().replace(/\s+/g, '-').slice(0, 80);
  return slug || 'site';
}

export class FieldkitApp {
  readonly events = new EventBus();
  readonly recent: RecentSites;
  private site: SiteWorkspace | undefined;
  private jobs: JobManager | undefined;
  readonly dispatch: Dispatch;

  constructor(readonly platform: Platform) {
    this.recent = new RecentSites(platform.appDataDir);
    this.dispatch = createDispatcher(this.handlers(), (name, e) => {
      console.error(`[fieldkit] ${name} failed unexpectedly:`, e);
    });
  }

  currentSite(): SiteWorkspace {
    if (!this.site) throw new FieldkitError('no-site-open', 'Open or create a site first.');
    return this.site;
  }

  jobManager(): JobManager {
    if (!this.jobs) throw new FieldkitError('no-site-open', 'Open or create a site first: jobs are journaled in the site folder.');
    return this.jobs;
  }

  private async activate(site: SiteWorkspace): Promise<void> {
    if (this.jobs) {
      const running = (await this.jobs.list()).filter((j) => j.state === 'running' || j.state === 'waiting');
      if (running.length > 0) {
        throw new FieldkitError('conflict', `${running.length} job(s) are still running in ${this.currentSite().meta.name}. Wait for them or cancel them before switching sites.`);
      }
    }
    this.site = site;
    const jobs = new JobManager(() => site.path('journal'), {
      onUpdate: (info) => this.events.emit('job.updated', info),
      onLog: (log) => this.events.emit('job.log', log),
    });
    registerJobKinds(jobs, { app: this });
    this.jobs = jobs;
    await this.recent.remember(site.summary());
    this.events.emit('site.changed', site.summary());
  }

  async openSite(dir: string): Promise<SiteWorkspace> {
    const site = await SiteWorkspace.open(dir);
    await this.activate(site);
    return site;
  }

  async shutdown(): Promise<void> {
    await this.jobs?.shutdown();
  }

  private handlers(): Handlers {
    return {
      'app.info': async () => ({
        version: this.platform.version,
        transport: this.platform.transport,
        canPickFolders: Boolean(this.platform.pickFolder),
        defaultSitesRoot: this.platform.defaultSitesRoot,
      }),
      'site.suggestFolder': async ({ name }) => ({ dir: join(this.platform.defaultSitesRoot, slugForFolder(name)) }),
      'site.create': async ({ dir, ...input }) => {
        const site = await SiteWorkspace.create(dir, input);
        await this.activate(site);
        return site.summary();
      },
      'site.open': async ({ dir }) => (await this.openSite(dir)).summary(),
      'site.current': async () => this.site?.summary() ?? null,
      'site.update': async (patch) => {
        await this.currentSite().updateMeta(patch);
        const summary = this.currentSite().summary();
        await this.recent.remember(summary);
        this.events.emit('site.changed', summary);
        return summary;
      },
      'site.close': async () => {
        if (this.jobs && (await this.jobs.list()).some((j) => j.state === 'running' || j.state === 'waiting')) {
          throw new FieldkitError('conflict', 'Jobs are still running in this site. Wait for them or cancel them first.');
        }
        this.site = undefined;
        this.jobs = undefined;
        this.events.emit('site.changed', null);
        return null;
      },
      'site.recent': async () => this.recent.list(),
      'site.forgetRecent': async ({ path }) => this.recent.forget(path),
      'dialog.pickFolder': async ({ title }) => ({ path: this.platform.pickFolder ? await this.platform.pickFolder(title) : null }),
      'jobs.start': async ({ kind, params }) => this.jobManager().start(kind, params),
      'jobs.list': async () => (this.jobs ? this.jobs.list() : []),
      'jobs.cancel': async ({ id }) => this.jobManager().cancel(id),
      'jobs.resume': async ({ id }) => this.jobManager().resume(id),
      'jobs.answer': async ({ id, choice }) => this.jobManager().answer(id, choice),
      'jobs.journal': async ({ id }) => {
        if (!/^[\w.-]+$/.test(id)) throw new FieldkitError('invalid-input', `"${id}" is not a job id.`);
        const { entries } = await Journal.read(this.currentSite().path('journal', `${id}.jsonl`));
        return entries;
      },
    };
  }
}
