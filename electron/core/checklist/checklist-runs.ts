// Checklist runs of a site (checklist/runs.json): started by a technician with the customer's contact person,
// answered item by item (resumable at any time), completed when no item is open. The automatic results are
// re-evaluated from the site's data whenever the status is read, and stored in the open run with the time
// each result was first seen; a completed run keeps them frozen as its evidence.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { FieldkitError } from '../util/errors';
import { CURRENT_CHECKLIST, CHECKLIST_V1, type ChecklistDefinition } from './checklist.v1';
import { loadChecklistInputs, type ChecklistInputs } from './checklist-inputs';
import {
  AnswerSchema,
  AnswerStatusSchema,
  allowedAnswers,
  dueState,
  evaluateAll,
  outcome,
  progressOf,
  validateAnswer,
  type Answer,
} from './checklist-engine';
import type { SecretStore } from '../secrets/secret-store';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { AutoResult } from './auto-checks';
import type { ChecklistStatus, ItemView, RunSummary } from './checklist-schemas';

export const RUNS_FILE = 'checklist/runs.json';

const AutoRecordSchema = z.object({
  status: z.enum(['pass', 'warn', 'fail', 'unknown']),
  summary: z.string(),
  evidence: z.array(z.string()),
  /** When this result was first seen. */
  evaluatedAt: z.string(),
});
type AutoRecord = z.infer<typeof AutoRecordSchema>;

export const RunSchema = z.object({
  id: z.string(),
  checklistId: z.string(),
  checklistVersion: z.number().int(),
  startedAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  technician: z.string(),
  contactPerson: z.string(),
  /** Why the run was due when it started. */
  trigger: z.array(z.string()),
  /** Firmware changes before this time are covered by an earlier run. */
  since: z.string().nullable(),
  answers: z.record(z.string(), AnswerSchema),
  auto: z.record(z.string(), AutoRecordSchema),
});
export type ChecklistRun = z.output<typeof RunSchema>;

const RunsFileSchema = z.object({
  format: z.literal('fieldkit-checklist-runs'),
  formatVersion: z.literal(1),
  runs: z.array(RunSchema),
});

export const RunStartSchema = z.object({
  technician: z.string().trim().min(1, "Give the technician's name.").max(120),
  contactPerson: z
    .string()
    .trim()
    .min(1, "Give the customer's contact person: deviations are agreed with them (guide §2.2).")
    .max(200),
});
export type RunStart = z.input<typeof RunStartSchema>;

export const AnswerInputSchema = z.object({
  runId: z.string().min(1).max(100),
  itemId: z.string().min(1).max(100),
  status: AnswerStatusSchema,
  note: z.string().max(4000).default(''),
  reason: z.string().max(4000).default(''),
  agreedWith: z.string().max(200).default(''),
});
export type AnswerInput = z.input<typeof AnswerInputSchema>;

export type { ChecklistStatus, ItemView, RunSummary };

export interface ChecklistOptions {
  secrets?: SecretStore;
  now?: () => Date;
}

const DEFINITIONS = [CHECKLIST_V1];

export function definitionFor(run: Pick<ChecklistRun, 'checklistId' | 'checklistVersion'>): ChecklistDefinition {
  const def = DEFINITIONS.find((d) => d.id === run.checklistId && d.version === run.checklistVersion);
  if (!def)
    throw new FieldkitError(
      'workspace-corrupt',
      `The run uses checklist ${run.checklistId} version ${run.checklistVersion}, which this Fieldkit does not know. Use the Fieldkit version that created it.`,
    );
  return def;
}

const queues = new WeakMap<SiteWorkspace, Promise<unknown>>();

/** One change to runs.json at a time per site. */
function exclusive<T>(site: SiteWorkspace, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(site) ?? Promise.resolve()).then(fn, fn);
  queues.set(
    site,
    run.catch(() => undefined),
  );
  return run;
}

export async function readRuns(site: SiteWorkspace): Promise<ChecklistRun[]> {
  return (await site.readJson(RUNS_FILE, RunsFileSchema))?.runs ?? [];
}

async function writeRuns(site: SiteWorkspace, runs: ChecklistRun[]): Promise<void> {
  await site.writeJson(RUNS_FILE, RunsFileSchema, { format: 'fieldkit-checklist-runs', formatVersion: 1, runs });
}

const openRunOf = (runs: readonly ChecklistRun[]) => runs.find((r) => r.completedAt === null);
const completedTimes = (runs: readonly ChecklistRun[]) => runs.flatMap((r) => (r.completedAt ? [r.completedAt] : []));

export function itemViews(
  def: ChecklistDefinition,
  auto: Record<string, AutoResult & { evaluatedAt?: string }>,
  answers: Record<string, Answer>,
): ItemView[] {
  return def.items.map((item) => {
    const a = auto[item.id];
    const answer = answers[item.id];
    return {
      ...item,
      auto: a ?? null,
      answer: answer ?? null,
      outcome: outcome(item, a, answer),
      allowed: allowedAnswers(item, a),
    };
  });
}

function summarise(run: ChecklistRun, views: ItemView[]): RunSummary {
  return {
    id: run.id,
    checklistVersion: run.checklistVersion,
    startedAt: run.startedAt,
    updatedAt: run.updatedAt,
    completedAt: run.completedAt,
    technician: run.technician,
    contactPerson: run.contactPerson,
    progress: progressOf(views.map((v) => v.outcome)),
  };
}

/** Fresh results merged into the stored ones: a result that did not change keeps the time it was first seen. */
function mergeAuto(
  stored: Record<string, AutoRecord>,
  fresh: Record<string, AutoResult>,
  now: string,
): { auto: Record<string, AutoRecord>; changed: boolean } {
  const auto: Record<string, AutoRecord> = {};
  let changed = Object.keys(stored).length !== Object.keys(fresh).length;
  for (const [id, r] of Object.entries(fresh)) {
    const old = stored[id];
    const same =
      old &&
      old.status === r.status &&
      old.summary === r.summary &&
      JSON.stringify(old.evidence) === JSON.stringify(r.evidence);
    auto[id] = same ? old : { ...r, evaluatedAt: now };
    if (!same) changed = true;
  }
  return { auto, changed };
}

function runView(run: ChecklistRun): ItemView[] {
  return itemViews(definitionFor(run), run.auto, run.answers);
}

/** The checklist as it stands now: due state, the open run (re-evaluated and stored), items and history. */
export function checklistStatus(site: SiteWorkspace, options: ChecklistOptions = {}): Promise<ChecklistStatus> {
  return exclusive(site, async () => {
    const now = (options.now ?? (() => new Date()))().toISOString();
    const inputs = await loadChecklistInputs(site, options.secrets);
    const runs = await readRuns(site);
    const due = dueState(completedTimes(runs), inputs.firmwareChanges);
    const open = openRunOf(runs);
    let items: ItemView[];
    if (open) {
      const def = definitionFor(open);
      const merged = mergeAuto(open.auto, evaluateAll(def, inputs, open.since), now);
      if (merged.changed) {
        open.auto = merged.auto;
        await writeRuns(site, runs);
      }
      items = runView(open);
    } else {
      items = itemViews(CURRENT_CHECKLIST, evaluateAll(CURRENT_CHECKLIST, inputs, due.lastCompletedAt), {});
    }
    const def = open ? definitionFor(open) : CURRENT_CHECKLIST;
    return {
      checklist: { id: def.id, version: def.version, title: def.title, sections: def.sections },
      due,
      run: open ? summarise(open, items) : null,
      items,
      progress: progressOf(items.map((i) => i.outcome)),
      history: [...runs].reverse().map((r) => summarise(r, r === open ? items : runView(r))),
    };
  });
}

/** Starts a run; an unfinished run is resumed instead of starting a second one. */
export async function startRun(
  site: SiteWorkspace,
  input: RunStart,
  options: ChecklistOptions = {},
): Promise<ChecklistRun> {
  const parsed = RunStartSchema.safeParse(input);
  if (!parsed.success) throw new FieldkitError('invalid-input', parsed.error.issues.map((i) => i.message).join(' '));
  return exclusive(site, async () => {
    const now = (options.now ?? (() => new Date()))().toISOString();
    const runs = await readRuns(site);
    const open = openRunOf(runs);
    if (open) return open;
    const inputs: ChecklistInputs = await loadChecklistInputs(site, options.secrets);
    const due = dueState(completedTimes(runs), inputs.firmwareChanges);
    const fresh = evaluateAll(CURRENT_CHECKLIST, inputs, due.lastCompletedAt);
    const run: ChecklistRun = {
      id: `run-${now.replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`,
      checklistId: CURRENT_CHECKLIST.id,
      checklistVersion: CURRENT_CHECKLIST.version,
      startedAt: now,
      updatedAt: now,
      completedAt: null,
      technician: parsed.data.technician,
      contactPerson: parsed.data.contactPerson,
      trigger: due.due ? due.reasons : ['Started by the technician while not due.'],
      since: due.lastCompletedAt,
      answers: {},
      auto: mergeAuto({}, fresh, now).auto,
    };
    await writeRuns(site, [...runs, run]);
    return run;
  });
}

function requireOpenRun(runs: ChecklistRun[], runId: string): ChecklistRun {
  const run = runs.find((r) => r.id === runId);
  if (!run) throw new FieldkitError('not-found', `No checklist run ${runId} in this site. Reload the checklist.`);
  if (run.completedAt)
    throw new FieldkitError(
      'conflict',
      `Checklist run ${runId} was completed on ${run.completedAt.slice(0, 10)} and can no longer be changed. Start a new run.`,
    );
  return run;
}

/** Records the technician's answer for one item of the open run. */
export async function answerItem(
  site: SiteWorkspace,
  input: AnswerInput,
  options: ChecklistOptions = {},
): Promise<ItemView> {
  const parsed = AnswerInputSchema.safeParse(input);
  if (!parsed.success)
    throw new FieldkitError(
      'invalid-input',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  const a = parsed.data;
  return exclusive(site, async () => {
    const now = (options.now ?? (() => new Date()))().toISOString();
    const runs = await readRuns(site);
    const run = requireOpenRun(runs, a.runId);
    const def = definitionFor(run);
    const item = def.items.find((i) => i.id === a.itemId);
    if (!item) throw new FieldkitError('invalid-input', `The checklist has no item "${a.itemId}".`);
    const problem = validateAnswer(item, run.auto[item.id], a);
    if (problem) throw new FieldkitError('invalid-input', problem);
    run.answers[item.id] = AnswerSchema.parse({
      status: a.status,
      note: a.note,
      reason: a.reason,
      agreedWith: a.agreedWith,
      at: now,
      by: run.technician,
    });
    run.updatedAt = now;
    await writeRuns(site, runs);
    return itemViews(def, run.auto, run.answers).find((v) => v.id === item.id)!;
  });
}

/** Completes the open run after re-evaluating it; refused while items are open. */
export async function completeRun(
  site: SiteWorkspace,
  runId: string,
  options: ChecklistOptions = {},
): Promise<RunSummary> {
  const status = await checklistStatus(site, options);
  if (status.run?.id !== runId) {
    const runs = await readRuns(site);
    requireOpenRun(runs, runId);
  }
  const open = status.items.filter((i) => i.outcome === 'open');
  if (open.length > 0) {
    throw new FieldkitError(
      'conflict',
      `${open.length} item(s) are still open: ${open
        .slice(0, 5)
        .map((i) => `"${i.title}"`)
        .join(', ')}${open.length > 5 ? ', …' : ''}. Answer them first.`,
    );
  }
  return exclusive(site, async () => {
    const now = (options.now ?? (() => new Date()))().toISOString();
    const runs = await readRuns(site);
    const run = requireOpenRun(runs, runId);
    run.completedAt = now;
    run.updatedAt = now;
    await writeRuns(site, runs);
    return summarise(run, runView(run));
  });
}
