// Rebooting and verifying phones: the plan to confirm before the 'reboot' job, the stored results of the last
// reboot and verification, and the job kinds 'reboot' and 'verify'.
import { z } from 'zod';
import { call, jobKind } from '../schema-kit';
import { RebootJobParamsSchema, RebootSelectionSchema, RebootReportSchema } from '../../core/provisioning/reboot-job';
import { RebootPlanSchema } from '../../core/provisioning/reboot-plan-schemas';
import { SitePhoneSchema } from '../../core/provisioning/site-phone-schemas';
import { VerifyJobParamsSchema, VerifyReportSchema } from '../../core/provisioning/verify-job';
import { PhoneProbeInputSchema, PhoneProbeResultSchema } from '../../core/firmware/phone-probe';
import { Empty } from './common';

export const phoneCalls = {
  'phones.list': call(
    Empty,
    z.array(SitePhoneSchema),
    "The site's phones as provisioning sees them: the sheet joined with discovery by MAC.",
  ),
  'phones.rebootPlan': call(
    RebootSelectionSchema.strict(),
    RebootPlanSchema,
    'What a reboot would do (phones, methods in order); start job "reboot" with its token to confirm.',
  ),
  'phones.lastReboot': call(Empty, RebootReportSchema.nullable(), 'The result of the last reboot job of the site.'),
  'phones.probe': call(
    PhoneProbeInputSchema,
    PhoneProbeResultSchema,
    "Evidence from one phone: what it answers (SIP OPTIONS, 401, /sysinfo.html, /configurationServer.html without password values, the provisioning User-Agent if seen) and every assumption Fieldkit makes about a phone, held or not; saved as a capture (outDir, or the site's probes/ folder).",
  ),
  'phones.lastVerify': call(
    Empty,
    VerifyReportSchema.nullable(),
    'The result of the last verification of the site, per phone.',
  ),
} as const;

export const phoneJobKinds = {
  reboot: jobKind(
    RebootJobParamsSchema,
    "Restart the planned phones (SIP NOTIFY, web UI, XML push); planToken is the plan's token from phones.rebootPlan.",
  ),
  verify: jobKind(
    VerifyJobParamsSchema,
    'Check that rebooted phones came back, fetched their files and run the expected firmware and settings.',
  ),
} as const;
