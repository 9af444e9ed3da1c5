// List options whose values hold spaces: `--locations "Floor 2"` selects the phones at "Floor 2" (it used to
// be split into "Floor" and "2" and selected nothing), repeated or comma-separated, through a real plan
// against simulated phones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { saveServerConfig } from '../../../electron/core/provisioning/targets-config';
import { DEVICES_FILE, DevicesFileSchema } from '../../../electron/core/inventory/inventory-files';
import { startLab } from '../../sim/lab';
import { buildFirmwareImage } from '../../sim/firmware-image';
import { deviceFor } from '../firmware/fixture';
import { assertCliJson, cli, withEnv } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

test('--locations "Floor 2" selects the phones at Floor 2; repeated and comma lists add locations', async (t) => {
  const dir = await tempDir(t);
  withEnv(t, { FIELDKIT_DATA_DIR: join(dir, 'data') });
  const siteDir = join(dir, 'site');
  const site = await SiteWorkspace.create(siteDir, { name: 'Locations' });
  const port = await freePort();
  await saveServerConfig(site, { address: '127.0.0.1', port, pathPrefix: 'prov' });
  const lab = await startLab(
    {
      name: 'locations',
      loopbackBase: '127.85.0.0',
      bootMs: 200,
      groups: [
        {
          kind: 'mitel-6800',
          count: 3,
          model: '6865i',
          versions: ['6.4.0.140'],
          macStart: '00:08:5D:85:00:01',
          ports: { sip: 5060, http: 80, https: null },
        },
      ],
    },
    { mode: 'loopback', provisioningUrl: `http://127.0.0.1:${port}/prov/` },
  );
  t.after(() => lab.stop());
  const at = new Date().toISOString();
  await site.writeJson(DEVICES_FILE, DevicesFileSchema, {
    format: 'fieldkit-inventory',
    formatVersion: 1,
    updatedAt: at,
    devices: lab.phones.map((p) => deviceFor({ ...p, firmware: p.firmware }, at)),
  });
  const macs = lab.phones.map((p) => p.mac.replace(/:/g, ''));
  const sheet = join(dir, 'sheet.csv');
  await writeFile(
    sheet,
    ['MAC;DN;Location', `${macs[0]};201;Floor 2`, `${macs[1]};202;Floor 3`, `${macs[2]};203;Lobby`].join('\n'),
  );
  assert.equal((await cli(['inventory', 'import', sheet, '--site', siteDir])).code, 0);
  const image = join(dir, '6865i-6.5.0.224.st');
  await writeFile(image, buildFirmwareImage({ model: '6865i', version: '6.5.0.224', sizeBytes: 2048 }));
  assert.equal((await cli(['firmware', 'import', image, '--site', siteDir])).code, 0);

  const plan = async (...selection: string[]) => {
    const r = await cli(['firmware', 'plan', '--target', '6865i=6.5.0.224', ...selection, '--site', siteDir, '--json']);
    const p = assertCliJson<{ phones: { mac: string }[] }>('firmware', r);
    return p.phones.map((ph) => ph.mac).sort();
  };
  assert.deepEqual(await plan('--locations', 'Floor 2'), [macs[0]]);
  assert.deepEqual(await plan('--locations', 'Floor 2', '--locations', 'Lobby'), [macs[0], macs[2]].sort());
  assert.deepEqual(await plan('--locations', 'Floor 3, Lobby'), [macs[1], macs[2]].sort());
});
