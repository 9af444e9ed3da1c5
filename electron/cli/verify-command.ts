// `fieldkit verify`: after a reboot, checks each phone and prints a verdict per phone.
import { followJob } from './follow-job';
import { EXIT, intOption, listOption, parseOptions, printJson, UsageError, type CliCommand } from './command';
import type { JobParams } from '../api/contract';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary:
    'Check that rebooted phones came back, fetched their files, run the expected firmware and show the settings.',
  usage:
    'fieldkit verify [--phones MAC,...] [--firmware 6867i=6.5.0.224,6865i=6.5.0.224] [--boot-timeout SECONDS] --site DIR [--json]\n' +
    '  Default: the phones of the last reboot. Results are kept in the site (provisioning/verify-<job>.json).\n' +
    '  --phones and --firmware may be repeated.',
  async run(ctx) {
    const { values } = parseOptions(ctx.args, {
      phones: { type: 'string', multiple: true },
      firmware: { type: 'string', multiple: true },
      'boot-timeout': { type: 'string' },
    });
    const expectedFirmware: Record<string, string> = {};
    for (const item of listOption(values.firmware)) {
      const [model, version] = item.split('=');
      if (!model || !version) throw new UsageError(`--firmware: "${item}" must look like 6867i=6.5.0.224.`);
      expectedFirmware[model.trim()] = version.trim();
    }
    const bootTimeout = intOption('boot-timeout', values['boot-timeout'], 1, 1800);
    const phones = listOption(values.phones);
    const params = {
      ...(phones.length ? { phones } : {}),
      ...(Object.keys(expectedFirmware).length ? { expectedFirmware } : {}),
      ...(bootTimeout ? { bootTimeoutMs: bootTimeout * 1000 } : {}),
    } as JobParams<'verify'>;
    const job = await followJob(ctx, () => ctx.call('jobs.start', { kind: 'verify', params }));
    if (job.state !== 'succeeded') throw new Error(job.error ?? `The verify job ended ${job.state}.`);
    const report = await ctx.call('phones.lastVerify', {});
    if (report?.jobId !== job.id) throw new Error(`The result of verify job ${job.id} was not found in the site.`);
    if (ctx.json) printJson(ctx.io, { job, report });
    else {
      for (const r of report.results)
        ctx.io.out(
          `${r.verdict === 'verified' ? 'VERIFIED' : 'FAILED  '}  ${r.mac}  ${r.ip.padEnd(15)} ${r.firmware ?? '-'}${r.reasons.length ? `\n          ${r.reasons.join('\n          ')}` : ''}`,
        );
      ctx.io.out(`${report.summary.verified} verified, ${report.summary.failed} failed.`);
    }
    return report.summary.failed === 0 ? EXIT.ok : EXIT.failed;
  },
};
