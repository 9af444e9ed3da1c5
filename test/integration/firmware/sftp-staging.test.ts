// A fallback staged on the site's own provisioning server over SFTP (a real sshd): the staging folder is
// created there with the image, each phone's <MAC>.cfg there gets its firmware pin, the phones fetch over HTTP from
// that server (a tiny static web server on the sshd's folder), and a pinned phone still finds its image after the
// job and Fieldkit are gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { chown, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSshd, sshdUnavailableReason } from '../../helpers/sshd';
import { tempDir } from '../../helpers/temp-dir';
import { PublishingService } from '../../../electron/core/provisioning/publishing-service';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { makeFirmwarePlan } from '../../../electron/core/firmware/plan';
import { siteFirmwareServer } from '../../../electron/core/firmware/site-server';
import { createFirmwareWaveJob } from '../../../electron/core/firmware/wave-job';
import { findLibraryEntry, readLibraryImage } from '../../../electron/core/firmware/library';
import { readPins } from '../../../electron/core/firmware/pins';
import { sha256Hex } from '../../../electron/core/util/hash';
import { buildFirmwareImage } from '../../sim/firmware-image';
import { startBench, FAST } from './fixture';
import type { AddressInfo } from 'node:net';

const noSshd = sshdUnavailableReason();

test(
  'fallback staged through an SFTP target: folder on the server, phones verified, left-on-staging phone still served after close',
  { timeout: 180_000, skip: noSshd ?? false },
  async (t) => {
    const sshd = await startSshd();
    t.after(() => sshd.cleanup());
    const folder = join(sshd.home, 'prov');
    await mkdir(folder);
    const owner = await stat(sshd.home);
    await chown(folder, owner.uid, owner.gid);

    // The site's web server: serves the sshd's folder, sub-folders included, to the phones.
    const fetched: { ip: string; path: string; status: number }[] = [];
    const web = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const parts = path.split('/').filter(Boolean);
      const ok = parts[0] === 'prov' && parts.length >= 2 && parts.slice(1).every((p) => /^[\w-][\w.-]*$/.test(p));
      const done = (status: number, body?: Buffer) => {
        fetched.push({ ip: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''), path, status });
        res.writeHead(status).end(body);
      };
      if (!ok) return done(404);
      readFile(join(folder, ...parts.slice(1))).then(
        (body) => done(200, body),
        () => done(404),
      );
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    t.after(
      () =>
        new Promise<void>((resolve) => {
          web.closeAllConnections();
          web.close(() => resolve());
        }),
    );
    const serverUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/prov/`;

    const b = await startBench({
      name: 'fw-sftp',
      loopbackBase: '127.71.0.0',
      provisioningUrl: serverUrl,
      groups: [{ count: 6, model: '6867i', versions: ['6.5.0.224'], macStart: '00:08:5D:67:00:01' }],
    });
    t.after(() => b.close());
    await b.addImage('6867i', '5.0.0.1018');
    // Home serves 6.5.0.224 (in the library too): a fallen-back phone pointed home would flash back, so
    // every phone is left on the staging folder whose .st is its new version.
    await b.addImage('6867i', '6.5.0.224');
    const homeImage = buildFirmwareImage({ model: '6867i', version: '6.5.0.224', sizeBytes: 4096 });
    for (const [name, base64] of Object.entries(await b.homeFiles()))
      await writeFile(join(folder, name), Buffer.from(base64, 'base64'));
    await writeFile(join(folder, '6867i.st'), homeImage);
    await chown(folder, owner.uid, owner.gid);

    const appDataDir = await tempDir(t);
    const service = new PublishingService({ site: b.site, secrets: b.secrets, appDataDir });
    await service.saveTarget({
      id: 'osv-prov',
      kind: 'sftp',
      url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${folder}`,
      auth: 'password',
    });
    await service.setSftpCredential('osv-prov', { password: sshd.password });
    await service.trustHostKey('osv-prov', await sshd.hostKeyFingerprint());

    const planServer = await siteFirmwareServer(service, { targetId: 'osv-prov', url: serverUrl, tempTag: 'fw-plan' });
    const plan = await makeFirmwarePlan(
      { site: b.site, secrets: b.secrets, server: planServer },
      {
        targets: [{ model: '6867i', version: '5.0.0.1018' }],
        options: { ...FAST, publishTarget: 'osv-prov', serverUrl },
      },
    ).finally(() => planServer.close());
    assert.equal(plan.summary.flash, 6);
    assert.ok(
      plan.phones.every((p) => p.homeFirmware === '6.5.0.224' && p.afterwards === 'stay-pointed'),
      'home .st read over SFTP, phones keep their pin',
    );

    // "Fieldkit": its own job manager, the server built from the plan's publishing target.
    const jobs = new JobManager(() => b.site.path('journal'), { onUpdate: () => undefined, onLog: () => undefined });
    jobs.register(
      createFirmwareWaveJob({
        site: () => b.site,
        secrets: b.secrets,
        server: (_site, p, jobId) =>
          siteFirmwareServer(service, {
            targetId: p.options.publishTarget,
            ...(p.options.serverUrl ? { url: p.options.serverUrl } : {}),
            tempTag: jobId,
          }),
      }),
    );
    const job = await jobs.start('firmware-wave', { planId: plan.id, confirm: plan.confirmToken });
    const info = await jobs.wait(job.id);
    assert.equal(info.state, 'succeeded', info.error);
    assert.equal(info.counters.verified, 6);
    await jobs.shutdown();
    await service.dispose();

    // The staging folder is on the server with the image only; each phone's <MAC>.cfg at home carries its pin.
    const staged = join(folder, 'fw', '6867i-5.0.0.1018');
    const entry = (await findLibraryEntry(b.site, '6867i', '5.0.0.1018'))!;
    assert.equal(sha256Hex(await readFile(join(staged, '6867i.st'))), sha256Hex(await readLibraryImage(b.site, entry)));
    assert.deepEqual(await readdir(staged), ['6867i.st'], 'no configuration copies');
    assert.equal(sha256Hex(await readFile(join(folder, '6867i.st'))), sha256Hex(homeImage), 'home .st is untouched');
    for (const p of b.lab.phones) {
      const mac = p.mac.replace(/:/g, '');
      const own = await readFile(join(folder, `${mac}.cfg`), 'utf8');
      assert.match(own, /sip line1 user name/, 'its configuration is still there');
      assert.match(own, new RegExp(`firmware server: "${serverUrl.replace(/\/$/, '')}/fw/6867i-5\\.0\\.0\\.1018"`));
      const phone = b.lab.phone(p.mac);
      assert.equal(phone.firmware, '5.0.0.1018');
      assert.equal(b.flashes(p.mac), 1);
      assert.equal(phone.setting('http path'), 'prov', `${p.mac} stays on its home configuration server`);
      assert.deepEqual(Object.keys(phone.inspect().settings.local), [], 'nothing set locally on the phone');
      assert.ok(
        fetched.some((f) => f.ip === p.address && f.path === '/prov/fw/6867i-5.0.0.1018/6867i.st' && f.status === 200),
      );
    }
    assert.equal(Object.keys(await readPins(b.site)).length, 6, 'the site keeps the pins for the next generate');

    // Fieldkit is gone: a pinned phone reboots, reads its own file at home, takes its image from the folder and keeps
    // its version.
    const left = b.lab.phones[0]!;
    const before = fetched.length;
    await b.lab.powerCycle(left.mac);
    const phone = b.lab.phone(left.mac);
    for (let i = 0; phone.state !== 'online' && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
    const after = fetched.slice(before).filter((f) => f.ip === left.address);
    assert.ok(
      after.some((f) => f.path === `/prov/${left.mac.replace(/:/g, '')}.cfg` && f.status === 200),
      JSON.stringify(after),
    );
    assert.ok(after.some((f) => f.path === '/prov/fw/6867i-5.0.0.1018/6867i.st' && f.status === 200));
    assert.ok(!after.some((f) => f.path === '/prov/6867i.st'), "home's .st is not asked for");
    assert.equal(phone.firmware, '5.0.0.1018', 'no flip back');
    assert.equal(b.flashes(left.mac), 1);
  },
);
