// The committed JSON Schemas of the contract (docs/contract/) and of the CLI's --json output (docs/cli-schemas/)
// are what the code says: any change to a call, event, job kind or command output shows up in review as a
// change of these files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CLI_SCHEMA_DIR,
  CONTRACT_DIR,
  UPDATE_COMMAND,
  generatedSchemaFiles,
  staleSchemaFiles,
} from '../../../build/schemas';
import { callNames } from '../../../electron/api/contract';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

test('docs/contract and docs/cli-schemas match the code', async () => {
  const stale = await staleSchemaFiles();
  assert.deepEqual(
    stale,
    [],
    `The contract or a command's --json output changed: ${stale.join(', ')}.\n` +
      `Review the change, then run "${UPDATE_COMMAND}" and commit the updated files with it.`,
  );
});

test('every call is in the snapshot with both schemas, filed under its prefix', () => {
  const files = generatedSchemaFiles();
  for (const name of callNames) {
    const area = JSON.parse(files.get(`${CONTRACT_DIR}/${name.split('.')[0]}.json`) ?? '{}');
    assert.ok(area[name]?.input && area[name]?.output, name);
  }
  assert.ok(files.has(`${CLI_SCHEMA_DIR}/inventory.schema.json`));
});

test('a changed, missing or left-over file is reported', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fk-schemas-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(join(ROOT, 'docs'), join(dir, 'docs'), { recursive: true });
  assert.deepEqual(await staleSchemaFiles(dir), []);
  await writeFile(join(dir, CONTRACT_DIR, 'site.json'), '{}\n');
  await rm(join(dir, CLI_SCHEMA_DIR, 'push.schema.json'));
  await writeFile(join(dir, CONTRACT_DIR, 'gone.json'), '{}\n');
  assert.deepEqual((await staleSchemaFiles(dir)).sort(), [
    `${CLI_SCHEMA_DIR}/push.schema.json (missing)`,
    `${CONTRACT_DIR}/gone.json (no longer generated)`,
    `${CONTRACT_DIR}/site.json`,
  ]);
});
