// Publishing: targets and their credentials (write-only), host-key trust, preview, the built-in
// server and its fetch log. Publishing itself is a job: jobs.start('publish', { targetId, previewToken }).
import { z } from 'zod';
import { call } from '../schema-kit';
import { ServerConfigSchema, TargetConfigSchema, TargetIdSchema } from '../../core/provisioning/targets-config';
import { Empty } from './common';

const TargetId = z.object({ targetId: TargetIdSchema }).strict();

const ServerStatusSchema = z.object({
  running: z.boolean(),
  url: z.string(),
  config: ServerConfigSchema,
  files: z.array(z.string()),
  stale: z.array(z.string()),
  problem: z.string().optional(),
});

const PreviewFileSchema = z.object({
  name: z.string(),
  status: z.enum(['new', 'changed', 'unchanged', 'conflict']),
  size: z.number(),
  diffVsTarget: z.string(),
  diffVsLastPublished: z.string(),
  note: z.string().optional(),
});

const PreviewSchema = z.object({
  targetId: z.string(),
  target: z.string(),
  createdAt: z.string(),
  token: z.string(),
  counts: z.object({ new: z.number(), changed: z.number(), unchanged: z.number(), conflict: z.number() }),
  files: z.array(PreviewFileSchema),
});

const FetchEntrySchema = z.object({
  at: z.string(),
  ip: z.string(),
  method: z.string(),
  path: z.string(),
  file: z.string().nullable(),
  status: z.number(),
  bytes: z.number(),
  userAgent: z.string().nullable(),
});

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
  'provisioning.removeTarget': call(
    TargetId,
    z.array(TargetConfigSchema),
    'Remove a target and its stored credentials.',
  ),
  'provisioning.setTargetCredential': call(
    TargetId.extend({
      password: z.string().min(1).max(1000).optional(),
      privateKey: z.string().min(1).max(20_000).optional(),
    })
      .strict()
      .refine(
        (v) => (v.password === undefined) !== (v.privateKey === undefined),
        'give either a password or a private key',
      ),
    z.object({ stored: z.enum(['password', 'key']) }),
    'Store an SFTP password or private key in the credential store; it is never returned.',
  ),
  'provisioning.hostKey': call(
    TargetId,
    z.object({
      state: z.enum(['trusted', 'unknown', 'changed']),
      hostPort: z.string(),
      fingerprint: z.string(),
      pinned: z.string().nullable(),
    }),
    'Connects to an SFTP target and says whether its host key is trusted, unknown (show the fingerprint) or changed (hard stop).',
  ),
  'provisioning.trustHostKey': call(
    TargetId.extend({ fingerprint: z.string().max(100) }).strict(),
    z.object({ hostPort: z.string(), fingerprint: z.string() }),
    'Pin the host key fingerprint the technician confirmed. A different pinned key is never replaced.',
  ),
  'provisioning.preview': call(
    TargetId,
    PreviewSchema,
    'Per file: new, changed, unchanged or conflict, with diffs against the target and the last publish (secrets hidden). The token goes to the publish job.',
  ),
  'provisioning.server.start': call(
    z.object({ config: ServerConfigSchema.partial().optional() }).strict(),
    ServerStatusSchema,
    'Start the built-in provisioning server (optionally with new settings) serving the last published set.',
  ),
  'provisioning.server.stop': call(Empty, ServerStatusSchema, 'Stop the built-in provisioning server.'),
  'provisioning.server.status': call(
    Empty,
    ServerStatusSchema,
    'Whether the built-in server runs, where, and what it serves.',
  ),
  'provisioning.fetchLog': call(
    z
      .object({ limit: z.number().int().min(1).max(10_000).default(500), since: z.string().max(40).optional() })
      .strict(),
    z.array(FetchEntrySchema),
    'The newest requests to the built-in server (who fetched what, with which User-Agent).',
  ),
} as const;
