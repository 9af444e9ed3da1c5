// What the core needs from the platform it runs on. Electron main, the browser host and the CLI each
// provide one; the core never imports Electron.
import type { SecretStore } from '../core/secrets/secret-store';
import type { FileFilter } from '../api/calls/site';

export interface Platform {
  readonly transport: 'ipc' | 'http';
  /** Fieldkit's own data folder (recent sites, host keys), not a site. */
  readonly appDataDir: string;
  /** Where new sites are proposed, e.g. ~/Fieldkit Sites. */
  readonly defaultSitesRoot: string;
  readonly secrets: SecretStore;
  readonly version: string;
  /** The native folder dialog; null when cancelled. */
  pickFolder?(title: string): Promise<string | null>;
  /** The native dialog for one existing file, offering `filters` in order; null when cancelled. */
  pickFile?(title: string, filters: readonly FileFilter[]): Promise<string | null>;
  /**
   * Paths come from the technician's own terminal (the CLI), not from a renderer that could be subverted:
   * a site folder may be made wherever the command names it (kernel file systems are still refused).
   */
  readonly pathsFromTerminal?: boolean;
  /**
   * Where mDNS browses. Unset: the operating system's default interface (the technician's LAN).
   * The browser host in tests and the demo bind it to loopback so nothing leaves the machine.
   */
  readonly mdns?: { interface: string; bind: string };
  /** Renders a report to PDF (Electron's printToPDF in the app; the system Chromium in the CLI and browser host). */
  printToPdf?(html: string): Promise<Uint8Array>;
}
