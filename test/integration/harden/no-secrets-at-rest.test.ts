// The whole loop with distinctive known secrets, then a search of everything Fieldkit wrote or said:
// discover -> generate -> preview -> publish (built-in server and a real sshd) -> reboot -> verify ->
// firmware wave (+ CSV) -> checklist report (HTML + PDF) -> inventory CSV -> diagnostics export -> CLI.
// Every file of the site folder and the app data folder (journals, reports, exports), every event and
// every console line is searched for each secret, plain and in the encodings the Redactor covers plus
// base64 (bare and as an HTTP Basic credential), and for digests (SHA-256, SHA-1, MD5; hex and base64) of
// every secret and of every secret-bearing file as published: zero hits. The secrets did reach the SFTP
// server's files and the phones' applied settings, so the search cannot pass vacuously.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile, chown } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { encodings } from '../../../electron/core/security/redactor';
import { runCli } from '../../../electron/cli';
import { buildFirmwareImage } from '../../sim/firmware-image';
import { startLab } from '../../sim/lab';
import { tempDir } from '../../helpers/temp-dir';
import { startSshd, sshdUnavailableReason } from '../../helpers/sshd';
import { callsOf } from '../../helpers/app-calls';
import { testCa } from '../../helpers/test-ca';
import { deriveAdminPassword } from '../../../electron/core/secrets/admin-passwords';
import { freePort } from './harden-kit';

/** What the lab phones have before Fieldkit provisions them (an earlier installer's, site-wide). */
const ADMIN = '3675309142';
const KEY = 'SecretsTestKey0000000001';
const sipPassword = (mac12: string) => `Zq7&Sip-${mac12.slice(-4)}`;
const noSshd = sshdUnavailableReason();

/** Every form in which a secret could be found written down. */
function needles(secret: string, user?: string): string[] {
  const forms = new Set(encodings(secret));
  forms.add(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
  if (user) forms.add(Buffer.from(`${user}:${secret}`).toString('base64').replace(/=+$/, ''));
  for (const d of digests(secret)) forms.add(d);
  return [...forms];
}

/** A hash of secret-bearing bytes is as good as the bytes for a short numeric password (issue 13 §1). */
function digests(bytes: string | Uint8Array): string[] {
  return ['sha256', 'sha1', 'md5'].flatMap((alg) => {
    const d = createHash(alg).update(bytes).digest();
    return [d.toString('hex'), d.toString('base64').replace(/=+$/, '')];
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** A PDF's content streams are deflated: search them inflated as well. */
function pdfStreams(bytes: Buffer): string {
  const parts: string[] = [];
  let at = 0;
  for (;;) {
    const s = bytes.indexOf('stream', at);
    if (s < 0) break;
    const start = bytes[s + 6] === 0x0d ? s + 8 : s + 7;
    const end = bytes.indexOf('endstream', start);
    if (end < 0) break;
    try {
      parts.push(inflateSync(bytes.subarray(start, end)).toString('latin1'));
    } catch {
      // not deflated
    }
    at = end + 9;
  }
  return parts.join('\n');
}

test(
  'no secret at rest or in any output after the whole loop; the secrets did reach the phones and the servers',
  { timeout: 240_000, skip: noSshd ?? false },
  async (t) => {
    const dir = await tempDir(t, 'fk-secrets-');
    const console_: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error'] as const) {
      const original = console[level];
      console[level] = (...args: unknown[]) => {
        console_.push(args.map(String).join(' '));
        original(...args);
      };
      t.after(() => {
        console[level] = original;
      });
    }

    const sshd = await startSshd();
    t.after(() => sshd.cleanup());
    const port = await freePort();
    const lab = await startLab(
      {
        name: 'harden-secrets',
        loopbackBase: '127.97.0.0',
        bootMs: 400,
        flashMs: 200,
        groups: [
          {
            kind: 'mitel-6800',
            count: 3,
            model: '6867i',
            versions: ['6.5.0.224'],
            macStart: '00:08:5D:97:00:01',
            adminPassword: ADMIN,
          },
          {
            kind: 'mitel-6800',
            count: 3,
            model: '6865i',
            versions: ['6.5.0.224'],
            macStart: '00:08:5D:97:01:01',
            adminPassword: ADMIN,
          },
        ],
      },
      // the phones' network-given configuration server (DHCP option 66) names the built-in server's key
      { mode: 'loopback', provisioningUrl: `http://127.0.0.1:${port}/prov/${KEY}/` },
    );
    t.after(() => lab.stop());
    const macs = lab.phones.map((p) => p.mac.replace(/:/g, ''));

    const secrets = new MemorySecretStore({ 'phone-admin-password': ADMIN });
    const appData = join(dir, 'data');
    const siteDir = join(dir, 'site');
    const exportsDir = join(dir, 'exports');
    await mkdir(exportsDir);
    const app = new FieldkitApp(nodePlatform({ appDataDir: appData, defaultSitesRoot: dir, secrets }));
    // bounded: a job that ignores its cancel must not keep the process (and the lab's ports) alive after a failure
    t.after(() =>
      Promise.race([app.shutdown().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]),
    );
    const events: unknown[] = [];
    app.events.subscribe((name, payload) => events.push({ name, payload }));
    const { ok, runJob } = callsOf(app);

    // discover -> sheet -> settings -> credentials -> generate
    await ok('site.create', { dir: siteDir, name: 'Secrets site' });
    await runJob('discovery', {
      ranges: [`${lab.phones[0]!.address}-${lab.phones.at(-1)!.address}`],
      methods: { mdns: false, neighbour: false, passive: false },
    });
    assert.equal(
      (await ok('inventory.list', {})).rows.filter((r) => r.presence === 'present' && r.mac).length,
      macs.length,
    );
    const sheet = ['MAC;DN;Name;Location', ...macs.map((m, i) => `${m};${2108189800 + i};User ${i + 1};Floor 1`)].join(
      '\n',
    );
    assert.equal((await ok('inventory.importCsv', { text: sheet })).errors.length, 0);
    await ok('config.settings.save', {
      settings: {
        siteName: 'Secrets site',
        osv: {
          proxy: { host: '10.20.30.40' },
          transport: 'tls',
          trustedCaFile: 'osv-ca.pem',
          centralizedConference: 'server',
          srtp: 'preferred',
        },
        ntp: { server1: '10.20.30.1' },
        provisioning: { protocol: 'HTTP', server: '127.0.0.1', port, path: 'prov' },
        fieldkitHost: '127.0.0.1',
      },
    });
    for (const mac of macs) await ok('credentials.set', { key: `sip-password:${mac}`, value: sipPassword(mac) });
    await ok('ca.import', { pem: (await testCa()).certPem });
    await ok('provisioning.server.start', { config: { address: '127.0.0.1', port, pathPrefix: 'prov', pathKey: KEY } });
    const generated = await ok('config.generate', {});
    assert.equal(generated.readyToPublish, true, JSON.stringify(generated.missingCredentials));

    // publish to a real sshd (secrets must arrive there) ...
    const folder = join(sshd.home, 'prov');
    await mkdir(folder, { recursive: true });
    const home = await stat(sshd.home);
    await chown(folder, home.uid, home.gid);
    await ok('provisioning.saveTarget', {
      target: {
        id: 'site-sftp',
        kind: 'sftp',
        url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${folder}`,
        auth: 'password',
      },
    });
    await ok('provisioning.setTargetCredential', { targetId: 'site-sftp', password: sshd.password });
    const key = await ok('provisioning.hostKey', { targetId: 'site-sftp' });
    await ok('provisioning.trustHostKey', { targetId: 'site-sftp', fingerprint: key.fingerprint });
    const sftpPreview = await ok('provisioning.preview', { targetId: 'site-sftp' });
    await runJob('publish', { targetId: 'site-sftp', previewToken: sftpPreview.token });
    const onServer = await readFile(join(folder, `${macs[0]}.cfg`), 'utf8');
    assert.ok(
      onServer.includes(`sip line1 password: ${sipPassword(macs[0]!)}`),
      'the SIP password reached the SFTP server',
    );
    const siteId = (await ok('site.current', {}))!.id;
    const siteSecret = (await secrets.get(`admin-secret:${siteId}`))!;
    assert.match(siteSecret, /^[0-9a-f]{64}$/, 'generation made the site secret, in the credential store');
    const adminOf = (mac: string) => deriveAdminPassword(siteSecret, mac);
    assert.ok(
      onServer.includes(`!^admin password: ${adminOf(macs[0]!)}`),
      "each phone's own admin password reached the SFTP server",
    );
    assert.ok(
      !(await readFile(join(folder, 'startup.cfg'), 'utf8')).includes('admin password'),
      'and none is in startup.cfg',
    );

    // ... and to the built-in server, from which the phones boot
    const preview = await ok('provisioning.preview', { targetId: 'builtin' });
    await runJob('publish', { targetId: 'builtin', previewToken: preview.token });
    const plan = await ok('phones.rebootPlan', { all: true });
    await runJob('reboot', { all: true, planToken: plan.token, confirmDownMs: 5000, requestTimeoutMs: 1000 });
    await runJob('verify', { bootTimeoutMs: 8000, pollMs: 250 });
    assert.deepEqual((await ok('phones.lastVerify', {}))!.summary, { verified: macs.length, failed: 0 });
    for (const [i, info] of lab.phones.entries()) {
      assert.equal(
        lab.phone(info.mac).setting('sip line1 password'),
        sipPassword(macs[i]!),
        'the phone applied its SIP password',
      );
      assert.equal(
        lab.phone(info.mac).setting('admin password'),
        adminOf(macs[i]!),
        'the phone applied its own admin password',
      );
    }

    // firmware wave through the firmware API, then its before/after CSV export
    const image = join(dir, '6867i-6.5.0.230.st');
    await writeFile(image, buildFirmwareImage({ model: '6867i', version: '6.5.0.230', sizeBytes: 4096 }));
    await ok('firmware.import', { path: image });
    const fwPlan = await ok('firmware.plan', {
      targets: [{ model: '6867i', version: '6.5.0.230' }],
      options: { requestTimeoutMs: 1500, rebootStartTimeoutMs: 5000, flashTimeoutMs: 10_000, pollMs: 100 },
    });
    assert.ok(fwPlan.confirmToken, JSON.stringify(fwPlan.guardRails));
    const fwJob = await ok('firmware.run', { planId: fwPlan.id, confirm: fwPlan.confirmToken });
    const fwDone = await app.jobManager().wait(fwJob.id);
    assert.equal(fwDone.state, 'succeeded', fwDone.error);
    for (const info of lab.phones.filter((p) => p.model === '6867i'))
      assert.equal(lab.phone(info.mac).firmware, '6.5.0.230');
    await writeFile(join(exportsDir, 'firmware.csv'), (await ok('firmware.exportCsv', { jobId: fwJob.id })).csv);

    // checklist report (HTML + PDF), inventory CSV, diagnostics, the CLI
    await ok('checklist.start', { technician: 'Tess Tech', contactPerson: 'Carl Customer' });
    const report = await ok('checklist.report', { pdf: true });
    assert.equal(report.pdfError, null, 'the PDF was made');
    await writeFile(join(exportsDir, 'inventory.csv'), (await ok('inventory.exportCsv', {})).csv);
    await writeFile(
      join(exportsDir, 'diagnostics.txt'),
      (await ok('diagnostics.export', { jobs: 50, tailLines: 200 })).text,
    );
    const cliOut: string[] = [];
    process.env.FIELDKIT_ADMIN_PASSWORD = ADMIN;
    t.after(() => {
      delete process.env.FIELDKIT_ADMIN_PASSWORD;
    });
    const cliIo = { out: (s: string) => cliOut.push(s), err: (s: string) => cliOut.push(s) };
    for (const args of [
      ['inventory', 'list', '--json'],
      ['jobs', 'list', '--json'],
      ['verify', '--json', '--nonsense'],
    ])
      await runCli([...args, '--site', siteDir], cliIo);
    await runCli(['inventory', 'list', '--site', join(dir, ADMIN)], cliIo); // an error whose message names the secret
    await writeFile(join(exportsDir, 'cli-output.txt'), cliOut.join('\n'));
    await writeFile(join(exportsDir, 'events.json'), JSON.stringify(events));
    await writeFile(join(exportsDir, 'console.txt'), console_.join('\n'));

    // the search
    const secretList: { name: string; value: string; user?: string }[] = [
      { name: 'previous admin password', value: ADMIN, user: 'admin' },
      { name: 'site admin secret', value: siteSecret },
      ...macs.map((m) => ({ name: `admin password ${m}`, value: adminOf(m), user: 'admin' })),
      { name: 'SFTP password', value: sshd.password, user: sshd.user },
      ...macs.map((m) => ({ name: `SIP password ${m}`, value: sipPassword(m) })),
    ];
    // every file as the phones get it (the SFTP server holds the same bytes the built-in server serves)
    const published = await Promise.all(
      (await readdir(folder, { withFileTypes: true }))
        .filter((e) => e.isFile())
        .map(async (e) => ({ name: e.name, bytes: await readFile(join(folder, e.name)) })),
    );
    // a file that carries a secret (the phones' own files) is as good as the secret when its digest is known; the
    // global files carry none, so their plain digests (e.g. in the generated set's manifest) give nothing away
    const secretBearing = published.filter((f) => secretList.some((s) => f.bytes.includes(s.value)));
    const fileDigests = secretBearing.flatMap((f) => digests(f.bytes).map((d) => ({ name: `digest of ${f.name}`, d })));
    const files = [...(await filesUnder(siteDir)), ...(await filesUnder(appData)), ...(await filesUnder(exportsDir))];
    let bytes = 0;
    const hits: string[] = [];
    for (const file of files) {
      const raw = await readFile(file);
      bytes += raw.length;
      const text = raw.toString('utf8') + (file.endsWith('.pdf') ? pdfStreams(raw) : '');
      for (const s of secretList)
        for (const n of needles(s.value, s.user))
          if (text.includes(n)) hits.push(`${file}: ${s.name} as ${JSON.stringify(n)}`);
      for (const f of fileDigests) if (text.includes(f.d)) hits.push(`${file}: ${f.name}`);
    }
    const journals = files.filter((f) => f.endsWith('.jsonl'));
    t.diagnostic(
      `secrets scan: ${files.length} files (${bytes} bytes; ${journals.length} journals, ${files.filter((f) => f.endsWith('.pdf')).length} PDF, ${files.filter((f) => f.endsWith('.html')).length} HTML), ${secretList.length} secrets x their encodings and digests, digests of ${secretBearing.length} of ${published.length} published files (those with a secret), ${hits.length} hits`,
    );
    assert.deepEqual(hits, []);
    // The same search finds them where they belong (the scanner itself works).
    const serverText = (await Promise.all((await filesUnder(folder)).map((f) => readFile(f, 'utf8')))).join('\n');
    for (const s of secretList.filter((x) => /^(admin|SIP) password/.test(x.name)))
      assert.ok(
        needles(s.value).some((n) => serverText.includes(n)),
        `${s.name} found on the SFTP server`,
      );
    assert.ok(
      macs.every((m) => secretBearing.some((f) => f.name === `${m}.cfg`)),
      "the digest search had every phone's own file to look for",
    );
    assert.equal(fileDigests.length, 6 * secretBearing.length);
    assert.ok(journals.length >= 7, `journals of every job were searched (${journals.length})`);
    assert.ok(files.some((f) => f.endsWith('.pdf')) && files.some((f) => f.endsWith('.html')));
    assert.ok(
      cliOut.join('\n').includes('[redacted: phone-admin-password]'),
      'the CLI error naming a path with the secret was redacted, not silent',
    );
  },
);
