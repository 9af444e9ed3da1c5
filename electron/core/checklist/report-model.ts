// What the customer report shows, gathered from the site: a run (the open one as a draft, or a completed
// one with its frozen evidence), the inventory, the firmware changes, and the handover lists of the
// checklist. Holds no secrets: credentials appear only as "from the credential store".
import { InventoryStore } from '../inventory/inventory-store';
import { FieldkitError } from '../util/errors';
import { firmwareBeforeAfter, readFirmwareChanges, type FirmwareBeforeAfter } from '../firmware/firmware-changes';
import { CURRENT_CHECKLIST, type ChecklistDefinition, type ChecklistSection } from './checklist.v1';
import { isIntegrationPhone } from './checklist-inputs';
import { dueState, progressOf, type Progress } from './checklist-engine';
import { checklistStatus, definitionFor, itemViews, readRuns, type ItemView } from './checklist-runs';
import type { SiteWorkspace } from '../workspace/site-workspace';
import type { SecretStore } from '../secrets/secret-store';
import type { InventoryRow } from '../inventory/inventory-rows';

export interface ReportPhone {
  mac: string;
  model: string;
  directoryNumber: string;
  displayName: string;
  location: string;
  firmware: string;
  presence: string;
}

export interface ReportDeviation {
  itemId: string;
  title: string;
  source: string;
  reason: string;
  agreedWith: string;
  note: string;
  at: string;
}

export interface ReportModel {
  createdAt: string;
  fieldkitVersion: string;
  site: { name: string; customer: string; technician: string; contactPerson: string };
  checklist: { id: string; version: number; title: string; basedOn: string[] };
  run: {
    id: string;
    startedAt: string;
    completedAt: string | null;
    technician: string;
    contactPerson: string;
    trigger: string[];
  } | null;
  /** True while the run is not completed (or there is none): the report says so on every page. */
  draft: boolean;
  progress: Progress;
  sections: (ChecklistSection & { items: ItemView[] })[];
  deviations: ReportDeviation[];
  inventory: {
    phones: ReportPhone[];
    byModel: [string, number][];
    byFirmware: [string, number][];
    notSeen: number;
    otherDevices: number;
  };
  /** `name`: how the customer knows the phone (display name, number, location); '' when the sheet has none. */
  firmware: { since: string | null; changes: (FirmwareBeforeAfter & { now: string | null; name: string })[] };
  featureRestrictions: ChecklistDefinition['featureRestrictions'];
  knownIssues: ChecklistDefinition['knownIssues'];
}

function counts(values: string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function reportPhone(r: InventoryRow): ReportPhone {
  return {
    mac: r.mac ?? r.ip ?? r.key,
    model: r.model ?? 'unknown',
    directoryNumber: r.directoryNumber,
    displayName: r.displayName,
    location: r.location,
    firmware: r.firmware ?? 'unknown',
    presence: r.presence,
  };
}

/** "Desk 3 · 2108189702 · Floor 3": what the customer calls the phone. */
export function phoneName(r: InventoryRow | undefined): string {
  if (!r) return '';
  return [r.displayName, r.directoryNumber, r.location].filter(Boolean).join(' · ');
}

export interface ReportOptions {
  /** A completed run; default: the open run, else the last completed one. */
  runId?: string;
  secrets?: SecretStore;
  now?: () => Date;
  fieldkitVersion: string;
}

export async function buildReportModel(site: SiteWorkspace, options: ReportOptions): Promise<ReportModel> {
  const now = options.now ?? (() => new Date());
  // Re-evaluates and stores the open run's evidence first, so that the report and the run agree.
  const status = await checklistStatus(site, { ...(options.secrets ? { secrets: options.secrets } : {}), now });
  const runs = await readRuns(site);
  const run = options.runId
    ? runs.find((r) => r.id === options.runId)
    : (runs.find((r) => r.completedAt === null) ?? [...runs].reverse().find((r) => r.completedAt));
  if (options.runId && !run) throw new FieldkitError('not-found', `No checklist run ${options.runId} in this site.`);
  const def: ChecklistDefinition = run ? definitionFor(run) : CURRENT_CHECKLIST;
  const items = run ? itemViews(def, run.auto, run.answers) : status.items;

  const rows = await InventoryStore.for(site).rows();
  const phones = rows.filter(isIntegrationPhone);
  const until = run?.completedAt ?? null;
  const changes = (await readFirmwareChanges(site)).filter((c) => until === null || c.at <= until);
  const completedBefore = runs
    .filter((r) => r.completedAt && (!run || r.completedAt < (run.completedAt ?? run.startedAt)))
    .map((r) => r.completedAt!);
  const since = run ? run.since : dueState(completedBefore, changes).lastCompletedAt;
  const byMac = new Map(rows.map((r) => [r.mac, r]));

  const meta = site.meta;
  return {
    createdAt: now().toISOString(),
    fieldkitVersion: options.fieldkitVersion,
    site: {
      name: meta.name,
      customer: meta.customer,
      technician: run?.technician || meta.technician,
      contactPerson: run?.contactPerson || meta.contactPerson,
    },
    checklist: { id: def.id, version: def.version, title: def.title, basedOn: def.basedOn },
    run: run
      ? {
          id: run.id,
          startedAt: run.startedAt,
          completedAt: run.completedAt,
          technician: run.technician,
          contactPerson: run.contactPerson,
          trigger: run.trigger,
        }
      : null,
    draft: !run?.completedAt,
    progress: progressOf(items.map((i) => i.outcome)),
    sections: def.sections.map((s) => ({ ...s, items: items.filter((i) => i.section === s.id) })),
    deviations: items
      .filter((i) => i.outcome === 'deviation' && i.answer)
      .map((i) => ({
        itemId: i.id,
        title: i.title,
        source: i.source,
        reason: i.answer!.reason,
        agreedWith: i.answer!.agreedWith,
        note: i.answer!.note,
        at: i.answer!.at,
      })),
    inventory: {
      phones: phones
        .map(reportPhone)
        .sort(
          (a, b) =>
            a.location.localeCompare(b.location) ||
            a.directoryNumber.localeCompare(b.directoryNumber) ||
            a.mac.localeCompare(b.mac),
        ),
      byModel: counts(phones.map((p) => p.model ?? 'unknown')),
      byFirmware: counts(phones.map((p) => p.firmware ?? 'unknown')),
      notSeen: phones.filter((p) => p.presence === 'expected').length,
      otherDevices: rows.filter((r) => !isIntegrationPhone(r) && r.presence === 'present').length,
    },
    firmware: {
      since,
      changes: firmwareBeforeAfter(changes, since).map((c) => ({
        ...c,
        now: byMac.get(c.mac)?.firmware ?? null,
        name: phoneName(byMac.get(c.mac)),
      })),
    },
    featureRestrictions: def.featureRestrictions,
    knownIssues: def.knownIssues,
  };
}
