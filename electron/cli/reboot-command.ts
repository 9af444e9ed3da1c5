// `fieldkit reboot`: shows which phones would restart and how; restarts them only with --yes.
import { parseArgs } from 'node:util';
import { RebootReportSchema, PROVISIONING_DIR } from '../core/provisioning/reboot-job';
import { printJson, UsageError, dispatchOrThrow as callOrThrow } from './command';
import type { CliCommand } from './command';

export const rebootCommand: CliCommand = {
  name: 'reboot',
  summary: 'Restart phones so they fetch their configuration (NOTIFY check-sync, web UI, XML push).',
  usage:
    'fieldkit reboot (--phones MAC,MAC,... | --all) [--fast] [--yes] --site DIR [--json]\n' +
    '  Without --yes only the plan is shown. --fast sends XML FastReboot (no firmware check): for configuration-only changes.\n' +
    '  The admin password comes from FIELDKIT_ADMIN_PASSWORD (per phone: FIELDKIT_SECRET_PHONE_ADMIN_PASSWORD_<MAC>).',
  async run(ctx) {
    let values;
    try {
      ({ values } = parseArgs({
        args: ctx.args,
        options: {
          phones: { type: 'string' },
          all: { type: 'boolean' },
          yes: { type: 'boolean' },
          fast: { type: 'boolean' },
          concurrency: { type: 'string' },
        },
      }));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (!values.all && !values.phones) throw new UsageError('Say which phones: --phones MAC,MAC,... or --all.');
    const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64))
      throw new UsageError('--concurrency must be 1-64.');
    const selection = {
      ...(values.all ? { all: true } : { phones: values.phones!.split(/[,\s]+/).filter(Boolean) }),
      fastReboot: values.fast ?? false,
    };
    const app = await ctx.app();
    const plan = await callOrThrow(app, 'phones.rebootPlan', selection);
    if (!values.yes) {
      if (ctx.json) printJson(ctx.io, { confirmed: false, plan });
      else {
        ctx.io.out(`Would restart ${plan.phones.length} phone(s), trying in order: ${plan.methods.join(', ')}.`);
        for (const p of plan.phones)
          ctx.io.out(`  ${p.mac}  ${p.ip.padEnd(15)} ${p.directoryNumber}  ${p.displayName}`);
        for (const n of plan.notReady) ctx.io.out(`  ${n.mac}  not rebooted: ${n.reason}`);
        ctx.io.out('Nothing was restarted. Run again with --yes to restart these phones.');
      }
      return 3;
    }
    if (plan.phones.length === 0)
      throw new UsageError(
        `None of the chosen phones can be rebooted: ${plan.notReady.map((n) => `${n.mac} ${n.reason}`).join('; ')}`,
      );
    const jobs = app.jobManager();
    const job = await jobs.start('reboot', {
      ...selection,
      planToken: plan.token,
      ...(concurrency ? { concurrency } : {}),
    });
    const info = await jobs.wait(job.id);
    if (info.state !== 'succeeded') throw new Error(info.error ?? `The reboot job ended ${info.state}.`);
    const report = await app.currentSite().readJson(`${PROVISIONING_DIR}/reboot-${job.id}.json`, RebootReportSchema);
    if (ctx.json) printJson(ctx.io, { confirmed: true, job: info, report });
    else
      for (const r of report?.results ?? [])
        ctx.io.out(`${r.ok ? 'RESTARTING' : 'FAILED    '}  ${r.mac}  ${r.message}`);
    return report?.results.every((r) => r.ok) && plan.notReady.length === 0 ? 0 : 1;
  },
};
