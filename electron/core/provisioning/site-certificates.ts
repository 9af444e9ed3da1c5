// The certificates a site holds (public, so in the site folder, `certificates/`):
//   - ca-bundle.pem: the customer's CA certificate(s). Published next to the configuration files under the
//     name `sips trusted certificates` gives (guide §5; the phone fetches it from its configuration server,
//     field-truth audit §2 #4), and named in `https user certificates` for HTTPS provisioning.
//   - https-server.pem: the built-in HTTPS server's certificate chain issued by the customer's CA; its
//     private key is in the credential store (https-key:<site>), never in the folder.
// Without an imported server certificate the built-in server uses a self-signed one, kept per laptop in
// Fieldkit's data folder: for the lab and the demo, with a warning wherever it shows.
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FieldkitError } from '../util/errors';
import { readTextIfExists, writeFileAtomic } from '../workspace/atomic-file';
import { secretKeys } from '../secrets/secret-key';
import { caFileName, DEFAULT_CA_FILE } from '../config/provisioning-settings';
import {
  checkCaBundle,
  checkServerCertificate,
  describeCertificate,
  issuedByOneOf,
  makeSelfSignedCertificate,
  parsePemCertificates,
  readPfx,
  toPem,
  type CertificateInfo,
} from './certificates';
import { loadSiteSettings } from './provisioning-settings-file';
import type { SecretStore } from '../secrets/secret-store';
import type { SiteWorkspace } from '../workspace/site-workspace';

export const CA_BUNDLE_FILE = 'certificates/ca-bundle.pem';
export const SERVER_CERT_FILE = 'certificates/https-server.pem';
/** The published name of the self-signed certificate's trust file (https user certificates in a lab). */
export const SELF_SIGNED_TRUST_FILE = 'fieldkit-selfsigned.pem';
/** Expiry closer than this is a warning in generation and in the checklist. */
export const EXPIRY_WARNING_DAYS = 60;

export interface CaBundle {
  pem: string;
  certificates: CertificateInfo[];
}

export async function loadCaBundle(site: SiteWorkspace, now = new Date()): Promise<CaBundle | undefined> {
  const pem = await readTextIfExists(site.path(CA_BUNDLE_FILE));
  if (pem === undefined) return undefined;
  return {
    pem,
    certificates: parsePemCertificates(pem, site.path(CA_BUNDLE_FILE)).map((c) => describeCertificate(c, now)),
  };
}

/** Checks and stores the customer's CA bundle (replacing the previous one, kept as .bak). */
export async function importCaBundle(site: SiteWorkspace, text: string, now = new Date()): Promise<CaBundle> {
  const { certs, info } = checkCaBundle(text, now);
  const pem = toPem(certs);
  await writeFileAtomic(site.path(CA_BUNDLE_FILE), pem, { keepBackup: true });
  return { pem, certificates: info };
}

export type ServerCertificateInput =
  { certificate: string; privateKey: string } | { pfxBase64: string; passphrase: string };

export interface ServerCertificateView {
  kind: 'imported' | 'self-signed' | 'none';
  certificate: CertificateInfo | null;
  chain: CertificateInfo[];
  /** Whether the site's CA bundle holds the certificate's issuer (phones can then trust it). */
  trustedByCaBundle: boolean;
  warning?: string;
}

/**
 * Imports the built-in HTTPS server's certificate (PEM chain + key, or PFX). The key goes to the credential
 * store; a store that forgets (the CLI's environment) cannot take it.
 */
export async function importServerCertificate(
  site: SiteWorkspace,
  secrets: SecretStore,
  input: ServerCertificateInput,
  now = new Date(),
): Promise<ServerCertificateView> {
  const { chainPem, keyPem } =
    'pfxBase64' in input
      ? await readPfx(Buffer.from(input.pfxBase64, 'base64'), input.passphrase)
      : { chainPem: input.certificate, keyPem: input.privateKey };
  const { chain } = checkServerCertificate(chainPem, keyPem, now);
  if (secrets.persistent === false)
    throw new FieldkitError(
      'unavailable',
      `The command line keeps no credentials, so it cannot hold the server's private key. Import the certificate in the desktop app, or give the key in ${'FIELDKIT_SECRET_HTTPS_KEY_<SITE ID>'} for each run.`,
    );
  await secrets.set(secretKeys.httpsKey(site.meta.id), keyPem);
  await writeFileAtomic(site.path(SERVER_CERT_FILE), toPem(chain), { keepBackup: true });
  return serverCertificateView(site, now);
}

export async function serverCertificateView(site: SiteWorkspace, now = new Date()): Promise<ServerCertificateView> {
  const pem = await readTextIfExists(site.path(SERVER_CERT_FILE));
  if (pem === undefined)
    return {
      kind: 'none',
      certificate: null,
      chain: [],
      trustedByCaBundle: false,
      warning:
        "No certificate is imported for the built-in HTTPS server: it uses a self-signed one, which is for the lab and the demo. Real phones trust only certificates from a CA they know: import one issued by the customer's CA.",
    };
  const chain = parsePemCertificates(pem, site.path(SERVER_CERT_FILE));
  const bundle = await readTextIfExists(site.path(CA_BUNDLE_FILE));
  const cas = bundle ? parsePemCertificates(bundle, site.path(CA_BUNDLE_FILE)) : [];
  const trusted = chain.some((c) => issuedByOneOf(c, cas) !== undefined || cas.some((ca) => ca.raw.equals(c.raw)));
  const info = describeCertificate(chain[0]!, now);
  return {
    kind: 'imported',
    certificate: info,
    chain: chain.map((c) => describeCertificate(c, now)),
    trustedByCaBundle: trusted,
    ...(trusted
      ? {}
      : {
          warning: `The site's CA bundle does not hold the issuer of the server certificate (${info.issuer}): the phones would not trust it. Import that CA's certificate into the CA bundle.`,
        }),
  };
}

/** Certificate and key the built-in HTTPS server uses: the site's imported one, else this laptop's self-signed one. */
export async function serverTlsMaterial(
  site: SiteWorkspace,
  secrets: SecretStore,
  appDataDir: string,
): Promise<{ key: string; cert: string; kind: 'imported' | 'self-signed' }> {
  const pem = await readTextIfExists(site.path(SERVER_CERT_FILE));
  if (pem !== undefined) {
    const key = await secrets.get(secretKeys.httpsKey(site.meta.id));
    if (!key)
      throw new FieldkitError(
        'not-found',
        "The built-in server's certificate is imported, but its private key is not in this computer's credential store. Import the certificate and key again (Provisioning > Certificates).",
      );
    return { key, cert: pem, kind: 'imported' };
  }
  return { ...(await selfSignedCertificate(appDataDir)), kind: 'self-signed' };
}

/** This laptop's self-signed server certificate (made once, kept in the data folder, key mode 0600). */
export async function selfSignedCertificate(appDataDir: string): Promise<{ key: string; cert: string }> {
  const dir = join(appDataDir, 'provisioning-tls');
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const existing = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]).catch(() => undefined);
  if (existing) return { key: existing[0], cert: existing[1] };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const made = await makeSelfSignedCertificate({ commonName: 'Fieldkit provisioning server (self-signed)' });
  await writeFileAtomic(keyPath, made.key, { mode: 0o600 });
  await chmod(keyPath, 0o600);
  await writeFileAtomic(certPath, made.cert);
  return made;
}

/** The CA bundle as the technician sees it: imported or not, the name the phones fetch, each certificate. */
export async function caBundleView(
  site: SiteWorkspace,
  now = new Date(),
): Promise<{ imported: boolean; publishedAs: string; certificates: CertificateInfo[] }> {
  const bundle = await loadCaBundle(site, now);
  const settings = await loadSiteSettings(site).catch(() => undefined);
  return {
    imported: bundle !== undefined,
    publishedAs: settings?.settings ? caFileName(settings.settings) : DEFAULT_CA_FILE,
    certificates: bundle?.certificates ?? [],
  };
}
