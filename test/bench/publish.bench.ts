// Publish bench (root, real sshd on loopback): 1,000 per-phone configs (plus the global and model files)
// published by Fieldkit's publish job (temp name, read-back, atomic rename, journaled steps) versus
// OpenSSH's own `sftp -b` batch putting the same files into a fresh folder of the same server, with key
// authentication; and the whole command a technician runs, `fieldkit push --yes` (the bundled CLI in a
// process of its own: start, preview, publish), into a fresh folder too. Three alternating rounds; medians
// and their ratios are printed. Targets (issue 15 §1): publish step <= 1.1 x sftp -b; whole push <= 2 x.
// It also prints the CLI's start time (a whole `fieldkit site show` against `node -e 0`).
// FIELDKIT_BENCH_CPU_PROFILE=DIR writes a CPU profile of each CLI run there (node --cpu-prof).
import { spawnSync, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdir, mkdtemp, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobManager } from '../../electron/core/jobs/job-manager';
import { materializeSite, publishJob } from '../../electron/core/provisioning/publish';
import { envNameFor } from '../../electron/core/secrets/env-secret-store';
import { secretKeys } from '../../electron/core/secrets/secret-store';
import { PublishingService } from '../../electron/core/provisioning/publishing-service';
import { startSshd, sshdUnavailableReason, type SshdHarness } from '../helpers/sshd';
import { siteWithConfigs } from '../unit/provisioning/publish-fixture';

const PHONES = 1000;
const ROUNDS = 3;
const TARGET_RATIO = 1.1;
const TARGET_PUSH_RATIO = 2;
const REPO = fileURLToPath(new URL('../../', import.meta.url));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function remoteDir(sshd: SshdHarness, name: string): Promise<string> {
  const dir = join(sshd.home, name);
  await mkdir(dir);
  execFileSync('chown', [sshd.user, dir]);
  return dir;
}

async function main(): Promise<number> {
  const why = sshdUnavailableReason();
  if (why) {
    console.log(`publish bench skipped: ${why}`);
    return 0;
  }
  const root = await mkdtemp(join(tmpdir(), 'fieldkit-publish-bench-'));
  let sshd: SshdHarness | undefined;
  try {
    sshd = await startSshd();
    const fx = await siteWithConfigs(root, PHONES);
    await fx.secrets.set(secretKeys.adminSecret(fx.site.meta.id), '5e'.repeat(32));
    const localDir = join(root, 'materialized');
    await mkdir(localDir);
    const { files } = await materializeSite(fx.site, fx.secrets);
    for (const f of files) await writeFile(join(localDir, f.file.name), f.bytes);
    const names = files.map((f) => f.file.name);
    console.log(
      `${names.length} files (${PHONES} per-phone configs + global and model files), sshd on 127.0.0.1:${sshd.port}`,
    );

    const appDataDir = join(root, 'appdata');
    const service = new PublishingService({ site: fx.site, secrets: fx.secrets, appDataDir });
    await service.saveTarget({
      id: 'bench',
      kind: 'sftp',
      url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${sshd.home}`,
      auth: 'key',
    });
    await service.setSftpCredential('bench', { privateKey: sshd.clientKey });
    await service.trustHostKey('bench', await sshd.hostKeyFingerprint());
    // the CLI takes every credential from its environment, as in an automation engine
    const cliEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, FIELDKIT_DATA_DIR: appDataDir };
    for (const key of await fx.secrets.list()) cliEnv[envNameFor(key)] = await fx.secrets.get(key);
    cliEnv.FIELDKIT_ADMIN_SECRET = await fx.secrets.get(secretKeys.adminSecret(fx.site.meta.id));
    // the bundle as `npx fieldkit` runs it, built from these sources
    execFileSync(process.execPath, ['--import', 'tsx', join(REPO, 'build/bundle-cli.ts')], {
      cwd: REPO,
      stdio: 'ignore',
    });
    const cpuProfileDir = process.env.FIELDKIT_BENCH_CPU_PROFILE;

    const jobs = new JobManager(() => fx.site.path('journal'), { onUpdate: () => undefined, onLog: () => undefined });
    jobs.register(publishJob(() => service));

    const sftpTimes: number[] = [];
    const fieldkitTimes: number[] = [];
    const previewTimes: number[] = [];
    const pushTimes: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const batchDir = await remoteDir(sshd, `sftp-b-${round}`);
      const batch = join(root, `batch-${round}`);
      await writeFile(batch, [`cd ${batchDir}`, ...names.map((n) => `put ${join(localDir, n)}`)].join('\n') + '\n');
      let t0 = performance.now();
      const r = spawnSync(
        'sftp',
        [
          '-q',
          '-b',
          batch,
          '-i',
          sshd.clientKeyPath,
          '-P',
          String(sshd.port),
          '-o',
          'StrictHostKeyChecking=no',
          '-o',
          'UserKnownHostsFile=/dev/null',
          '-o',
          'BatchMode=yes',
          '-o',
          'LogLevel=ERROR',
          `${sshd.user}@127.0.0.1`,
        ],
        { encoding: 'utf8' },
      );
      const sftpMs = performance.now() - t0;
      if (r.status !== 0) throw new Error(`sftp -b failed (${r.status}): ${r.stderr}`);
      if ((await readdir(batchDir)).length !== names.length) throw new Error('sftp -b did not upload every file');

      const fkDir = await remoteDir(sshd, `fieldkit-${round}`);
      await service.saveTarget({
        id: 'bench',
        kind: 'sftp',
        url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${fkDir}`,
        auth: 'key',
      });
      t0 = performance.now();
      const preview = await service.preview('bench');
      const previewMs = performance.now() - t0;
      // the publish step is timed with a session of its own, like sftp -b (the preview's kept one is closed);
      // the whole push below reuses the preview's session, as it does for the technician
      await service.dispose();
      if (preview.counts.new !== names.length)
        throw new Error(`preview expected ${names.length} new files, got ${JSON.stringify(preview.counts)}`);
      t0 = performance.now();
      const job = await jobs.start('publish', { targetId: 'bench', previewToken: preview.token });
      const info = await jobs.wait(job.id);
      const fieldkitMs = performance.now() - t0;
      if (info.state !== 'succeeded') throw new Error(`publish failed: ${info.error}`);
      if ((await readdir(fkDir)).filter((n) => !n.startsWith('.')).length !== names.length)
        throw new Error('Fieldkit did not publish every file');

      const pushDir = await remoteDir(sshd, `push-${round}`);
      const pushId = `bench-push-${round}`;
      t0 = performance.now();
      const push = spawnSync(
        process.execPath,
        [
          ...(cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : []),
          join(REPO, 'bin/fieldkit.js'),
          'push',
          '--target',
          `sftp://${sshd.user}@127.0.0.1:${sshd.port}${pushDir}`,
          '--target-id',
          pushId,
          '--yes',
          '--site',
          fx.site.root,
          '--json',
        ],
        {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
          env: { ...cliEnv, [envNameFor(secretKeys.sftpPrivateKey(pushId))]: sshd.clientKey },
        },
      );
      const pushMs = performance.now() - t0;
      if (push.status !== 0)
        throw new Error(`fieldkit push failed (${push.status}): ${push.stderr}${push.stdout.slice(0, 2000)}`);
      if (/starting from the TypeScript sources/.test(push.stderr))
        throw new Error('fieldkit push did not run the bundle');
      if ((await readdir(pushDir)).filter((n) => !n.startsWith('.')).length !== names.length)
        throw new Error('fieldkit push did not publish every file');

      sftpTimes.push(sftpMs);
      fieldkitTimes.push(fieldkitMs);
      previewTimes.push(previewMs);
      pushTimes.push(pushMs);
      console.log(
        `round ${round}: sftp -b ${sftpMs.toFixed(0)} ms, Fieldkit publish ${fieldkitMs.toFixed(0)} ms (preview before it ${previewMs.toFixed(0)} ms), fieldkit push --yes ${pushMs.toFixed(0)} ms`,
      );
    }
    // CLI start (the site500 bench runs dozens of CLI processes): wall time of a whole command, median of 10
    const startMs = (args: string[]) =>
      median(
        Array.from({ length: 10 }, () => {
          const s = performance.now();
          const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: cliEnv });
          if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${run.stderr}`);
          return performance.now() - s;
        }),
      );
    const nodeMs = startMs(['-e', '0']);
    const versionMs = startMs([join(REPO, 'bin/fieldkit.js'), '--version']);
    const showMs = startMs([join(REPO, 'bin/fieldkit.js'), 'site', 'show', '--site', fx.site.root, '--json']);
    console.log(
      `CLI start, median of 10: node -e 0 ${nodeMs.toFixed(0)} ms; fieldkit --version ${versionMs.toFixed(0)} ms; fieldkit site show ${showMs.toFixed(0)} ms (${(showMs - nodeMs).toFixed(0)} ms beyond node itself)`,
    );
    const ratio = median(fieldkitTimes) / median(sftpTimes);
    const pushRatio = median(pushTimes) / median(sftpTimes);
    console.log(
      `median: OpenSSH sftp -b ${median(sftpTimes).toFixed(0)} ms; Fieldkit publish (temp + read-back + atomic rename + journal) ${median(fieldkitTimes).toFixed(0)} ms; preview ${median(previewTimes).toFixed(0)} ms`,
    );
    const withPreview = fieldkitTimes.map((t, i) => t + previewTimes[i]!);
    console.log(
      `preview + publish / sftp -b = ${(median(withPreview) / median(sftpTimes)).toFixed(2)} (for information)`,
    );
    console.log(
      `ratio Fieldkit publish / sftp -b = ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'PASS' : 'FAIL'}`,
    );
    console.log(
      `ratio fieldkit push --yes (${median(pushTimes).toFixed(0)} ms) / sftp -b = ${pushRatio.toFixed(2)} (target <= ${TARGET_PUSH_RATIO}) ${pushRatio <= TARGET_PUSH_RATIO ? 'PASS' : 'FAIL'}`,
    );
    return ratio <= TARGET_RATIO && pushRatio <= TARGET_PUSH_RATIO ? 0 : 1;
  } finally {
    await sshd?.cleanup();
    await rm(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
