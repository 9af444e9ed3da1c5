// The shape of a CLI command. Every command prints human text by default and one JSON document with --json.
// Commands reach Fieldkit only through the contract (`ctx.call`, `ctx.onEvent`), exactly like the UI does.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CallInput, CallName, CallOutput, EventName } from '../api/contract';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** What the command's terminal offers. */
export interface CliTerminal {
  /** A person can answer questions on stdin. */
  readonly interactive: boolean;
  /** Progress may be drawn on stderr (it is a terminal). */
  readonly progress: boolean;
  /** Asks a yes/no question on stderr; false unless the answer is y or yes. */
  confirm(question: string): Promise<boolean>;
}

export interface CliContext {
  args: string[];
  json: boolean;
  io: CliIo;
  terminal: CliTerminal;
  /** The site folder: --site DIR, or the current folder when it is a site. Opened before the first call. */
  site?: string;
  /**
   * Runs a contract call through the same dispatcher as the UI (input validated at the boundary); throws a
   * CallError with the call's error code when it fails.
   */
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  /** Subscribes to the contract's events; returns an unsubscribe function. */
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  /** Aborted when the user presses Ctrl+C. */
  signal: AbortSignal;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** False for commands that choose their site themselves (site create/info). Default true. */
  opensSite?: boolean;
  /** Returns the process exit code (see EXIT). */
  run(ctx: CliContext): Promise<number>;
}

/** Exit codes, the same for every command (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** The operation failed, or it finished and something needs attention (a finding, a failed phone). */
  failed: 1,
  /** Wrong use: unknown option, missing argument, no site given. Nothing was done. */
  usage: 2,
  /** Nothing was changed because the change needs confirming: run again with --yes. */
  confirm: 3,
} as const;

/** Wrong command-line use: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

/** A contract call that failed: the code is the contract's error code (e.g. 'invalid-input', 'conflict'). */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/**
 * node:util parseArgs with Fieldkit's rules: unknown options and missing values are usage errors naming the
 * option. List options take one value per occurrence (`--locations "Floor 2" --locations Lobby`), so values
 * may hold spaces; see `listOption`.
 */
export function parseOptions<const O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  { positionals = 0 }: { positionals?: number } = {},
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`Unexpected argument "${parsed.positionals[positionals]}".`);
  }
  return parsed;
}

/**
 * The values of a repeatable list option: each occurrence is one value or a comma-separated list, so
 * `--locations "Floor 2" --locations Lobby` and `--locations "Floor 2,Lobby"` both give ["Floor 2", "Lobby"].
 * Spaces inside a value are kept; spaces around commas are not.
 */
export function listOption(values: string | string[] | undefined): string[] {
  const all = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return all
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** A whole number option within bounds, or a usage error naming the option. */
export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max)
    throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, not "${value}".`);
  return n;
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
