// Job 'verify': after a reboot, checks every phone (came back, fetched its files, firmware, settings)
// and stores one result per phone in `provisioning/verify-<job id>.json`, where the checklist reads it.
import { z } from 'zod';
import { Semaphore } from '../util/limiter';
import { macFileStem, parseMac } from '../phone';
import { FieldkitError } from '../util/errors';
import { webPasswordFor } from './provisioning-env';
import { effectiveProvisioning } from './config-generation';
import { PROVISIONING_DIR, latestFile, latestRebootReport } from './reboot-job';
import { loadSitePhones } from './site-phones';
import { loadSiteSettings } from './provisioning-settings-file';
import { fetchRecords, verifyPhone } from './verify';
import type { ProvisioningEnv } from './provisioning-env';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { JobDefinition } from '../jobs/job-manager';
import type { FetchRecord, ServerFetchEntry, VerifyOutcome } from './verify';

export const VerifyJobParamsSchema = z.object({
  /** Default: the phones of the latest reboot, else every phone in the sheet with a known address. */
  phones: z.array(z.string().max(40)).max(5000).optional(),
  /** Exact firmware wanted per model, e.g. { "6867i": "6.5.0.224" }; default: at least the guide's minimum. */
  expectedFirmware: z
    .record(
      z.enum(['6867i', '6865i']),
      z.string().regex(/^\d+\.\d+\.\d+\.\d+$/, 'must be four numbers, e.g. 6.5.0.224'),
    )
    .optional(),
  /** How long a phone may take to come back. Default 180 s (a boot with firmware flash takes minutes). */
  bootTimeoutMs: z.number().int().min(1000).max(1_800_000).default(180_000),
  pollMs: z.number().int().min(100).max(60_000).default(1000),
  concurrency: z.number().int().min(1).max(64).default(16),
});
export type VerifyJobParams = z.output<typeof VerifyJobParamsSchema>;

const CheckSchema = z.object({ id: z.string(), ok: z.boolean().nullable(), detail: z.string() });
export const VerifyReportSchema = z.object({
  format: z.literal('fieldkit-verify'),
  jobId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** The reboot job whose phones were checked, if any. */
  rebootJobId: z.string().nullable(),
  builtinServer: z.boolean(),
  results: z.array(
    z.object({
      mac: z.string(),
      ip: z.string(),
      directoryNumber: z.string(),
      verdict: z.enum(['verified', 'failed']),
      reasons: z.array(z.string()),
      checks: z.array(CheckSchema),
      firmware: z.string().nullable(),
      answeredAfterMs: z.number().nullable(),
      at: z.string(),
    }),
  ),
  summary: z.object({ verified: z.number().int(), failed: z.number().int() }),
});
export type VerifyReport = z.infer<typeof VerifyReportSchema>;

export function createVerifyJob(env: ProvisioningEnv): JobDefinition<VerifyJobParams> {
  return {
    kind: 'verify',
    params: VerifyJobParamsSchema,
    resumable: true,
    title: (p) => `Verify ${p.phones ? `${p.phones.length} phone(s)` : 'phones'} after reboot`,
    async run(ctx, params) {
      const site = env.site();
      const startedAt = new Date().toISOString();
      const stored = await loadSiteSettings(site);
      const provisioning = stored.settings ? await effectiveProvisioning(site, stored.settings) : undefined;
      const reboot = await latestRebootReport(site);
      const known = await loadSitePhones(site);
      const wanted =
        params.phones?.map((m) => {
          const mac = parseMac(m);
          if (!mac)
            throw new FieldkitError(
              'invalid-input',
              `"${m}" is not a MAC address; write 12 hex digits, e.g. 00085D1A2B3C.`,
            );
          return macFileStem(mac);
        }) ??
        reboot?.results.map((r) => r.mac) ??
        known.filter((p) => p.inSheet && p.ip).map((p) => p.mac);
      if (wanted.length === 0)
        throw new FieldkitError(
          'not-found',
          'No phones to verify: discover the phones and fill in the sheet, or reboot them first.',
        );
      const rebootedAt = new Map(reboot?.results.map((r) => [r.mac, r.at]) ?? []);
      const fetchLog = await env.builtinFetches?.();
      const total = wanted.length;
      let done = 0;
      ctx.progress(0, total, `Waiting for ${total} phone(s) to come back`);
      const limit = new Semaphore(params.concurrency, ctx.signal);
      const results: VerifyReport['results'] = [];
      await Promise.all(
        wanted.map((mac) =>
          limit.run(async () => {
            const phone = known.find((p) => p.mac === mac);
            const rebootIp = reboot?.results.find((r) => r.mac === mac)?.ip;
            const ip = phone?.ip ?? rebootIp ?? null;
            let outcome: VerifyOutcome;
            if (!ip) {
              outcome = {
                mac,
                ip: '',
                verdict: 'failed',
                reasons: ["The phone's address is not known: discover the phones first."],
                checks: [],
                firmware: null,
                answeredAfterMs: null,
                at: new Date().toISOString(),
              };
            } else {
              const password = await webPasswordFor(
                env,
                { mac, ip, httpPort: phone?.httpPort ?? 80 },
                (m) => ctx.log('warn', m),
                // right after a reboot the phone is still booting: ask it once it answers
                { signal: ctx.signal, waitMs: params.bootTimeoutMs },
              );
              outcome = await ctx.step(`verify:${mac}`, async () =>
                verifyPhone(
                  { mac, ip, sipPort: phone?.sipPort ?? 5060, httpPort: phone?.httpPort ?? 80 },
                  {
                    ...(phone?.directoryNumber ? { directoryNumber: phone.directoryNumber } : {}),
                    ...(phone?.model && params.expectedFirmware?.[phone.model]
                      ? { firmware: params.expectedFirmware[phone.model] }
                      : {}),
                    ...(stored.settings && provisioning
                      ? { provisioning, resyncMode: stored.settings.resync.mode }
                      : {}),
                    // from the start of the reboot job: a phone may fetch before its own step is journaled
                    ...(reboot && rebootedAt.has(mac) ? { since: reboot.startedAt } : {}),
                    ...(fetchLog ? { fetches: async () => (await env.builtinFetches?.()) ?? [] } : {}),
                  },
                  {
                    bootTimeoutMs: params.bootTimeoutMs,
                    pollMs: params.pollMs,
                    signal: ctx.signal,
                    ...(password !== undefined ? { adminPassword: password } : {}),
                    ...(env.localAddress ? { localAddress: env.localAddress } : {}),
                  },
                ),
              );
            }
            results.push({ ...outcome, directoryNumber: phone?.directoryNumber ?? '' });
            ctx.count(outcome.verdict);
            ctx.log(
              outcome.verdict === 'verified' ? 'info' : 'error',
              outcome.verdict === 'verified' ? `${mac} verified.` : `${mac} failed: ${outcome.reasons.join(' ')}`,
            );
            ctx.progress(++done, total);
          }),
        ),
      );
      ctx.throwIfCancelled();
      results.sort((a, b) => a.mac.localeCompare(b.mac));
      const verified = results.filter((r) => r.verdict === 'verified').length;
      const report: VerifyReport = {
        format: 'fieldkit-verify',
        jobId: ctx.id,
        startedAt,
        finishedAt: new Date().toISOString(),
        rebootJobId: reboot?.jobId ?? null,
        builtinServer: fetchLog !== undefined,
        results,
        summary: { verified, failed: results.length - verified },
      };
      await site.writeJson(`${PROVISIONING_DIR}/verify-${ctx.id}.json`, VerifyReportSchema, report);
      await env.onVerified?.(results.filter((r) => r.verdict === 'verified').map((r) => r.mac));
      ctx.progress(total, total, `${verified} of ${total} verified`);
    },
  };
}

export async function latestVerifyReport(site: SiteWorkspace): Promise<VerifyReport | undefined> {
  const name = await latestFile(site, 'verify-');
  return name ? site.readJson(`${PROVISIONING_DIR}/${name}`, VerifyReportSchema) : undefined;
}

/** What the built-in server logged, when it is running (the phones fetch from it); else undefined. */
export async function builtinFetchRecords(service: {
  serverStatus(): Promise<{ running: boolean }>;
  fetchLog: { read(options: { limit?: number }): Promise<ServerFetchEntry[]> };
}): Promise<FetchRecord[] | undefined> {
  if (!(await service.serverStatus()).running) return undefined;
  return fetchRecords(await service.fetchLog.read({ limit: 20_000 }));
}
