// Firmware pins: the pin block is found and removed exactly, and every Generate writes the site's pins into the
// phones' <MAC>.cfg with the same bytes the firmware run writes on the served file, so a later publish keeps them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { BuiltinServer } from '../../../electron/core/provisioning/builtin-server';
import { parseCfg, serializeCfg } from '../../../electron/core/config/cfg-format';
import {
  appendPinBlock,
  editServedPin,
  editServedPinFrom,
  firmwareServerIn,
  forgetPin,
  pinIn,
  pinUrl,
  readPins,
  recordPin,
  removePinBlock,
} from '../../../electron/core/firmware/pins';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { tempDir } from '../../helpers/temp-dir';
import { sha256Hex as sha256 } from '../../../electron/core/util/hash';
import { callsOf } from '../../helpers/app-calls';

const SETTINGS = {
  osv: { proxy: { host: '10.1.2.3' }, transport: 'tls', trustedCaFile: 'ca.pem' },
  ntp: { server1: '10.1.2.10' },
  provisioning: { protocol: 'HTTP', server: '10.1.2.20', port: 8080, path: 'prov' },
};
const PIN = { url: 'http://10.1.2.20:8080/prov/fw/6867i-5.0.0.1018', model: '6867i', version: '5.0.0.1018' };

test('the pin block: quoted URL without a trailing slash, appended last, removed exactly', () => {
  assert.equal(
    pinUrl({ protocol: 'HTTP', host: '10.1.2.20', port: 8080, path: '/prov/fw/6867i-5.0.0.1018/' }),
    PIN.url,
  );
  const text = '# phone\nsip line1 user name: 100\nfirmware server: "http://mx-one/firmware"\n';
  const { doc } = parseCfg(text);
  appendPinBlock(doc, PIN);
  const pinned = serializeCfg(doc);
  assert.match(
    pinned,
    /\n# Fieldkit firmware pin: [^\n]*\nfirmware server: "http:\/\/10\.1\.2\.20:8080\/prov\/fw\/6867i-5\.0\.0\.1018"\n$/,
  );
  assert.equal(pinIn(pinned), PIN.url);
  assert.equal(firmwareServerIn([pinned]), 'http://mx-one/firmware', "the site's own value, without the pin");
  appendPinBlock(doc, { ...PIN, url: 'http://x:1/fw/b' });
  assert.equal((serializeCfg(doc).match(/Fieldkit firmware pin/g) ?? []).length, 1, 'one pin at a time');
  removePinBlock(doc);
  assert.equal(serializeCfg(doc), text, 'the file is as it was');
});

test('Generate writes the pins into <MAC>.cfg, byte for byte what the run writes on the served file', async (t) => {
  const dir = await tempDir(t);
  const app = new FieldkitApp(
    nodePlatform({
      appDataDir: join(dir, 'data'),
      defaultSitesRoot: join(dir, 'sites'),
      secrets: new MemorySecretStore(),
    }),
  );
  t.after(() => app.shutdown());
  const { ok } = callsOf(app);
  await ok('site.create', { dir: join(dir, 'sites', 'pins'), name: 'Pins' });
  await ok('config.settings.save', { settings: SETTINGS });
  await ok('inventory.importCsv', {
    text: 'MAC,DN,Model\n00085D0A0B01,2108189701,6867i\n00085D0A0B02,2108189702,6867i\n',
  });
  const site = await SiteWorkspace.open(join(dir, 'sites', 'pins'));
  const file = async (name: string) => (await ok('config.files', { name })).file!.text;

  await ok('config.generate', {});
  const plain = await file('00085D0A0B01.cfg');
  assert.doesNotMatch(plain, /firmware server/);

  await recordPin(site, '00085D0A0B01', { ...PIN, jobId: 'job-1', at: '2026-01-01T00:00:00.000Z' });
  await ok('config.generate', {});
  const pinned = await file('00085D0A0B01.cfg');
  assert.equal(pinIn(pinned), PIN.url, 'the pinned phone carries its pin');
  assert.doesNotMatch(await file('00085D0A0B02.cfg'), /firmware server/, 'the other phone does not');

  // The run edits the served file; the result equals what Generate makes.
  const served = new BuiltinServer({ address: '127.0.0.1', port: 0, pathPrefix: 'prov' });
  await served.write('00085D0A0B01.cfg', Buffer.from(plain), { expectSha256: null, backup: false });
  assert.equal(await editServedPin(served, '00085D0A0B01', PIN), true);
  assert.equal(Buffer.from((await served.read('00085D0A0B01.cfg'))!).toString('utf8'), pinned);
  assert.equal(await editServedPin(served, '00085D0A0B01', null), true);
  assert.equal(Buffer.from((await served.read('00085D0A0B01.cfg'))!).toString('utf8'), plain);
  assert.equal(await editServedPin(served, '00085D0A0B09', PIN), false, 'no file, nothing written');

  await forgetPin(site, '00085D0A0B01');
  assert.deepEqual(await readPins(site), {});
  await ok('config.generate', {});
  assert.equal(await file('00085D0A0B01.cfg'), plain, 'gone again once the pin is forgotten');
});

test('a pin edit with the bytes in hand reads nothing, and a file changed meanwhile is read again, not overwritten', async () => {
  const served = new BuiltinServer({ address: '127.0.0.1', port: 0, pathPrefix: 'prov' });
  let reads = 0;
  const read = served.read.bind(served);
  served.read = (name: string) => {
    reads++;
    return read(name);
  };
  const name = '00085D0A0B01.cfg';
  const plain = '# phone\nsip line1 user name: 100\n';
  await served.write(name, Buffer.from(plain), { expectSha256: null, backup: false });
  const now = async () => Buffer.from((await read(name))!).toString('utf8');

  const pinned = await editServedPinFrom(served, '00085D0A0B01', PIN, Buffer.from(plain));
  assert.equal(reads, 0, 'the caller had the file: no read');
  assert.equal(pinned, await now());
  assert.equal(pinIn(pinned!), PIN.url);
  // Removing the pin from the bytes the run wrote: again no read, and the file is as before.
  assert.equal(await editServedPinFrom(served, '00085D0A0B01', null, Buffer.from(pinned!)), plain);
  assert.equal(reads, 0);
  assert.equal(await now(), plain);

  // Someone publishes a new version meanwhile: the known bytes are stale, so the file is read again and the pin
  // goes onto what is there now; their change is kept.
  const published = '# phone\nsip line1 user name: 200\n';
  await served.write(name, Buffer.from(published), { expectSha256: sha256(Buffer.from(plain)), backup: false });
  const onNew = await editServedPinFrom(served, '00085D0A0B01', PIN, Buffer.from(plain));
  assert.equal(reads, 1, 'read once, after the write named bytes that were no longer there');
  assert.match(onNew!, /user name: 200/);
  assert.equal(pinIn(onNew!), PIN.url);
  assert.equal(await now(), onNew);

  assert.equal(await editServedPinFrom(served, '00085D0A0B09', PIN, null), null, 'the caller found no file: none');
  assert.equal(reads, 1);
});
