// Certificates without an openssl binary (Windows has none): node:crypto's X509Certificate reads and checks
// them, @peculiar/x509 makes the lab's self-signed one, node-forge opens PFX/PKCS#12 files. Those two are
// loaded when first used: evaluating them took about a third of every CLI start (node --cpu-prof), and most
// commands never make or open a certificate.
import { X509Certificate, createPrivateKey, webcrypto, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { FieldkitError } from '../util/errors';
import type * as X509 from '@peculiar/x509';
import type forge from 'node-forge';

let x509Module: Promise<typeof X509> | undefined;
function loadX509(): Promise<typeof X509> {
  return (x509Module ??= (async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as never);
    return x509;
  })());
}

/** What the technician sees of a certificate. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  isCa: boolean;
  selfSigned: boolean;
  /** SHA-256 fingerprint, colon-separated hex (as browsers and openssl show it). */
  fingerprint256: string;
  /** Days from now to expiry (negative: expired). */
  daysLeft: number;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END \1-----/g;
const MAX_PEM_BYTES = 1024 * 1024;
const MAX_CERTIFICATES = 50;

function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

export function describeCertificate(cert: X509Certificate, now = new Date()): CertificateInfo {
  const notAfter = new Date(cert.validTo);
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    isCa: cert.ca,
    selfSigned: cert.subject === cert.issuer && cert.verify(cert.publicKey),
    fingerprint256: cert.fingerprint256,
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000),
  };
}

/** The certificates of a PEM text, in order. A private key or anything else in it is an error. */
export function parsePemCertificates(text: string, what: string): X509Certificate[] {
  if (text.length > MAX_PEM_BYTES)
    throw new FieldkitError('invalid-input', `${what} is larger than 1 MB; a certificate file is a few kB.`);
  const certs: X509Certificate[] = [];
  for (const m of text.matchAll(BLOCK)) {
    if (m[1] !== 'CERTIFICATE')
      throw new FieldkitError(
        'invalid-input',
        `${what} holds a ${m[1]!.toLowerCase()} block; it must hold only certificates (-----BEGIN CERTIFICATE-----). Never hand out a private key.`,
      );
    try {
      certs.push(new X509Certificate(Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64')));
    } catch (e) {
      throw new FieldkitError(
        'invalid-input',
        `${what}: certificate ${certs.length + 1} cannot be read (${(e as Error).message}).`,
      );
    }
    if (certs.length > MAX_CERTIFICATES)
      throw new FieldkitError('invalid-input', `${what} holds more than ${MAX_CERTIFICATES} certificates.`);
  }
  if (certs.length === 0)
    throw new FieldkitError(
      'invalid-input',
      `${what} holds no PEM certificate (text between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE-----). Export the CA certificate as PEM / Base-64.`,
    );
  return certs;
}

export function toPem(certs: readonly X509Certificate[]): string {
  return certs.map((c) => c.toString().trim()).join('\n') + '\n';
}

/**
 * A CA bundle the phones can use: every certificate a CA (basic constraints CA:TRUE) and valid now.
 * Returns what each one is, for the technician to check.
 */
export function checkCaBundle(text: string, now = new Date()): { certs: X509Certificate[]; info: CertificateInfo[] } {
  const certs = parsePemCertificates(text, 'The CA file');
  const info = certs.map((c) => describeCertificate(c, now));
  const problems: string[] = [];
  info.forEach((c, i) => {
    const label = `certificate ${i + 1} (${c.subject})`;
    if (!c.isCa)
      problems.push(
        `${label} is not a CA certificate (it is a server's or a user's): import the certificate of the CA that issued it`,
      );
    if (new Date(c.notBefore) > now) problems.push(`${label} is not valid before ${c.notBefore}`);
    if (c.daysLeft < 0)
      problems.push(`${label} expired on ${c.notAfter}: ask the customer for the renewed CA certificate`);
  });
  if (problems.length > 0)
    throw new FieldkitError('invalid-input', `The CA file cannot be used:\n- ${problems.join('\n- ')}`, { problems });
  return { certs, info };
}

export function readPrivateKey(pem: string, what: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (e) {
    throw new FieldkitError(
      'invalid-input',
      `${what} is not a readable unencrypted private key in PEM (${(e as Error).message}). Export it without a passphrase, or import the PFX file with its passphrase.`,
    );
  }
}

/** A server certificate and its key: the key must belong to the first certificate, which must be valid now. */
export function checkServerCertificate(
  chainPem: string,
  keyPem: string,
  now = new Date(),
): { chain: X509Certificate[]; info: CertificateInfo; chainInfo: CertificateInfo[] } {
  const chain = parsePemCertificates(chainPem, 'The server certificate');
  const key = readPrivateKey(keyPem, 'The private key');
  const leaf = chain[0]!;
  if (!leaf.checkPrivateKey(key))
    throw new FieldkitError(
      'invalid-input',
      'The private key does not belong to the server certificate (the first certificate of the file). Give the key that was made with this certificate request.',
    );
  const info = describeCertificate(leaf, now);
  if (info.daysLeft < 0)
    throw new FieldkitError('invalid-input', `The server certificate (${info.subject}) expired on ${info.notAfter}.`);
  if (new Date(info.notBefore) > now)
    throw new FieldkitError(
      'invalid-input',
      `The server certificate (${info.subject}) is not valid before ${info.notBefore}.`,
    );
  return { chain, info, chainInfo: chain.map((c) => describeCertificate(c, now)) };
}

/** Opens a PFX / PKCS#12 file: the certificate chain (leaf first) and the unencrypted key, both PEM. */
export async function readPfx(bytes: Uint8Array, passphrase: string): Promise<{ chainPem: string; keyPem: string }> {
  const forge = (await import('node-forge')).default;
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (e) {
    throw new FieldkitError(
      'invalid-input',
      `The PFX file cannot be opened (${(e as Error).message.replace(/\s+/g, ' ').slice(0, 200)}): check the passphrase, or export the certificate and key as PEM.`,
    );
  }
  const bags = (type: string): forge.pkcs12.Bag[] => p12.getBags({ bagType: type })[type] ?? [];
  const keyBags = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bags(forge.pki.oids.keyBag!)];
  const certBags = bags(forge.pki.oids.certBag!);
  const key = keyBags.find((b) => b.key)?.key;
  if (!key) throw new FieldkitError('invalid-input', 'The PFX file holds no private key.');
  const certs = certBags.flatMap((b) => (b.cert ? [new X509Certificate(forge.pki.certificateToPem(b.cert))] : []));
  if (certs.length === 0) throw new FieldkitError('invalid-input', 'The PFX file holds no certificate.');
  const keyObject = createPrivateKey(forge.pki.privateKeyToPem(key));
  // leaf first: the certificate that belongs to the key, then the others (issuers)
  const leaf = certs.find((c) => c.checkPrivateKey(keyObject));
  if (!leaf) throw new FieldkitError('invalid-input', 'No certificate in the PFX file belongs to its private key.');
  const chain = [leaf, ...certs.filter((c) => c !== leaf)];
  return {
    chainPem: toPem(chain),
    keyPem: keyObject.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/** A self-signed certificate (EC P-256) for the lab and the demo; never for a customer site. */
export async function makeSelfSignedCertificate(options: {
  commonName: string;
  hosts?: readonly string[];
  days?: number;
  ca?: boolean;
  now?: Date;
}): Promise<{ cert: string; key: string }> {
  const x509 = await loadX509();
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = options.now ?? new Date();
  const hosts = options.hosts ?? [];
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(options.ca ?? false, undefined, true),
    new x509.KeyUsagesExtension(
      options.ca
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
        : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
  ];
  if (hosts.length > 0)
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        hosts.map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h })),
      ),
    );
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(12))).toString('hex'),
    name: `CN=${options.commonName.replace(/[,=+<>#;"\\]/g, ' ')}, O=Fieldkit`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + (options.days ?? 3650) * 86_400_000),
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    signingAlgorithm: alg,
    extensions,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
  return { cert: cert.toString('pem') + '\n', key };
}

/** Whether `cert` was issued by one of `cas` (signature checked). */
export function issuedByOneOf(cert: X509Certificate, cas: readonly X509Certificate[]): X509Certificate | undefined {
  return cas.find((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey));
}
