// A customer CA for tests, made without openssl (once per process): its certificate (PEM), and a server
// certificate it issued (for the built-in HTTPS server), each with its key.
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
type Keys = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];

export interface TestCa {
  certPem: string;
  keyPem: string;
  /** A server certificate for `hosts` issued by this CA: chain (leaf, CA) and key. */
  issueServer(hosts: string[], days?: number): Promise<{ chainPem: string; keyPem: string }>;
}

async function keyPair(): Promise<Keys> {
  return (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as unknown as Keys;
}

async function pemOfKey(keys: Keys): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey);
  return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
}

export async function makeTestCa(
  options: { name?: string; days?: number; notBefore?: Date; ca?: boolean } = {},
): Promise<TestCa> {
  const keys = await keyPair();
  const notBefore = options.notBefore ?? new Date(Date.now() - 86_400_000);
  const name = `CN=${options.name ?? 'Test Customer Root CA'}, O=Customer`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (options.days ?? 3650) * 86_400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(options.ca ?? true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const certPem = `${cert.toString('pem')}\n`;
  return {
    certPem,
    keyPem: await pemOfKey(keys),
    async issueServer(hosts, days = 365) {
      const serverKeys = await keyPair();
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: '02',
        subject: `CN=${hosts[0] ?? 'server'}`,
        issuer: cert.subject,
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + days * 86_400_000),
        signingKey: keys.privateKey,
        publicKey: serverKeys.publicKey,
        signingAlgorithm: alg,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.SubjectAlternativeNameExtension(
            hosts.map((h) =>
              /^[\d.]+$/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
            ),
          ),
        ],
      });
      return { chainPem: `${leaf.toString('pem')}\n${certPem}`, keyPem: await pemOfKey(serverKeys) };
    },
  };
}

let shared: Promise<TestCa> | undefined;

/** One CA shared by the tests of a process. */
export function testCa(): Promise<TestCa> {
  shared ??= makeTestCa();
  return shared;
}
