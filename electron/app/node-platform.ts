// The platform outside Electron: the CLI and the browser host.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EnvSecretStore } from '../core/secrets/env-secret-store';
import { chromiumPrintToPdf } from './chromium-pdf';
import { fieldkitVersion } from './version';
import type { Platform } from './platform';
import type { SecretStore } from '../core/secrets/secret-store';

export { fieldkitVersion };

export interface NodePlatformOptions {
  transport?: Platform['transport'];
  appDataDir?: string;
  defaultSitesRoot?: string;
  secrets?: SecretStore;
  mdnsInterface?: string;
  pathsFromTerminal?: boolean;
}

export function nodePlatform(options: NodePlatformOptions = {}, env: NodeJS.ProcessEnv = process.env): Platform {
  const configHome = env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return {
    transport: options.transport ?? 'http',
    appDataDir: options.appDataDir ?? env.FIELDKIT_DATA_DIR ?? join(configHome, 'fieldkit'),
    defaultSitesRoot: options.defaultSitesRoot ?? env.FIELDKIT_SITES_DIR ?? join(homedir(), 'Fieldkit Sites'),
    secrets: options.secrets ?? new EnvSecretStore(env),
    version: fieldkitVersion(),
    printToPdf: chromiumPrintToPdf,
    ...(options.pathsFromTerminal ? { pathsFromTerminal: true } : {}),
    ...(options.mdnsInterface ? { mdns: { interface: options.mdnsInterface, bind: '0.0.0.0' } } : {}),
  };
}
