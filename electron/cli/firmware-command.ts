// `fieldkit firmware import|library|plan|run|resume|status`: the firmware library, a plan with guard rails,
// and the canary/wave run, which starts only with --yes. A wave that halts is answered by --on-halt.
import { followJob } from './follow-job';
import {
  EXIT,
  intOption,
  listOption,
  parseOptions,
  printJson,
  UsageError,
  type CliCommand,
  type CliContext,
} from './command';
import type { CallInput, CallOutput } from '../api/contract';

type FirmwarePlan = CallOutput<'firmware.plan'>;
type FirmwareResult = CallOutput<'firmware.status'>;
type JobInfo = CallOutput<'jobs.start'>;

const USAGE = [
  'fieldkit firmware import <file.st|package.zip> [--model 6867i] [--version A.B.C.D --confirm-version] --site DIR [--json]',
  '       fieldkit firmware library --site DIR [--json]',
  '       fieldkit firmware plan --target MODEL=VERSION [--target …] [--models M,M] [--versions V,V] [--locations L,L]',
  '                              [--phones MAC,MAC] [--canary N] [--wave-size N] [--concurrency N] [--halt-after N]',
  '                              [--afterwards stay-pointed|config-only-home] [--server-host IP]',
  '                              [--publish-target ID --server-url URL] --site DIR [--json]',
  '       fieldkit firmware run --plan PLAN-ID [--yes] [--start-at ISO-TIME] [--on-halt stop|continue] --site DIR [--json]',
  '       fieldkit firmware resume <job-id> [--on-halt stop|continue] --site DIR [--json]',
  '       fieldkit firmware status <job-id> --site DIR [--json]',
  '  Without --yes, run shows the plan summary and changes nothing (exit code 3). List options take commas or',
  '  repeat (--locations "Floor 2" --locations Lobby). The admin password comes from FIELDKIT_ADMIN_PASSWORD.',
].join('\n');

const ON_HALT = ['stop', 'continue'] as const;
const AFTERWARDS = ['stay-pointed', 'config-only-home'] as const;

function printPlan(ctx: CliContext, plan: FirmwarePlan): void {
  ctx.io.out(`Plan ${plan.id}: ${plan.summary.text}`);
  for (const r of plan.guardRails)
    ctx.io.out(`${r.severity.toUpperCase().padEnd(6)} ${r.message}${r.fix ? `\n       Fix: ${r.fix}` : ''}`);
  for (const p of plan.phones)
    ctx.io.out(
      `  ${(p.mac || '(no MAC)').padEnd(12)} ${(p.model ?? '?').padEnd(6)} ${(p.current ?? '?').padEnd(11)} -> ${(p.target ?? '-').padEnd(11)} ${p.action}${p.reason ? `: ${p.reason}` : ''}`,
    );
  ctx.io.out(
    plan.confirmToken
      ? `To run it: fieldkit firmware run --plan ${plan.id} --yes`
      : 'This plan is refused by a guard rail and cannot run.',
  );
}

function printResult(ctx: CliContext, r: FirmwareResult): void {
  ctx.io.out(
    Object.entries(r.counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', '),
  );
  for (const p of r.phones)
    ctx.io.out(
      `  ${p.mac.padEnd(12)} ${(p.before ?? '?').padEnd(11)} -> ${(p.after ?? '').padEnd(11)} ${p.state}${p.reason ? `: ${p.reason}` : ''}`,
    );
}

/** Follows the run to its end, answering halts with --on-halt, then saves and prints the result table. */
async function follow(ctx: CliContext, start: () => Promise<JobInfo>, onHalt: string): Promise<number> {
  const info = await followJob(ctx, start, {
    decide: (decision) => {
      if (!ctx.json) ctx.io.err(`HALT ${decision.question}\n     answering "${onHalt}" (--on-halt)`);
      return onHalt;
    },
  });
  const jobId = info.id;
  // Saving the table reads the run's journal and plan once and answers with the result it saved: no second read.
  const { result } = await ctx.call('firmware.exportCsv', { jobId });
  if (ctx.json) printJson(ctx.io, { job: info, result });
  else {
    ctx.io.out(
      `Job ${jobId}: ${info.state}${info.error ? ` (${info.error})` : ''}. Result table: reports/firmware-${jobId}.csv`,
    );
    printResult(ctx, result);
  }
  return info.state === 'succeeded' && (result.counts.failed ?? 0) === 0 ? EXIT.ok : EXIT.failed;
}

export const firmwareCommand: CliCommand = {
  name: 'firmware',
  summary: 'Firmware library, fallback/upgrade plan with guard rails, canary and waves, resume, status.',
  usage: USAGE,
  async run(ctx) {
    const [action, ...rest] = ctx.args;
    const { values, positionals } = parseOptions(
      rest,
      {
        model: { type: 'string' },
        version: { type: 'string' },
        'confirm-version': { type: 'boolean' },
        target: { type: 'string', multiple: true },
        models: { type: 'string', multiple: true },
        versions: { type: 'string', multiple: true },
        locations: { type: 'string', multiple: true },
        phones: { type: 'string', multiple: true },
        canary: { type: 'string' },
        'wave-size': { type: 'string' },
        concurrency: { type: 'string' },
        'halt-after': { type: 'string' },
        afterwards: { type: 'string' },
        'server-host': { type: 'string' },
        'publish-target': { type: 'string' },
        'server-url': { type: 'string' },
        plan: { type: 'string' },
        yes: { type: 'boolean' },
        'on-halt': { type: 'string' },
        'start-at': { type: 'string' },
      },
      { positionals: 1 },
    );
    const onHalt = values['on-halt'] ?? 'stop';
    if (!(ON_HALT as readonly string[]).includes(onHalt)) throw new UsageError('--on-halt must be stop or continue.');
    switch (action) {
      case 'import': {
        const path = positionals[0];
        if (!path) throw new UsageError('Give the firmware file: fieldkit firmware import <file>.');
        const r = await ctx.call('firmware.import', {
          path,
          ...(values.model ? { model: values.model } : {}),
          ...(values.version ? { version: values.version } : {}),
          confirmVersion: values['confirm-version'] ?? false,
        });
        if (ctx.json) printJson(ctx.io, r);
        else
          for (const e of r.entries)
            ctx.io.out(
              `${r.alreadyPresent.includes(e.id) ? 'ALREADY ' : 'IMPORTED'} ${e.model} ${e.version}${e.servicePack ? ` ${e.servicePack}` : ''} (${e.versionSource}) ${e.image.size} bytes sha256 ${e.image.sha256}`,
            );
        return EXIT.ok;
      }
      case 'library': {
        const entries = await ctx.call('firmware.library', {});
        if (ctx.json) printJson(ctx.io, entries);
        else
          ctx.io.out(
            entries.length
              ? entries
                  .map((e) => `${e.id.padEnd(20)} ${e.original.name}  sha256 ${e.image.sha256.slice(0, 16)}…`)
                  .join('\n')
              : 'The firmware library is empty.',
          );
        return EXIT.ok;
      }
      case 'plan': {
        const targets = (values.target ?? []).map((t) => {
          const m = /^([^=]+)=(.+)$/.exec(t);
          if (!m) throw new UsageError(`--target ${t}: write MODEL=VERSION, e.g. 6867i=5.0.0.1018.`);
          return { model: m[1]!, version: m[2]! };
        });
        if (targets.length === 0) throw new UsageError('Give at least one --target MODEL=VERSION.');
        const afterwards = values.afterwards as (typeof AFTERWARDS)[number] | undefined;
        if (afterwards !== undefined && !AFTERWARDS.includes(afterwards))
          throw new UsageError(`--afterwards must be ${AFTERWARDS.join(' or ')}.`);
        const options: NonNullable<CallInput<'firmware.plan'>['options']> = {
          ...optional('canaryPerModel', intOption('canary', values.canary, 0, 10)),
          ...optional('waveSize', intOption('wave-size', values['wave-size'], 1, 500)),
          ...optional('concurrency', intOption('concurrency', values.concurrency, 1, 100)),
          ...optional('haltWhenFailuresExceed', intOption('halt-after', values['halt-after'], 0, 500)),
          ...optional('afterwards', afterwards),
          ...optional('publishTarget', values['publish-target']),
          ...optional('serverUrl', values['server-url']),
        };
        const plan = await ctx.call('firmware.plan', {
          targets,
          selection: {
            models: listOption(values.models),
            versions: listOption(values.versions),
            locations: listOption(values.locations),
            macs: listOption(values.phones),
          },
          options,
          ...(values['server-host'] ? { serverHost: values['server-host'] } : {}),
        });
        if (ctx.json) printJson(ctx.io, plan);
        else printPlan(ctx, plan);
        return plan.confirmToken ? EXIT.ok : EXIT.failed;
      }
      case 'run': {
        if (!values.plan) throw new UsageError('Say which plan: --plan PLAN-ID (from "fieldkit firmware plan").');
        const plan = await ctx.call('firmware.planGet', { id: values.plan });
        if (!plan.confirmToken)
          throw new UsageError('This plan is refused by a guard rail and cannot run. Make a new plan.');
        if (!values.yes) {
          if (ctx.json) printJson(ctx.io, { confirmed: false, summary: plan.summary, guardRails: plan.guardRails });
          else {
            printPlan(ctx, plan);
            ctx.io.out('Nothing was changed. Run again with --yes to confirm this summary and start.');
          }
          return EXIT.confirm;
        }
        const confirm = plan.confirmToken;
        const startAt = values['start-at'];
        return follow(
          ctx,
          () => ctx.call('firmware.run', { planId: plan.id, confirm, ...(startAt ? { startAt } : {}) }),
          onHalt,
        );
      }
      case 'resume': {
        const id = positionals[0];
        if (!id) throw new UsageError('Give the job id: fieldkit firmware resume <job-id>.');
        return follow(ctx, () => ctx.call('jobs.resume', { id }), onHalt);
      }
      case 'status': {
        const id = positionals[0];
        if (!id) throw new UsageError('Give the job id: fieldkit firmware status <job-id>.');
        const r = await ctx.call('firmware.status', { jobId: id });
        if (ctx.json) printJson(ctx.io, r);
        else printResult(ctx, r);
        return EXIT.ok;
      }
      default:
        throw new UsageError('Say import, library, plan, run, resume or status.');
    }
  },
};

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
