// HTTPS provisioning that real phones accept (issue 12 §1-§2), against the strict simulator (trust.ts):
// the built-in HTTPS server uses a certificate issued by the customer's CA (imported with its key, the key in
// the credential store), the generated files name the CA bundle in `https user certificates` and
// `sips trusted certificates`, the bundle is published next to them, and a phone that trusts the CA takes
// its configuration and registers over TLS. A phone that does not know the CA gets nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FieldkitApp } from '../../../electron/app/fieldkit-app';
import { nodePlatform } from '../../../electron/app/node-platform';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { callsOf } from '../../helpers/app-calls';
import { tempDir } from '../../helpers/temp-dir';
import { makeTestCa } from '../../helpers/test-ca';
import { phoneRecord } from '../../unit/inventory/records';
import { SimPhone } from '../../sim/phone';
import { freePort } from '../harden/harden-kit';

const MAC = '00085D4A0001';
const KEY = 'HttpsTestKey00000000001';

test(
  'the built-in HTTPS server with the customer CA certificate: the trusting phone is configured and registers over TLS',
  {
    timeout: 60_000,
  },
  async (t) => {
    const dir = await tempDir(t);
    const port = await freePort();
    const app = new FieldkitApp(
      nodePlatform({ appDataDir: join(dir, 'data'), defaultSitesRoot: dir, secrets: new MemorySecretStore() }),
    );
    t.after(() => app.shutdown());
    const { ok, runJob } = callsOf(app);
    await ok('site.create', { dir: join(dir, 'site'), name: 'HTTPS' });
    const ca = await makeTestCa({ name: 'Customer Issuing CA' });
    await ok('ca.import', { pem: ca.certPem });
    const issued = await ca.issueServer(['127.0.0.1']);
    const before = await ok('tls.show', {});
    assert.equal(before.kind, 'none');
    const imported = await ok('tls.import', { certificate: issued.chainPem, privateKey: issued.keyPem });
    assert.deepEqual([imported.kind, imported.trustedByCaBundle], ['imported', true]);
    assert.match(imported.certificate!.subject, /CN=127\.0\.0\.1/);
    await ok('inventory.importCsv', { text: `MAC;DN;Name;Model\n${MAC};2108181234;Reception;6867i` });
    await ok('config.settings.save', {
      settings: {
        osv: { proxy: { host: '10.20.30.40' } },
        ntp: { server1: '10.20.30.1' },
        provisioning: { protocol: 'HTTPS', server: '127.0.0.1', port, path: 'prov' },
      },
    });
    await ok('credentials.set', { key: `sip-password:${MAC}`, value: 'Https-Sip-1' });
    const server = await ok('provisioning.server.start', {
      config: { address: '127.0.0.1', port, https: true, pathPrefix: 'prov', pathKey: KEY },
    });
    assert.equal(server.certificate, 'imported');
    assert.equal(server.certificateWarning, undefined, 'no lab warning with the customer CA certificate');
    assert.match(server.url, new RegExp(`^https://127\\.0\\.0\\.1:${port}/prov/${KEY}/$`));
    const generated = await ok('config.generate', {});
    assert.equal(
      generated.readyToPublish,
      true,
      JSON.stringify(generated.findings.filter((f) => f.severity === 'error')),
    );
    const startup = generated.files.find((f) => f.name === 'startup.cfg')!.text;
    assert.match(startup, /^https user certificates: fieldkit-ca\.pem$/m);
    assert.match(startup, /^!sips trusted certificates: fieldkit-ca\.pem$/m);
    assert.match(startup, new RegExp(`^https path: prov/${KEY}$`, 'm'));
    assert.doesNotMatch(startup, /https validate certificates/);
    const preview = await ok('provisioning.preview', { targetId: 'builtin' });
    await runJob('publish', { targetId: 'builtin', previewToken: preview.token });
    // the inventory holds the phone at its address
    const { writeFile } = await import('node:fs/promises');
    const at = new Date().toISOString();
    await writeFile(
      join(dir, 'site', 'inventory', 'devices.json'),
      JSON.stringify({
        format: 'fieldkit-inventory',
        formatVersion: 1,
        updatedAt: at,
        devices: [
          {
            record: phoneRecord({ ip: '127.64.0.1', mac: MAC.match(/../g)!.join(':'), model: '6867i', at }),
            state: 'present',
            changes: [],
            changedAt: null,
            goneSince: null,
            previousIps: [],
          },
        ],
      }),
    );
    const boot = async (address: string, trusts: string[]) => {
      const p = new SimPhone({
        model: '6867i',
        mac: MAC.match(/../g)!.join(':'),
        firmware: '6.5.0.224',
        address,
        sipPort: null,
        httpPort: null,
        httpsPort: null,
        provisioningUrl: server.url,
        bootMs: 5,
        trust: { userCertificates: trusts, sipProxyCertificate: (await ca.issueServer(['10.20.30.40'])).chainPem },
      });
      t.after(() => p.stop());
      await p.start();
      return p;
    };
    const stranger = await boot('127.64.0.1', []);
    assert.equal(stranger.setting('sip line1 password'), undefined, 'a phone that does not know the CA takes nothing');
    const phone = await boot('127.64.0.1', [ca.certPem]);
    assert.equal(phone.setting('sip line1 password'), 'Https-Sip-1');
    assert.deepEqual(phone.inspect().line1, {
      registered: true,
      reason: 'registered over TLS (trusting fieldkit-ca.pem)',
    });
    assert.match(
      phone.inspect().trust.userCertificates.join(),
      /Customer Issuing CA/,
      'it loaded the user certificate too',
    );
  },
);
