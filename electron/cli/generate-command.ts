// `fieldkit generate`: builds and validates every configuration file of the site and stores them.
import { printJson, UsageError } from './command';
import type { CliCommand } from './command';

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'Generate and validate the configuration files (startup.cfg, aastra.cfg, <model>.cfg, <MAC>.cfg).',
  usage:
    "fieldkit generate --site DIR [--json]\n  Reads the site's provisioning settings, the sheet and the inventory; checks which credentials are missing.",
  async run(ctx) {
    if (ctx.args.length > 0) throw new UsageError(`Unexpected argument "${ctx.args[0]}".`);
    const report = await ctx.call('config.generate', {});
    if (ctx.json) {
      printJson(ctx.io, { ...report, files: report.files.map(({ text: _text, ...f }) => f) });
    } else {
      const errors = report.findings.filter((f) => f.severity === 'error');
      const warnings = report.findings.filter((f) => f.severity === 'warning');
      ctx.io.out(
        `Generated ${report.files.length} files for ${report.phones.generated} phone(s)${report.phones.skipped ? ` (${report.phones.skipped} left out)` : ''}.`,
      );
      for (const f of [...errors, ...warnings]) {
        ctx.io.out(
          `${f.severity.toUpperCase()}  ${f.file ? `${f.file}: ` : ''}${f.message}\n        Fix: ${f.fix} (${f.section})`,
        );
      }
      for (const m of report.missingCredentials) ctx.io.out(`MISSING CREDENTIAL  ${m.key}: ${m.what}`);
      ctx.io.out(
        report.readyToPublish
          ? 'Ready to publish: run "fieldkit push".'
          : report.publishable
            ? 'Set the missing credentials before publishing.'
            : `${errors.length} error(s) block publishing.`,
      );
    }
    return report.readyToPublish ? 0 : 1;
  },
};
