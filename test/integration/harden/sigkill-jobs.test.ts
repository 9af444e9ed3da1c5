// SIGKILL of the Fieldkit process during a job, then resume in a fresh FieldkitApp on the same site:
// the job finishes, no step is done twice (journal), nothing is lost. Discovery is not resumable by
// design: an interrupted scan is shown as interrupted, resume is refused with a plain reason, a new
// scan works and the inventory file is intact. (Firmware waves: test/integration/firmware/sigkill-resume.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { chown, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { envNameFor } from '../../../electron/core/secrets/env-secret-store';
import { Journal } from '../../../electron/core/jobs/journal';
import { DEVICES_FILE } from '../../../electron/core/inventory/inventory-files';
import { callsOf } from '../../helpers/app-calls';
import { startLab } from '../../sim/lab';
import { tempDir } from '../../helpers/temp-dir';
import { startSshd, sshdUnavailableReason } from '../../helpers/sshd';
import { testCa } from '../../helpers/test-ca';
import { startAndKill, stepsDoneTwice } from './harden-kit';
import type { CallOutput } from '../../../electron/api/contract';
import type { SecretKey } from '../../../electron/core/secrets/secret-store';

/** The site's admin secret, in the app's store and (as the CLI gets it) in the child's environment. */
const SITE_SECRET = '7a'.repeat(32);

async function newApp(t: Parameters<typeof tempDir>[0], secrets: Record<string, string> = {}) {
  const dir = await tempDir(t, 'fk-kill-');
  const appDataDir = join(dir, 'data');
  const siteDir = join(dir, 'site');
  const store = new MemorySecretStore(secrets as Partial<Record<SecretKey, string>>);
  const app = new FieldkitApp(
    nodePlatform({ appDataDir, defaultSitesRoot: dir, secrets: store, mdnsInterface: '127.0.0.1' }),
  );
  t.after(() => app.shutdown());
  const { ok } = callsOf(app);
  const site = await ok('site.create', { dir: siteDir, name: 'Kill site' });
  await store.set(`admin-secret:${site.id}`, SITE_SECRET);
  await ok('ca.import', { pem: (await testCa()).certPem });
  /** The child gets the same secrets the way the CLI does: from the environment. */
  const env = {
    ...Object.fromEntries(Object.entries(secrets).map(([k, v]) => [envNameFor(k as SecretKey), v])),
    FIELDKIT_ADMIN_SECRET: SITE_SECRET,
  };
  return { dir, appDataDir, siteDir, app, ok, env };
}

async function resumeAndWait(app: FieldkitApp, id: string) {
  const listed = (await app.jobManager().list()).find((j) => j.id === id);
  assert.equal(listed?.state, 'interrupted', 'the killed job shows as interrupted');
  assert.match(listed!.message, /Interrupted .* Resume to continue/);
  const r = await app.dispatch('jobs.resume', { id });
  assert.ok(r.ok, !r.ok ? r.error.message : '');
  return app.jobManager().wait(id);
}

test('self-test: kill -9 after 10 steps, resume: finished, no step done twice', { timeout: 60_000 }, async (t) => {
  const { app, appDataDir, siteDir } = await newApp(t);
  await app.closeSite();
  const killed = await startAndKill({
    appDataDir,
    siteDir,
    kind: 'self-test',
    params: { steps: 60, stepMs: 20 },
    killWhen: (e) => e.filter((x) => x.type === 'step-done').length >= 10,
  });
  const doneBefore = killed.entries.filter((e) => e.type === 'step-done').map((e) => String(e.key));
  await app.openSite(siteDir);
  const done = await resumeAndWait(app, killed.id);
  assert.equal(done.state, 'succeeded', done.error);
  const { entries } = await Journal.read(join(siteDir, 'journal', `${killed.id}.jsonl`));
  assert.deepEqual(stepsDoneTwice(entries), []);
  assert.equal(entries.filter((e) => e.type === 'step-done').length, 60);
  for (const key of doneBefore)
    assert.equal(entries.filter((e) => e.type === 'step-begin' && e.key === key).length, 1, `${key} ran once`);
});

const noSshd = sshdUnavailableReason();
/** Fieldkit's temporary files in a served folder (whole configurations, passwords included). */
const temporaries = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.fieldkit-tmp'));

for (const next of ['resume', 'new push'] as const)
  test(
    next === 'resume'
      ? 'publish to a real sshd: kill -9 after the first batch, resume: every file on the server, none sent twice'
      : "publish to a real sshd: kill -9 mid-upload, then a new push instead of resume: the killed job's temporaries are swept (issue 13 §5)",
    { timeout: 120_000, skip: noSshd ?? false },
    async (t) => {
      const sshd = await startSshd();
      t.after(() => sshd.cleanup());
      const macs = Array.from(
        { length: 100 },
        (_, i) => `00085D77${(i + 1).toString(16).toUpperCase().padStart(4, '0')}`,
      );
      const secrets: Record<string, string> = {
        'phone-admin-password': '3455667788',
        'sftp-password:srv': sshd.password,
      };
      for (const m of macs) secrets[`sip-password:${m}`] = `kill-${m.slice(-4)}`;
      const { app, ok, appDataDir, siteDir, env } = await newApp(t, secrets);
      await ok('inventory.importCsv', {
        text: ['MAC;DN;Name;Model', ...macs.map((m, i) => `${m};${2100 + i};U${i};${i % 2 ? '6865i' : '6867i'}`)].join(
          '\n',
        ),
      });
      await ok('config.settings.save', {
        settings: {
          siteName: 'Kill',
          osv: { proxy: { host: '10.0.0.1' }, transport: 'tls', trustedCaFile: 'osv-ca.pem' },
          ntp: { server1: '10.0.0.1' },
          provisioning: { protocol: 'HTTP', server: '10.0.0.2', port: 80, path: 'prov' },
        },
      });
      const generated = await ok('config.generate', {});
      assert.equal(
        generated.readyToPublish,
        true,
        JSON.stringify({
          missing: generated.missingCredentials,
          findings: generated.findings.filter((f) => f.severity === 'error'),
        }).slice(0, 1000),
      );
      const folder = join(sshd.home, 'prov');
      await mkdir(folder);
      const home = await stat(sshd.home);
      await chown(folder, home.uid, home.gid);
      await ok('provisioning.saveTarget', {
        target: {
          id: 'srv',
          kind: 'sftp',
          url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${folder}`,
          auth: 'password',
        },
      });
      await ok('provisioning.trustHostKey', {
        targetId: 'srv',
        fingerprint: (await ok('provisioning.hostKey', { targetId: 'srv' })).fingerprint,
      });
      // The kill lands between the test's look at the folder and SIGKILL: a fast batch can rename all of its
      // temporaries in that gap, and then the scenario (temporaries left behind) did not happen. It is set up
      // again from an empty folder, a few times at most, rather than tested on a kill that missed.
      let preview: CallOutput<'provisioning.preview'>;
      let killed: Awaited<ReturnType<typeof startAndKill>>;
      let before: string[];
      let leftover: string[];
      for (let attempt = 1; ; attempt++) {
        preview = await ok('provisioning.preview', { targetId: 'srv' });
        assert.equal(preview.files.length, 105, '100 phone files, 4 global and model files, the CA bundle');
        await app.closeSite();
        killed = await startAndKill({
          appDataDir,
          siteDir,
          env,
          kind: 'publish',
          params: { targetId: 'srv', previewToken: preview.token },
          // mid-upload: temporaries of the batches in flight are on the server
          killWhen: (e) => e.some((x) => x.type === 'step-done') && temporaries(folder).length > 0,
        });
        before = killed.entries.filter((e) => e.type === 'step-done').map((e) => String(e.key));
        leftover = temporaries(folder);
        t.diagnostic(
          `attempt ${attempt}: killed after ${before.length} of 7 batches (${(await readdir(folder)).filter((f) => f.endsWith('.cfg')).length} files and ${leftover.length} temporaries on the server)`,
        );
        if ((leftover.length > 0 && before.length < 7) || attempt === 4) break;
        for (const f of await readdir(folder)) await rm(join(folder, f), { force: true });
        await app.openSite(siteDir);
      }
      assert.ok(before.length < 7, 'killed mid-way');
      assert.ok(leftover.length > 0, 'the kill left temporaries behind');

      await app.openSite(siteDir);
      if (next === 'new push') {
        // the technician previews and publishes again instead of resuming the killed job
        const again = await ok('provisioning.preview', { targetId: 'srv' });
        assert.deepEqual(temporaries(folder), [], "the preview swept the killed job's temporaries");
        const job = await ok('jobs.start', { kind: 'publish', params: { targetId: 'srv', previewToken: again.token } });
        assert.equal((await app.jobManager().wait(job.id)).state, 'succeeded');
        const served = readdirSync(folder);
        for (const f of preview.files) assert.ok(served.includes(f.name), `${f.name} on the server`);
        assert.deepEqual(temporaries(folder), [], 'none left after the new push');
        return;
      }
      const done = await resumeAndWait(app, killed.id);
      assert.equal(done.state, 'succeeded', done.error);
      const { entries } = await Journal.read(join(siteDir, 'journal', `${killed.id}.jsonl`));
      assert.deepEqual(stepsDoneTwice(entries), []);
      for (const key of before)
        assert.equal(
          entries.filter((e) => e.type === 'step-begin' && e.key === key).length,
          1,
          `${key} was not sent again`,
        );
      const onServer = (await readdir(folder)).filter((f) => !f.startsWith('.'));
      for (const f of preview.files) {
        assert.ok(onServer.includes(f.name), `${f.name} on the server`);
      }
      assert.ok(
        !onServer.some((f) => /\.tmp|\.part|fieldkit-tmp/i.test(f)),
        `no half-written file under a visible name: ${onServer.filter((f) => !f.endsWith('.cfg')).join(', ')}`,
      );
      const mine = await readFile(join(folder, `${macs[42]}.cfg`), 'utf8');
      assert.match(mine, /sip line1 password: kill-/);
      assert.ok(createHash('sha256').update(mine).digest('hex').length === 64);
    },
  );

test(
  'discovery is not resumable: a killed scan shows as interrupted, resume is refused, a new scan works, the inventory is intact',
  { timeout: 90_000 },
  async (t) => {
    const lab = await startLab(
      {
        name: 'kill-disc',
        loopbackBase: '127.98.0.0',
        bootMs: 0,
        groups: [
          { kind: 'mitel-6800', count: 4, model: '6867i', versions: ['6.5.0.224'], macStart: '00:08:5D:98:00:01' },
        ],
      },
      { mode: 'loopback' },
    );
    t.after(() => lab.stop());
    const { app, ok, appDataDir, siteDir } = await newApp(t, { 'phone-admin-password': '22222' });
    const scan = {
      ranges: [`${lab.phones[0]!.address}-${lab.phones.at(-1)!.address}`],
      methods: { mdns: false, neighbour: false, passive: false },
    };
    const first = await ok('jobs.start', { kind: 'discovery', params: scan });
    assert.equal((await app.jobManager().wait(first.id)).state, 'succeeded');
    const inventoryBefore = await readFile(join(siteDir, DEVICES_FILE), 'utf8');
    await app.closeSite();

    // A slow sweep of a /22 of loopback (mostly silent addresses) to kill in the middle.
    const killed = await startAndKill({
      appDataDir,
      siteDir,
      kind: 'discovery',
      params: { ranges: ['127.98.0.0/22'], methods: { mdns: false, neighbour: false, passive: false } },
      killWhen: (e) => e.some((x) => x.type === 'discovery-start'),
    });
    assert.equal(
      await readFile(join(siteDir, DEVICES_FILE), 'utf8'),
      inventoryBefore,
      'the inventory file is intact after the kill',
    );

    await app.openSite(siteDir);
    const listed = (await app.jobManager().list()).find((j) => j.id === killed.id)!;
    assert.equal(listed.state, 'interrupted');
    assert.equal(listed.resumable, false);
    const refused = await app.dispatch('jobs.resume', { id: killed.id });
    assert.ok(!refused.ok && /cannot be resumed; start a new one/.test(refused.error.message), JSON.stringify(refused));
    const again = await ok('jobs.start', { kind: 'discovery', params: scan });
    assert.equal((await app.jobManager().wait(again.id)).state, 'succeeded');
    const rows = (await ok('inventory.list', {})).rows;
    assert.equal(rows.filter((r) => r.presence === 'present').length, 4);
  },
);
