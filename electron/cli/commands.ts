// Every CLI command, in the order `fieldkit --help` lists them. A new command: a file <name>-command.ts
// exporting a CliCommand (see command.ts and docs/cli.md), added here.
import { siteCommand } from './site-command';
import { discoverCommand } from './discover-command';
import { inventoryCommand } from './inventory-command';
import { settingsCommand } from './settings-command';
import { credentialsCommand } from './credentials-command';
import { generateCommand } from './generate-command';
import { pushCommand } from './push-command';
import { rebootCommand } from './reboot-command';
import { verifyCommand } from './verify-command';
import { firmwareCommand } from './firmware-command';
import { phoneCommand } from './phone-command';
import { checklistCommand } from './checklist-command';
import { jobsCommand } from './jobs-command';
import { caCommand } from './ca-command';
import type { CliCommand } from './command';

export function cliCommands(): CliCommand[] {
  return [
    siteCommand,
    discoverCommand,
    inventoryCommand,
    settingsCommand,
    credentialsCommand,
    generateCommand,
    pushCommand,
    rebootCommand,
    verifyCommand,
    firmwareCommand,
    phoneCommand,
    checklistCommand,
    jobsCommand,
    caCommand,
  ];
}
