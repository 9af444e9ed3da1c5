// `fieldkit push`: preview the generated configuration against a target, ask (or take --yes), publish
// as a job. For the built-in server the files live only in this process, so it then keeps serving.
import { followJob } from './follow-job';
import {
  CallError,
  EXIT,
  intOption,
  parseOptions,
  printJson,
  UsageError,
  type CliCommand,
  type CliContext,
} from './command';
import type { CallOutput } from '../api/contract';

type Preview = CallOutput<'provisioning.preview'>;

const BUILTIN = 'builtin';

function describePreview(preview: Preview, verbose: boolean): string {
  const lines = [
    `Preview of ${preview.target}: ${preview.counts.new} new, ${preview.counts.changed} changed, ${preview.counts.unchanged} unchanged, ${preview.counts.conflict} changed by someone else.`,
  ];
  for (const f of preview.files) {
    if (f.status === 'unchanged' && !verbose) continue;
    lines.push(`  ${f.status.padEnd(9)} ${f.name}${f.note ? `  (${f.note})` : ''}`);
    if (verbose && f.diffVsTarget)
      lines.push(
        f.diffVsTarget
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => `      ${l}`)
          .join('\n'),
      );
  }
  for (const s of preview.skipped)
    lines.push(
      `  skipped   ${s.name}  (${s.missing.join('; ')}; ${s.onTarget ? 'keeps its older file on the target' : 'has no file of its own there'})`,
    );
  if (!verbose && preview.counts.new + preview.counts.changed + preview.counts.conflict > 0)
    lines.push('  (--verbose shows the diffs; secrets appear as ********)');
  return lines.join('\n');
}

/** An SSH fingerprint as OpenSSH prints it (SHA256:<base64 without padding>), however it was pasted. */
function asFingerprint(text: string): string {
  const t = text.trim();
  return (t.startsWith('SHA256:') ? t : `SHA256:${t}`).replace(/=+$/, '');
}

/** Host-key trouble found by the preview: the key's state, or the original error when it is something else. */
class HostKeyProblem extends CallError {
  constructor(
    override readonly code: 'host-key-unknown' | 'host-key-changed',
    message: string,
    readonly hostKey: CallOutput<'provisioning.hostKey'>,
  ) {
    super(code, message);
  }
}

/** The preview; an unknown host key is trusted first when --trust-host-key names exactly the offered key. */
async function previewTrusting(
  ctx: CliContext,
  targetId: string,
  trust: string | undefined,
  skipIncomplete = false,
): Promise<Preview> {
  const input = { targetId, ...(skipIncomplete ? { skipIncomplete } : {}) };
  try {
    return await ctx.call('provisioning.preview', input);
  } catch (e) {
    if (!(e instanceof CallError) || e.code !== 'unauthorized' || targetId === BUILTIN) throw e;
    const hostKey = await ctx.call('provisioning.hostKey', { targetId });
    if (hostKey.state === 'trusted') throw e;
    const code = hostKey.state === 'unknown' ? 'host-key-unknown' : 'host-key-changed';
    if (code === 'host-key-changed' || trust === undefined) throw new HostKeyProblem(code, e.message, hostKey);
    const given = asFingerprint(trust);
    if (given !== hostKey.fingerprint)
      throw new CallError(
        'unauthorized',
        `The server ${hostKey.hostPort} offers host key ${hostKey.fingerprint}, not ${given} as given with --trust-host-key. Not trusted, nothing sent.`,
      );
    await ctx.call('provisioning.trustHostKey', { targetId, fingerprint: given });
    return ctx.call('provisioning.preview', input);
  }
}

async function serveUntilStopped(ctx: CliContext, seconds: number | undefined): Promise<void> {
  const status = await ctx.call('provisioning.server.status', {});
  if (!ctx.json)
    ctx.io.err(
      `Serving ${status.files.length} file(s) at ${status.url}${seconds === undefined ? ' until Ctrl+C' : ` for ${seconds} s`}.`,
    );
  await new Promise<void>((resolve) => {
    const done = () => {
      ctx.signal.removeEventListener('abort', done);
      process.off('SIGTERM', done);
      clearTimeout(timer);
      resolve();
    };
    const timer = seconds === undefined ? undefined : setTimeout(done, seconds * 1000);
    ctx.signal.addEventListener('abort', done, { once: true });
    process.once('SIGTERM', done);
  });
  await ctx.call('provisioning.server.stop', {});
}

export const pushCommand: CliCommand = {
  name: 'push',
  summary: 'Preview the generated configuration against a target and publish it (SFTP or the built-in server).',
  usage: [
    'fieldkit push --target sftp://user@host:port/path [--yes] [--trust-host-key SHA256:…] [--verbose] [--overwrite-changed] [--skip-missing-credentials] [--target-id ID] --site DIR [--json]',
    '       fieldkit push --target builtin [--yes] [--serve-seconds N] [--skip-missing-credentials] --site DIR [--json]',
    'SFTP credentials: FIELDKIT_SECRET_SFTP_PASSWORD_<ID> or FIELDKIT_SECRET_SFTP_PRIVATE_KEY_<ID> (ID: the target id, e.g. SFTP_10_0_0_5).',
  ].join('\n'),
  async run(ctx) {
    const { values } = parseOptions(ctx.args, {
      target: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      verbose: { type: 'boolean', short: 'v' },
      'trust-host-key': { type: 'string' },
      'target-id': { type: 'string' },
      'overwrite-changed': { type: 'boolean' },
      'serve-seconds': { type: 'string' },
      'skip-missing-credentials': { type: 'boolean' },
    });
    if (!values.target)
      throw new UsageError('Say where to publish: --target sftp://user@host:port/path or --target builtin.');
    const serveSeconds = intOption('serve-seconds', values['serve-seconds'], 0, 7 * 24 * 3600);
    const verbose = values.verbose === true;
    const targetId =
      values.target === BUILTIN
        ? BUILTIN
        : (
            await ctx.call('provisioning.targetForUrl', {
              url: values.target,
              ...(values['target-id'] ? { id: values['target-id'] } : {}),
            })
          ).id;
    let preview: Preview;
    try {
      preview = await previewTrusting(
        ctx,
        targetId,
        values['trust-host-key'],
        values['skip-missing-credentials'] === true,
      );
    } catch (e) {
      if (e instanceof HostKeyProblem && ctx.json) {
        const { hostPort, fingerprint, pinned } = e.hostKey;
        printJson(ctx.io, {
          error: { code: e.code, message: e.message, hostPort, fingerprint, ...(pinned ? { pinned } : {}) },
        });
        return EXIT.failed;
      }
      throw e;
    }
    const summary = {
      target: preview.target,
      targetId,
      counts: preview.counts,
      files: preview.files.map((f) => ({
        name: f.name,
        status: f.status,
        ...(verbose ? { diffVsTarget: f.diffVsTarget, diffVsLastPublished: f.diffVsLastPublished } : {}),
      })),
      skipped: preview.skipped,
    };
    if (!ctx.json) ctx.io.out(describePreview(preview, verbose));
    const toWrite = preview.counts.new + preview.counts.changed + preview.counts.conflict;
    if (toWrite > 0 && !values.yes) {
      if (!ctx.terminal.interactive) {
        const message = `Not published: nothing is written without confirmation. Check the preview, then run again with --yes.`;
        if (ctx.json)
          printJson(ctx.io, { ...summary, published: false, error: { code: 'confirmation-required', message } });
        else ctx.io.err(message);
        return EXIT.failed;
      }
      if (!(await ctx.terminal.confirm(`Publish ${toWrite} file(s) to ${preview.target}?`))) {
        if (ctx.json) printJson(ctx.io, { ...summary, published: false });
        else ctx.io.err('Not published.');
        return EXIT.failed;
      }
    }
    const params = { targetId, previewToken: preview.token, overwriteChanged: values['overwrite-changed'] === true };
    const job = await followJob(ctx, () => ctx.call('jobs.start', { kind: 'publish', params }));
    if (ctx.json) printJson(ctx.io, { ...summary, published: job.state === 'succeeded', job });
    else
      ctx.io.out(
        job.state === 'succeeded'
          ? `Published ${toWrite} file(s) to ${preview.target} (job ${job.id}).${preview.skipped.length ? ` Skipped ${preview.skipped.length} phone(s) that miss credentials: ${preview.skipped.map((s) => s.mac).join(', ')}.` : ''}`
          : `Publishing failed (job ${job.id}): ${job.error ?? job.state}`,
      );
    if (job.state !== 'succeeded') return EXIT.failed;
    if (targetId === BUILTIN) {
      if (serveSeconds === 0) await ctx.call('provisioning.server.stop', {});
      else await serveUntilStopped(ctx, serveSeconds);
    }
    return EXIT.ok;
  },
};
