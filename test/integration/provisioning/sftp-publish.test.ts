// Publishing to a real OpenSSH server on loopback: host key trust on first use, temp + rename with
// read-back and backups, conflicts after the preview, a server killed mid-push and resumed, key auth,
// and no secret ever in the site folder.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { Journal } from '../../../electron/core/jobs/journal';
import { materialize } from '../../../electron/core/config';
import { loadGenerated } from '../../../electron/core/provisioning/generated-store';
import { publishJob } from '../../../electron/core/provisioning/publish';
import { PublishingService } from '../../../electron/core/provisioning/publishing-service';
import { HostKeyError, SftpTarget } from '../../../electron/core/provisioning/sftp-target';
import { secretKeys } from '../../../electron/core/secrets/secret-store';
import { siteCredentialView } from '../../../electron/core/provisioning/credentials';
import { startSshd, sshdUnavailableReason, type SshdHarness } from '../../helpers/sshd';
import { regenerateWithChange, siteWithConfigs, type PublishFixture } from '../../unit/provisioning/publish-fixture';
import type { JobInfo } from '../../../electron/core/jobs/job-types';

const unavailable = sshdUnavailableReason();

interface Rig {
  fx: PublishFixture;
  service: PublishingService;
  jobs: JobManager;
  updates: JobInfo[];
  remoteDir: string;
  appDataDir: string;
}

async function rig(
  sshd: SshdHarness,
  root: string,
  phones: number,
  auth: 'password' | 'key' = 'password',
): Promise<Rig> {
  const dir = await mkdtemp(join(root, 'rig-'));
  const fx = await siteWithConfigs(dir, phones);
  const appDataDir = join(dir, 'appdata');
  const remoteDir = join(sshd.home, `prov-${phones}-${auth}-${Math.random().toString(36).slice(2, 8)}`);
  await mkdir(remoteDir);
  execFileSync('chown', [sshd.user, remoteDir]);
  const service = new PublishingService({ site: fx.site, secrets: fx.secrets, appDataDir });
  await service.saveTarget({
    id: 'osv',
    kind: 'sftp',
    url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${remoteDir}`,
    auth,
  });
  await service.setSftpCredential(
    'osv',
    auth === 'password' ? { password: sshd.password } : { privateKey: sshd.clientKey },
  );
  const updates: JobInfo[] = [];
  const jobs = new JobManager(() => fx.site.path('journal'), {
    onUpdate: (i) => updates.push(i),
    onLog: () => undefined,
  });
  jobs.register(publishJob(() => service));
  return { fx, service, jobs, updates, remoteDir, appDataDir };
}

async function expectedBytes(fx: PublishFixture): Promise<Map<string, Buffer>> {
  const generated = (await loadGenerated(fx.site))!;
  const out = new Map<string, Buffer>();
  const secrets = await siteCredentialView(fx.site, fx.secrets);
  for (const f of generated.files) out.set(f.name, Buffer.from(await materialize(f, secrets)));
  return out;
}

async function trust(r: Rig, sshd: SshdHarness): Promise<void> {
  await r.service.trustHostKey('osv', await sshd.hostKeyFingerprint());
}

async function publish(r: Rig, overwriteChanged = false): Promise<JobInfo> {
  const preview = await r.service.preview('osv');
  const job = await r.jobs.start('publish', { targetId: 'osv', previewToken: preview.token, overwriteChanged });
  return r.jobs.wait(job.id);
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await allFiles(path)));
    else out.push(path);
  }
  return out;
}

async function assertNoSecretsInSite(fx: PublishFixture): Promise<void> {
  for (const path of await allFiles(fx.site.root)) {
    const text = await readFile(path, 'utf8');
    for (const secret of fx.secretValues)
      assert.ok(!text.includes(secret), `${path} contains a secret (${secret.slice(0, 4)}…)`);
  }
}

describe('publishing over SFTP to a real sshd', { skip: unavailable ?? false }, () => {
  let sshd: SshdHarness;
  let root: string;
  before(async () => {
    sshd = await startSshd();
    root = await mkdtemp(join(tmpdir(), 'fieldkit-sftp-test-'));
  });
  after(async () => {
    await sshd?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  test('first use shows the host key fingerprint; after trusting it, a publish uploads, renames, reads back; a change keeps a backup', async () => {
    const r = await rig(sshd, root, 4);
    await assert.rejects(r.service.preview('osv'), (e: unknown) => {
      assert.ok(e instanceof HostKeyError);
      assert.equal(e.problem, 'host-key-unknown');
      assert.match(e.message, /SHA256:/);
      return true;
    });
    const offered = await r.service.preview('osv').catch((e: HostKeyError) => e.fingerprint);
    assert.equal(offered, await sshd.hostKeyFingerprint());
    await r.service.trustHostKey('osv', offered as string);

    const first = await r.service.preview('osv');
    assert.equal(first.counts.new, first.files.length);
    const job = await r.jobs.start('publish', { targetId: 'osv', previewToken: first.token });
    const info = await r.jobs.wait(job.id);
    assert.equal(info.state, 'succeeded', info.error);
    const expected = await expectedBytes(r.fx);
    for (const [name, bytes] of expected) assert.deepEqual(await readFile(join(r.remoteDir, name)), bytes, name);
    assert.deepEqual(
      (await readdir(r.remoteDir)).filter((n) => n.startsWith('.') && n !== '.fieldkit-backup'),
      [],
      'no temporary file left',
    );

    const again = await r.service.preview('osv');
    assert.equal(again.counts.unchanged, again.files.length, 'a second preview finds everything up to date');

    await regenerateWithChange(r.fx);
    const changed = await r.service.preview('osv');
    const phone0 = changed.files.find((f) => f.name === `${r.fx.macs[0]}.cfg`)!;
    assert.equal(phone0.status, 'changed');
    assert.match(phone0.diffVsTarget, /^\+sip line1 display name: "?Renamed"?$/m);
    assert.match(phone0.diffVsLastPublished, /Renamed/);
    assert.ok(!phone0.diffVsTarget.includes(r.fx.secretValues[1]!), 'the diff hides the SIP password');
    const oldBytes = await readFile(join(r.remoteDir, phone0.name));
    const second = await r.jobs.wait(
      (await r.jobs.start('publish', { targetId: 'osv', previewToken: changed.token })).id,
    );
    assert.equal(second.state, 'succeeded', second.error);
    assert.match(await readFile(join(r.remoteDir, phone0.name), 'utf8'), /Renamed/);
    // backups go beside the served folder, not inside it (sftp-target.ts)
    const backupDir = join(r.remoteDir, '..', '.fieldkit-backup', basename(r.remoteDir));
    const backups = await readdir(backupDir);
    const backup = backups.find((b) => b.startsWith(`${phone0.name}.`));
    assert.ok(backup, `a timestamped backup of ${phone0.name} exists (${backups.join(', ')})`);
    assert.deepEqual(await readFile(join(backupDir, backup)), oldBytes);
    await assertNoSecretsInSite(r.fx);
  });

  test('a changed host key is a hard stop naming both fingerprints; nothing is replaced', async () => {
    const r = await rig(sshd, root, 1);
    await trust(r, sshd);
    const old = await sshd.hostKeyFingerprint();
    await sshd.kill();
    await sshd.rotateHostKey();
    await sshd.start();
    try {
      const now = await sshd.hostKeyFingerprint();
      await assert.rejects(r.service.preview('osv'), (e: unknown) => {
        assert.ok(e instanceof HostKeyError);
        assert.equal(e.problem, 'host-key-changed');
        assert.ok(e.message.includes(old) && e.message.includes(now), e.message);
        return true;
      });
      await assert.rejects(r.service.trustHostKey('osv', now), /does not replace a pinned host key/);
      assert.deepEqual(await readdir(r.remoteDir), []);

      // The server was really reinstalled: the technician replaces the key, but only with the one offered now.
      await assert.rejects(r.service.trustHostKey('osv', old, true), /offers .* not .*Nothing was replaced/);
      await assert.rejects(r.service.preview('osv'), HostKeyError);
      assert.deepEqual(await r.service.trustHostKey('osv', now, true), {
        hostPort: `127.0.0.1:${sshd.port}`,
        fingerprint: now,
      });
      assert.equal((await publish(r)).state, 'succeeded');
      await assert.rejects(r.service.trustHostKey('osv', now, true), /nothing to replace/);
    } finally {
      // later tests trust the new key through their own app data folders
    }
  });

  test('a file changed on the server after the preview stops the publish; nothing is overwritten', async () => {
    const r = await rig(sshd, root, 6);
    await trust(r, sshd);
    assert.equal((await publish(r)).state, 'succeeded');
    await regenerateWithChange(r.fx);
    const preview = await r.service.preview('osv');
    const victim = `${r.fx.macs[0]}.cfg`;
    await writeFile(join(r.remoteDir, victim), '# edited by another technician\n');
    const startupBefore = await readFile(join(r.remoteDir, 'startup.cfg'));
    const info = await r.jobs.wait(
      (await r.jobs.start('publish', { targetId: 'osv', previewToken: preview.token })).id,
    );
    assert.equal(info.state, 'failed');
    assert.match(info.error ?? '', new RegExp(victim.replace('.', '\\.')));
    assert.match(info.error ?? '', /changed|Nothing was written|did not overwrite/);
    assert.equal(await readFile(join(r.remoteDir, victim), 'utf8'), '# edited by another technician\n');
    assert.deepEqual(await readFile(join(r.remoteDir, 'startup.cfg')), startupBefore);

    const next = await r.service.preview('osv');
    assert.equal(
      next.files.find((f) => f.name === victim)!.status,
      'conflict',
      'the next preview shows it as changed by someone else',
    );
    const refused = await r.jobs.wait(
      (await r.jobs.start('publish', { targetId: 'osv', previewToken: next.token })).id,
    );
    assert.equal(refused.state, 'failed');
    assert.match(refused.error ?? '', /overwrite changed files/);
    const stale = await r.jobs.wait(
      (await r.jobs.start('publish', { targetId: 'osv', previewToken: preview.token })).id,
    );
    assert.match(stale.error ?? '', /out of date/);
  });

  test("the publish goes on the preview's SSH session and still refuses a file another run placed after the preview; a changed target gets a session of its own", async () => {
    const r = await rig(sshd, root, 4);
    await trust(r, sshd);
    let connects = 0;
    const connect = SftpTarget.prototype.connect;
    SftpTarget.prototype.connect = function (this: SftpTarget) {
      connects++;
      return connect.call(this);
    };
    try {
      const preview = await r.service.preview('osv');
      assert.equal(preview.counts.new, preview.files.length);
      const victim = `${r.fx.macs[1]}.cfg`;
      await writeFile(join(r.remoteDir, victim), '# published by another run\n');
      const info = await r.jobs.wait(
        (await r.jobs.start('publish', { targetId: 'osv', previewToken: preview.token })).id,
      );
      assert.equal(connects, 1, 'preview and publish used one SSH session');
      assert.equal(info.state, 'failed');
      assert.match(info.error ?? '', new RegExp(`${victim.replace('.', '\\.')}.*Nothing was written`));
      assert.equal(await readFile(join(r.remoteDir, victim), 'utf8'), '# published by another run\n');
      assert.deepEqual(
        (await readdir(r.remoteDir)).filter((n) => !n.startsWith('.')),
        [victim],
        'nothing else was written',
      );

      // the target's folder is edited between preview and publish: the kept session (old folder) is not used
      const other = `${r.remoteDir}-moved`;
      await mkdir(other);
      execFileSync('chown', [sshd.user, other]);
      await rm(join(r.remoteDir, victim));
      const next = await r.service.preview('osv');
      assert.equal(next.counts.new, next.files.length);
      await r.service.saveTarget({
        id: 'osv',
        kind: 'sftp',
        url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${other}`,
        auth: 'password',
      });
      const moved = await r.jobs.wait(
        (await r.jobs.start('publish', { targetId: 'osv', previewToken: next.token })).id,
      );
      assert.equal(connects, 3, 'the publish to the edited target opened its own session');
      assert.equal(moved.state, 'succeeded', moved.error);
      assert.equal((await readdir(other)).filter((n) => !n.startsWith('.')).length, next.files.length);
      assert.deepEqual(
        (await readdir(r.remoteDir)).filter((n) => !n.startsWith('.')),
        [],
        'nothing went to the old folder',
      );
    } finally {
      SftpTarget.prototype.connect = connect;
      await r.service.dispose();
    }
  });

  test('sshd killed mid-push: the job fails clearly, no half file under a final name; resume completes without re-sending done files', async () => {
    const r = await rig(sshd, root, 400);
    await trust(r, sshd);
    const expected = await expectedBytes(r.fx);
    const preview = await r.service.preview('osv');
    const job = await r.jobs.start('publish', { targetId: 'osv', previewToken: preview.token });
    // Watch the server's folder, not the job's progress: progress events are throttled (100 ms), and a
    // fast machine could place every file in that time. The kill lands a few milliseconds after the 60th.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const placed = readdirSync(r.remoteDir).filter((n) => !n.startsWith('.')).length;
        const latest = r.updates.filter((u) => u.id === job.id).at(-1);
        if (placed >= 60 || (latest && latest.state !== 'running')) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    await sshd.kill();
    const failed = await r.jobs.wait(job.id);
    assert.equal(
      failed.state,
      'failed',
      `the job should fail when the server dies mid-push (${failed.done}/${failed.total} done; ${failed.error ?? 'no error'})`,
    );
    assert.match(failed.error ?? '', /Lost the connection|connection/i);
    assert.match(failed.error ?? '', /resume/i);
    const present = (await readdir(r.remoteDir)).filter((n) => !n.startsWith('.'));
    assert.ok(
      present.length > 0 && present.length < expected.size,
      `some files were published before the kill (${present.length})`,
    );
    for (const name of present)
      assert.deepEqual(await readFile(join(r.remoteDir, name)), expected.get(name), `${name} is complete`);

    await sshd.start();
    // A file sent again would be a new inode (temp + rename): the ones already placed must keep theirs.
    const inodes = new Map(
      await Promise.all(present.map(async (n) => [n, (await stat(join(r.remoteDir, n))).ino] as const)),
    );
    const { entries: before } = await Journal.read(r.fx.site.path('journal', `${job.id}.jsonl`));
    const doneBefore = new Set(before.filter((e) => e.type === 'step-done').map((e) => String(e.key)));
    await r.jobs.resume(job.id);
    const resumed = await r.jobs.wait(job.id);
    assert.equal(resumed.state, 'succeeded', resumed.error);
    for (const [name, bytes] of expected) assert.deepEqual(await readFile(join(r.remoteDir, name)), bytes, name);
    assert.deepEqual(
      (await readdir(r.remoteDir)).filter((n) => n.startsWith('.') && n !== '.fieldkit-backup'),
      [],
      'no temporary file left',
    );
    for (const [name, ino] of inodes)
      assert.equal((await stat(join(r.remoteDir, name))).ino, ino, `${name} was not sent again`);
    const { entries } = await Journal.read(r.fx.site.path('journal', `${job.id}.jsonl`));
    const resumedAt = entries.findIndex((e) => e.type === 'job-resumed');
    const begunAfter = entries
      .slice(resumedAt)
      .filter((e) => e.type === 'step-begin')
      .map((e) => String(e.key));
    assert.ok(
      begunAfter.length > 0 && begunAfter.every((k) => !doneBefore.has(k)),
      'steps done before the kill are not run again',
    );
    await assertNoSecretsInSite(r.fx);
  });

  test('key authentication from the credential store works; a missing credential names its variable', async () => {
    const r = await rig(sshd, root, 2, 'key');
    await trust(r, sshd);
    assert.equal((await publish(r)).state, 'succeeded');
    await r.fx.secrets.delete(secretKeys.sftpPrivateKey('osv'));
    await assert.rejects(r.service.preview('osv'), /FIELDKIT_SECRET_SFTP_PRIVATE_KEY_OSV/);
  });

  test('a private key with a passphrase logs in; a wrong or missing passphrase is named, not "unreachable"', async () => {
    const r = await rig(sshd, root, 1, 'key');
    await trust(r, sshd);
    const keyPath = join(root, `pp-${Math.random().toString(36).slice(2, 8)}`);
    execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse', '-f', keyPath]);
    await writeFile(
      join(sshd.home, '..', 'authorized', sshd.user),
      `${await readFile(`${sshd.clientKeyPath}.pub`, 'utf8')}${await readFile(`${keyPath}.pub`, 'utf8')}`,
    );
    const privateKey = await readFile(keyPath, 'utf8');
    await r.service.setSftpCredential('osv', { privateKey, passphrase: 'correct horse' });
    assert.deepEqual((await r.service.checkTarget('osv')).state, 'ok');
    assert.equal((await publish(r)).state, 'succeeded');
    await r.service.setSftpCredential('osv', { privateKey, passphrase: 'wrong horse' });
    const wrong = await r.service.checkTarget('osv');
    assert.equal(wrong.state, 'login-refused');
    assert.match(wrong.message, /passphrase .* does not open it/);
    await r.service.setSftpCredential('osv', { privateKey });
    const none = await r.service.checkTarget('osv');
    assert.equal(none.state, 'login-refused');
    assert.match(none.message, /protected by a passphrase, and none is stored/);
  });

  test('skipping a phone that misses its SIP password: the others are published, it keeps its older file', async () => {
    const r = await rig(sshd, root, 3);
    await trust(r, sshd);
    const skippedMac = r.fx.macs[2]!;
    const older = `# an older configuration of ${skippedMac}\n`;
    await writeFile(join(r.remoteDir, `${skippedMac}.cfg`), older);
    await r.fx.secrets.delete(secretKeys.sipPassword(skippedMac));
    await assert.rejects(r.service.preview('osv'), /nothing can be published[\s\S]*--skip-missing-credentials/);
    const preview = await r.service.preview('osv', { skipIncomplete: true });
    assert.deepEqual(
      preview.skipped.map((s) => [s.name, s.onTarget]),
      [[`${skippedMac}.cfg`, true]],
    );
    assert.match(preview.skipped[0]!.missing.join(), /No SIP password stored/);
    const job = await r.jobs.start('publish', { targetId: 'osv', previewToken: preview.token });
    const done = await r.jobs.wait(job.id);
    assert.equal(done.state, 'succeeded');
    assert.equal(done.counters.skipped, 1);
    assert.match(
      done.note ?? '',
      new RegExp(`skipped 1 phone\\(s\\).*${skippedMac}\\.cfg \\(keeps its older file on the target\\)`),
    );
    for (const mac of r.fx.macs.slice(0, 2)) {
      const text = await readFile(join(r.remoteDir, `${mac}.cfg`), 'utf8');
      assert.ok(!text.includes('********'), `${mac}.cfg carries its real secrets`);
    }
    assert.ok((await readdir(r.remoteDir)).includes('startup.cfg'), 'the shared files are published');
    assert.equal(await readFile(join(r.remoteDir, `${skippedMac}.cfg`), 'utf8'), older, 'its older file is untouched');
    const { entries } = await Journal.read(r.fx.site.path('journal', `${job.id}.jsonl`));
    const record = entries.find((e) => e.type === 'skipped') as
      { phones?: { mac: string; missing: string[]; onTarget: boolean }[] } | undefined;
    assert.deepEqual(
      record?.phones?.map((p) => [p.mac, p.onTarget]),
      [[skippedMac, true]],
    );
  });
});
