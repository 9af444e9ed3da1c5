// Secrets for the desktop app: each value is encrypted by Electron safeStorage (the OS keychain) and
// only the ciphertext is kept, base64, in <userData>/secrets.json. Without real OS encryption nothing
// is stored at all: a plaintext or obfuscated password file is never an acceptable fallback.
import { readFile } from 'node:fs/promises';
import { writeJsonAtomic } from '../core/workspace/atomic-file';
import { FieldkitError } from '../core/util/errors';
import type { SecretKey, SecretStore } from '../core/secrets/secret-store';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only; 'basic_text' means a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

interface SecretsFile {
  version: 1;
  /** key -> base64 of safeStorage ciphertext */
  entries: Record<string, string>;
}

const MAX_KEY_LENGTH = 300;
const MAX_VALUE_LENGTH = 64 * 1024;

export class SafeStorageSecretStore implements SecretStore {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly filePath: string,
  ) {}

  async get(key: SecretKey): Promise<string | undefined> {
    checkKey(key);
    const encrypted = (await this.#read()).get(key);
    if (encrypted === undefined) return undefined;
    this.#requireEncryption();
    try {
      return this.safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
    } catch {
      throw new FieldkitError(
        'unavailable',
        `The saved secret "${key}" could not be decrypted with this computer's keychain (was the keychain reset, or the file copied from another computer?). Enter it again to replace it.`,
      );
    }
  }

  async set(key: SecretKey, value: string): Promise<void> {
    checkKey(key);
    if (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH) {
      throw new FieldkitError('invalid-input', `A secret must be text of at most ${MAX_VALUE_LENGTH} characters.`);
    }
    await this.#update((entries) => {
      this.#requireEncryption();
      entries.set(key, this.safeStorage.encryptString(value).toString('base64'));
    });
  }

  async delete(key: SecretKey): Promise<void> {
    checkKey(key);
    await this.#update((entries) => {
      entries.delete(key);
    });
  }

  async list(): Promise<SecretKey[]> {
    return [...(await this.#read()).keys()] as SecretKey[];
  }

  #requireEncryption(): void {
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new FieldkitError(
        'unavailable',
        'The operating system keychain is not available, so Fieldkit cannot store passwords safely and stores none. Unlock or set up the keychain (macOS Keychain, Windows user profile, or on Linux GNOME Keyring / KWallet) and try again.',
      );
    }
    if (this.safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      throw new FieldkitError(
        'unavailable',
        'No Linux keyring (GNOME Keyring or KWallet) is running, so passwords could only be obfuscated, not encrypted; Fieldkit stores none. Install and unlock a keyring (e.g. gnome-keyring), then restart Fieldkit.',
      );
    }
  }

  /** Read-modify-write, one at a time, so concurrent sets never lose each other's entries. */
  #update(change: (entries: Map<string, string>) => void): Promise<void> {
    const next = this.#queue.then(async () => {
      const entries = await this.#read();
      change(entries);
      const file: SecretsFile = { version: 1, entries: Object.fromEntries(entries) };
      await writeJsonAtomic(this.filePath, file, { mode: 0o600 });
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw new FieldkitError('io-error', `Could not read the secrets file ${this.filePath}: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const entries = (parsed as Partial<SecretsFile> | undefined)?.entries;
    if (
      (parsed as Partial<SecretsFile> | undefined)?.version !== 1 ||
      typeof entries !== 'object' ||
      entries === null ||
      Array.isArray(entries) ||
      !Object.values(entries).every((v) => typeof v === 'string')
    ) {
      throw new FieldkitError(
        'workspace-corrupt',
        `The secrets file ${this.filePath} is damaged. Fieldkit leaves it untouched; move it away to start with no saved passwords.`,
      );
    }
    return new Map(Object.entries(entries as Record<string, string>));
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new FieldkitError(
      'invalid-input',
      `A secret name must be a non-empty string of at most ${MAX_KEY_LENGTH} characters.`,
    );
  }
}
