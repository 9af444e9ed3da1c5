// The security review's attacks (issue 13 §1, §2), played as tests against a site published through the app:
//   crack:  with a copy of the site folder, the app data and a diagnostics export, find a digest of a
//           secret-bearing file and brute-force its numeric passwords (the review: a 6-digit admin password in
//           0.4 s, a 4-digit SIP password in under 10 ms). Must find nothing usable.
//   enum:   guess MAC file names against the built-in server like enum.py (4,096 guesses on one keep-alive
//           connection; the review harvested 300 of 300 SIP passwords in 0.98 s). Must get nothing but 404s,
//           be throttled within the burst and reported, while a real phone at its inventory address is served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore, secretKeys } from '../../../electron/core/secrets/secret-store';
import { deriveAdminPassword } from '../../../electron/core/secrets/admin-passwords';
import { callsOf } from '../../helpers/app-calls';
import { tempDir } from '../../helpers/temp-dir';
import { testCa } from '../../helpers/test-ca';
import { phoneRecord } from '../../unit/inventory/records';
import { SimPhone } from '../../sim/phone';
import { freePort } from './harden-kit';

const PHONES = 300;
const mac = (i: number) => `00085D${(0x200000 + i).toString(16).toUpperCase()}`;
const colon = (m: string) => m.match(/../g)!.join(':');
const SITE_SECRET = '5e'.repeat(32);
/** The review's weak passwords, given explicitly to phone 0 (a 6-digit admin and a 4-digit SIP password). */
const WEAK_ADMIN = '480317';
const WEAK_SIP = '7265';
const sipPassword = (i: number) => (i === 0 ? WEAK_SIP : `SipPw-${String(i).padStart(4, '0')}-Xq9z`);

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []))
    if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out;
}

/** A site of 300 phones published to the built-in server, the way the technician does it. */
async function publishedSite(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t, 'fk-attack-');
  const port = await freePort();
  const secrets = new MemorySecretStore();
  const app = new FieldkitApp(nodePlatform({ appDataDir: join(dir, 'data'), defaultSitesRoot: dir, secrets }));
  t.after(() => app.shutdown());
  const { ok, runJob } = callsOf(app);
  const site = await ok('site.create', { dir: join(dir, 'site'), name: 'Attack site' });
  await secrets.set(secretKeys.adminSecret(site.id), SITE_SECRET);
  await secrets.set(secretKeys.phoneAdminPassword(mac(0)), WEAK_ADMIN);
  for (let i = 0; i < PHONES; i++) await secrets.set(secretKeys.sipPassword(mac(i)), sipPassword(i));
  const sheet = ['MAC;DN;Name', ...Array.from({ length: PHONES }, (_, i) => `${mac(i)};${2108189000 + i};Phone ${i}`)];
  assert.equal((await ok('inventory.importCsv', { text: sheet.join('\n') })).errors.length, 0);
  // the inventory holds each phone at its own loopback address (as a scan leaves it)
  const at = new Date().toISOString();
  await writeFile(
    join(dir, 'site', 'inventory', 'devices.json'),
    JSON.stringify({
      format: 'fieldkit-inventory',
      formatVersion: 1,
      updatedAt: at,
      devices: Array.from({ length: PHONES }, (_, i) => ({
        record: phoneRecord({
          ip: `127.88.${i >> 8}.${(i & 255) + 1}`,
          mac: colon(mac(i)),
          model: '6867i',
          firmware: '6.5.0.224',
          at,
        }),
        state: 'present',
        changes: [],
        changedAt: null,
        goneSince: null,
        previousIps: [],
      })),
    }),
  );
  await ok('ca.import', { pem: (await testCa()).certPem });
  await ok('config.settings.save', {
    settings: {
      osv: { proxy: { host: '10.20.30.40' } },
      ntp: { server1: '10.20.30.1' },
      provisioning: { protocol: 'HTTP', server: '127.0.0.1', port, path: 'prov' },
    },
  });
  const server = await ok('provisioning.server.start', { config: { address: '127.0.0.1', port, pathPrefix: 'prov' } });
  const generated = await ok('config.generate', {});
  assert.equal(
    generated.readyToPublish,
    true,
    JSON.stringify(generated.findings.filter((f) => f.severity === 'error')),
  );
  const preview = await ok('provisioning.preview', { targetId: 'builtin' });
  await runJob('publish', { targetId: 'builtin', previewToken: preview.token });
  await writeFile(join(dir, 'diagnostics.txt'), (await ok('diagnostics.export', { jobs: 20, tailLines: 200 })).text);
  return { dir, port, app, ok, secrets, server, siteDir: join(dir, 'site') };
}

test(
  'crack: no plain digest of a secret-bearing file or of a secret anywhere; brute force over what is there finds nothing',
  { timeout: 180_000 },
  async (t) => {
    const { dir, app, siteDir } = await publishedSite(t);
    // what the attacker would crack: every file as the phones get it, and each password
    const served = await app.publishing().server();
    const names = await served.list();
    const materialized = await Promise.all(names.map(async (n) => ({ name: n, bytes: (await served.read(n))! })));
    assert.ok(
      new TextDecoder()
        .decode(materialized.find((m) => m.name === `${mac(0)}.cfg`)!.bytes)
        .includes(`admin password: ${WEAK_ADMIN}`),
    );
    const digestsOf = (b: Uint8Array | string) =>
      ['sha256', 'sha1', 'md5'].flatMap((alg) => {
        const d = createHash(alg).update(b).digest();
        return [d.toString('hex'), d.toString('hex').toUpperCase(), d.toString('base64'), d.toString('base64url')];
      });
    const needles = new Map<string, string>();
    // the files that carry a password (the phones' own); a digest of startup.cfg or the CA file reveals nothing
    const secretBearing = materialized.filter((m) => /password:\s*\S/.test(new TextDecoder().decode(m.bytes)));
    assert.deepEqual(
      secretBearing.map((m) => m.name).filter((n) => !/^[0-9A-F]{12}\.cfg$/.test(n)),
      [],
      'no global file carries a password',
    );
    for (const m of secretBearing) for (const d of digestsOf(m.bytes)) needles.set(d, `digest of ${m.name}`);
    for (const s of [WEAK_ADMIN, WEAK_SIP, SITE_SECRET, deriveAdminPassword(SITE_SECRET, mac(1)), sipPassword(5)])
      for (const d of digestsOf(s)) needles.set(d, `digest of a secret`);
    const haystack = [
      ...(await filesUnder(siteDir)),
      ...(await filesUnder(join(dir, 'data'))),
      join(dir, 'diagnostics.txt'),
    ];
    const hits: string[] = [];
    const hex64 = new Set<string>();
    for (const file of haystack) {
      const text = await readFile(file, 'utf8');
      for (const [needle, what] of needles) if (text.includes(needle)) hits.push(`${file}: ${what}`);
      for (const m of text.matchAll(/\b[0-9a-f]{64}\b/gi)) hex64.add(m[0].toLowerCase());
    }
    t.diagnostic(
      `searched ${haystack.length} files for ${needles.size} digests: ${hits.length} hits; ${hex64.size} other 64-hex strings`,
    );
    assert.deepEqual(hits, []);

    // crack.py, generalised: every 64-hex string against every generated template, 1-6 digit guesses for
    // its first placeholder (the review's 6-digit admin password fell this way in 0.37 s)
    const templates = await Promise.all(
      (await readdir(join(siteDir, 'configs', 'generated')))
        .filter((n) => n.endsWith('.cfg'))
        .map(async (n) => await readFile(join(siteDir, 'configs', 'generated', n), 'utf8')),
    );
    const started = performance.now();
    let guesses = 0;
    const cracked: string[] = [];
    for (const template of templates.filter((tp) => tp.includes('********')).slice(0, 3)) {
      const [pre, ...rest] = template.split('********');
      const post = rest.join('********');
      const h0 = createHash('sha256').update(pre!);
      for (let digits = 1; digits <= 6; digits++)
        for (let i = 0; i < 10 ** digits; i++) {
          guesses++;
          const d = h0.copy().update(String(i).padStart(digits, '0')).update(post).digest('hex');
          if (hex64.has(d)) cracked.push(String(i).padStart(digits, '0'));
        }
    }
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(
      `brute force: ${guesses} guesses against ${hex64.size} candidate digests in ${seconds.toFixed(1)} s: ${cracked.length} found`,
    );
    assert.deepEqual(cracked, []);

    // The scan has teeth: a journal line as an older Fieldkit wrote it (plain SHA-256 of the served file)
    // is found by the same search, and opening the site again removes it.
    const old = materialized.find((m) => m.name === `${mac(0)}.cfg`)!;
    const oldJournal = join(siteDir, 'journal', '20240101-000000-0ldv3r.jsonl');
    const plain = createHash('sha256').update(old.bytes).digest('hex');
    await writeFile(
      oldJournal,
      `${JSON.stringify({ type: 'step-done', key: 'publish:0', result: [{ name: old.name, sha256: plain }] })}\n`,
    );
    assert.ok((await readFile(oldJournal, 'utf8')).includes(plain), 'found where an older version left it');
    await app.openSite(siteDir);
    assert.ok(!(await readFile(oldJournal, 'utf8')).includes(plain), 'purged when the site was opened');
  },
);

function get(agent: Agent, port: number, path: string, userAgent: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { 'User-Agent': userAgent } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

test(
  'enum: MAC guessing gets nothing but 404s, is throttled within the burst and reported; the real phone is served',
  { timeout: 180_000 },
  async (t) => {
    const { port, app, ok, server } = await publishedSite(t);
    const events: { name: string; payload: unknown }[] = [];
    app.events.subscribe((name, payload) => events.push({ name, payload }));
    const phonePath = server.phonePath;
    assert.match(phonePath, /^prov\/[A-Za-z0-9]{22}$/, 'the served path carries the random key');
    assert.equal(server.config.address, '127.0.0.1');

    // enum.py: 4,096 sequential guesses around the site's MACs, one keep-alive connection, UA "scanner"
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    t.after(() => agent.destroy());
    const run = async (path: (m: string) => string, ua: (m: string) => string) => {
      const statuses = new Map<number, number>();
      const harvested = new Set<string>();
      let firstThrottled = -1;
      const started = performance.now();
      for (let i = 0; i < 4096; i++) {
        const m = `00085D${(0x1ffc00 + i).toString(16).toUpperCase()}`;
        const r = await get(agent, port, path(m), ua(m));
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 429 && firstThrottled < 0) firstThrottled = i;
        const pw = /password: (\S+)/.exec(r.body);
        if (r.status === 200 && pw) harvested.add(pw[1]!);
      }
      const seconds = (performance.now() - started) / 1000;
      return {
        statuses: Object.fromEntries(statuses),
        harvested: harvested.size,
        firstThrottled,
        seconds,
        rate: Math.round(4096 / seconds),
      };
    };
    const asInReview = await run(
      (m) => `/prov/${m}.cfg`,
      () => 'scanner',
    );
    t.diagnostic(`enum.py as in the review: ${JSON.stringify(asInReview)}`);
    assert.equal(asInReview.harvested, 0);
    assert.deepEqual(Object.keys(asInReview.statuses).sort(), ['404', '429']);
    assert.equal(asInReview.firstThrottled, 21, 'throttled from the 22nd guess (20 misses allowed per 10 s)');

    const status = await ok('provisioning.server.status', {});
    assert.ok(
      status.throttledClients.some((c) => c.ip === '127.0.0.1'),
      'the status names the throttled client',
    );
    const warning = status.warnings.find((w) => w.kind === 'throttled');
    assert.match(warning!.message, /127\.0\.0\.1 asked for 21 files .* guessing phone file names/);
    assert.ok(
      events.some((e) => e.name === 'provisioning.server'),
      'the UI was told at once (event)',
    );

    // a real phone at its inventory address, with its own User-Agent, still gets its file (and only it)
    const phone = new SimPhone({
      model: '6867i',
      mac: colon(mac(7)),
      firmware: '6.5.0.224',
      address: '127.88.0.8',
      sipPort: null,
      httpPort: null,
      httpsPort: null,
      provisioningUrl: `http://127.0.0.1:${port}/${phonePath}/`,
      bootMs: 5,
    });
    t.after(() => phone.stop());
    await phone.start();
    assert.equal(phone.setting('sip line1 password'), sipPassword(7), 'the phone took its own file');
    assert.equal(
      phone.setting('admin password'),
      deriveAdminPassword(SITE_SECRET, mac(7)),
      'and its own admin password',
    );
    assert.equal(phone.setting('admin password') === deriveAdminPassword(SITE_SECRET, mac(8)), false);
    // The worst case: the attacker knows the key (a stolen site folder) and forges the phone's User-Agent, from
    // another address: refused (not the address the inventory holds for that MAC).
    const forged = await new Promise<number>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          localAddress: '127.66.0.9',
          path: `/${phonePath}/${mac(7)}.cfg`,
          headers: { 'User-Agent': `Mitel6867i MAC:${colon(mac(7)).replace(/:/g, '-')} V:6.5.0.224-SIP` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.end();
    });
    assert.equal(forged, 404, 'knowing the key and forging the User-Agent is not enough');
    const after = await ok('provisioning.server.status', {});
    assert.ok(after.warnings.some((w) => w.kind === 'mac-file-refused' && w.ip === '127.66.0.9'));
    assert.match(after.summary, /^running, serving \d+ files$/);
    const log = await ok('provisioning.fetchLog', { limit: 10_000, servedOnly: true });
    assert.ok(
      log.some((e) => e.ip === '127.88.0.8' && e.status === 200 && e.file === `${mac(7)}.cfg`),
      'the fetch log kept the real fetch',
    );
    assert.ok(
      log.some((e) => e.ip === '127.66.0.9' && e.refused),
      'and the refused one',
    );
  },
);
