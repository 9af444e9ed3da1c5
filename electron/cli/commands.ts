// Every CLI command. Later capabilities add theirs here.
import { siteCommand } from './site-commands';
import { jobsCommand } from './jobs-commands';
import { discoverCommand } from './discover-command';
import { generateCommand } from './generate-command';
import { rebootCommand } from './reboot-command';
import { verifyCommand } from './verify-command';
import { checklistCommand } from './checklist-command';
import { inventoryCommand } from './inventory-command';
import { pushCommand } from './push-command';
import { firmwareCommand } from './firmware-command';
import type { CliCommand } from './command';

export function cliCommands(): CliCommand[] {
  return [
    siteCommand,
    jobsCommand,
    discoverCommand,
    generateCommand,
    rebootCommand,
    verifyCommand,
    checklistCommand,
    inventoryCommand,
    pushCommand,
    firmwareCommand,
  ];
}
