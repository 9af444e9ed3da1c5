// The committed JSON Schemas that make interface changes visible in review:
//   docs/contract/<area>.json          every contract call's input and output, per call-name prefix, and
//                                      docs/contract/events.json, every event's payload
//   docs/cli-schemas/<command>.schema.json   what `fieldkit <command> --json` prints
// `npm run schemas` writes them; test/unit/api/schemas.test.ts fails when a file differs from what the code
// says, and names this command.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { calls, events } from '../electron/api/contract';
import { cliOutputSchema, cliOutputSchemas, type CliOutputCommand } from '../electron/cli/output-schemas';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CONTRACT_DIR = 'docs/contract';
export const CLI_SCHEMA_DIR = 'docs/cli-schemas';
export const UPDATE_COMMAND = 'npm run schemas';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The call-name prefix a call is filed under: `provisioning.server.start` -> provisioning. */
const areaOf = (name: string) => name.split('.')[0]!;

/** Every generated file, path relative to the repository -> content. */
export function generatedSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const byArea = new Map<string, Record<string, unknown>>();
  for (const [name, spec] of Object.entries(calls)) {
    const area = byArea.get(areaOf(name)) ?? {};
    area[name] = {
      summary: spec.summary,
      input: z.toJSONSchema(spec.input, { io: 'input' }),
      output: z.toJSONSchema(spec.output, { io: 'output' }),
    };
    byArea.set(areaOf(name), area);
  }
  for (const [area, entries] of byArea) files.set(`${CONTRACT_DIR}/${area}.json`, json(entries));
  files.set(
    `${CONTRACT_DIR}/events.json`,
    json(
      Object.fromEntries(
        Object.entries(events).map(([name, spec]) => [
          name,
          { summary: spec.summary, payload: z.toJSONSchema(spec.payload, { io: 'output' }) },
        ]),
      ),
    ),
  );
  for (const command of Object.keys(cliOutputSchemas) as CliOutputCommand[])
    files.set(`${CLI_SCHEMA_DIR}/${command}.schema.json`, json(z.toJSONSchema(cliOutputSchema(command))));
  return files;
}

/** The committed files that differ from the generated ones (or are missing, or are left over). */
export async function staleSchemaFiles(root = ROOT): Promise<string[]> {
  const wanted = generatedSchemaFiles();
  const stale: string[] = [];
  for (const [path, content] of wanted) {
    const committed = await readFile(join(root, path), 'utf8').catch(() => undefined);
    if (committed !== content) stale.push(committed === undefined ? `${path} (missing)` : path);
  }
  for (const dir of [CONTRACT_DIR, CLI_SCHEMA_DIR])
    for (const name of await readdir(join(root, dir)).catch(() => [] as string[]))
      if (!wanted.has(`${dir}/${name}`)) stale.push(`${dir}/${name} (no longer generated)`);
  return stale;
}

async function writeAll(root = ROOT): Promise<void> {
  const wanted = generatedSchemaFiles();
  for (const dir of [CONTRACT_DIR, CLI_SCHEMA_DIR])
    for (const name of await readdir(join(root, dir)).catch(() => [] as string[]))
      if (!wanted.has(`${dir}/${name}`)) await rm(join(root, dir, name));
  for (const [path, content] of wanted) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  console.log(`wrote ${wanted.size} schema files to ${CONTRACT_DIR}/ and ${CLI_SCHEMA_DIR}/`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await writeAll();
