// One running Fieldkit: the open site, its job manager, and the handlers of every contract call. It is the
// AppContext the handlers see.
import { SiteWorkspace } from '../core/workspace/site-workspace';
import { RecentSites } from '../core/workspace/recent-sites';
import { SiteFolderPolicy } from '../core/workspace/site-folders';
import { JobManager } from '../core/jobs/job-manager';
import { FieldkitError } from '../core/util/errors';
import { PassiveObserver } from '../core/discovery/passive';
import { PublishingService } from '../core/provisioning/publishing-service';
import { purgeSecretDigests } from '../core/provisioning/secret-digests';
import { createDispatcher, type Dispatch, type Handlers } from '../api/dispatcher';
import { Redactor } from '../core/security/redactor';
import { libraryImageFolder } from '../core/firmware/paths';
import { openSiteLoginMemory, type OpenLoginMemory } from '../core/secrets/login-memory';
import { siteHandlers } from './handlers/site';
import { jobHandlers } from './handlers/jobs';
import { checklistHandlers } from './handlers/checklist';
import { inventoryHandlers } from './handlers/inventory';
import { configHandlers } from './handlers/config';
import { phoneHandlers } from './handlers/phones';
import { provisioningHandlers } from './handlers/provisioning';
import { diagnosticsHandlers } from './handlers/diagnostics';
import { firmwareHandlers } from './handlers/firmware';
import { EventBus } from './event-bus';
import { registerJobKinds } from './job-kinds';
import type { AppContext } from './app-context';
import type { Platform } from './platform';

export class FieldkitApp implements AppContext {
  readonly events = new EventBus();
  readonly recent: RecentSites;
  /** Where new site folders may be made (the sites root, or folders picked in the OS dialog). */
  readonly siteFolders: SiteFolderPolicy;
  private site: SiteWorkspace | undefined;
  private jobs: JobManager | undefined;
  private publishingHeld: { site: SiteWorkspace; service: PublishingService } | undefined;
  /** Which admin password worked on each phone of the open site (kept in the site, read when it is opened). */
  private logins: OpenLoginMemory | undefined;
  /** Phones seen fetching from the built-in server (passive discovery reads it). */
  readonly passive = new PassiveObserver();
  readonly dispatch: Dispatch;
  /** Hides stored secrets in job logs, journals, error messages and exports. */
  readonly redactor: Redactor;

  constructor(readonly platform: Platform) {
    this.recent = new RecentSites(platform.appDataDir);
    this.siteFolders = new SiteFolderPolicy(platform.defaultSitesRoot, {
      anywhere: platform.pathsFromTerminal ?? false,
    });
    this.redactor = new Redactor(platform.secrets);
    this.dispatch = createDispatcher(
      this.handlers(),
      (name, e) => {
        console.error(`[fieldkit] ${name} failed unexpectedly:`, e);
      },
      this.redactor,
    );
  }

  /** The open site, if any. */
  get openSiteOrNull(): SiteWorkspace | undefined {
    return this.site;
  }

  currentSite(): SiteWorkspace {
    if (!this.site) throw new FieldkitError('no-site-open', 'Open or create a site first.');
    return this.site;
  }

  jobManager(): JobManager {
    if (!this.jobs)
      throw new FieldkitError('no-site-open', 'Open or create a site first: jobs are journaled in the site folder.');
    return this.jobs;
  }

  private async refuseWhileJobsRun(action: string): Promise<void> {
    if (!this.jobs) return;
    const running = (await this.jobs.list()).filter((j) => j.state === 'running' || j.state === 'waiting');
    if (running.length > 0) {
      throw new FieldkitError(
        'conflict',
        `${running.length} job(s) are still running in ${this.currentSite().meta.name}. Wait for them or cancel them before ${action}.`,
      );
    }
  }

  /** The open site's provisioning (targets, built-in server, preview); one per site. */
  publishing(): PublishingService {
    const site = this.currentSite();
    if (this.publishingHeld?.site !== site) {
      void this.publishingHeld?.service.dispose();
      const service = new PublishingService({
        site,
        secrets: this.platform.secrets,
        appDataDir: this.platform.appDataDir,
        onRequest: (r) => this.passive.recordProvisioningRequest(r),
        folderImages: libraryImageFolder,
        onServerChange: (status) => this.events.emit('provisioning.server', status),
      });
      this.publishingHeld = { site, service };
    }
    return this.publishingHeld.service;
  }

  /** Stops the built-in server of the site being left. */
  private async disposePublishing(): Promise<void> {
    const held = this.publishingHeld;
    this.publishingHeld = undefined;
    await held?.service.dispose();
  }

  async activate(site: SiteWorkspace): Promise<void> {
    await this.refuseWhileJobsRun('switching sites');
    await this.disposePublishing();
    // plain digests of secret-bearing files left by older versions go before anything reads them
    await purgeSecretDigests(site, this.platform.appDataDir);
    await this.logins?.close();
    this.logins = await openSiteLoginMemory(site, this.platform.secrets, {
      onProblem: (m) => console.warn(`[fieldkit] ${m}`),
    });
    this.site = site;
    const jobs = new JobManager(
      () => site.path('journal'),
      {
        onUpdate: (info) => this.events.emit('job.updated', info),
        onLog: (log) => this.events.emit('job.log', log),
      },
      this.redactor,
    );
    registerJobKinds(jobs, this);
    this.jobs = jobs;
    await this.recent.remember(site.summary());
    this.events.emit('site.changed', site.summary());
  }

  async openSite(dir: string): Promise<SiteWorkspace> {
    const site = await SiteWorkspace.open(dir);
    await this.activate(site);
    return site;
  }

  /** Closes the open site; refused while its jobs run. */
  async closeSite(): Promise<void> {
    await this.refuseWhileJobsRun('closing the site');
    await this.disposePublishing();
    await this.logins?.close();
    this.logins = undefined;
    this.site = undefined;
    this.jobs = undefined;
    this.events.emit('site.changed', null);
  }

  async shutdown(): Promise<void> {
    await this.jobs?.shutdown();
    await this.disposePublishing();
    await this.logins?.close();
  }

  private handlers(): Handlers {
    return {
      ...siteHandlers(this),
      ...jobHandlers(this),
      ...checklistHandlers(this),
      ...inventoryHandlers(this),
      ...configHandlers(this),
      ...phoneHandlers(this),
      ...provisioningHandlers(this),
      ...diagnosticsHandlers(this),
      ...firmwareHandlers(this),
    };
  }
}
