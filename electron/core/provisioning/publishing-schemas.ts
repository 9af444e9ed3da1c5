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
});
export type PublishPreview = z.infer<typeof PublishPreviewSchema>;

export const ServerStatusSchema = z.object({
  running: z.boolean(),
  url: z.string(),
  config: ServerConfigSchema,
  /** Files served now. */
  files: z.array(z.string()),
  /** Published earlier but not served: generation or a credential changed since. Publish again. */
  stale: z.array(z.string()),
  /** Why the last published set could not be loaded, if it could not. */
  problem: z.string().optional(),
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
