// `fieldkit verify`: after a reboot, checks each phone and prints a verdict per phone.
import { parseArgs } from 'node:util';
import { PROVISIONING_DIR } from '../core/provisioning/reboot-job';
import { VerifyReportSchema } from '../core/provisioning/verify-job';
import { printJson, UsageError } from './command';
import type { CliCommand } from './command';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary:
    'Check that rebooted phones came back, fetched their files, run the expected firmware and show the settings.',
  usage:
    'fieldkit verify [--phones MAC,...] [--firmware 6867i=6.5.0.224,6865i=6.5.0.224] [--boot-timeout SECONDS] --site DIR [--json]\n' +
    '  Default: the phones of the last reboot. Results are kept in the site (provisioning/verify-<job>.json).',
  async run(ctx) {
    let values;
    try {
      ({ values } = parseArgs({
        args: ctx.args,
        options: { phones: { type: 'string' }, firmware: { type: 'string' }, 'boot-timeout': { type: 'string' } },
      }));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const expectedFirmware: Record<string, string> = {};
    for (const item of values.firmware?.split(',').filter(Boolean) ?? []) {
      const [model, version] = item.split('=');
      if (!model || !version) throw new UsageError(`--firmware: "${item}" must look like 6867i=6.5.0.224.`);
      expectedFirmware[model.trim()] = version.trim();
    }
    const bootTimeout = values['boot-timeout'] === undefined ? undefined : Number(values['boot-timeout']);
    if (bootTimeout !== undefined && !(bootTimeout >= 1 && bootTimeout <= 1800))
      throw new UsageError('--boot-timeout must be 1-1800 seconds.');
    const app = await ctx.app();
    const jobs = app.jobManager();
    const job = await jobs.start('verify', {
      ...(values.phones ? { phones: values.phones.split(/[,\s]+/).filter(Boolean) } : {}),
      ...(Object.keys(expectedFirmware).length ? { expectedFirmware } : {}),
      ...(bootTimeout ? { bootTimeoutMs: bootTimeout * 1000 } : {}),
    });
    const info = await jobs.wait(job.id);
    if (info.state !== 'succeeded') throw new Error(info.error ?? `The verify job ended ${info.state}.`);
    const report = await app.currentSite().readJson(`${PROVISIONING_DIR}/verify-${job.id}.json`, VerifyReportSchema);
    if (ctx.json) printJson(ctx.io, { job: info, report });
    else {
      for (const r of report?.results ?? [])
        ctx.io.out(
          `${r.verdict === 'verified' ? 'VERIFIED' : 'FAILED  '}  ${r.mac}  ${r.ip.padEnd(15)} ${r.firmware ?? '-'}${r.reasons.length ? `\n          ${r.reasons.join('\n          ')}` : ''}`,
        );
      ctx.io.out(`${report?.summary.verified ?? 0} verified, ${report?.summary.failed ?? 0} failed.`);
    }
    return report?.summary.failed === 0 ? 0 : 1;
  },
};
