// A self-signed certificate for the built-in server's HTTPS, made once with openssl and kept in
// Fieldkit's data folder (mode 0600), so phones see the same certificate after every restart.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FieldkitError } from '../util/errors';

const run = promisify(execFile);

export async function ensureSelfSignedCert(appDataDir: string): Promise<{ key: string; cert: string }> {
  const dir = join(appDataDir, 'provisioning-tls');
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const existing = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]).catch(() => undefined);
  if (existing) return { key: existing[0], cert: existing[1] };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '3650',
      '-subj',
      '/O=Fieldkit/CN=Fieldkit provisioning server',
    ]);
    await chmod(keyPath, 0o600);
  } catch (e) {
    await rm(keyPath, { force: true });
    await rm(certPath, { force: true });
    throw new FieldkitError(
      'unavailable',
      `Could not make a certificate for HTTPS (openssl: ${(e as Error).message}). Give a certificate and key for the provisioning server, or serve HTTP.`,
    );
  }
  return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
}
