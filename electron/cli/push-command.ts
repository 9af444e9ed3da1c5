// `fieldkit push`: preview the generated configuration against a target, ask (or take --yes), publish
// as a job. For the built-in server the files live only in this process, so it then keeps serving.
import { createInterface } from 'node:readline/promises';
import { HostKeyError } from '../core/provisioning/sftp-target';
import { BUILTIN_TARGET_ID } from '../core/provisioning/targets-config';
import { parseSftpUrl, formatSftpUrl } from '../core/provisioning/target-url';
import { normaliseFingerprint } from '../core/provisioning/known-hosts';
import { envNameFor } from '../core/secrets/env-secret-store';
import { secretKeys } from '../core/secrets/secret-store';
import { FieldkitError } from '../core/util/errors';
import { printJson, UsageError, type CliCommand, type CliContext } from './command';
import type { PublishingService } from '../core/provisioning/publishing-service';
import type { PublishPreview } from '../core/provisioning/publish';

interface PushOptions {
  target: string;
  yes: boolean;
  verbose: boolean;
  trustHostKey?: string;
  targetId?: string;
  overwriteChanged: boolean;
  serveSeconds?: number;
}

function parseOptions(args: string[]): PushOptions {
  const options: PushOptions = { target: '', yes: false, verbose: false, overwriteChanged: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value.`);
      return v;
    };
    if (arg === '--target') options.target = value();
    else if (arg === '--yes' || arg === '-y') options.yes = true;
    else if (arg === '--verbose' || arg === '-v') options.verbose = true;
    else if (arg === '--trust-host-key') options.trustHostKey = value();
    else if (arg === '--target-id') options.targetId = value();
    else if (arg === '--overwrite-changed') options.overwriteChanged = true;
    else if (arg === '--serve-seconds') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0)
        throw new UsageError('--serve-seconds takes a whole number of seconds (0: publish and exit).');
      options.serveSeconds = n;
    } else throw new UsageError(`Unknown option "${arg}".`);
  }
  if (options.target === '')
    throw new UsageError('Say where to publish: --target sftp://user@host:port/path or --target builtin.');
  return options;
}

/** The saved target for the URL, or a new one (id from --target-id or the host) using whichever credential is set. */
async function sftpTargetId(svc: PublishingService, url: string, wantedId?: string): Promise<string> {
  const location = parseSftpUrl(url);
  const canonical = formatSftpUrl(location);
  const existing = (await svc.targets()).find(
    (t) => t.kind === 'sftp' && formatSftpUrl(parseSftpUrl(t.url)) === canonical && (!wantedId || t.id === wantedId),
  );
  if (existing) return existing.id;
  const id =
    wantedId ?? `sftp-${location.host.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 40).replace(/-+$/, '');
  const hasPassword = (await svc.secrets.get(secretKeys.sftpPassword(id))) !== undefined;
  const hasKey = (await svc.secrets.get(secretKeys.sftpPrivateKey(id))) !== undefined;
  if (!hasPassword && !hasKey) {
    throw new FieldkitError(
      'not-found',
      `No credential for ${canonical}. Set ${envNameFor(secretKeys.sftpPassword(id))} (password) or ${envNameFor(secretKeys.sftpPrivateKey(id))} (private key, PEM).`,
    );
  }
  await svc.saveTarget({ id, kind: 'sftp', url: canonical, auth: hasPassword ? 'password' : 'key' });
  return id;
}

async function previewTrusting(
  svc: PublishingService,
  targetId: string,
  trust: string | undefined,
): Promise<PublishPreview> {
  try {
    return await svc.preview(targetId);
  } catch (e) {
    if (!(e instanceof HostKeyError) || e.problem !== 'host-key-unknown' || trust === undefined) throw e;
    const given = normaliseFingerprint(trust);
    if (given !== e.fingerprint) {
      throw new FieldkitError(
        'unauthorized',
        `The server ${e.hostPort} offers host key ${e.fingerprint}, not ${given} as given with --trust-host-key. Not trusted, nothing sent.`,
      );
    }
    await svc.trustHostKey(targetId, given);
    return svc.preview(targetId);
  }
}

function describePreview(preview: PublishPreview, verbose: boolean): string {
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
  if (!verbose && preview.counts.new + preview.counts.changed + preview.counts.conflict > 0)
    lines.push('  (--verbose shows the diffs; secrets appear as ********)');
  return lines.join('\n');
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

async function serveUntilStopped(ctx: CliContext, svc: PublishingService, seconds: number | undefined): Promise<void> {
  const status = await svc.serverStatus();
  if (!ctx.json)
    ctx.io.err(
      `Serving ${status.files.length} file(s) at ${status.url}${seconds === undefined ? ' until Ctrl+C' : ` for ${seconds} s`}.`,
    );
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      clearTimeout(timer);
      resolve();
    };
    const timer = seconds === undefined ? undefined : setTimeout(done, seconds * 1000);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await svc.stopServer();
}

export const pushCommand: CliCommand = {
  name: 'push',
  summary: 'Preview the generated configuration against a target and publish it (SFTP or the built-in server).',
  usage: [
    'fieldkit push --target sftp://user@host:port/path [--yes] [--trust-host-key SHA256:…] [--verbose] [--overwrite-changed] [--target-id ID] --site DIR [--json]',
    '       fieldkit push --target builtin [--yes] [--serve-seconds N] --site DIR [--json]',
    'SFTP credentials: FIELDKIT_SECRET_SFTP_PASSWORD_<ID> or FIELDKIT_SECRET_SFTP_PRIVATE_KEY_<ID> (ID: the target id, e.g. SFTP_10_0_0_5).',
  ].join('\n'),
  async run(ctx) {
    const options = parseOptions(ctx.args);
    const app = await ctx.app();
    const svc = app.publishing();
    const targetId =
      options.target === 'builtin' ? BUILTIN_TARGET_ID : await sftpTargetId(svc, options.target, options.targetId);
    let preview: PublishPreview;
    try {
      preview = await previewTrusting(svc, targetId, options.trustHostKey);
    } catch (e) {
      if (e instanceof HostKeyError && ctx.json) {
        printJson(ctx.io, {
          error: {
            code: e.problem,
            message: e.message,
            hostPort: e.hostPort,
            fingerprint: e.fingerprint,
            ...(e.pinned ? { pinned: e.pinned } : {}),
          },
        });
        return 1;
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
        ...(options.verbose ? { diffVsTarget: f.diffVsTarget, diffVsLastPublished: f.diffVsLastPublished } : {}),
      })),
    };
    if (!ctx.json) ctx.io.out(describePreview(preview, options.verbose));
    const toWrite = preview.counts.new + preview.counts.changed + preview.counts.conflict;
    if (toWrite > 0 && !options.yes) {
      const question = `Publish ${toWrite} file(s) to ${preview.target}?`;
      if (!process.stdin.isTTY) {
        const message = `Not published: nothing is written without confirmation. Check the preview, then run again with --yes.`;
        if (ctx.json)
          printJson(ctx.io, { ...summary, published: false, error: { code: 'confirmation-required', message } });
        else ctx.io.err(message);
        return 1;
      }
      if (!(await confirm(question))) {
        if (ctx.json) printJson(ctx.io, { ...summary, published: false });
        else ctx.io.err('Not published.');
        return 1;
      }
    }
    const job = await app
      .jobManager()
      .start('publish', { targetId, previewToken: preview.token, overwriteChanged: options.overwriteChanged });
    const info = await app.jobManager().wait(job.id);
    if (ctx.json) printJson(ctx.io, { ...summary, published: info.state === 'succeeded', job: info });
    else
      ctx.io.out(
        info.state === 'succeeded'
          ? `Published ${toWrite} file(s) to ${preview.target} (job ${info.id}).`
          : `Publishing failed (job ${info.id}): ${info.error ?? info.state}`,
      );
    if (info.state !== 'succeeded') return 1;
    if (targetId === BUILTIN_TARGET_ID) {
      if (options.serveSeconds === 0) await svc.stopServer();
      else await serveUntilStopped(ctx, svc, options.serveSeconds);
    }
    return 0;
  },
};
