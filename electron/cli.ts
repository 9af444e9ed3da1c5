// `fieldkit` command line: the same contract as the app, for scripting and bulk runs. --json everywhere.
// Commands reach Fieldkit only through the contract (ctx.call); this file wires them to a Fieldkit running in
// this process. The entry is main(), called by bin/fieldkit.js (from the bundle, or through tsx).
import { createInterface } from 'node:readline/promises';
import { fieldkitVersion } from './app/version';
import { CallError, EXIT, UsageError, type CliCommand, type CliContext, type CliIo } from './cli/command';
import { cliCommands } from './cli/commands';
import type { LocalApp } from './app/local-app';

const NO_SITE =
  'Give the site folder with --site DIR, or run the command inside a site folder (fieldkit site create DIR makes one).';

function helpText(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `Fieldkit ${fieldkitVersion()}: deploy and repair Mitel 6867i/6865i phones on OpenScape Voice.`,
    '',
    'Usage: fieldkit <command> [options] [--json]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    '  --json        print one JSON document on stdout (errors as {"error": {...}})',
    '  --site DIR    the site workspace to use (default: the current folder when it is a site)',
    '  --help        show the usage of a command',
    '',
    'Exit codes: 0 done; 1 failed or needs attention; 2 wrong use (nothing done); 3 needs --yes (nothing changed).',
    "Secrets come from the environment (FIELDKIT_ADMIN_SECRET: the site's secret every phone's admin password is derived from; FIELDKIT_ADMIN_PASSWORD: what the phones have now; FIELDKIT_SECRET_<KEY>) and are never written to the site.",
    'Every command, option, JSON output and exit code: docs/cli.md.',
  ].join('\n');
}

function terminal(): CliContext['terminal'] {
  return {
    interactive: process.stdin.isTTY === true,
    progress: process.stderr.isTTY === true,
    async confirm(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    },
  };
}

/** Splits off the options every command takes: --json, --site DIR. */
function globalOptions(argv: string[]): { json: boolean; siteDir?: string; args: string[] } {
  const json = argv.includes('--json');
  const args = argv.filter((a) => a !== '--json');
  const at = args.indexOf('--site');
  if (at < 0) return { json, args };
  const siteDir = args[at + 1];
  if (siteDir === undefined || siteDir.startsWith('--')) throw new UsageError('--site needs the folder of a site.');
  return { json, siteDir, args: args.filter((_, i) => i !== at && i !== at + 1) };
}

export async function runCli(
  argv: string[],
  io: CliIo = { out: (t) => console.log(t), err: (t) => console.error(t) },
): Promise<number> {
  const commands = cliCommands();
  let options: ReturnType<typeof globalOptions>;
  try {
    options = globalOptions(argv);
  } catch (e) {
    io.err(`fieldkit: ${(e as Error).message}`);
    return EXIT.usage;
  }
  const { json, siteDir, args } = options;
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText(commands));
    return EXIT.ok;
  }
  if (name === '--version' || name === 'version') {
    io.out(json ? JSON.stringify({ version: fieldkitVersion() }) : fieldkitVersion());
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}". Run "fieldkit --help" for the list.`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return EXIT.ok;
  }
  // Loaded only now, so that --version and --help start in a few milliseconds.
  const { isSiteFolder, startLocalApp } = await import('./app/local-app');
  const site = siteDir ?? (isSiteFolder(process.cwd()) ? process.cwd() : undefined);
  const local: LocalApp = startLocalApp({ transport: 'http' });
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  let opened: Promise<void> | undefined;
  const dispatch = async (callName: string, input: unknown) => {
    const result = await local.dispatch(callName, input);
    if (!result.ok) throw new CallError(result.error.code, result.error.message);
    return result.value;
  };
  const ctx: CliContext = {
    args: rest,
    json,
    io,
    terminal: terminal(),
    ...(site ? { site } : {}),
    signal: interrupt.signal,
    async call(callName, input) {
      if (command.opensSite !== false && site) await (opened ??= dispatch('site.open', { dir: site }).then(() => {}));
      return (await dispatch(callName, input)) as never;
    },
    onEvent: (listener) => local.subscribe(listener),
  };
  try {
    return await command.run(ctx);
  } catch (e) {
    const noSite = e instanceof CallError && e.code === 'no-site-open';
    const usage = e instanceof UsageError || noSite;
    const code = usage ? 'usage' : e instanceof CallError ? e.code : 'internal';
    const text = noSite ? NO_SITE : (e as Error).message;
    // The terminal output ends up in scripts' logs and tickets: hide the environment's secrets in it.
    const message = (await local.redact(text)) + (usage ? `\nUsage: ${command.usage}` : '');
    if (json) io.out(JSON.stringify({ error: { code, message } }, null, 2));
    else io.err(`fieldkit ${name}: ${message}`);
    return usage ? EXIT.usage : EXIT.failed;
  } finally {
    process.off('SIGINT', onSigint);
    await local.shutdown();
  }
}

/** The process entry (bin/fieldkit.js): output that a closed pipe cuts short ends quietly (security review D12). */
export async function main(argv = process.argv.slice(2)): Promise<number> {
  let closed = false;
  const quietOnClosedPipe = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') closed = true;
    else throw e;
  };
  process.stdout.on('error', quietOnClosedPipe);
  process.stderr.on('error', quietOnClosedPipe);
  const write = (stream: NodeJS.WriteStream) => (text: string) => {
    if (!closed) stream.write(`${text}\n`);
  };
  return runCli(argv, { out: write(process.stdout), err: write(process.stderr) });
}
