import { join } from 'node:path';
import { SiteWorkspace } from '../../core/workspace/site-workspace';
import type { Handlers } from '../../api/dispatcher';
import type { siteCalls } from '../../api/calls/site';
import type { AppContext } from '../app-context';

export function slugForFolder(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._ -]+/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 80);
  return slug || 'site';
}

export function siteHandlers(
  app: Pick<
    AppContext,
    | 'platform'
    | 'activate'
    | 'openSite'
    | 'openSiteOrNull'
    | 'currentSite'
    | 'recent'
    | 'events'
    | 'closeSite'
    | 'siteFolders'
  >,
): Pick<Handlers, keyof typeof siteCalls> {
  const { platform } = app;
  return {
    'app.info': async () => ({
      version: platform.version,
      transport: platform.transport,
      canPickFolders: Boolean(platform.pickFolder),
      canPickFiles: Boolean(platform.pickFile),
      defaultSitesRoot: platform.defaultSitesRoot,
    }),
    'site.suggestFolder': async ({ name }) => ({ dir: join(platform.defaultSitesRoot, slugForFolder(name)) }),
    'site.create': async ({ dir, ...input }) => {
      const site = await SiteWorkspace.create(await app.siteFolders.assertCreatable(dir), input);
      await app.activate(site);
      return site.summary();
    },
    'site.open': async ({ dir }) => (await app.openSite(dir)).summary(),
    'site.current': async () => app.openSiteOrNull?.summary() ?? null,
    'site.update': async (patch) => {
      await app.currentSite().updateMeta(patch);
      const summary = app.currentSite().summary();
      await app.recent.remember(summary);
      app.events.emit('site.changed', summary);
      return summary;
    },
    'site.close': async () => {
      await app.closeSite();
      return null;
    },
    'site.recent': async () => app.recent.list(),
    'site.forgetRecent': async ({ path }) => app.recent.forget(path),
    'dialog.pickFolder': async ({ title }) => {
      const path = platform.pickFolder ? await platform.pickFolder(title) : null;
      if (path) app.siteFolders.rememberPicked(path);
      return { path };
    },
    'dialog.pickFile': async ({ title, filters }) => ({
      path: platform.pickFile ? await platform.pickFile(title, filters ?? []) : null,
    }),
  };
}
