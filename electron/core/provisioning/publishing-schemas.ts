// What preview, the built-in server and its fetch log give back, as schemas: the contract declares its
// outputs with them and the TypeScript types are inferred from them, so both always agree.
import { z } from 'zod';
import { ServerConfigSchema } from './targets-config';

export const PreviewStatusSchema = z.enum(['new', 'changed', 'unchanged', 'conflict']);
export type PreviewStatus = z.infer<typeof PreviewStatusSchema>;

export const PreviewFileSchema = z.object({
  name: z.string(),
  status: PreviewStatusSchema,
  /** Size in bytes of the file as it would be written (secrets filled in). */
  size: z.number(),
  /** Unified diff, target now -> generated, secrets as ********; '' when identical or new. */
  diffVsTarget: z.string(),
  /** Unified diff, last published -> generated; '' when identical or never published. */
  diffVsLastPublished: z.string(),
  /** Plain words for the technician, e.g. why a file is a conflict. */
  note: z.string().optional(),
});
export type PreviewFile = z.infer<typeof PreviewFileSchema>;

export const PublishPreviewSchema = z.object({
  targetId: z.string(),
  /** The target as the technician reads it, e.g. sftp://prov@10.0.0.5:22/srv/prov. */
  target: z.string(),
  createdAt: z.string(),
  /** Proof of what the technician saw: the publish job takes it. */
  token: z.string(),
  counts: z.object({ new: z.number(), changed: z.number(), unchanged: z.number(), conflict: z.number() }),
  files: z.array(PreviewFileSchema),
  /** Phones left out because a credential is missing (preview with skipIncomplete); nothing of theirs is published. */
  skipped: z.array(
    z.object({
      name: z.string(),
      mac: z.string(),
      /** What the phone misses, e.g. "No SIP password stored for phone …" (never a value). */
      missing: z.array(z.string()),
      /**
       * The target holds a file of this phone's already (an older configuration): the phone keeps fetching it. When
       * false the phone gets only the shared files (startup.cfg, <model>.cfg), so no line of its own.
       */
      onTarget: z.boolean(),
    }),
  ),
});
export type PublishPreview = z.infer<typeof PublishPreviewSchema>;

export const ServerWarningSchema = z.object({
  at: z.string(),
  ip: z.string(),
  kind: z.enum(['mac-file-refused', 'throttled', 'digest-failed', 'connections']),
  message: z.string(),
});

export const ServerStatusSchema = z.object({
  running: z.boolean(),
  state: z.enum(['running', 'stopped', 'not-started']),
  summary: z.string(),
  url: z.string(),
  config: ServerConfigSchema,
  phonePath: z.string(),
  files: z.array(z.string()),
  stale: z.array(z.string()),
  problem: z.string().optional(),
  startedAt: z.string().nullable(),
  stopsAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
  stoppedBecause: z.enum(['by-hand', 'time-limit', 'verified', 'site-closed']).nullable(),
  warnings: z.array(ServerWarningSchema),
  refused: z.number().int(),
  throttledClients: z.array(z.object({ ip: z.string(), until: z.string(), refused: z.number().int() })),
  logDropped: z.number().int(),
  certificate: z.enum(['none', 'self-signed', 'imported']),
  certificateWarning: z.string().optional(),
});

export type ServerStatus = z.infer<typeof ServerStatusSchema>;

export const FetchEntrySchema = z.object({
  at: z.string(),
  ip: z.string(),
  method: z.string(),
  /** Request path as received (control characters escaped, at most 300 characters). */
  path: z.string(),
  /** The published or firmware file served, when the request named one (`<folder>/<name>` in a sub-folder). */
  file: z.string().nullable(),
  status: z.number(),
  bytes: z.number(),
  userAgent: z.string().nullable(),
  /** Why a file was withheld from this client (a MAC file for another phone, throttled, no credentials). */
  refused: z.string().optional(),
});
export type FetchEntry = z.infer<typeof FetchEntrySchema>;

/** What connecting to an SFTP target says about its host key. */
export const HostKeyStateSchema = z.object({
  state: z.enum(['trusted', 'unknown', 'changed']),
  hostPort: z.string(),
  fingerprint: z.string(),
  pinned: z.string().nullable(),
});
export type HostKeyState = z.infer<typeof HostKeyStateSchema>;

export const CertificateInfoSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  isCa: z.boolean(),
  selfSigned: z.boolean(),
  fingerprint256: z.string(),
  daysLeft: z.number().int(),
});

export const CaBundleViewSchema = z.object({
  imported: z.boolean(),
  /** The name the phones fetch it by (sips trusted certificates). */
  publishedAs: z.string(),
  certificates: z.array(CertificateInfoSchema),
});

export const ServerCertificateViewSchema = z.object({
  kind: z.enum(['imported', 'self-signed', 'none']),
  certificate: CertificateInfoSchema.nullable(),
  chain: z.array(CertificateInfoSchema),
  trustedByCaBundle: z.boolean(),
  warning: z.string().optional(),
});

export const TargetCheckSchema = z.object({
  ok: z.boolean(),
  state: z.enum([
    'ok',
    'host-key-unknown',
    'host-key-changed',
    'login-refused',
    'no-credential',
    'no-folder',
    'unreachable',
  ]),
  message: z.string(),
  fingerprint: z.string().optional(),
});
