/**
 * Cases that were open when the workflow code changed replay under the new code. Each fixture holds
 * certification histories recorded on the code of its time (one per end: refused, withdrawn at
 * reception, returned then withdrawn, signed then withdrawn, completed; from the third fixture on
 * also a late case, with its warnings, breaches and apology slip), with the version markers of that
 * time: before `case-2026-12` four markers, then that one alone, then `scan-check-as-local-activity`
 * alone, until an alarm reached the case list before its notice. They replay deterministically
 * against today's code, while a case started today records one marker, checks its scan within the
 * workflow task (no activity task), keeps its deadline timer while the next alarm stays where it was
 * (the scan's attachment, say), and projects each alarm before its notice goes out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { temporal } from '@temporalio/proto';
import { localActivityOf } from '../../api/audit/timeline';
import { replayHistory } from '../../infra/replay/replayer';
import { workflowBundle } from '../certification/world';
import { startOffice, type CaseEnd, type Office } from './office';

type History = temporal.api.history.v1.IHistory;

interface Recorded {
  end: string;
  workflowId: string;
  history: History;
}

const ENDS: CaseEnd[] = ['refused', 'withdrawn-at-reception', 'returned-then-withdrawn', 'signed-then-withdrawn', 'completed'];

const FIXTURES: Array<{ file: string; markers: string[]; ends: CaseEnd[] }> = [
  {
    file: 'histories-before-2026-12.json.gz',
    markers: ['complex-extension-and-citizen-notices', 'projection-as-local-activity', 'signing-and-sealing-as-local-activities', 'local-activities-one-at-a-time'],
    ends: ENDS,
  },
  { file: 'histories-case-2026-12.json.gz', markers: ['case-2026-12'], ends: ENDS },
  // From here on a fixture also holds a late case: its warnings, breaches and apology slip.
  { file: 'histories-scan-check-as-local-activity.json.gz', markers: ['scan-check-as-local-activity'], ends: [...ENDS, 'late-then-completed'] },
];

function recorded(file: string): Recorded[] {
  const raw = gunzipSync(fs.readFileSync(path.join(__dirname, 'fixtures', file))).toString('utf8');
  return (JSON.parse(raw) as Array<{ end: string; workflowId: string; history: string }>).map((r) => ({
    end: r.end,
    workflowId: r.workflowId,
    history: temporal.api.history.v1.History.decode(Buffer.from(r.history, 'base64')),
  }));
}

function patchIds(history: History): string[] {
  return (history.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => Buffer.from(e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!).toString('utf8'))
    .map((json) => (JSON.parse(json) as { id: string }).id);
}

/** The events of the scan's update, from its acceptance to its answer. */
function eventsOfTheScan(history: History): temporal.api.history.v1.IHistoryEvent[] {
  const events = history.events ?? [];
  const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'attachScan');
  expect(accepted, 'the scan was attached by an update').to.be.greaterThan(0);
  const updateId = events[accepted]!.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.meta!.updateId;
  const completed = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId === updateId);
  expect(completed, 'and answered').to.be.greaterThan(accepted);
  return events.slice(accepted, completed);
}

/**
 * Timers started while the scan's update ran. Attaching the scan leaves the steps and their
 * deadlines as they were, so the next alarm does not move.
 */
function timersStartedByTheScan(history: History): number {
  return eventsOfTheScan(history).filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED).length;
}

/** Activity tasks the scan's update scheduled (a local activity leaves a marker instead). */
function activitiesScheduledByTheScan(history: History): string[] {
  return eventsOfTheScan(history).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name!] : []));
}

/** The case-list projections written once delivery had finished (the citizen of these cases gives no e-mail address). */
function projectionsAfterDelivery(history: History): number {
  const events = history.events ?? [];
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverResult');
  expect(scheduled, 'delivery scheduled').to.not.equal(undefined);
  const delivered = events.findIndex((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? '') === String(scheduled!.eventId));
  expect(delivered, 'delivery completed').to.be.greaterThan(0);
  return events.slice(delivered).filter((e) => localActivityOf(e)?.type === 'projectCase').length;
}

/** What each case-list projection answered the workflow (its marker's result). */
function projectionAnswers(history: History): Array<Record<string, unknown>> {
  return (history.events ?? []).flatMap((e) => {
    const local = localActivityOf(e);
    return local?.type === 'projectCase' ? [(local.result as { view: Record<string, unknown> }).view] : [];
  });
}

/**
 * For each deadline notice, whether the case list received the alarm in between the timer that
 * fired it and the notice's activity.
 */
function alarmsProjectedBeforeTheirNotice(history: History): boolean[] {
  const events = history.events ?? [];
  return events.flatMap((e, i) => {
    if (e.activityTaskScheduledEventAttributes?.activityType?.name !== 'notifyDeadline') return [];
    const fired = events.slice(0, i).map((x) => x.eventType).lastIndexOf(temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_FIRED);
    expect(fired, 'a timer fired before the notice').to.be.greaterThan(0);
    return [events.slice(fired, i).some((x) => localActivityOf(x)?.type === 'projectCase')];
  });
}

describe('audit: histories recorded by the code of an earlier month', function () {
  this.timeout(300_000);

  for (const fixture of FIXTURES) {
    describe(fixture.file, () => {
      const histories = recorded(fixture.file);

      it(`are the ${fixture.ends.length} ends of a case, each with the version markers of their time (${fixture.markers.length})`, () => {
        expect(histories.map((h) => h.end)).to.deep.equal(fixture.ends);
        for (const h of histories) expect(patchIds(h.history), h.end).to.deep.equal(fixture.markers);
      });

      it('replay deterministically against the current workflow code', async () => {
        const bundle = await workflowBundle();
        for (const h of histories) {
          expect(await replayHistory(h.history, h.workflowId, { bundle }), h.end).to.deep.equal({ deterministic: true });
        }
      });
    });
  }

  describe('a case started on the current code', () => {
    let office: Office;
    before(async () => {
      office = await startOffice();
    });
    after(async () => office?.close());

    it('records one version marker, checks the scan within the workflow task and keeps its deadline timer, as the next alarm stays where it was', async () => {
      const [before2026, case2026, scanCheck] = FIXTURES.map((f) => recorded(f.file).find((h) => h.end === 'completed')!.history);
      // The code before December 2026 cancelled and restarted the timer for the same instant when the scan came.
      expect(timersStartedByTheScan(before2026!)).to.equal(1);
      expect(timersStartedByTheScan(case2026!)).to.equal(0);
      // Until the scan check became a local activity, it was an activity task of its own.
      expect(activitiesScheduledByTheScan(case2026!)).to.deep.equal(['verifyScan']);
      // Until delivery made the e-mail's first attempt, the case was projected delivered, then completed.
      expect(projectionsAfterDelivery(case2026!)).to.equal(2);
      expect(activitiesScheduledByTheScan(scanCheck!)).to.deep.equal([]);
      const code = await office.runCase('completed');
      const history = await office.handle(code).fetchHistory();
      expect(patchIds(history)).to.deep.equal(['alarm-projected-before-notice']);
      expect(timersStartedByTheScan(history)).to.equal(0);
      expect(activitiesScheduledByTheScan(history)).to.deep.equal([]);
      expect(projectionsAfterDelivery(history)).to.equal(1);
      // A projection's marker keeps the deadlines it wrote (the timeline's), no longer the whole case view.
      expect(projectionAnswers(scanCheck!).every((view) => 'citizen' in view)).to.equal(true);
      expect(projectionAnswers(history).map((view) => Object.keys(view).sort())).to.deep.equal(Array(6).fill(['currentStep', 'overallDueAt', 'overallWarnAt']));
      expect(await replayHistory(history, office.handle(code).workflowId, { bundle: await workflowBundle() })).to.deep.equal({ deterministic: true });
    });

    it('puts a late case\'s warnings and breaches on the case list before their notices go out (until then, after)', async () => {
      const recordedLate = recorded(FIXTURES[2]!.file).find((h) => h.end === 'late-then-completed')!.history;
      // Two warnings and two breaches (the step's and the overall deadline's).
      expect(alarmsProjectedBeforeTheirNotice(recordedLate)).to.deep.equal([false, false, false, false]);
      const code = await office.runCase('late-then-completed');
      const history = await office.handle(code).fetchHistory();
      expect(patchIds(history)).to.deep.equal(['alarm-projected-before-notice']);
      expect(alarmsProjectedBeforeTheirNotice(history)).to.deep.equal([true, true, true, true]);
      expect(await replayHistory(history, office.handle(code).workflowId, { bundle: await workflowBundle() })).to.deep.equal({ deterministic: true });
    });
  });
});
