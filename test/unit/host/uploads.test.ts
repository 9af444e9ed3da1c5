// The browser host's upload folder: names kept readable for the firmware library, bodies capped, files removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Readable } from 'node:stream';
import { MAX_UPLOAD_BYTES, safeUploadName, UploadFolder } from '../../../electron/host/uploads';
import type { IncomingMessage } from 'node:http';

const body = (chunks: Buffer[], headers: Record<string, string> = {}) =>
  Object.assign(Readable.from(chunks), { headers }) as unknown as IncomingMessage;

test('upload names: last path part, odd characters as "_", nothing that is only dots', () => {
  assert.equal(safeUploadName('58015372REV035001018SP16867i.zip'), '58015372REV035001018SP16867i.zip');
  assert.equal(safeUploadName('C:\\Users\\tech\\6867i (1).st'), '6867i_1_.st');
  assert.equal(safeUploadName('../..'), null);
  assert.equal(safeUploadName(''), null);
  assert.equal(safeUploadName('a'.repeat(129)), null);
});

test('a body is saved under its name and removed with the folder; an oversized one is refused', async () => {
  const folder = new UploadFolder();
  const path = await folder.save(body([Buffer.from('abc'), Buffer.from('def')]), '6867i-6.5.0.224.st');
  assert.equal(basename(path), '6867i-6.5.0.224.st');
  assert.equal(await readFile(path, 'utf8'), 'abcdef');
  await assert.rejects(
    folder.save(body([Buffer.from('x')], { 'content-length': String(MAX_UPLOAD_BYTES + 1) }), 'big.st'),
    /larger than/,
  );
  await assert.rejects(folder.save(body([]), 'empty.st'), /empty/);
  await folder.removeAll();
  await assert.rejects(stat(dirname(path)), /ENOENT/);
});
