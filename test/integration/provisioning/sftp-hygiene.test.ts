// No secret left on the server by a crash (issue 13 §5), against a real OpenSSH server:
//   - a killed job's temporary files (whole configs with passwords) are removed by the next preview or
//     publish of the site, whatever job left them; temporaries are 0600 while incomplete;
//   - backups keep the newest N versions per file (a target setting, default 5), mode 0600, beside the
//     served folder when the server allows it, and a repeated write of the same old content adds none.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { JobManager } from '../../../electron/core/jobs/job-manager';
import { publishJob } from '../../../electron/core/provisioning/publish';
import { PublishingService } from '../../../electron/core/provisioning/publishing-service';
import { SftpTarget, type SftpTargetOptions } from '../../../electron/core/provisioning/sftp-target';
import { parseSftpUrl } from '../../../electron/core/provisioning/target-url';
import { KnownHosts } from '../../../electron/core/provisioning/known-hosts';
import { sha256Hex } from '../../../electron/core/util/hash';
import { startSshd, sshdUnavailableReason, type SshdHarness } from '../../helpers/sshd';
import { regenerateWithChange, siteWithConfigs } from '../../unit/provisioning/publish-fixture';

const unavailable = sshdUnavailableReason();

describe('SFTP hygiene on a real sshd', { skip: unavailable ?? false }, () => {
  let sshd: SshdHarness;
  let root: string;
  before(async () => {
    sshd = await startSshd();
    root = await mkdtemp(join(tmpdir(), 'fieldkit-sftp-hygiene-'));
  });
  after(async () => {
    await sshd?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  async function remoteFolder(name: string): Promise<string> {
    const dir = join(sshd.home, name);
    await mkdir(dir);
    execFileSync('chown', [sshd.user, dir]);
    return dir;
  }

  const urlOf = (remote: string) => `sftp://${sshd.user}@127.0.0.1:${sshd.port}${remote}`;

  /** A site with `phones` generated configs whose target "osv" is the served folder `name` (logged in, key trusted). */
  async function siteTarget(name: string, phones: number, settings: { backups?: number } = {}) {
    const dir = await mkdtemp(join(root, `${name}-`));
    const fx = await siteWithConfigs(dir, phones);
    const remote = await remoteFolder(name);
    const service = new PublishingService({ site: fx.site, secrets: fx.secrets, appDataDir: join(dir, 'data') });
    await service.saveTarget({ id: 'osv', kind: 'sftp', url: urlOf(remote), auth: 'password', ...settings });
    await service.setSftpCredential('osv', { password: sshd.password });
    await service.trustHostKey('osv', await sshd.hostKeyFingerprint());
    return { fx, remote, service };
  }

  async function trusted(dir: string): Promise<KnownHosts> {
    const known = new KnownHosts(dir);
    await mkdir(dir, { recursive: true });
    await known.trust('127.0.0.1', sshd.port, await sshd.hostKeyFingerprint(), { replace: true });
    return known;
  }

  /** An SFTP session of its own into `remote`, the server's key trusted. */
  async function connected(
    remote: string,
    options: Omit<SftpTargetOptions, 'location' | 'auth' | 'knownHosts'>,
  ): Promise<SftpTarget> {
    const target = new SftpTarget({
      location: parseSftpUrl(urlOf(remote)),
      auth: { password: sshd.password },
      knownHosts: await trusted(join(root, `kh-${options.tempTag}`)),
      ...options,
    });
    await target.connect();
    return target;
  }

  test("a killed job's temporaries (any job of the site) are swept by the next preview; a stranger's only when stale", async () => {
    const { fx, remote, service } = await siteTarget('sweep', 3);
    // what a SIGKILL mid-publish leaves: a journal for the job, and its temporaries in the served folder
    await writeFile(fx.site.path('journal', '20260101-000000-dead01.jsonl'), '{"type":"job-started"}\n');
    const leftovers = ['.00085D100000.cfg.dead01.fieldkit-tmp', '.startup.cfg.dead01.fieldkit-tmp'];
    for (const f of leftovers) await writeFile(join(remote, f), 'sip line1 password: SipSecret-0\n', { mode: 0o644 });
    await writeFile(join(remote, '.startup.cfg.stranger.fieldkit-tmp'), 'another laptop, just now\n');
    await writeFile(join(remote, 'notes.txt'), 'not ours');
    const notices: string[] = [];
    service.notice = (m: string) => notices.push(m);
    await service.preview('osv');
    const left = (await readdir(remote)).sort();
    assert.deepEqual(
      left,
      ['.startup.cfg.stranger.fieldkit-tmp', 'notes.txt'],
      'ours are gone; a fresh stranger and other files stay',
    );
    assert.match(notices[0]!, /Removed 2 temporary file\(s\)/);
    // the stranger's, once older than ten minutes
    execFileSync('touch', ['-d', '20 minutes ago', join(remote, '.startup.cfg.stranger.fieldkit-tmp')]);
    await service.preview('osv');
    assert.deepEqual(await readdir(remote), ['notes.txt']);
  });

  test('temporaries are 0600 until complete; published files 0644', async () => {
    const remote = await remoteFolder('modes');
    const target = await connected(remote, { tempTag: 'mode01' });
    try {
      await target.write('startup.cfg', Buffer.from('a: 1\n'), { expectSha256: null, backup: false });
      assert.equal((await stat(join(remote, 'startup.cfg'))).mode & 0o777, 0o644);
    } finally {
      await target.close();
    }
    // an interrupted upload's temporary (the open() Fieldkit does, nothing else): 0600
    const again = await connected(remote, { tempTag: 'mode02' });
    try {
      const channel = (
        again as unknown as {
          sftp: { open(p: string, f: string, a: object, cb: (e: Error | null, h: Buffer) => void): void };
        }
      ).sftp;
      await new Promise<void>((resolve, reject) =>
        channel.open(`${remote}/.x.cfg.mode02.fieldkit-tmp`, 'w+', { mode: 0o600 }, (e) => (e ? reject(e) : resolve())),
      );
      assert.equal((await stat(join(remote, '.x.cfg.mode02.fieldkit-tmp'))).mode & 0o777, 0o600);
    } finally {
      await again.close();
    }
  });

  test('backups: beside the served folder, 0600, the newest N per file, no duplicate of the same old content', async () => {
    const remote = await remoteFolder('backups');
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const target = await connected(remote, { tempTag: 'bak001', backups: 3, now: () => new Date((clock += 1000)) });
    try {
      let current = Buffer.from('admin password: 1000000001\n');
      await target.write('00085D100000.cfg', current, { expectSha256: null, backup: true });
      for (let v = 2; v <= 6; v++) {
        const next = Buffer.from(`admin password: 100000000${v}\n`);
        const r = await target.write('00085D100000.cfg', next, { expectSha256: sha256Hex(current), backup: true });
        assert.ok(r.backupName, `version ${v} kept a backup`);
        current = next;
      }
      const backupDir = join(sshd.home, '.fieldkit-backup', basename(remote));
      const kept = (await readdir(backupDir)).sort();
      assert.equal(kept.length, 3, `the newest 3 of 5 (${kept.join(', ')})`);
      const texts = await Promise.all(kept.map((f) => readFile(join(backupDir, f), 'utf8')));
      assert.deepEqual(texts, [
        'admin password: 1000000003\n',
        'admin password: 1000000004\n',
        'admin password: 1000000005\n',
      ]);
      for (const f of kept) assert.equal((await stat(join(backupDir, f))).mode & 0o777, 0o600, f);
      assert.ok(!(await readdir(remote)).includes('.fieldkit-backup'), 'nothing in the served folder');
      // a resumed run backs up the same old content again: no second copy
      const same = Buffer.from('admin password: 1000000006\n');
      await writeFile(join(remote, '00085D100000.cfg'), 'admin password: 1000000005\n');
      await target.write('00085D100000.cfg', same, {
        expectSha256: sha256Hex('admin password: 1000000005\n'),
        backup: true,
      });
      assert.deepEqual((await readdir(backupDir)).sort(), kept, 'the newest backup already held those bytes');
    } finally {
      await target.close();
    }
  });

  test('a publish job through the service uses the target setting; no temporaries remain', async () => {
    const { fx, remote, service } = await siteTarget('job', 2, { backups: 1 });
    const jobs = new JobManager(() => fx.site.path('journal'), { onUpdate: () => undefined, onLog: () => undefined });
    jobs.register(publishJob(() => service));
    const run = async () =>
      jobs.wait(
        (await jobs.start('publish', { targetId: 'osv', previewToken: (await service.preview('osv')).token })).id,
      );
    assert.equal((await run()).state, 'succeeded');
    await regenerateWithChange(fx);
    assert.equal((await run()).state, 'succeeded');
    await regenerateWithChange(fx, { server: '127.0.0.1', port: 8080, path: 'prov2' });
    assert.equal((await run()).state, 'succeeded');
    assert.deepEqual(
      (await readdir(remote)).filter((n) => n.startsWith('.')),
      [],
    );
    const backups = await readdir(join(sshd.home, '.fieldkit-backup', 'job'));
    assert.ok(backups.length > 0 && backups.every((b) => /\.\d{8}T\d{6}-\d{3}Z$/.test(b)));
    const perFile = new Map<string, number>();
    for (const b of backups) perFile.set(b.replace(/\.[^.]+$/, ''), (perFile.get(b.replace(/\.[^.]+$/, '')) ?? 0) + 1);
    assert.ok(
      [...perFile.values()].every((n) => n === 1),
      'one backup per file (setting: 1)',
    );
  });
});
