// The Platform the core gets inside the desktop app: Electron paths, the keychain-backed secret store,
// the native folder and file dialogs and Chromium's PDF printer.
import { join } from 'node:path';
import { SafeStorageSecretStore, type SafeStorageLike } from './safe-storage-secret-store';
import type { Platform } from '../app/platform';

export interface ElectronPlatformDeps {
  app: { getPath(name: 'userData' | 'documents'): string; getVersion(): string };
  safeStorage: SafeStorageLike;
  /** The native open dialogs (native-dialogs.ts); null when cancelled. */
  pickFolder: NonNullable<Platform['pickFolder']>;
  pickFile: NonNullable<Platform['pickFile']>;
  printToPdf(html: string): Promise<Uint8Array>;
}

export const SECRETS_FILE_NAME = 'secrets.json';
export const SITES_FOLDER_NAME = 'Fieldkit Sites';

export function createElectronPlatform(deps: ElectronPlatformDeps): Platform {
  const appDataDir = deps.app.getPath('userData');
  return {
    transport: 'ipc',
    appDataDir,
    defaultSitesRoot: join(deps.app.getPath('documents'), SITES_FOLDER_NAME),
    secrets: new SafeStorageSecretStore(deps.safeStorage, join(appDataDir, SECRETS_FILE_NAME)),
    version: deps.app.getVersion(),
    pickFolder: deps.pickFolder,
    pickFile: deps.pickFile,
    printToPdf: deps.printToPdf,
  };
}
