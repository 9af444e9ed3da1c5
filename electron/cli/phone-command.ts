// `fieldkit phone probe <ip> --out DIR`: evidence from one real phone, and which of Fieldkit's assumptions held.
import { resolve } from 'node:path';
import { EXIT, parseOptions, printJson, UsageError } from './command';
import type { CliCommand } from './command';

export const phoneCommand: CliCommand = {
  name: 'phone',
  summary: "Probe one phone: what it answers, and which of Fieldkit's assumptions about phones hold on it.",
  usage:
    'fieldkit phone probe <ip> [--out DIR] --site DIR [--json]\n' +
    '  Records the SIP OPTIONS answer, the 401 realm and Server header, /sysinfo.html and the /configurationServer.html\n' +
    "  fields (no password values) with the site's admin password, and the provisioning User-Agent if the built-in\n" +
    "  server saw one; saves capture.json, sysinfo.html and assumptions.json in DIR (default: the site's probes/).",
  async run(ctx) {
    const [sub, ...rest] = ctx.args;
    if (sub !== 'probe') throw new UsageError(sub ? `Unknown phone command "${sub}".` : 'Say what to do: probe.');
    const { values, positionals } = parseOptions(rest, { out: { type: 'string' } }, { positionals: 1 });
    const ip = positionals[0];
    if (!ip) throw new UsageError("Give the phone's address: fieldkit phone probe 10.20.30.41.");
    const result = await ctx.call('phones.probe', { ip, ...(values.out ? { outDir: resolve(values.out) } : {}) });
    if (ctx.json) printJson(ctx.io, result);
    else {
      ctx.io.out(`Probed ${ip}; saved ${result.files.join(', ')} in ${result.savedTo}.`);
      for (const a of result.assumptions) {
        const mark = a.held === true ? 'HELD   ' : a.held === false ? 'NOT    ' : 'UNKNOWN';
        ctx.io.out(`${mark}  ${a.assumption}\n         ${a.detail} (${a.source})`);
      }
      ctx.io.out(
        `${result.summary.held} held, ${result.summary.notHeld} did not hold, ${result.summary.unknown} could not be told.`,
      );
    }
    return result.summary.notHeld === 0 ? EXIT.ok : EXIT.failed;
  },
};
