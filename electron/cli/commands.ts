// Every CLI command. Later capabilities add theirs here.
import type { CliCommand } from './command';
import { siteCommand } from './site-commands';
import { jobsCommand } from './jobs-commands';
import { discoverCommand } from './discover-command';

export function cliCommands(): CliCommand[] {
  return [siteCommand, jobsCommand, discoverCommand];
}
