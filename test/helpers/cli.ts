// Running `fieldkit` in-process for a test, and checking its --json output against the committed JSON Schema
// of the command (docs/cli-schemas/<command>.schema.json), the file scripts are written against.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { runCli } from '../../electron/cli';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** stdout as JSON, when it is JSON. */
  json: unknown;
}

export async function cli(args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  let json: unknown = undefined;
  try {
    json = JSON.parse(out);
  } catch {
    // human output
  }
  return { code, out, err, json };
}

const schemas = new Map<string, z.ZodType>();

/** The committed schema of `fieldkit <command> --json`, as a validator. */
export function committedCliSchema(command: string): z.ZodType {
  let schema = schemas.get(command);
  if (!schema) {
    const path = fileURLToPath(new URL(`../../docs/cli-schemas/${command}.schema.json`, import.meta.url));
    schema = z.fromJSONSchema(JSON.parse(readFileSync(path, 'utf8')));
    schemas.set(command, schema);
  }
  return schema;
}

/** Fails the test when the output does not match the command's committed schema; returns the output. */
export function assertCliJson<T = Record<string, unknown>>(command: string, run: CliRun): T {
  assert.notEqual(run.json, undefined, `fieldkit ${command} --json printed no JSON:\n${run.out}\n${run.err}`);
  const result = committedCliSchema(command).safeParse(run.json);
  assert.ok(
    result.success,
    `fieldkit ${command} --json does not match docs/cli-schemas/${command}.schema.json: ${result.error?.message}`,
  );
  return run.json as T;
}

/** Sets environment variables for the rest of the test. */
export function withEnv(t: { after(fn: () => void): void }, vars: Record<string, string | undefined>): void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  t.after(() => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}
