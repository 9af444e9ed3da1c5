// Certificates without an openssl binary (issue 12 §1-§2): the CA bundle is checked (a CA, not expired),
// shown (subject, expiry), published with the configuration; the built-in server takes a certificate and
// key (PEM or PFX) issued by the customer's CA, the key going to the credential store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import forge from 'node-forge';
import { checkCaBundle, makeSelfSignedCertificate, readPfx } from '../../../electron/core/provisioning/certificates';
import {
  caBundleView,
  importCaBundle,
  importServerCertificate,
  serverCertificateView,
  serverTlsMaterial,
} from '../../../electron/core/provisioning/site-certificates';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { MemorySecretStore, secretKeys } from '../../../electron/core/secrets/secret-store';
import { EnvSecretStore } from '../../../electron/core/secrets/env-secret-store';
import { makeTestCa } from '../../helpers/test-ca';
import { tempDir } from '../../helpers/temp-dir';

test('a CA bundle: CA certificates valid now are accepted and described; a server certificate, an expired CA or a key are refused', async (t) => {
  const ca = await makeTestCa();
  const { info } = checkCaBundle(ca.certPem);
  assert.equal(info.length, 1);
  assert.match(info[0]!.subject, /CN=Test Customer Root CA/);
  assert.ok(info[0]!.isCa && info[0]!.daysLeft > 3000);
  assert.match(info[0]!.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const server = await ca.issueServer(['prov.example.net']);
  assert.throws(
    () => checkCaBundle(server.chainPem.split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n'),
    /is not a CA certificate/,
  );
  const expired = await makeTestCa({ name: 'Old CA', notBefore: new Date(Date.now() - 400 * 86_400_000), days: 30 });
  assert.throws(() => checkCaBundle(expired.certPem), /expired on/);
  assert.throws(() => checkCaBundle(`${ca.certPem}${ca.keyPem}`), /holds a private key block/);
  assert.throws(() => checkCaBundle('hello'), /holds no PEM certificate/);
  const site = await SiteWorkspace.create(join(await tempDir(t), 's'), { name: 'S' });
  await assert.rejects(importCaBundle(site, expired.certPem), /expired/);
  assert.equal((await caBundleView(site)).imported, false, 'a refused bundle is not stored');
  await importCaBundle(site, ca.certPem);
  const view = await caBundleView(site);
  assert.deepEqual([view.imported, view.publishedAs, view.certificates.length], [true, 'fieldkit-ca.pem', 1]);
});

test("the built-in server's certificate: PEM or PFX, key in the credential store, trusted when the CA bundle holds its issuer", async (t) => {
  const ca = await makeTestCa();
  const site = await SiteWorkspace.create(join(await tempDir(t), 's'), { name: 'S' });
  const secrets = new MemorySecretStore();
  const issued = await ca.issueServer(['127.0.0.1', 'prov.example.net']);
  const before = await serverCertificateView(site);
  assert.equal(before.kind, 'none');
  assert.match(before.warning!, /self-signed one, which is for the lab and the demo/);
  await assert.rejects(
    importServerCertificate(site, secrets, { certificate: issued.chainPem, privateKey: ca.keyPem }),
    /does not belong to the server certificate/,
  );
  const view = await importServerCertificate(site, secrets, {
    certificate: issued.chainPem,
    privateKey: issued.keyPem,
  });
  assert.equal(view.kind, 'imported');
  assert.equal(view.trustedByCaBundle, false);
  assert.match(view.warning!, /does not hold the issuer/);
  await importCaBundle(site, ca.certPem);
  assert.equal((await serverCertificateView(site)).trustedByCaBundle, true);
  assert.equal(
    await secrets.get(secretKeys.httpsKey(site.meta.id)),
    issued.keyPem,
    'the key is in the credential store',
  );
  const tls = await serverTlsMaterial(site, secrets, join(site.root, '..', 'data'));
  assert.equal(tls.kind, 'imported');
  // the CLI keeps no secret: it cannot hold the key
  await assert.rejects(
    importServerCertificate(site, new EnvSecretStore({}), { certificate: issued.chainPem, privateKey: issued.keyPem }),
    /keeps no credentials/,
  );
});

test('PFX: chain and key come out, leaf first; a wrong passphrase is a clear error', async () => {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'prov.example.net' }]);
  cert.setIssuer([{ name: 'commonName', value: 'prov.example.net' }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const der = forge.asn1
    .toDer(forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], 'pfx-pass', { algorithm: '3des' }))
    .getBytes();
  const bytes = Buffer.from(der, 'binary');
  const out = await readPfx(bytes, 'pfx-pass');
  assert.match(out.chainPem, /^-----BEGIN CERTIFICATE-----/);
  assert.match(out.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  await assert.rejects(() => readPfx(bytes, 'wrong'), /cannot be opened.*passphrase/);
});

test('no product code runs an openssl binary (Windows has none)', async () => {
  const { readdir, readFile } = await import('node:fs/promises');
  const hits: string[] = [];
  for (const entry of await readdir('electron', { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = await readFile(join(entry.parentPath, entry.name), 'utf8');
    if (/(execFile|spawn|exec)\w*\(\s*['"`]openssl/.test(text)) hits.push(join(entry.parentPath, entry.name));
  }
  assert.deepEqual(hits, []);
  const made = await makeSelfSignedCertificate({ commonName: 'x', hosts: ['127.0.0.1'] });
  assert.match(made.cert, /BEGIN CERTIFICATE/);
});
