// Publishing: targets and their credentials (write-only), host-key trust, preview, the built-in
// server and its fetch log. Publishing itself is a job: jobs.start({ kind: 'publish', params }).
import { z } from 'zod';
import { call, event, jobKind } from '../schema-kit';
import { ServerConfigSchema, TargetConfigSchema, TargetIdSchema } from '../../core/provisioning/targets-config';
import {
  CaBundleViewSchema,
  FetchEntrySchema,
  HostKeyStateSchema,
  PublishPreviewSchema,
  ServerCertificateViewSchema,
  ServerStatusSchema,
} from '../../core/provisioning/publishing-schemas';
import { CheckedTargetSchema } from '../../core/provisioning/target-checks';
import { PublishParamsSchema } from '../../core/provisioning/publish';
import { Empty } from './common';

const TargetId = z.object({ targetId: TargetIdSchema }).strict();

const PemText = z
  .string()
  .min(1)
  .max(1024 * 1024);

export const provisioningCalls = {
  'provisioning.targets': call(
    Empty,
    z.array(TargetConfigSchema),
    "The site's publishing targets; the built-in server is always one of them.",
  ),
  'provisioning.saveTarget': call(
    z.object({ target: TargetConfigSchema }).strict(),
    z.array(TargetConfigSchema),
    'Add or change a publishing target (no credentials here: see provisioning.setTargetCredential).',
  ),
  'provisioning.targetForUrl': call(
    z.object({ url: z.string().trim().min(1).max(2000), id: TargetIdSchema.optional() }).strict(),
    TargetConfigSchema,
    'The SFTP target for a URL: the saved one, or a new one (id given or made from the host) using the credential that is stored for it.',
  ),
  'provisioning.removeTarget': call(
    TargetId,
    z.array(TargetConfigSchema),
    'Remove a target and its stored credentials.',
  ),
  'provisioning.setTargetCredential': call(
    TargetId.extend({
      password: z.string().min(1).max(1000).optional(),
      privateKey: z.string().min(1).max(20_000).optional(),
      /** The private key's passphrase, when it has one. */
      passphrase: z.string().min(1).max(1000).optional(),
    })
      .strict()
      .refine(
        (v) => (v.password === undefined) !== (v.privateKey === undefined),
        'give either a password or a private key',
      )
      .refine((v) => v.passphrase === undefined || v.privateKey !== undefined, 'a passphrase goes with a private key'),
    z.object({ stored: z.enum(['password', 'key']) }),
    'Store an SFTP password or private key (with its passphrase) in the credential store; it is never returned. The target switches to that way of logging in.',
  ),
  'provisioning.checkTarget': call(
    TargetId,
    CheckedTargetSchema,
    "Try a target as a publish would (host key, login, folder) without writing anything; select it only when ok. An SFTP target's outcome is remembered (provisioning.targetChecks).",
  ),
  'provisioning.targetChecks': call(
    Empty,
    z.array(CheckedTargetSchema),
    'The last check of each SFTP target that has one (when, outcome, host key seen) and whether it is stale: the settings, the credential or the pinned host key changed since. A preview connects and verifies the host key again.',
  ),
  'provisioning.hostKey': call(
    TargetId,
    HostKeyStateSchema,
    'Connects to an SFTP target and says whether its host key is trusted, unknown (show the fingerprint) or changed (hard stop).',
  ),
  'provisioning.trustHostKey': call(
    TargetId.extend({ fingerprint: z.string().max(100), replace: z.boolean().optional() }).strict(),
    z.object({ hostPort: z.string(), fingerprint: z.string() }),
    'Pin the host key fingerprint the technician confirmed. A different pinned key is replaced only with `replace` and only by the key the server offers now (the server was reinstalled and its administrator confirmed the new fingerprint).',
  ),
  'provisioning.preview': call(
    TargetId.extend({ skipIncomplete: z.boolean().optional() }).strict(),
    PublishPreviewSchema,
    'Per file: new, changed, unchanged or conflict, with diffs against the target and the last publish (secrets hidden). The token goes to the publish job.',
  ),
  'provisioning.server.start': call(
    z.object({ config: ServerConfigSchema.partial().optional() }).strict(),
    ServerStatusSchema,
    'Start the built-in provisioning server (optionally with new settings) serving the last published set.',
  ),
  'provisioning.server.stop': call(
    Empty,
    ServerStatusSchema,
    'Stop the built-in provisioning server (phones that resync then get nothing).',
  ),
  'provisioning.server.status': call(
    Empty,
    ServerStatusSchema,
    'Whether the built-in server runs, where, and what it serves.',
  ),
  'provisioning.fetchLog': call(
    z
      .object({
        limit: z.number().int().min(1).max(10_000).default(500),
        since: z.string().max(40).optional(),
        /** Only the requests that got or were refused a file (no 404 noise). */
        servedOnly: z.boolean().optional(),
      })
      .strict(),
    z.array(FetchEntrySchema),
    'The newest requests to the built-in server (who fetched what, with which User-Agent, what was withheld).',
  ),
  'ca.import': call(
    z.object({ pem: PemText }).strict(),
    CaBundleViewSchema,
    "Import the customer's CA certificate(s) (PEM): checked (CA, not expired), published with the configuration as the sips trusted certificates file.",
  ),
  'ca.show': call(Empty, CaBundleViewSchema, "The site's CA bundle: each certificate's subject and expiry."),
  'tls.import': call(
    z
      .object({
        certificate: PemText.optional(),
        privateKey: z
          .string()
          .min(1)
          .max(64 * 1024)
          .optional(),
        pfxBase64: z
          .string()
          .min(1)
          .max(2 * 1024 * 1024)
          .optional(),
        passphrase: z.string().max(1000).optional(),
      })
      .strict()
      .refine(
        (v) =>
          (v.certificate !== undefined && v.privateKey !== undefined && v.pfxBase64 === undefined) ||
          (v.pfxBase64 !== undefined && v.certificate === undefined && v.privateKey === undefined),
        'give a certificate and its private key (PEM), or a PFX file with its passphrase',
      ),
    ServerCertificateViewSchema,
    "Import the built-in HTTPS server's certificate issued by the customer's CA; the key goes to the credential store.",
  ),
  'tls.show': call(
    Empty,
    ServerCertificateViewSchema,
    "The built-in HTTPS server's certificate, or why it is the lab's self-signed one.",
  ),
} as const;

export const provisioningEvents = {
  'provisioning.server': event(
    ServerStatusSchema,
    'The built-in server started, stopped (by hand, its time limit or after verification) or warned.',
  ),
} as const;

export const provisioningJobKinds = {
  publish: jobKind(
    PublishParamsSchema,
    "Write the previewed files to the target; the preview's token proves what the technician confirmed.",
  ),
} as const;
