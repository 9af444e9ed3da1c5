// `fieldkit` command line: the same core as the app, for scripting and bulk runs. --json everywhere.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FieldkitApp } from './app/fieldkit-app';
import { nodePlatform, fieldkitVersion } from './app/node-platform';
import { SITE_FILE } from './core/workspace/site-workspace';
import { isFieldkitError } from './core/util/errors';
import { CallError, dispatchOrThrow, UsageError, type CliCommand, type CliContext, type CliIo } from './cli/command';
import { cliCommands } from './cli/commands';
import { Redactor } from './core/security/redactor';

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
    'Secrets come from the environment (FIELDKIT_ADMIN_PASSWORD, FIELDKIT_SECRET_<KEY>) and are never written to the site.',
  ].join('\n');
}

export async function runCli(
  argv: string[],
  io: CliIo = { out: (t) => console.log(t), err: (t) => console.error(t) },
): Promise<number> {
  const json = argv.includes('--json');
  let args = argv.filter((a) => a !== '--json');
  let siteDir: string | undefined;
  const siteAt = args.indexOf('--site');
  if (siteAt >= 0) {
    siteDir = args[siteAt + 1];
    args = args.filter((_, i) => i !== siteAt && i !== siteAt + 1);
  }
  const commands = cliCommands();
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText(commands));
    return 0;
  }
  if (name === '--version' || name === 'version') {
    io.out(json ? JSON.stringify({ version: fieldkitVersion() }) : fieldkitVersion());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}". Run "fieldkit --help" for the list.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  let app: FieldkitApp | undefined;
  const platform = nodePlatform({ transport: 'http' });
  const ctx: CliContext = {
    args: rest,
    json,
    io,
    ...(siteDir ? { siteDir } : {}),
    async app() {
      if (app) return app;
      app = new FieldkitApp(platform);
      const dir = siteDir ?? (existsSync(join(process.cwd(), SITE_FILE)) ? process.cwd() : undefined);
      if (dir) await app.openSite(dir);
      return app;
    },
    async call(callName, input) {
      return dispatchOrThrow(await ctx.app(), callName, input);
    },
  };
  try {
    return await command.run(ctx);
  } catch (e) {
    const usage = e instanceof UsageError;
    const code = usage ? 'usage' : isFieldkitError(e) || e instanceof CallError ? e.code : 'internal';
    // The terminal output ends up in scripts' logs and tickets: hide the environment's secrets in it.
    const redactor = app?.redactor ?? new Redactor(platform.secrets);
    await redactor.refresh();
    const message = redactor.redact((e as Error).message) + (usage ? `\nUsage: ${command.usage}` : '');
    if (json) io.out(JSON.stringify({ error: { code, message } }, null, 2));
    else io.err(`fieldkit ${name}: ${message}`);
    return usage ? 2 : 1;
  } finally {
    await app?.shutdown();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runCli(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
