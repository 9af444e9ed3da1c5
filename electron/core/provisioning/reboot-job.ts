// Job 'reboot': restarts the chosen phones so that they fetch their new configuration. The plan is
// previewed and confirmed first (its token is a hash of exactly what will be rebooted); each phone
// is one journaled step, so a resumed job never restarts a phone twice; a phone that cannot be
// restarted is reported and the others go on.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { Semaphore } from '../util/limiter';
import { FieldkitError } from '../util/errors';
import { macFileStem, parseMac } from '../phone';
import { webPasswordFor } from './provisioning-env';
import { METHOD_LABELS, rebootPhone } from './reboot';
import { rebootRouteFor } from './reboot-route';
import { loadSitePhones } from './site-phones';
import { loadSiteSettings } from './provisioning-settings-file';
import type { JobDefinition } from '../jobs/job-manager';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { ProvisioningEnv } from './provisioning-env';
import type { RebootMethod, RebootOutcome, RebootOptions } from './reboot';
import type { PlannedPhone, RebootPlan } from './reboot-plan-schemas';

export const PROVISIONING_DIR = 'provisioning';

export const RebootSelectionSchema = z.object({
  /** MACs in any common notation; empty or absent with all=true means every phone in the sheet. */
  phones: z.array(z.string().max(40)).max(5000).optional(),
  all: z.boolean().optional(),
  /** Configuration-only change: XML push sends FastReboot (no firmware check). Default off. */
  fastReboot: z.boolean().default(false),
});
export type RebootSelection = z.input<typeof RebootSelectionSchema>;

export type { PlannedPhone, RebootPlan };

/** A MAC the technician typed, as the 12 hex digits of its <MAC>.cfg; an 'invalid-input' error naming it otherwise. */
export function macStemOrRefuse(typed: string): string {
  const mac = parseMac(typed);
  if (!mac)
    throw new FieldkitError(
      'invalid-input',
      `"${typed}" is not a MAC address; write 12 hex digits, e.g. 00085D1A2B3C.`,
    );
  return macFileStem(mac);
}

export async function planReboot(site: SiteWorkspace, selection: RebootSelection): Promise<RebootPlan> {
  const sel = RebootSelectionSchema.parse(selection);
  if (!sel.all && (!sel.phones || sel.phones.length === 0))
    throw new FieldkitError('invalid-input', 'Choose the phones to reboot (MACs), or all phones.');
  const known = await loadSitePhones(site);
  // Damaged settings are reported where they are edited; a reboot then just uses the default order.
  const stored = await loadSiteSettings(site).catch(() => ({ settings: null, phones: {} as Record<string, never> }));
  const settings = stored.settings ?? undefined;
  const wanted = sel.all ? known.filter((p) => p.inSheet).map((p) => p.mac) : sel.phones!.map(macStemOrRefuse);
  if (wanted.length === 0)
    throw new FieldkitError(
      'not-found',
      "The sheet has no phones, and all phones means the sheet's phones. Import the sheet (Inventory > Import sheet; CLI: fieldkit inventory import FILE), or choose phones by MAC.",
    );
  const phones: PlannedPhone[] = [];
  const notReady: RebootPlan['notReady'] = [];
  for (const mac of [...new Set(wanted)]) {
    const p = known.find((k) => k.mac === mac);
    if (!p) notReady.push({ mac, reason: 'not in the sheet and not discovered' });
    else if (!p.ip) notReady.push({ mac, reason: 'its address is not known: discover the phones first' });
    else if (p.sipPort === null && p.httpPort === null)
      notReady.push({
        mac,
        reason: `no scan has reached its SIP or web port on ${p.ip} (it may be slow or busy): scan it again with a longer timeout`,
      });
    else {
      const route = rebootRouteFor(settings, { model: p.model, overrides: stored.phones[mac]?.overrides });
      phones.push({
        mac,
        ip: p.ip,
        sipPort: p.sipPort,
        httpPort: p.httpPort,
        model: p.model,
        directoryNumber: p.directoryNumber,
        displayName: p.displayName,
        order: xmlAs(route.order, sel.fastReboot),
        orderReason: route.reason,
      });
    }
  }
  const siteRoute = rebootRouteFor(settings, { model: null });
  const methods = xmlAs(siteRoute.order, sel.fastReboot).map((m) => METHOD_LABELS[m]);
  return {
    phones,
    notReady,
    fastReboot: sel.fastReboot,
    methods,
    methodReason: siteRoute.reason,
    token: planToken(phones, sel.fastReboot),
  };
}

function xmlAs(order: readonly RebootMethod[], fastReboot: boolean): RebootMethod[] {
  return order.map((m) => (m === 'xml-reset' && fastReboot ? 'xml-fastreboot' : m));
}

function planToken(phones: PlannedPhone[], fastReboot: boolean): string {
  const basis = JSON.stringify([fastReboot, phones.map((p) => [p.mac, p.ip, p.sipPort, p.httpPort])]);
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

export const RebootJobParamsSchema = RebootSelectionSchema.extend({
  /** The token of the plan the technician confirmed. */
  planToken: z.string().min(1, 'Preview the reboot plan and confirm it first.').max(64),
  // Phones being restarted at once (trigger, then seen going down). Each then boots on its own for a minute or more,
  // so all of a site's phones fetch their files from its server within the same few minutes whatever this is: 8 only
  // stretched a 500-phone site's restarts to 17 s. 32 keeps the burst of requests to the phones' web UIs modest.
  concurrency: z.number().int().min(1).max(64).default(32),
  /** Test and slow-network tuning. */
  confirmDownMs: z.number().int().min(100).max(600_000).optional(),
  requestTimeoutMs: z.number().int().min(100).max(60_000).optional(),
});
export type RebootJobParams = z.output<typeof RebootJobParamsSchema>;

export const RebootReportSchema = z.object({
  format: z.literal('fieldkit-reboot'),
  jobId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  fastReboot: z.boolean(),
  results: z.array(
    z.object({
      mac: z.string(),
      ip: z.string(),
      ok: z.boolean(),
      method: z.string().nullable(),
      message: z.string(),
      at: z.string(),
      /** Methods in the order tried, and why when NOTIFY was not first (older reports have neither). */
      order: z.array(z.string()).optional(),
      orderReason: z.string().nullable().optional(),
      /** Fieldkit stopped while restarting it and did not restart it again: it may have restarted. */
      interrupted: z.boolean().optional(),
      attempts: z.array(
        z.object({ method: z.string(), ok: z.boolean(), message: z.string(), silent: z.boolean().optional() }),
      ),
    }),
  ),
  notReady: z.array(z.object({ mac: z.string(), reason: z.string() })),
});
export type RebootReport = z.infer<typeof RebootReportSchema>;

export function createRebootJob(env: ProvisioningEnv): JobDefinition<RebootJobParams> {
  return {
    kind: 'reboot',
    params: RebootJobParamsSchema,
    resumable: true,
    title: (p) =>
      `Reboot ${p.all ? 'all phones' : `${p.phones?.length ?? 0} phone(s)`}${p.fastReboot ? ' (fast, configuration only)' : ''}`,
    holds: async (p) => (await planReboot(env.site(), p)).phones.map((phone) => phone.mac),
    async run(ctx, params) {
      const site = env.site();
      const startedAt = new Date().toISOString();
      const plan = await ctx.step('plan', async () => {
        const fresh = await planReboot(site, params);
        if (fresh.token !== params.planToken) {
          throw new FieldkitError(
            'conflict',
            'The phones or their addresses changed since the reboot plan was shown. Review the plan again and confirm it.',
          );
        }
        return fresh;
      });
      const total = plan.phones.length;
      let done = 0;
      ctx.progress(0, total, `Restarting ${total} phone(s)`);
      for (const n of plan.notReady) ctx.log('warn', `${n.mac} is not rebooted: ${n.reason}.`);
      const results: RebootOutcome[] = [];
      const limit = new Semaphore(params.concurrency, ctx.signal);
      await Promise.all(
        plan.phones.map((phone) =>
          limit.run(async () => {
            const key = `reboot:${phone.mac}`;
            let outcome: RebootOutcome;
            if (ctx.priorSteps.get(key)?.state === 'begun') {
              // An earlier run stopped while restarting this phone: it may have restarted already.
              outcome = {
                mac: phone.mac,
                ip: phone.ip,
                ok: false,
                method: null,
                attempts: [],
                at: new Date().toISOString(),
                order: phone.order,
                orderReason: phone.orderReason,
                message: `Fieldkit stopped while restarting ${phone.mac}; it was not restarted again so as not to restart it twice. Verify shows whether it took its configuration.`,
                interrupted: true,
              };
              await ctx.record('reboot-skipped', { mac: phone.mac, reason: 'interrupted-mid-step' });
            } else {
              const options: RebootOptions = {
                fastReboot: plan.fastReboot,
                signal: ctx.signal,
                order: phone.order,
                orderReason: phone.orderReason,
                ...(env.localAddress ? { localAddress: env.localAddress } : {}),
                ...(params.confirmDownMs ? { confirmDownMs: params.confirmDownMs } : {}),
                ...(params.requestTimeoutMs ? { requestTimeoutMs: params.requestTimeoutMs } : {}),
              };
              const password = await webPasswordFor(env, phone, (m) => ctx.log('warn', m), {
                signal: ctx.signal,
                ...(params.requestTimeoutMs ? { timeoutMs: params.requestTimeoutMs } : {}),
              });
              if (password !== undefined) options.adminPassword = password;
              outcome = await ctx.step(key, () => rebootPhone(phone, options));
            }
            results.push(outcome);
            ctx.count(outcome.ok ? 'restarted' : 'failed');
            ctx.log(outcome.ok ? 'info' : 'error', outcome.message);
            ctx.progress(++done, total);
          }),
        ),
      );
      ctx.throwIfCancelled();
      const report: RebootReport = {
        format: 'fieldkit-reboot',
        jobId: ctx.id,
        startedAt,
        finishedAt: new Date().toISOString(),
        fastReboot: plan.fastReboot,
        results: results.sort((a, b) => a.mac.localeCompare(b.mac)),
        notReady: plan.notReady,
      };
      await site.writeJson(`${PROVISIONING_DIR}/reboot-${ctx.id}.json`, RebootReportSchema, report);
      const failed = results.filter((r) => !r.ok).length;
      ctx.progress(
        total,
        total,
        failed === 0
          ? `${total} phone(s) restarting`
          : `${total - failed} of ${total} restarting; ${failed} could not be restarted`,
      );
    },
  };
}

/** The newest reboot report of the site, if any. */
export async function latestRebootReport(site: SiteWorkspace): Promise<RebootReport | undefined> {
  const name = await latestFile(site, 'reboot-');
  return name ? site.readJson(`${PROVISIONING_DIR}/${name}`, RebootReportSchema) : undefined;
}

/**
 * The newest report of a kind. Job ids only order by the second they started in, and two quick jobs (a verify of the
 * whole site, then of one phone) can share it: the report written last wins, then the name.
 */
export async function latestFile(site: SiteWorkspace, prefix: string): Promise<string | undefined> {
  const dir = site.path(PROVISIONING_DIR);
  const names = (await readdir(dir).catch(() => [] as string[])).filter(
    (n) => n.startsWith(prefix) && n.endsWith('.json'),
  );
  const written = await Promise.all(
    names.map(async (name) => ({ name, at: (await stat(join(dir, name)).catch(() => null))?.mtimeMs ?? 0 })),
  );
  return written.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name)).at(-1)?.name;
}
