// `fieldkit phone probe <ip> --out DIR --json` through the contract, on a simulated phone with the site's web
// credentials: what it answered, which assumptions held, saved as a capture without any password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertCliJson, cli } from '../../helpers/cli';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { DEVICES_FILE, DevicesFileSchema } from '../../../electron/core/inventory/inventory-files';
import { startLab } from '../../sim/lab';
import { tempDir } from '../../helpers/temp-dir';
import { deviceFor } from './fixture';

const ADMIN = '4711930'; // long enough not to turn up by chance in a random SIP Call-ID or tag

test(
  'phone probe: capture, assumptions with held/source, files saved, no secret in them',
  { timeout: 60_000 },
  async (t) => {
    const lab = await startLab(
      {
        name: 'probe',
        loopbackBase: '127.75.0.0',
        bootMs: 100,
        groups: [
          {
            kind: 'mitel-6800',
            count: 1,
            model: '6865i',
            versions: ['6.5.0.224'],
            macStart: '00:08:5D:75:00:01',
            adminPassword: ADMIN,
            ports: { sip: 5060, http: 80, https: null },
          },
        ],
      },
      { mode: 'loopback' },
    );
    t.after(() => lab.stop());
    const dir = await tempDir(t);
    const site = await SiteWorkspace.create(join(dir, 'site'), { name: 'probe' });
    const at = new Date().toISOString();
    const p = lab.phones[0]!;
    await site.writeJson(DEVICES_FILE, DevicesFileSchema, {
      format: 'fieldkit-inventory',
      formatVersion: 1,
      updatedAt: at,
      devices: [deviceFor(p, at)],
    });
    const saved = { ...process.env };
    t.after(() => {
      process.env = saved;
    });
    process.env.FIELDKIT_DATA_DIR = join(dir, 'data');
    process.env.FIELDKIT_ADMIN_PASSWORD = ADMIN;
    const outDir = join(dir, 'capture');
    const run = await cli(['phone', 'probe', p.address, '--out', outDir, '--json', '--site', site.root]);
    assert.equal(run.code, 0, run.out + run.err);
    const result = assertCliJson<{
      capture: { sip: { state: string }; sysinfo: { state: string } };
      assumptions: { id: string; held: unknown; source: string }[];
      summary: { held: number; notHeld: number; unknown: number };
      savedTo: string;
    }>('phone', run);
    assert.equal(result.capture.sip.state, 'read');
    assert.equal(result.capture.sysinfo.state, 'read', 'read with the site password');
    const mac = result.assumptions.find((a) => a.id === 'sysinfo-mac')!;
    assert.equal(mac.held, true);
    assert.equal(mac.source, 'phone-facts §3');
    assert.equal(result.assumptions.find((a) => a.id === 'provisioning-user-agent')!.held, 'unknown');
    assert.equal(result.summary.notHeld, 0);
    assert.equal(result.savedTo, outDir);
    assert.deepEqual((await readdir(outDir)).sort(), ['assumptions.json', 'capture.json', 'sysinfo.html']);
    for (const f of await readdir(outDir))
      assert.doesNotMatch(await readFile(join(outDir, f), 'utf8'), new RegExp(ADMIN));

    // human text, and a usage error without an address
    const human = await cli(['phone', 'probe', p.address, '--site', site.root]);
    assert.equal(human.code, 0, human.out + human.err);
    assert.match(human.out, /^HELD {5}sysinfo has a MAC address row/m);
    assert.match(human.out, /saved capture\.json, assumptions\.json, sysinfo\.html in probes\//);
    assert.equal((await cli(['phone', 'probe', '--site', site.root])).code, 2);
  },
);
