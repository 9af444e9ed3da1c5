// Job 'verify': after a reboot, checks every phone (came back, fetched its files, firmware, settings)
// and stores one result per phone in `provisioning/verify-<job id>.json`, where the checklist reads it.
import { z } from 'zod';
import { Semaphore } from '../util/limiter';
import { FieldkitError } from '../util/errors';
import { reportToInventory } from '../inventory/inventory-store';
import { verifyReports } from '../inventory/phone-reports';
import { webPasswordFor } from './provisioning-env';
import { effectiveProvisioning } from './config-generation';
import { PROVISIONING_DIR, latestFile, latestRebootReport, macStemOrRefuse } from './reboot-job';
import { loadSitePhones } from './site-phones';
import { loadSiteSettings } from './provisioning-settings-file';
import { fetchRecords, verifyPhone } from './verify';
import type { RebootReport } from './reboot-job';
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
  // 32 like reboot: verifying waits on the phones (the site500 profile of verify was 40 % idle at 16)
  concurrency: z.number().int().min(1).max(64).default(32),
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
  /** Phones of the last reboot that were not restarted, so not verified (older reports have none). */
  skipped: z.array(z.object({ mac: z.string(), reason: z.string() })).default([]),
});
export type VerifyReport = z.infer<typeof VerifyReportSchema>;

/** A phone the reboot was interrupted on may have restarted: verify is what tells. */
const mayHaveRestarted = (r: RebootReport['results'][number]): boolean => r.ok || r.interrupted === true;

/**
 * The phones a verification checks: the ones given, else the ones the latest reboot restarted, else every phone in
 * the sheet with a known address. A phone the latest reboot did not restart is not checked by default: it had no
 * reason to fetch anything, and "did not fetch anything" would be a false alarm (walkthrough defect 13). One whose
 * restart was interrupted is checked.
 */
export async function verifyTargets(
  site: SiteWorkspace,
  params: Pick<VerifyJobParams, 'phones'>,
): Promise<{ wanted: string[]; skipped: { mac: string; reason: string }[] }> {
  const reboot = await latestRebootReport(site);
  if (params.phones) {
    const wanted = params.phones.map(macStemOrRefuse);
    return { wanted: [...new Set(wanted)], skipped: [] };
  }
  if (reboot) {
    const restarted = reboot.results.filter(mayHaveRestarted).map((r) => r.mac);
    const skipped = reboot.results
      .filter((r) => !mayHaveRestarted(r))
      .map((r) => ({
        mac: r.mac,
        reason: 'not restarted by the last reboot, so there is nothing to verify yet; restart it, then verify again',
      }));
    return { wanted: restarted, skipped };
  }
  const known = await loadSitePhones(site);
  return { wanted: known.filter((p) => p.inSheet && p.ip).map((p) => p.mac), skipped: [] };
}

export function createVerifyJob(env: ProvisioningEnv): JobDefinition<VerifyJobParams> {
  return {
    kind: 'verify',
    params: VerifyJobParamsSchema,
    resumable: true,
    title: (p) => `Verify ${p.phones ? `${p.phones.length} phone(s)` : 'phones'} after reboot`,
    holds: async (p) => (await verifyTargets(env.site(), p)).wanted,
    async run(ctx, params) {
      const site = env.site();
      const startedAt = new Date().toISOString();
      const stored = await loadSiteSettings(site);
      const provisioning = stored.settings ? await effectiveProvisioning(site, stored.settings) : undefined;
      const reboot = await latestRebootReport(site);
      const known = await loadSitePhones(site);
      const { wanted, skipped } = await verifyTargets(site, params);
      for (const s of skipped) ctx.log('warn', `${s.mac} is not verified: ${s.reason}.`);
      if (wanted.length === 0)
        throw new FieldkitError(
          'not-found',
          skipped.length > 0
            ? `No phone to verify: the last reboot restarted none of its ${skipped.length} phone(s). Restart them first (Reboot), then verify.`
            : 'No phones to verify: discover the phones and fill in the sheet, or reboot them first.',
        );
      const rebootedAt = new Map(reboot?.results.map((r) => [r.mac, r.at]) ?? []);
      const notRestarted = new Map(
        reboot?.results.filter((r) => !mayHaveRestarted(r)).map((r) => [r.mac, r.message]) ?? [],
      );
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
                    ...(fetchLog && !notRestarted.has(mac)
                      ? { fetches: async () => (await env.builtinFetches?.()) ?? [] }
                      : {}),
                    ...(notRestarted.has(mac) ? { notRestarted: notRestarted.get(mac)! } : {}),
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
        skipped,
      };
      await site.writeJson(`${PROVISIONING_DIR}/verify-${ctx.id}.json`, VerifyReportSchema, report);
      await reportToInventory(site, verifyReports(ctx.id, results), (m) => ctx.log('warn', m));
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
