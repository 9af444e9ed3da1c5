// `fieldkit reboot`: shows which phones would restart and how; restarts them only with --yes.
import { followJob } from './follow-job';
import { EXIT, intOption, listOption, parseOptions, printJson, UsageError, type CliCommand } from './command';

export const rebootCommand: CliCommand = {
  name: 'reboot',
  summary: 'Restart phones so they fetch their configuration (NOTIFY check-sync, web UI, XML push).',
  usage:
    'fieldkit reboot (--phones MAC,MAC,... | --all) [--fast] [--concurrency N] [--yes] --site DIR [--json]\n' +
    '  Without --yes only the plan is shown (exit code 3). --fast sends XML FastReboot (no firmware check): for\n' +
    '  configuration-only changes. --phones may be repeated. The admin password comes from FIELDKIT_ADMIN_PASSWORD\n' +
    '  (per phone: FIELDKIT_SECRET_PHONE_ADMIN_PASSWORD_<MAC>).',
  async run(ctx) {
    const { values } = parseOptions(ctx.args, {
      phones: { type: 'string', multiple: true },
      all: { type: 'boolean' },
      yes: { type: 'boolean' },
      fast: { type: 'boolean' },
      concurrency: { type: 'string' },
    });
    const phones = listOption(values.phones);
    if (!values.all && phones.length === 0) throw new UsageError('Say which phones: --phones MAC,MAC,... or --all.');
    const concurrency = intOption('concurrency', values.concurrency, 1, 64);
    const selection = { ...(values.all ? { all: true } : { phones }), fastReboot: values.fast ?? false };
    const plan = await ctx.call('phones.rebootPlan', selection);
    if (!values.yes) {
      if (ctx.json) printJson(ctx.io, { confirmed: false, plan });
      else {
        ctx.io.out(`Would restart ${plan.phones.length} phone(s), trying in order: ${plan.methods.join(', ')}.`);
        for (const p of plan.phones)
          ctx.io.out(`  ${p.mac}  ${p.ip.padEnd(15)} ${p.directoryNumber}  ${p.displayName}`);
        for (const n of plan.notReady) ctx.io.out(`  ${n.mac}  not rebooted: ${n.reason}`);
        ctx.io.out('Nothing was restarted. Run again with --yes to restart these phones.');
      }
      return EXIT.confirm;
    }
    if (plan.phones.length === 0)
      throw new UsageError(
        `None of the chosen phones can be rebooted: ${plan.notReady.map((n) => `${n.mac} ${n.reason}`).join('; ')}`,
      );
    const params = { ...selection, planToken: plan.token, ...(concurrency ? { concurrency } : {}) };
    const job = await followJob(ctx, () => ctx.call('jobs.start', { kind: 'reboot', params }));
    if (job.state !== 'succeeded') throw new Error(job.error ?? `The reboot job ended ${job.state}.`);
    const report = await ctx.call('phones.lastReboot', {});
    if (report?.jobId !== job.id) throw new Error(`The result of reboot job ${job.id} was not found in the site.`);
    if (ctx.json) printJson(ctx.io, { confirmed: true, job, report });
    else for (const r of report.results) ctx.io.out(`${r.ok ? 'RESTARTING' : 'FAILED    '}  ${r.mac}  ${r.message}`);
    return report.results.every((r) => r.ok) && plan.notReady.length === 0 ? EXIT.ok : EXIT.failed;
  },
};
