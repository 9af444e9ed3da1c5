// `fieldkit credentials status`: which credentials the site needs and which are set, never their values.
import { EXIT, parseOptions, printJson, UsageError, type CliCommand } from './command';

export const credentialsCommand: CliCommand = {
  name: 'credentials',
  summary: 'Which credentials are set for the site and its phones, and which are missing (never their values).',
  usage: [
    'fieldkit credentials status --site DIR [--json]',
    '  The CLI reads credentials from the environment: FIELDKIT_ADMIN_PASSWORD (site admin password) and',
    '  FIELDKIT_SECRET_<KEY> for the others, e.g. FIELDKIT_SECRET_SIP_PASSWORD_00085D1A2B3C. Exit code 1 when',
    '  a credential the generated configuration needs is missing.',
  ].join('\n'),
  async run(ctx) {
    const [action, ...rest] = ctx.args;
    if (action !== 'status') throw new UsageError('Say "credentials status".');
    parseOptions(rest, {});
    const status = await ctx.call('credentials.status', {});
    if (ctx.json) printJson(ctx.io, status);
    else {
      ctx.io.out(`Site admin password: ${status.adminPassword ? 'set' : 'MISSING'}`);
      for (const p of status.phones)
        ctx.io.out(
          `  ${p.mac}  ${p.directoryNumber.padEnd(12)} SIP password ${p.sipPassword ? 'set' : 'MISSING'}${p.ownAdminPassword ? `, own admin password ${p.adminPassword ? 'set' : 'MISSING'}` : ''}`,
        );
      for (const m of status.missing) ctx.io.out(`MISSING  ${m.key}: ${m.what}`);
      ctx.io.out(
        status.missing.length === 0
          ? 'Every credential the generated configuration needs is set.'
          : `${status.missing.length} credential(s) missing.`,
      );
    }
    return status.missing.length === 0 ? EXIT.ok : EXIT.failed;
  },
};
