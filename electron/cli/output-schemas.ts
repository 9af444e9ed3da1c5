// The JSON each command prints with --json, as schemas built from the contract's own output schemas. They are
// committed as JSON Schema in docs/cli-schemas/<command>.schema.json (npm run schemas writes them) and the
// tests check real outputs against those files, so a script written against them keeps working.
import { z } from 'zod';
import { calls, events } from '../api/contract';

const out = <N extends keyof typeof calls>(name: N): (typeof calls)[N]['output'] => calls[name].output;
const JobInfo = out('jobs.start');

/** What every command prints with --json when it fails. */
export const ErrorOutputSchema = z
  .object({
    error: z
      .object({
        /** The contract's error code (invalid-input, not-found, conflict, …), or usage / internal. */
        code: z.string(),
        message: z.string(),
      })
      .loose(),
  })
  .loose()
  .meta({ title: 'error' });

const Device = out('inventory.devices').shape.devices.element.shape;
const DeviceJsonSchema = z.object({
  ip: Device.ip,
  mac: z.string().nullable(),
  model: z.string().nullable(),
  firmware: z.string().nullable(),
  vendor: z.string().nullable(),
  classification: Device.classification,
  sources: Device.sources,
  fieldSources: z.object({
    mac: z.string().nullable(),
    model: z.string().nullable(),
    firmware: z.string().nullable(),
    vendor: z.string().nullable(),
  }),
  banner: z.string().nullable(),
  hostname: z.string().nullable(),
  sipPort: Device.sipPort,
  httpPort: Device.httpPort,
  httpsPort: Device.httpsPort,
  services: Device.services,
  flags: Device.flags,
});

const Preview = out('provisioning.preview').shape;
const PushSummary = z.object({
  target: Preview.target,
  targetId: z.string(),
  counts: Preview.counts,
  files: z.array(
    z.object({
      name: z.string(),
      status: Preview.files.element.shape.status,
      diffVsTarget: z.string().optional(),
      diffVsLastPublished: z.string().optional(),
    }),
  ),
  /** Phones left out with --skip-missing-credentials (what each misses); empty otherwise. */
  skipped: Preview.skipped,
});

const variant = <T extends z.ZodType>(title: string, schema: T) => schema.meta({ title });

/** Per command: each form of its --json output (by sub-command), and the error form. */
export const cliOutputSchemas = {
  version: [variant('fieldkit --version', z.object({ version: z.string() }))],
  site: [variant('site create | info | show', out('site.open'))],
  discover: [variant('discover: the devices the scan found', z.array(DeviceJsonSchema))],
  inventory: [
    variant('inventory list', out('inventory.list').shape.rows),
    variant('inventory import', out('inventory.importCsv')),
    variant('inventory export --out FILE', z.object({ file: z.string(), phones: z.number().int() })),
    variant('inventory export', out('inventory.exportCsv')),
  ],
  settings: [variant('settings show | set', out('config.settings.get'))],
  credentials: [variant('credentials status', out('credentials.status'))],
  ca: [variant('ca import | show', out('ca.show'))],
  generate: [
    variant(
      'generate',
      out('config.generate').extend({
        files: z.array(out('config.generate').shape.files.element.omit({ text: true })),
      }),
    ),
  ],
  push: [
    variant(
      'push: preview and publish',
      PushSummary.extend({
        published: z.boolean(),
        job: JobInfo.optional(),
        error: z.object({ code: z.literal('confirmation-required'), message: z.string() }).optional(),
      }),
    ),
    variant(
      'push: the host key is unknown or changed',
      z.object({
        error: z.object({
          code: z.enum(['host-key-unknown', 'host-key-changed']),
          message: z.string(),
          hostPort: z.string(),
          fingerprint: z.string(),
          pinned: z.string().optional(),
        }),
      }),
    ),
  ],
  reboot: [
    variant('reboot (plan only)', z.object({ confirmed: z.literal(false), plan: out('phones.rebootPlan') })),
    variant(
      'reboot --yes',
      z.object({
        confirmed: z.literal(true),
        job: JobInfo,
        report: out('phones.lastReboot').unwrap(),
      }),
    ),
  ],
  verify: [variant('verify', z.object({ job: JobInfo, report: out('phones.lastVerify').unwrap() }))],
  firmware: [
    variant('firmware import', out('firmware.import')),
    variant('firmware library', out('firmware.library')),
    variant('firmware plan', out('firmware.plan')),
    variant(
      'firmware run (without --yes)',
      z.object({
        confirmed: z.literal(false),
        summary: out('firmware.plan').shape.summary,
        guardRails: out('firmware.plan').shape.guardRails,
      }),
    ),
    variant('firmware run --yes | resume', z.object({ job: JobInfo, result: out('firmware.status') })),
    variant('firmware status', out('firmware.status')),
  ],
  phone: [variant('phone probe', out('phones.probe'))],
  checklist: [
    variant('checklist status', out('checklist.status')),
    variant('checklist start | complete', out('checklist.start')),
    variant('checklist answer', out('checklist.answer')),
    variant('checklist report', out('checklist.report')),
  ],
  jobs: [
    variant('jobs list', out('jobs.list')),
    variant('jobs show', out('jobs.get')),
    variant('jobs resume', events['job.updated'].payload),
  ],
} as const;

export type CliOutputCommand = keyof typeof cliOutputSchemas;

/** Everything `fieldkit <command> --json` may print: one of its forms, or an error. */
export function cliOutputSchema(command: CliOutputCommand): z.ZodType {
  return z.union([...cliOutputSchemas[command], ErrorOutputSchema]).meta({
    title: `fieldkit ${command} --json`,
    description: 'One JSON document on stdout. See docs/cli.md for the command and its exit codes.',
  });
}
