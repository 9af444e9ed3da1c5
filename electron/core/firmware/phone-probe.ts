// `phones.probe` / `fieldkit phone probe`: evidence from the first real phone. Asks it what Fieldkit asks (with the
// site's web credentials, through the same lookup the firmware run uses), lists every assumption Fieldkit makes
// about a phone and whether this one held, and saves the capture so it can become a test fixture
// (test/fixtures/phones/<name>/: capture.json, sysinfo.html, assumptions.json).
import { mkdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { AssumptionResultSchema, checkAssumptions } from '../phone/assumptions';
import { capturePhone, PhoneCaptureSchema } from '../phone/probe';
import { FetchLog } from '../provisioning/fetch-log';
import { loadSitePhones } from '../provisioning/site-phones';
import { writeFileAtomic } from '../workspace/atomic-file';
import { FieldkitError } from '../util/errors';
import { credentialsFor, FACTORY_ADMIN_PASSWORD } from './phone-access';
import type { SecretStore } from '../secrets/secret-store';
import type { SiteWorkspace } from '../workspace/site-workspace';

export const PhoneProbeResultSchema = z.object({
  capture: PhoneCaptureSchema,
  assumptions: z.array(AssumptionResultSchema),
  summary: z.object({ held: z.number().int(), notHeld: z.number().int(), unknown: z.number().int() }),
  /** Where the capture was saved (absolute, or relative to the site folder when saved in it). */
  savedTo: z.string(),
  files: z.array(z.string()),
});
export type PhoneProbeResult = z.infer<typeof PhoneProbeResultSchema>;

export const PhoneProbeInputSchema = z
  .object({
    ip: z.string().trim().min(1).max(64),
    /** Absolute folder to save the capture in; default: the site's probes/<ip>-<time>/ folder. */
    outDir: z.string().trim().min(1).max(4096).optional(),
  })
  .strict();

export interface PhoneProbeDeps {
  site: SiteWorkspace;
  secrets: SecretStore;
  localAddress?: string;
  timeoutMs?: number;
}

/** The files a capture is saved as; a fixture folder holds the same. */
export async function saveCapture(dir: string, result: Omit<PhoneProbeResult, 'savedTo' | 'files'>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = ['capture.json', 'assumptions.json'];
  await writeFileAtomic(join(dir, 'capture.json'), `${JSON.stringify(result.capture, null, 2)}\n`);
  await writeFileAtomic(
    join(dir, 'assumptions.json'),
    `${JSON.stringify({ summary: result.summary, assumptions: result.assumptions }, null, 2)}\n`,
  );
  if (result.capture.sysinfo.html !== null) {
    await writeFileAtomic(join(dir, 'sysinfo.html'), result.capture.sysinfo.html);
    files.push('sysinfo.html');
  }
  return files;
}

export function summarise(assumptions: readonly z.infer<typeof AssumptionResultSchema>[]): PhoneProbeResult['summary'] {
  return {
    held: assumptions.filter((a) => a.held === true).length,
    notHeld: assumptions.filter((a) => a.held === false).length,
    unknown: assumptions.filter((a) => a.held === 'unknown').length,
  };
}

export async function probePhone(
  deps: PhoneProbeDeps,
  input: z.input<typeof PhoneProbeInputSchema>,
  now = new Date(),
): Promise<PhoneProbeResult> {
  const { ip, outDir } = PhoneProbeInputSchema.parse(input);
  if (isIP(ip) === 0)
    throw new FieldkitError(
      'invalid-input',
      `"${ip}" is not an IP address; give the phone's address, e.g. 10.20.30.41.`,
    );
  if (outDir !== undefined && !isAbsolute(outDir))
    throw new FieldkitError('invalid-input', `The folder "${outDir}" must be an absolute path.`);
  const known = (await loadSitePhones(deps.site)).find((p) => p.ip === ip);
  // The site's passwords go only to an inventory phone whose address shows its MAC (phone-web-access.ts); any other
  // device, or one that fails that check, is asked with the public factory default only.
  const login = known
    ? await credentialsFor(
        deps.site,
        deps.secrets,
        { mac: known.mac, ip, httpPort: known.httpPort, sipPort: known.sipPort },
        deps.timeoutMs ?? 5000,
        deps.localAddress,
      )
    : null;
  const password = login && !('refused' in login) ? login.password : FACTORY_ADMIN_PASSWORD;
  const seen = (await new FetchLog(deps.site).read({ limit: 20_000 })).filter((e) => e.ip === ip && e.userAgent);
  const capture = await capturePhone({
    host: ip,
    sipPort: known?.sipPort ?? 5060,
    httpPort: known?.httpPort ?? 80,
    credentials: { password },
    provisioningUserAgent: seen.at(-1)?.userAgent ?? null,
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
    ...(deps.localAddress ? { localAddress: deps.localAddress } : {}),
  });
  const assumptions = checkAssumptions(capture);
  const summary = summarise(assumptions);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const relative = `probes/${ip}-${stamp}`;
  const dir = outDir ?? deps.site.path(relative);
  const files = await saveCapture(dir, { capture, assumptions, summary });
  return { capture, assumptions, summary, savedTo: outDir ?? relative, files };
}
