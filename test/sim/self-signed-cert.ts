// One self-signed certificate per process, shared by every simulated phone's HTTPS server.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertPair {
  key: string;
  cert: string;
}

let cached: Promise<CertPair> | null = null;

export function simulatorCertificate(): Promise<CertPair> {
  cached ??= generate().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

async function generate(): Promise<CertPair> {
  const dir = await mkdtemp(join(tmpdir(), 'fk-sim-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '3650',
      '-subj',
      '/O=Aastra Telecom/CN=IP Phone',
    ]).catch((err: unknown) => {
      throw new Error(
        `could not create the simulator's HTTPS certificate with openssl (is /usr/bin/openssl installed?): ${String(err)}`,
      );
    });
    return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
