import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SiteWorkspace } from '../../../electron/core/workspace/site-workspace';
import { CHECKLIST_V1 } from '../../../electron/core/checklist/checklist.v1';
import {
  checklistStatus,
  startRun,
  answerItem,
  completeRun,
  readRuns,
} from '../../../electron/core/checklist/checklist-runs';
import {
  recordFirmwareChange,
  firmwareChangeRecorder,
  isMajorOrMinorChange,
  readFirmwareChanges,
} from '../../../electron/core/firmware/firmware-changes';
import { dueState } from '../../../electron/core/checklist/checklist-engine';
import { type FieldkitError } from '../../../electron/core/util/errors';
import { healthySite, secretsFor, scanPhones, writeConfig, answerEverything } from './checklist-fixture';

const item = (s: Awaited<ReturnType<typeof checklistStatus>>, id: string) => s.items.find((i) => i.id === id)!;
const clock = (iso: string) => () => new Date(iso);

describe('the checklist data', () => {
  test('every item cites a guide or facts section, ids are unique, automatic items name a check', () => {
    const ids = new Set<string>();
    for (const i of CHECKLIST_V1.items) {
      assert.match(i.source, /(guide|phone-facts) §\d/, `${i.id} cites its source`);
      assert.ok(!ids.has(i.id), `${i.id} is unique`);
      ids.add(i.id);
      assert.equal(
        i.kind === 'automatic',
        i.check !== undefined,
        `${i.id}: automatic items and only they name a check`,
      );
      assert.ok(
        CHECKLIST_V1.sections.some((s) => s.id === i.section),
        `${i.id} is in a known section`,
      );
    }
    for (const s of [
      'guide §2.1',
      'guide §2.2',
      'guide §2.3',
      'guide §3',
      'guide §4.1',
      'guide §4.2',
      'guide §5',
      'guide §6',
      'guide §7',
      'guide §8',
      'guide §9',
    ]) {
      assert.ok(
        CHECKLIST_V1.items.some((i) => i.source.includes(s.slice(6)) && i.source.includes('guide')),
        `${s} is covered`,
      );
    }
    assert.deepEqual(
      CHECKLIST_V1.knownIssues.map((k) => k.id),
      ['DTP-73963', 'DTP-74349', 'DTP-74244', 'DTP-74032', 'DTP-73964', 'DTP-74233'],
    );
    assert.equal(CHECKLIST_V1.featureRestrictions.length, 12);
  });
});

describe('automatic items are a function of the site data', () => {
  test('the firmware item flips when a scan reports old firmware, and back when the phone is upgraded', async (t) => {
    const site = await healthySite(t);
    const secrets = secretsFor();
    assert.equal(item(await checklistStatus(site, { secrets }), 'prereq.phone-firmware').outcome, 'pass');
    await scanPhones(site, { '00:10:BC:00:00:01': '6.4.0.140' }, '2026-03-02T10:00:00.000Z');
    const failed = item(await checklistStatus(site, { secrets }), 'prereq.phone-firmware');
    assert.equal(failed.outcome, 'fail');
    assert.ok(
      failed.auto!.evidence.some((e) => e.includes('00:10:BC:00:00:01') && e.includes('6.4.0.140 is below 6.5.0.224')),
      failed.auto!.evidence.join('\n'),
    );
    assert.equal(item(await checklistStatus(site, { secrets }), 'prereq.advisories').outcome, 'warn');
    await scanPhones(site, {}, '2026-03-03T10:00:00.000Z');
    assert.equal(item(await checklistStatus(site, { secrets }), 'prereq.phone-firmware').outcome, 'pass');
  });

  test('configuration items flip when the generated configuration changes; the open run stores the new evidence', async (t) => {
    const site = await healthySite(t);
    const secrets = secretsFor();
    const run = await startRun(
      site,
      { technician: 'Dana Weber', contactPerson: 'Jonas Keller' },
      { secrets, now: clock('2026-03-05T08:00:00Z') },
    );
    let s = await checklistStatus(site, { secrets, now: clock('2026-03-05T08:01:00Z') });
    assert.equal(item(s, 'harden.https').outcome, 'pass');
    assert.equal(item(s, 'digest.dn-user').outcome, 'pass');
    assert.equal(
      item(s, 'harden.https').auto!.evaluatedAt,
      '2026-03-05T08:00:00.000Z',
      'unchanged evidence keeps its time',
    );

    await writeConfig(
      site,
      { provisioning: { protocol: 'HTTP', server: 'prov.example.net', path: 'mitel' } },
      'realm3',
    );
    s = await checklistStatus(site, { secrets, now: clock('2026-03-05T09:00:00Z') });
    const https = item(s, 'harden.https');
    assert.equal(https.outcome, 'fail');
    assert.ok(
      https.auto!.evidence.some((e) => e.startsWith('download protocol: HTTP (startup.cfg line')),
      https.auto!.evidence.join('\n'),
    );
    assert.equal(https.auto!.evaluatedAt, '2026-03-05T09:00:00.000Z');
    const digest = item(s, 'digest.dn-user');
    assert.equal(digest.outcome, 'fail');
    assert.match(digest.auto!.summary, /DTP-73963/);
    const stored = (await readRuns(site)).find((r) => r.id === run.id)!;
    assert.equal(stored.auto['harden.https']!.status, 'fail', 'the evidence is stored in the run');

    await writeConfig(site);
    assert.equal(item(await checklistStatus(site, { secrets }), 'harden.https').outcome, 'pass');
  });

  test('the admin password item needs a stored, non-default password; no secret value appears in the evidence', async (t) => {
    const site = await healthySite(t);
    assert.equal(item(await checklistStatus(site, { secrets: secretsFor() }), 'harden.admin-password').outcome, 'pass');
    const withDefault = item(await checklistStatus(site, { secrets: secretsFor('22222') }), 'harden.admin-password');
    assert.equal(withDefault.outcome, 'fail');
    assert.match(withDefault.auto!.summary, /22222/);
    const letters = item(await checklistStatus(site, { secrets: secretsFor('abc123') }), 'harden.numeric-passwords');
    assert.equal(letters.outcome, 'fail');
    assert.ok(!JSON.stringify(letters).includes('abc123'));
    assert.equal(
      item(await checklistStatus(site), 'harden.admin-password').outcome,
      'warn',
      'without a credential store the check says so',
    );
  });

  test('without inventory or configuration the automatic items are open, not passed', async (t) => {
    const { tempDir } = await import('../../helpers/temp-dir');
    const site = await SiteWorkspace.create(`${await tempDir(t)}/empty`, { name: 'Empty' });
    const s = await checklistStatus(site);
    for (const id of [
      'prereq.phone-firmware',
      'integration.openscape-enable',
      'harden.https',
      'integration.verified',
    ]) {
      assert.equal(item(s, id).outcome, 'open', id);
      assert.equal(item(s, id).auto!.status, 'unknown', id);
    }
  });
});

describe('due state and firmware changes', () => {
  test('major/minor changes count, patch and build changes do not', () => {
    assert.equal(isMajorOrMinorChange('6.4.0.140', '6.5.0.224'), true);
    assert.equal(isMajorOrMinorChange('6.5.0.224', '5.1.0.2051'), true);
    assert.equal(isMajorOrMinorChange('6.5.0.224', '6.5.0.230'), false);
    assert.equal(isMajorOrMinorChange('6.5.0.224', '6.5.1.10'), false);
  });

  test('due after the first installation; after completion a build change keeps it not due, a minor change makes it due', async (t) => {
    const site = await healthySite(t);
    const secrets = secretsFor();
    let s = await checklistStatus(site, { secrets });
    assert.equal(s.due.due, true);
    assert.match(s.due.reasons[0]!, /First installation/);

    const run = await startRun(
      site,
      { technician: 'Dana Weber', contactPerson: 'Jonas Keller' },
      { secrets, now: clock('2026-03-05T08:00:00Z') },
    );
    await answerEverything(site, run.id, secrets);
    await completeRun(site, run.id, { secrets, now: clock('2026-03-05T10:00:00Z') });
    s = await checklistStatus(site, { secrets });
    assert.equal(s.due.due, false);
    assert.equal(s.due.lastCompletedAt, '2026-03-05T10:00:00.000Z');

    await recordFirmwareChange(site, {
      mac: '00085D1A2B3C',
      model: '6867i',
      from: '6.5.0.224',
      to: '6.5.0.230',
      at: '2026-03-06T10:00:00Z',
    });
    s = await checklistStatus(site, { secrets });
    assert.equal(s.due.due, false, 'a build change does not make the checklist due');
    assert.match(s.due.notDue[0]!, /6\.5\.0\.224 → 6\.5\.0\.230 on 1 phone/);

    await recordFirmwareChange(site, {
      mac: '00:10:bc:00:00:01',
      model: '6865i',
      from: '6.5.0.230',
      to: '6.6.0.10',
      at: '2026-03-07T10:00:00+01:00',
    });
    s = await checklistStatus(site, { secrets });
    assert.equal(s.due.due, true);
    assert.match(
      s.due.reasons[0]!,
      /Major or minor firmware change by Fieldkit: 6\.5\.0\.230 → 6\.6\.0\.10 on 1 phone \(2026-03-07\)/,
    );
    const changes = await readFirmwareChanges(site);
    assert.equal(changes[1]!.mac, '00:10:BC:00:00:01');
    assert.equal(changes[1]!.at, '2026-03-07T09:00:00.000Z', 'times are kept in UTC so that they compare');

    const next = await startRun(
      site,
      { technician: 'Dana Weber', contactPerson: 'Jonas Keller' },
      { secrets, now: clock('2026-03-08T08:00:00Z') },
    );
    assert.match(next.trigger[0]!, /6\.6\.0\.10/);
    assert.equal(
      item(await checklistStatus(site, { secrets }), 'upgrade.changes').auto!.evidence.length,
      2,
      'the new run lists the changes since the last one',
    );
  });

  test('a firmware change older than the last completed run does not make it due; a bad record is refused', async (t) => {
    assert.equal(
      dueState(
        ['2026-03-05T10:00:00.000Z'],
        [{ mac: '00:08:5D:1A:2B:3C', from: '6.4.0.140', to: '6.5.0.224', at: '2026-03-01T00:00:00.000Z' }],
      ).due,
      false,
    );
    const site = await healthySite(t);
    await assert.rejects(
      recordFirmwareChange(site, { mac: '00085D1A2B3C', from: '6.5', to: '6.5.0.224', at: '2026-03-01T00:00:00Z' }),
      /from: is not a firmware version/,
    );
    await assert.rejects(
      recordFirmwareChange(site, { mac: 'nope', from: '6.5.0.1', to: '6.5.0.224', at: '2026-03-01T00:00:00Z' }),
      /mac: is not a MAC address/,
    );
  });
});

describe('firmware changes of a wave', () => {
  test('changes recorded at once are all kept, in fewer writes than phones, each call resolving once written', async (t) => {
    const site = await healthySite(t);
    let writes = 0;
    const counted = new Proxy(site, {
      get: (target, key, receiver) =>
        key === 'updateJson'
          ? (...args: unknown[]) => {
              writes++;
              return (target.updateJson as (...a: unknown[]) => unknown).apply(target, args);
            }
          : Reflect.get(target, key, receiver),
    });
    const record = firmwareChangeRecorder(() => counted);
    const macs = Array.from({ length: 40 }, (_, i) => `00085D1A${(0x2b00 + i).toString(16).toUpperCase()}`);
    await Promise.all(
      macs.map(async (mac, i) => {
        const entry = await record({
          mac,
          from: '6.5.0.224',
          to: '6.6.0.10',
          at: `2026-03-06T10:00:${String(i).padStart(2, '0')}Z`,
        });
        const stored = await readFirmwareChanges(site);
        assert.ok(
          stored.some((c) => c.mac === entry.mac),
          `${mac} resolved before it was in the file`,
        );
      }),
    );
    const stored = await readFirmwareChanges(site);
    assert.equal(stored.length, macs.length);
    assert.ok(writes <= 2, `${writes} writes for ${macs.length} changes`);
    await record({ mac: macs[0]!, from: '6.5.0.224', to: '6.6.0.10', at: '2026-03-06T10:00:00Z' });
    assert.equal((await readFirmwareChanges(site)).length, macs.length, 'the same change twice is kept once');
    await assert.rejects(
      record({ mac: 'nope', from: '6.5.0.1', to: '6.5.0.224', at: '2026-03-01T00:00:00Z' }),
      /mac: is not a MAC address/,
    );
  });
});

describe('runs', () => {
  test("a deviation needs its reason and the customer's contact person; a passing check takes no answer", async (t) => {
    const site = await healthySite(t);
    await writeConfig(site, { provisioning: { protocol: 'HTTP', server: 'prov.example.net', path: 'mitel' } });
    const secrets = secretsFor();
    const run = await startRun(site, { technician: 'Dana Weber', contactPerson: 'Jonas Keller' }, { secrets });
    await assert.rejects(
      answerItem(
        site,
        { runId: run.id, itemId: 'harden.https', status: 'deviation', agreedWith: 'Jonas Keller' },
        { secrets },
      ),
      (e: FieldkitError) => e.code === 'invalid-input' && /needs its reason/.test(e.message),
    );
    await assert.rejects(
      answerItem(
        site,
        { runId: run.id, itemId: 'harden.https', status: 'deviation', reason: 'PKI rollout in Q3' },
        { secrets },
      ),
      /contact person/,
    );
    await assert.rejects(
      answerItem(site, { runId: run.id, itemId: 'harden.https', status: 'pass' }, { secrets }),
      /takes "deviation"/,
    );
    await assert.rejects(
      answerItem(
        site,
        { runId: run.id, itemId: 'harden.contact-rcs', status: 'deviation', reason: 'x', agreedWith: 'y' },
        { secrets },
      ),
      /passes; there is nothing to record/,
    );
    await assert.rejects(
      answerItem(site, { runId: run.id, itemId: 'security.duty', status: 'pass' }, { secrets }),
      /takes "noted"/,
    );
    const view = await answerItem(
      site,
      {
        runId: run.id,
        itemId: 'harden.https',
        status: 'deviation',
        reason: 'PKI rollout in Q3',
        agreedWith: 'Jonas Keller',
      },
      { secrets },
    );
    assert.equal(view.outcome, 'deviation');
    assert.equal(view.answer!.by, 'Dana Weber');
    // Once the configuration is fixed, the check's own result counts again.
    await writeConfig(site);
    assert.equal(item(await checklistStatus(site, { secrets }), 'harden.https').outcome, 'pass');
  });

  test('a run is resumable: starting again returns it, answers survive reopening the site, completion waits for open items', async (t) => {
    const site = await healthySite(t);
    const secrets = secretsFor();
    await assert.rejects(startRun(site, { technician: 'Dana Weber', contactPerson: ' ' }), /contact person/);
    const run = await startRun(
      site,
      { technician: 'Dana Weber', contactPerson: 'Jonas Keller' },
      { secrets, now: clock('2026-03-05T08:00:00Z') },
    );
    await answerItem(
      site,
      { runId: run.id, itemId: 'prereq.osv-version', status: 'pass', note: 'V10 R3.30.2' },
      { secrets },
    );
    await assert.rejects(
      completeRun(site, run.id, { secrets }),
      (e: FieldkitError) => e.code === 'conflict' && /still open/.test(e.message),
    );

    const reopened = await SiteWorkspace.open(site.root);
    const again = await startRun(reopened, { technician: 'Someone Else', contactPerson: 'Other' }, { secrets });
    assert.equal(again.id, run.id, 'the unfinished run is resumed, not duplicated');
    const s = await checklistStatus(reopened, { secrets });
    assert.equal(s.run!.id, run.id);
    assert.equal(item(s, 'prereq.osv-version').answer!.note, 'V10 R3.30.2');
    assert.equal(s.history.length, 1);

    await answerEverything(reopened, run.id, secrets);
    const done = await completeRun(reopened, run.id, { secrets, now: clock('2026-03-05T11:00:00Z') });
    assert.equal(done.completedAt, '2026-03-05T11:00:00.000Z');
    assert.equal(done.progress.open, 0);
    await assert.rejects(
      answerItem(reopened, { runId: run.id, itemId: 'prereq.osv-version', status: 'fail' }, { secrets }),
      /can no longer be changed/,
    );
    assert.equal((await checklistStatus(reopened, { secrets })).run, null);
  });
});
