// `fieldkit push` in-process against a real sshd: host key shown on first use, --trust-host-key,
// refusal without --yes when there is no terminal, --json results, credentials from the environment.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../electron/cli';
import { envNameFor } from '../../../electron/core/secrets/env-secret-store';
import { secretKeys } from '../../../electron/core/secrets/secret-store';
import { saveServerConfig } from '../../../electron/core/provisioning/targets-config';
import { startSshd, sshdUnavailableReason, type SshdHarness } from '../../helpers/sshd';
import { ADMIN_PASSWORD, siteWithConfigs, type PublishFixture } from '../../unit/provisioning/publish-fixture';

const unavailable = sshdUnavailableReason();

async function cli(args: string[]): Promise<{ code: number; out: string; err: string; json: Record<string, unknown> }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(out) as Record<string, unknown>;
  } catch {
    // human output
  }
  return { code, out, err, json };
}

describe('fieldkit push', { skip: unavailable ?? false }, () => {
  let sshd: SshdHarness;
  let root: string;
  let fx: PublishFixture;
  let remote: string;
  let url: string;
  let serverPort: number;
  before(async () => {
    sshd = await startSshd();
    root = await mkdtemp(join(tmpdir(), 'fieldkit-cli-push-'));
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    serverPort = port;
    fx = await siteWithConfigs(root, 5, { server: '127.0.0.1', port, path: 'prov' });
    remote = join(sshd.home, 'cli');
    await mkdir(remote);
    execFileSync('chown', [sshd.user, remote]);
    url = `sftp://${sshd.user}@127.0.0.1:${sshd.port}${remote}`;
    process.env.FIELDKIT_DATA_DIR = join(root, 'appdata');
    process.env.FIELDKIT_ADMIN_PASSWORD = ADMIN_PASSWORD;
    // the command line keeps no secret: the site's admin secret (each phone's password) comes from the environment
    process.env.FIELDKIT_ADMIN_SECRET = '4d'.repeat(32);
    for (const [i, mac] of fx.macs.entries())
      process.env[envNameFor(secretKeys.sipPassword(mac))] = fx.secretValues[i + 1];
    process.env[envNameFor(secretKeys.sftpPassword('sftp-127-0-0-1'))] = sshd.password;
  });
  after(async () => {
    await sshd?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  test('first use prints the host key; a wrong --trust-host-key is refused; no --yes without a terminal publishes nothing; --yes publishes', async () => {
    const first = await cli(['push', '--target', url, '--site', fx.site.root, '--json']);
    assert.equal(first.code, 1);
    const error = first.json.error as { code: string; fingerprint: string };
    assert.equal(error.code, 'host-key-unknown');
    assert.equal(error.fingerprint, await sshd.hostKeyFingerprint());

    const wrong = await cli([
      'push',
      '--target',
      url,
      '--trust-host-key',
      'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '--site',
      fx.site.root,
    ]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /offers host key SHA256:.*not SHA256:AAAA/);

    const unconfirmed = await cli([
      'push',
      '--target',
      url,
      '--trust-host-key',
      error.fingerprint,
      '--site',
      fx.site.root,
    ]);
    assert.equal(unconfirmed.code, 1);
    assert.match(unconfirmed.out, /new +startup\.cfg/);
    assert.match(unconfirmed.err, /--yes/);
    assert.deepEqual(await readdir(remote), [], 'nothing written without confirmation');

    const done = await cli(['push', '--target', url, '--yes', '--site', fx.site.root, '--json']);
    assert.equal(done.code, 0, done.out + done.err);
    assert.equal(done.json.published, true);
    assert.equal((done.json.counts as { new: number }).new, 9);
    assert.equal((await readdir(remote)).filter((n) => n.endsWith('.cfg')).length, 9);

    const again = await cli(['push', '--target', url, '--site', fx.site.root, '--json']);
    assert.equal(again.code, 0, 'nothing to confirm when everything is up to date');
    assert.equal((again.json.counts as { unchanged: number }).unchanged, 9);
  });

  test('--target builtin publishes to the built-in server; usage errors say what is missing', async () => {
    await saveServerConfig(fx.site, { address: '127.0.0.1', port: serverPort, pathPrefix: 'prov' });
    const res = await cli([
      'push',
      '--target',
      'builtin',
      '--yes',
      '--serve-seconds',
      '0',
      '--site',
      fx.site.root,
      '--json',
    ]);
    assert.equal(res.code, 0, res.out + res.err);
    assert.equal(res.json.published, true);
    const usage = await cli(['push', '--site', fx.site.root]);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /--target sftp:\/\//);
  });

  test('--skip-missing-credentials publishes the ready phones and lists the one left out (text and JSON)', async () => {
    const missingMac = fx.macs[4]!;
    const sipVar = envNameFor(secretKeys.sipPassword(missingMac));
    const saved = process.env[sipVar];
    delete process.env[sipVar];
    const folder = join(sshd.home, 'cli-skip');
    await mkdir(folder);
    execFileSync('chown', [sshd.user, folder]);
    const target = `sftp://${sshd.user}@127.0.0.1:${sshd.port}${folder}`;
    try {
      const refused = await cli(['push', '--target', target, '--yes', '--site', fx.site.root]);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /nothing can be published[\s\S]*--skip-missing-credentials/);
      assert.deepEqual(await readdir(folder), [], 'nothing written');

      const text = await cli(['push', '--target', target, '--skip-missing-credentials', '--site', fx.site.root]);
      assert.equal(text.code, 1, 'no --yes and no terminal: nothing published');
      assert.match(
        text.out,
        new RegExp(`skipped +${missingMac}\\.cfg +\\(No SIP password stored.*has no file of its own there\\)`),
      );

      const done = await cli([
        'push',
        '--target',
        target,
        '--skip-missing-credentials',
        '--yes',
        '--site',
        fx.site.root,
        '--json',
      ]);
      assert.equal(done.code, 0, done.out + done.err);
      const skipped = done.json.skipped as { name: string; mac: string; missing: string[]; onTarget: boolean }[];
      assert.deepEqual(
        skipped.map((x) => [x.name, x.mac, x.onTarget]),
        [[`${missingMac}.cfg`, missingMac, false]],
      );
      const written = await readdir(folder);
      assert.ok(written.includes('startup.cfg') && written.includes(`${fx.macs[0]}.cfg`));
      assert.ok(!written.includes(`${missingMac}.cfg`), 'nothing of the skipped phone');
      assert.equal((done.json.job as { counters: Record<string, number> }).counters.skipped, 1);
    } finally {
      process.env[sipVar] = saved;
    }
  });
});
