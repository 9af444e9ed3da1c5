// What the handlers of the contract's calls may use of a running Fieldkit. FieldkitApp implements it; each
// area's handlers ask for the part they need (Pick<AppContext, ...>), so a handler's dependencies are visible
// in its signature and a test can hand it exactly those.
import type { EventName, EventPayload } from '../api/contract';
import type { JobManager } from '../core/jobs/job-manager';
import type { PassiveObserver } from '../core/discovery/passive';
import type { PublishingService } from '../core/provisioning/publishing-service';
import type { RecentSites } from '../core/workspace/recent-sites';
import type { SiteFolderPolicy } from '../core/workspace/site-folders';
import type { Redactor } from '../core/security/redactor';
import type { SiteWorkspace } from '../core/workspace/site-workspace';
import type { Platform } from './platform';

export interface AppContext {
  /** Secrets, folders, version, PDF rendering, folder dialog: what the platform offers. */
  readonly platform: Platform;
  /** Contract events to every attached transport. */
  readonly events: { emit<N extends EventName>(name: N, payload: EventPayload<N>): void };
  /** Hides stored secrets in messages and exports. */
  readonly redactor: Redactor;
  /** Phones seen fetching from the built-in server (passive discovery reads it). */
  readonly passive: PassiveObserver;
  readonly recent: RecentSites;
  /** Where new site folders may be made (the sites root, or folders picked in the OS dialog). */
  readonly siteFolders: SiteFolderPolicy;
  /** The open site, if any. */
  readonly openSiteOrNull: SiteWorkspace | undefined;
  /** The open site, or a 'no-site-open' error. */
  currentSite(): SiteWorkspace;
  /** The open site's job manager, or a 'no-site-open' error. */
  jobManager(): JobManager;
  /** The open site's provisioning (targets, built-in server, preview). */
  publishing(): PublishingService;
  /** Makes `site` the open one (refused while jobs run). */
  activate(site: SiteWorkspace): Promise<void>;
  openSite(dir: string): Promise<SiteWorkspace>;
  closeSite(): Promise<void>;
}
