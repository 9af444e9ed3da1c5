// THE contract between every caller and the core. Every call, event and job kind is declared once, with its
// runtime schema, in electron/api/calls/<area>.ts and gathered here; Electron IPC, the preload bridge, the
// browser host, the renderer client and the CLI all derive from this object.
// To add a call: declare it in its area file and implement it in electron/app/handlers/<area>.ts (README.md,
// "Rules that keep it easy to change").
import { siteCalls } from './calls/site';
import { jobCalls, coreEvents } from './calls/jobs';
import { checklistCalls } from './calls/checklist';
import { inventoryCalls, inventoryEvents } from './calls/inventory';
import { configCalls } from './calls/config';
import { phoneCalls } from './calls/phones';
import { provisioningCalls, provisioningEvents } from './calls/provisioning';
import { diagnosticsCalls } from './calls/diagnostics';
import { firmwareCalls } from './calls/firmware';
import type { SiteSummarySchema } from './calls/common';
import type { z } from 'zod';

export const calls = {
  ...siteCalls,
  ...jobCalls,
  ...checklistCalls,
  ...inventoryCalls,
  ...configCalls,
  ...phoneCalls,
  ...provisioningCalls,
  ...diagnosticsCalls,
  ...firmwareCalls,
} as const;

export const events = {
  ...coreEvents,
  ...inventoryEvents,
  ...provisioningEvents,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallParsedInput<N extends CallName> = z.output<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]['payload']>;
export type SiteSummary = z.output<typeof SiteSummarySchema>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export { jobKinds, jobKindNames, type JobKind, type JobParams } from './job-kinds';
export * from './transport';
