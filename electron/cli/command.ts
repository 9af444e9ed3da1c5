// The shape of a CLI command. Every command prints human text by default and one JSON document with --json.
import type { FieldkitApp } from '../app/fieldkit-app';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliContext {
  args: string[];
  json: boolean;
  io: CliIo;
  /** Opens the app lazily (site from --site or the current folder when it is a site). */
  app(): Promise<FieldkitApp>;
  /** --site DIR, if given. */
  siteDir?: string;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(ctx: CliContext): Promise<number>;
}

export class UsageError extends Error {}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
