// Fieldkit in this process, for a client that talks to it only through the contract (the CLI): a dispatch
// function, the event stream, redaction of secrets in text it prints, and shutdown.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SITE_FILE } from '../core/workspace/site-workspace';
import { FieldkitApp } from './fieldkit-app';
import { nodePlatform, type NodePlatformOptions } from './node-platform';
import type { Dispatch } from '../api/dispatcher';
import type { EventListener } from './event-bus';

export interface LocalApp {
  readonly dispatch: Dispatch;
  subscribe(listener: EventListener): () => void;
  /** Hides the stored secrets (for the CLI: those in the environment) in text about to be printed. */
  redact(text: string): Promise<string>;
  shutdown(): Promise<void>;
}

export function startLocalApp(options: NodePlatformOptions = {}): LocalApp {
  const app = new FieldkitApp(nodePlatform({ pathsFromTerminal: true, ...options }));
  return {
    dispatch: app.dispatch,
    subscribe: (listener) => app.events.subscribe(listener),
    async redact(text) {
      await app.redactor.refresh();
      return app.redactor.redact(text);
    },
    shutdown: () => app.shutdown(),
  };
}

/** Whether `dir` holds a Fieldkit site. */
export function isSiteFolder(dir: string): boolean {
  return existsSync(join(dir, SITE_FILE));
}
