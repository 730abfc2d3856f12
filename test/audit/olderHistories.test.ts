/**
 * Cases that were open when the workflow code changed replay under the new code. The fixture holds
 * five certification histories recorded on the code before the `case-2026-12` version marker (one
 * per end: refused, withdrawn at reception, returned then withdrawn, signed then withdrawn,
 * completed), each with the four version markers of that time. They replay deterministically
 * against today's code, while a case started today records one marker and keeps its deadline timer
 * while the next alarm stays where it was (the scan's attachment, say).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { temporal } from '@temporalio/proto';
import { replayHistory } from '../../infra/replay/replayer';
import { workflowBundle } from '../certification/world';
import { startOffice, type Office } from './office';

type History = temporal.api.history.v1.IHistory;

interface Recorded {
  end: string;
  workflowId: string;
  history: History;
}

function recorded(): Recorded[] {
  const raw = gunzipSync(fs.readFileSync(path.join(__dirname, 'fixtures', 'histories-before-2026-12.json.gz'))).toString('utf8');
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

/**
 * Timers started while the scan's update ran. Attaching the scan leaves the steps and their
 * deadlines as they were, so the next alarm does not move.
 */
function timersStartedByTheScan(history: History): number {
  const events = history.events ?? [];
  const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'attachScan');
  expect(accepted, 'the scan was attached by an update').to.be.greaterThan(0);
  const updateId = events[accepted]!.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.meta!.updateId;
  const completed = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId === updateId);
  expect(completed, 'and answered').to.be.greaterThan(accepted);
  return events.slice(accepted, completed).filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED).length;
}

describe('audit: histories recorded by the code before case-2026-12', function () {
  this.timeout(300_000);
  const histories = recorded();

  it('are the five ends of a case, each with the four version markers of their time', () => {
    expect(histories.map((h) => h.end)).to.deep.equal(['refused', 'withdrawn-at-reception', 'returned-then-withdrawn', 'signed-then-withdrawn', 'completed']);
    for (const h of histories) {
      expect(patchIds(h.history), h.end).to.deep.equal([
        'complex-extension-and-citizen-notices',
        'projection-as-local-activity',
        'signing-and-sealing-as-local-activities',
        'local-activities-one-at-a-time',
      ]);
    }
  });

  it('replay deterministically against the current workflow code', async () => {
    const bundle = await workflowBundle();
    for (const h of histories) {
      expect(await replayHistory(h.history, h.workflowId, { bundle }), h.end).to.deep.equal({ deterministic: true });
    }
  });

  describe('a case started on the current code', () => {
    let office: Office;
    before(async () => {
      office = await startOffice();
    });
    after(async () => office?.close());

    it('records one version marker and keeps its deadline timer when the scan comes, as the next alarm stays where it was', async () => {
      const old = histories.find((h) => h.end === 'completed')!.history;
      // The code before cancelled and restarted the timer for the same instant when the scan came.
      expect(timersStartedByTheScan(old)).to.equal(1);
      const code = await office.runCase('completed');
      const history = await office.handle(code).fetchHistory();
      expect(patchIds(history)).to.deep.equal(['case-2026-12']);
      expect(timersStartedByTheScan(history)).to.equal(0);
      expect(await replayHistory(history, office.handle(code).workflowId, { bundle: await workflowBundle() })).to.deep.equal({ deterministic: true });
    });
  });
});
