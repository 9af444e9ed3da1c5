// The shape of a CLI command. Every command prints human text by default and one JSON document with --json.
// Commands reach Fieldkit only through the contract (`ctx.call`), exactly like the UI does.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CallInput, CallName, CallOutput } from '../api/contract';
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
  /**
   * Runs a contract call through the same dispatcher as the UI (input validated at the boundary); throws a
   * CallError with the call's error code when it fails.
   */
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
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

export async function dispatchOrThrow<N extends CallName>(
  app: FieldkitApp,
  name: N,
  input: CallInput<N>,
): Promise<CallOutput<N>> {
  const result = await app.dispatch(name, input);
  if (!result.ok) throw new CallError(result.error.code, result.error.message);
  return result.value as CallOutput<N>;
}

/**
 * node:util parseArgs with Fieldkit's rules: unknown options and missing values are usage errors naming the
 * option. List options take one value per occurrence (`--locations "Floor 2" --locations Lobby`), so values
 * may hold spaces.
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

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
