// The Ansible example (docs/examples/fieldkit-site.yml) checked by running its commands as Ansible would: each
// task's argv, filled from the playbook's vars, as its own `fieldkit` process with the playbook's environment,
// failing on any exit code but 0. Against six simulated phones on loopback and a real OpenSSH server whose
// folder the phones fetch over HTTP. Every --json output is checked against docs/cli-schemas. Then what
// docs/automation.md promises when someone else changes a published file: the next push refuses to overwrite
// it unless told to, and keeps a backup when it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLAYBOOK_STEPS, fillTemplate, playbookIsCurrent, type PlaybookStep } from '../../../build/automation-example';
import { startLab } from '../../sim/lab';
import { startSshd, sshdUnavailableReason } from '../../helpers/sshd';
import { committedCliSchema } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';
import { testCa } from '../../helpers/test-ca';
import type { AddressInfo } from 'node:net';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'fieldkit.js');
const ADMIN = '7391548260';
const PHONES = 6;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One task: `node bin/fieldkit.js …` as its own process (not blocking this one: the lab answers from here). */
function fieldkit(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    const run: Run = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (b: Buffer) => (run.stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (run.stderr += b.toString()));
    child.on('close', (code) => resolve({ ...run, code }));
  });
}

function checkJson(command: string, run: Run): Record<string, unknown> {
  const json = JSON.parse(run.stdout) as Record<string, unknown>;
  const checked = committedCliSchema(command).safeParse(json);
  assert.ok(checked.success, `fieldkit ${command}: output does not match docs/cli-schemas: ${checked.error?.message}`);
  return json;
}

/** Runs one playbook task like Ansible's command module: every loop item, `creates` honoured, rc 0 or fail. */
async function runTask(step: PlaybookStep, vars: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<Run[]> {
  if (step.creates && existsSync(fillTemplate(step.creates, vars))) return [];
  const items = step.loop ? (vars[step.loop] as Record<string, unknown>[]) : [undefined];
  const runs: Run[] = [];
  for (const item of items) {
    const [, ...args] = step.argv.map((a) => fillTemplate(a, vars, item));
    const run = await fieldkit(args, env);
    assert.equal(run.code, 0, `task "${step.name}" failed (${args.join(' ')}):\n${run.stdout}\n${run.stderr}`);
    checkJson(args[0]!, run);
    runs.push(run);
  }
  return runs;
}

/** The phones fetch the SFTP folder over HTTP, as from the site's own web server. */
async function webServerFor(folder: string): Promise<Server> {
  const web = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').split('?')[0]!).replace(/^\/prov\//, '');
    if (!/^[\w.-]+$/.test(name)) return void res.writeHead(404).end();
    readFile(join(folder, name)).then(
      (body) => res.writeHead(200).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  return web;
}

test('the committed playbook is the one written from the command list', async () => {
  assert.ok(await playbookIsCurrent(), 'docs/examples/fieldkit-site.yml is out of date: run "npm run examples"');
});

const noSshd = sshdUnavailableReason();
test(
  "the playbook's commands take a site from sheet to customer report; a file changed by someone else is kept",
  { timeout: 300_000, skip: noSshd ?? false },
  async (t) => {
    const sshd = await startSshd();
    t.after(() => sshd.cleanup());
    const folder = join(sshd.home, 'prov');
    await mkdir(folder, { recursive: true });
    const home = await stat(sshd.home);
    await chown(folder, home.uid, home.gid);
    const web = await webServerFor(folder);
    t.after(() => new Promise<void>((resolve) => (web.closeAllConnections(), web.close(() => resolve()))));
    const webPort = (web.address() as AddressInfo).port;

    const lab = await startLab(
      {
        name: 'playbook',
        loopbackBase: '127.86.0.0',
        bootMs: 500,
        groups: [
          {
            kind: 'mitel-6800',
            count: PHONES,
            model: '6867i',
            versions: ['6.5.0.224'],
            macStart: '00:08:5D:86:00:01',
            adminPassword: ADMIN,
          },
        ],
      },
      { mode: 'loopback', provisioningUrl: `http://127.0.0.1:${webPort}/prov/` },
    );
    t.after(() => lab.stop());
    const macs = lab.phones.map((p) => p.mac.replace(/:/g, ''));

    const dir = await tempDir(t);
    const settingsFile = join(dir, 'site-settings.json');
    await writeFile(
      settingsFile,
      JSON.stringify({
        settings: {
          siteName: 'Playbook site',
          osv: { proxy: { host: '10.20.30.40' }, transport: 'tls', trustedCaFile: 'osv-ca.pem' },
          ntp: { server1: '10.20.30.1' },
          provisioning: { protocol: 'HTTP', server: '127.0.0.1', port: webPort, path: 'prov' },
          fieldkitHost: '127.0.0.1',
        },
      }),
    );
    const sheet = join(dir, 'sheet.csv');
    await writeFile(
      sheet,
      ['MAC;DN;Name;Location', ...macs.map((m, i) => `${m};${2108189800 + i};User ${i + 1};Floor 2`)].join('\n'),
    );
    const caFile = join(dir, 'customer-ca.pem');
    await writeFile(caFile, (await testCa()).certPem);
    const vars: Record<string, unknown> = {
      fieldkit: BIN,
      site_dir: join(dir, 'sites', 'playbook'),
      site_name: 'Playbook site',
      customer: 'ACME',
      settings_file: settingsFile,
      sheet_csv: sheet,
      customer_ca_pem: caFile,
      scan_range: `${lab.phones[0]!.address}-${lab.phones.at(-1)!.address}`,
      sftp_url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${folder}`,
      sftp_host_key: await sshd.hostKeyFingerprint(),
      boot_timeout: 20,
      technician: 'Tess Tech',
      contact: 'Carl Customer',
    };
    const env: NodeJS.ProcessEnv = {
      FIELDKIT_DATA_DIR: join(dir, 'data'),
      FIELDKIT_ADMIN_PASSWORD: ADMIN,
      FIELDKIT_ADMIN_SECRET: '4d'.repeat(32),
      FIELDKIT_SECRET_SFTP_PASSWORD_SFTP_127_0_0_1: sshd.password,
      ...Object.fromEntries(macs.map((m) => [`FIELDKIT_SECRET_SIP_PASSWORD_${m}`, `Sip-${m.slice(-4)}-pw`])),
    };

    const outputs = new Map<string, Record<string, unknown>>();
    for (const step of PLAYBOOK_STEPS) {
      if (step.loop === 'checklist_answers') {
        // What an integrator writes into the vars file: an answer for every item the site leaves open.
        const status = JSON.parse(
          (await fieldkit(['checklist', 'status', '--site', String(vars.site_dir), '--json'], env)).stdout,
        );
        vars.checklist_answers = (status.items as { id: string; outcome: string; allowed: string[] }[])
          .filter((i) => i.outcome === 'open')
          .map((i) =>
            i.allowed.includes('pass') || i.allowed.includes('noted')
              ? { id: i.id, outcome: 'confirmed', note: 'checked with the customer' }
              : { id: i.id, outcome: 'deviation', note: 'accepted for this site' },
          );
        assert.ok((vars.checklist_answers as unknown[]).length > 0);
      }
      const runs = await runTask(step, vars, env);
      if (runs.length === 1) outputs.set(step.name, JSON.parse(runs[0]!.stdout) as Record<string, unknown>);
    }

    const [discovered, published, verified, report] = [
      "Scan the phones' network and merge what is found into the inventory",
      'Preview and publish to the provisioning server over SFTP',
      'Verify every phone (came back, fetched, firmware, settings)',
      'Write the customer report (HTML and PDF) into the site folder',
    ].map((name) => outputs.get(name)!);
    assert.equal((discovered as unknown as unknown[]).length, PHONES);
    assert.equal(published!.published, true);
    assert.equal(
      (published!.counts as { new: number }).new,
      4 + PHONES + 1,
      'global and model files, one per phone, the CA file',
    );
    assert.deepEqual((verified!.report as { summary: unknown }).summary, { verified: PHONES, failed: 0 });
    assert.equal(report!.draft, false);
    assert.ok(existsSync(join(String(vars.site_dir), String(report!.html))));
    assert.ok(existsSync(join(String(vars.site_dir), String(report!.pdf))), 'the PDF report');
    for (const [i, info] of lab.phones.entries())
      assert.equal(lab.phone(info.mac).setting('sip line1 auth name'), String(2108189800 + i));

    // A second run of the whole playbook is safe: the site exists, nothing new to publish, phones verified again.
    const again = PLAYBOOK_STEPS.find((s) => s.argv[1] === 'push')!;
    const second = await runTask(again, vars, env);
    assert.deepEqual((JSON.parse(second[0]!.stdout).counts as { unchanged: number }).unchanged, 4 + PHONES + 1);

    // Someone edits startup.cfg on the server: the next push refuses to overwrite it and says so (exit 1).
    const startup = join(folder, 'startup.cfg');
    await writeFile(startup, `${await readFile(startup, 'utf8')}\n# edited by hand on the server\n`);
    const push = ['push', '--target', String(vars.sftp_url), '--yes', '--site', String(vars.site_dir), '--json'];
    await writeFile(settingsFile, (await readFile(settingsFile, 'utf8')).replace('10.20.30.1', '10.20.30.2'));
    for (const step of PLAYBOOK_STEPS.filter((s) => ['settings', 'generate'].includes(s.argv[1]!)))
      await runTask(step, vars, env);
    const refused = await fieldkit(push, env);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    const refusedJson = checkJson('push', refused);
    assert.equal(refusedJson.published, false);
    assert.match(
      String((refusedJson.job as { error: string }).error),
      /changed on .* since Fieldkit last published them: startup\.cfg\. Nothing was written/,
    );
    assert.match(await readFile(startup, 'utf8'), /edited by hand/, 'the hand edit is still there');
    const forced = await fieldkit([...push, '--overwrite-changed'], env);
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    assert.doesNotMatch(await readFile(startup, 'utf8'), /edited by hand/);
    // backups live beside the served folder (the server allows it), never where the phones fetch from
    const backupDir = join(dirname(folder), '.fieldkit-backup', basename(folder));
    const backups = await readdir(backupDir);
    const kept = backups.filter((b) => b.startsWith('startup.cfg.'));
    assert.ok(kept.length >= 1, 'the replaced file is kept');
    assert.ok(
      await Promise.any(
        kept.map(async (b) => {
          if (!/edited by hand/.test(await readFile(join(backupDir, b), 'utf8'))) throw new Error();
          return true;
        }),
      ),
      'the backup holds the hand edit',
    );
  },
);
