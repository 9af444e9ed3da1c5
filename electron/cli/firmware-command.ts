// `fieldkit firmware import|library|plan|run|resume|status`: the firmware library, a plan with guard rails,
// and the canary/wave run, which starts only with --yes. A wave that halts is answered by --on-halt.
import { parseArgs } from 'node:util';
import { HALT_CHOICES } from '../core/firmware/wave-job';
import { printJson, UsageError, dispatchOrThrow as callOrThrow } from './command';
import type { CliCommand, CliContext } from './command';
import type { FieldkitApp } from '../app/fieldkit-app';
import type { FirmwarePlan } from '../core/firmware/plan-types';
import type { FirmwareResult } from '../core/firmware/results';

const USAGE = [
  'fieldkit firmware import <file.st|package.zip> [--model 6867i] [--version A.B.C.D --confirm-version] --site DIR [--json]',
  '       fieldkit firmware library --site DIR [--json]',
  '       fieldkit firmware plan --target MODEL=VERSION [--target …] [--models M,M] [--versions V,V] [--locations L,L] [--phones MAC,MAC]',
  '                              [--canary N] [--wave-size N] [--concurrency N] [--halt-after N] [--afterwards stay-pointed|config-only-home] [--server-host IP] --site DIR [--json]',
  '       fieldkit firmware run --plan PLAN-ID [--yes] [--on-halt stop|continue] --site DIR [--json]',
  '       fieldkit firmware resume <job-id> [--on-halt stop|continue] --site DIR [--json]',
  '       fieldkit firmware status <job-id> --site DIR [--json]',
  '  Without --yes, run shows the plan summary and changes nothing. The admin password comes from FIELDKIT_ADMIN_PASSWORD.',
].join('\n');

const list = (v: string | undefined) => (v ? v.split(/[,\s]+/).filter(Boolean) : []);
function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number.`);
  return n;
}

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

async function follow(ctx: CliContext, app: FieldkitApp, jobId: string, onHalt: string): Promise<number> {
  const jobs = app.jobManager();
  const done = jobs.wait(jobId);
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    const decision = jobs.pendingDecision(jobId);
    if (decision) {
      if (!ctx.json) ctx.io.err(`HALT ${decision.question}\n     answering "${onHalt}" (--on-halt)`);
      jobs.answer(jobId, onHalt);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const info = await done;
  const result = await callOrThrow(app, 'firmware.exportCsv', { jobId }).then(() =>
    callOrThrow(app, 'firmware.status', { jobId }),
  );
  if (ctx.json) printJson(ctx.io, { job: info, result });
  else {
    ctx.io.out(
      `Job ${jobId}: ${info.state}${info.error ? ` (${info.error})` : ''}. Result table: reports/firmware-${jobId}.csv`,
    );
    printResult(ctx, result);
  }
  return info.state === 'succeeded' && (result.counts.failed ?? 0) === 0 ? 0 : 1;
}

export const firmwareCommand: CliCommand = {
  name: 'firmware',
  summary: 'Firmware library, fallback/upgrade plan with guard rails, canary and waves, resume, status.',
  usage: USAGE,
  async run(ctx) {
    const [action, ...rest] = ctx.args;
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          model: { type: 'string' },
          version: { type: 'string' },
          'confirm-version': { type: 'boolean' },
          target: { type: 'string', multiple: true },
          models: { type: 'string' },
          versions: { type: 'string' },
          locations: { type: 'string' },
          phones: { type: 'string' },
          canary: { type: 'string' },
          'wave-size': { type: 'string' },
          concurrency: { type: 'string' },
          'halt-after': { type: 'string' },
          afterwards: { type: 'string' },
          'server-host': { type: 'string' },
          plan: { type: 'string' },
          yes: { type: 'boolean' },
          'on-halt': { type: 'string' },
        },
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    const onHalt = values['on-halt'] ?? 'stop';
    if (!(HALT_CHOICES as readonly string[]).includes(onHalt) || onHalt === 'retry failed')
      throw new UsageError('--on-halt must be stop or continue.');
    const app = await ctx.app();
    switch (action) {
      case 'import': {
        const path = positionals[0];
        if (!path) throw new UsageError('Give the firmware file: fieldkit firmware import <file>.');
        const r = await callOrThrow(app, 'firmware.import', {
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
        return 0;
      }
      case 'library': {
        const entries = await callOrThrow(app, 'firmware.library', {});
        if (ctx.json) printJson(ctx.io, entries);
        else
          ctx.io.out(
            entries.length
              ? entries
                  .map((e) => `${e.id.padEnd(20)} ${e.original.name}  sha256 ${e.image.sha256.slice(0, 16)}…`)
                  .join('\n')
              : 'The firmware library is empty.',
          );
        return 0;
      }
      case 'plan': {
        const targets = (values.target ?? []).map((t) => {
          const m = /^([^=]+)=(.+)$/.exec(t);
          if (!m) throw new UsageError(`--target ${t}: write MODEL=VERSION, e.g. 6867i=5.0.0.1018.`);
          return { model: m[1]!, version: m[2]! };
        });
        if (targets.length === 0) throw new UsageError('Give at least one --target MODEL=VERSION.');
        const options = Object.fromEntries(
          Object.entries({
            canaryPerModel: int('canary', values.canary),
            waveSize: int('wave-size', values['wave-size']),
            concurrency: int('concurrency', values.concurrency),
            haltWhenFailuresExceed: int('halt-after', values['halt-after']),
            afterwards: values.afterwards,
          }).filter(([, v]) => v !== undefined),
        );
        const plan = await callOrThrow(app, 'firmware.plan', {
          targets,
          selection: {
            models: list(values.models),
            versions: list(values.versions),
            locations: list(values.locations),
            macs: list(values.phones),
          },
          options: options as never,
          ...(values['server-host'] ? { serverHost: values['server-host'] } : {}),
        });
        if (ctx.json) printJson(ctx.io, plan);
        else printPlan(ctx, plan);
        return plan.confirmToken ? 0 : 1;
      }
      case 'run': {
        if (!values.plan) throw new UsageError('Say which plan: --plan PLAN-ID (from "fieldkit firmware plan").');
        const plan = await callOrThrow(app, 'firmware.planGet', { id: values.plan });
        if (!plan.confirmToken)
          throw new UsageError('This plan is refused by a guard rail and cannot run. Make a new plan.');
        if (!values.yes) {
          if (ctx.json) printJson(ctx.io, { confirmed: false, summary: plan.summary, guardRails: plan.guardRails });
          else {
            printPlan(ctx, plan);
            ctx.io.out('Nothing was changed. Run again with --yes to confirm this summary and start.');
          }
          return 3;
        }
        const job = await callOrThrow(app, 'firmware.run', { planId: plan.id, confirm: plan.confirmToken });
        return follow(ctx, app, job.id, onHalt);
      }
      case 'resume': {
        const id = positionals[0];
        if (!id) throw new UsageError('Give the job id: fieldkit firmware resume <job-id>.');
        await app.jobManager().resume(id);
        return follow(ctx, app, id, onHalt);
      }
      case 'status': {
        const id = positionals[0];
        if (!id) throw new UsageError('Give the job id: fieldkit firmware status <job-id>.');
        const r = await callOrThrow(app, 'firmware.status', { jobId: id });
        if (ctx.json) printJson(ctx.io, r);
        else printResult(ctx, r);
        return 0;
      }
      default:
        throw new UsageError('Say import, library, plan, run, resume or status.');
    }
  },
};
