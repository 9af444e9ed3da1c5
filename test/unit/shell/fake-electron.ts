// A minimal stand-in for the parts of the `electron` module Fieldkit touches. Only behaviour the code
// under test relies on is imitated: listeners are recorded and can be fired like Electron would.
import { EventEmitter } from 'node:events';

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' } | { action: 'allow' }) | undefined;
  devToolsClosed = 0;
  destroyed = false;
  readonly sent: Array<{ channel: string; message: unknown }> = [];

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void {
    this.windowOpenHandler = handler;
  }
  closeDevTools(): void {
    this.devToolsClosed += 1;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message });
  }
  /** Fires a navigation-like event the way Electron does and says whether it was refused. */
  navigate(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', url: string): boolean {
    const e = new FakeEvent(url);
    this.emit(event, e, url);
    return e.defaultPrevented;
  }
}

export class FakeShell {
  readonly opened: string[] = [];
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  }
}

type BeforeRequest = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;

export class FakeSession {
  permissionRequest:
    ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheck: ((contents: unknown, permission: string) => boolean) | undefined;
  devicePermission: ((details: unknown) => boolean) | undefined;
  beforeRequest: BeforeRequest | undefined;
  readonly webRequest = {
    onBeforeRequest: (_filter: { urls: string[] }, listener: BeforeRequest) => {
      this.beforeRequest = listener;
    },
  };
  setPermissionRequestHandler(handler: NonNullable<FakeSession['permissionRequest']>): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: NonNullable<FakeSession['permissionCheck']>): void {
    this.permissionCheck = handler;
  }
  setDevicePermissionHandler(handler: NonNullable<FakeSession['devicePermission']>): void {
    this.devicePermission = handler;
  }
  /** Whether a request to url would be cancelled. */
  blocks(url: string): boolean {
    let cancel: boolean | undefined;
    this.beforeRequest?.({ url }, (r) => {
      cancel = r.cancel;
    });
    if (cancel === undefined) throw new Error('no onBeforeRequest listener answered');
    return cancel;
  }
}

type InvokeListener = (
  event: { senderFrame: { url: string; parent: unknown } | null },
  message: unknown,
) => Promise<unknown>;

export class FakeIpcMain {
  readonly handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, senderFrame: { url: string; parent: unknown } | null, message: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame }, message);
  }
}

export class FakeIpcRenderer extends EventEmitter {
  readonly invoked: Array<{ channel: string; message: unknown }> = [];
  async invoke(channel: string, message: unknown): Promise<unknown> {
    this.invoked.push({ channel, message });
    return { ok: true, value: 'answered' };
  }
}

/** Reverses and XORs bytes: not secure, but the ciphertext never contains the plaintext. */
export class FakeSafeStorage {
  available = true;
  backend = 'gnome_libsecret';
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(plainText: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    return Buffer.from(
      Buffer.from(`v10${plainText}`, 'utf8')
        .map((b) => b ^ 0x5a)
        .reverse(),
    );
  }
  decryptString(encrypted: Buffer): string {
    const text = Buffer.from(
      Buffer.from(encrypted)
        .reverse()
        .map((b) => b ^ 0x5a),
    ).toString('utf8');
    if (!text.startsWith('v10'))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return text.slice(3);
  }
}
