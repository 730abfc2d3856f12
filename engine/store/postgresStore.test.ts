import { expect } from 'chai';
import { resolveDatabase, type TestDatabase } from '../../db/databaseUrl';
import { compileVisibilityQuery, type SearchAttributeType, type VisibilityRecord } from '../visibility';
import { MemoryStore } from './memoryStore';
import { PostgresStore } from './postgresStore';
import { sortKeyOf, VersionConflictError, type EngineStore, type VisibilityEntry, type VisibilityPage, type VisibilityQuery } from './store';
import { WorkflowStatus, type ExecutionState } from '../state';
import type { HistoryEvent } from '../proto';

function state(workflowId: string, runId: string, version: number, extra: Partial<ExecutionState> = {}): ExecutionState {
  return {
    version,
    namespace: 'default',
    workflowId,
    runId,
    firstRunId: runId,
    workflowType: 'T',
    taskQueue: 'q',
    status: WorkflowStatus.Running,
    startTime: Date.UTC(2026, 10, 23, 8),
    executionTime: Date.UTC(2026, 10, 23, 8),
    startRequestId: 'r',
    nextEventId: 1,
    historySizeBytes: 0,
    lastCompletedWftStartedEventId: 0,
    workflowTaskTimeoutMs: 10_000,
    runTimeoutMs: 0,
    executionTimeoutMs: 0,
    firstWftPending: false,
    activities: {},
    timers: {},
    children: {},
    signalsOut: {},
    cancelsOut: {},
    parentCloseActions: [],
    cancelRequested: false,
    signalRequestIds: [],
    bufferedEvents: [],
    bufferedSeq: 0,
    updates: {},
    parentNotified: false,
    attempt: 1,
    ...extra,
  };
}

function event(eventId: number): HistoryEvent {
  return { eventId, eventType: 1, workflowExecutionStartedEventAttributes: { workflowType: { name: 'T' }, input: { payloads: [{ data: Buffer.from('"x"') }] } } };
}

function visibility(s: ExecutionState, searchAttributes: VisibilityRecord['searchAttributes'] = {}): VisibilityEntry {
  const statusName = ['', 'Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'ContinuedAsNew', 'TimedOut'][s.status];
  return {
    namespace: s.namespace,
    record: { workflowId: s.workflowId, runId: s.runId, workflowType: s.workflowType, taskQueue: s.taskQueue, status: statusName, startTime: s.startTime, executionTime: s.executionTime, closeTime: s.closeTime, searchAttributes },
    info: { execution: { workflowId: s.workflowId, runId: s.runId }, type: { name: s.workflowType }, status: s.status as number },
  };
}

const CUSTOM = new Map<string, SearchAttributeType>([['CaseCode', 'Keyword'], ['Pages', 'Int']]);
function query(q: string): VisibilityQuery {
  const c = compileVisibilityQuery(q, CUSTOM);
  return { ast: c.ast, matches: (r) => c.matches(r as VisibilityRecord), compare: (a, b) => c.compare(a as VisibilityRecord, b as VisibilityRecord) };
}

describe('engine store: PostgreSQL', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let store: PostgresStore;
  before(async () => {
    db = await resolveDatabase({ purpose: 'test' });
    store = new PostgresStore({ connectionString: db.url });
    await store.init();
    await store.init(); // migrating twice is harmless
  });
  after(async () => {
    await store?.close();
    await db?.drop();
  });

  it('commits a run with its events, and reads both back byte for byte', async () => {
    const s = state('wf-a', 'run-a', 1, { nextEventId: 3, memo: { fields: { note: { data: Buffer.from('"hi"') } } } });
    await store.commit({ runs: [{ state: s, expectedVersion: 0, newEvents: [event(1), event(2)], visibility: visibility(s) }], currentRuns: [{ namespace: 'default', workflowId: 'wf-a', runId: 'run-a' }] });
    expect(await store.currentRunId('default', 'wf-a')).to.equal('run-a');
    const loaded = await store.loadRun('default', 'wf-a', 'run-a');
    expect(Buffer.from(loaded!.memo!.fields!.note!.data!).toString()).to.equal('"hi"');
    const events = await store.readEvents('default', 'wf-a', 'run-a', 1, 3);
    expect(events.map((e) => e.eventId)).to.deep.equal([1, 2]);
    expect(Buffer.from(events[0].workflowExecutionStartedEventAttributes!.input!.payloads![0].data!).toString()).to.equal('"x"');
  });

  it('refuses a commit computed from a stale version, and keeps nothing of it', async () => {
    const s = state('wf-b', 'run-b', 1);
    await store.commit({ runs: [{ state: s, expectedVersion: 0, newEvents: [event(1)], visibility: visibility(s) }], currentRuns: [] });
    const next = state('wf-b', 'run-b', 2, { nextEventId: 3 });
    await store.commit({ runs: [{ state: next, expectedVersion: 1, newEvents: [event(2)], visibility: visibility(next) }], currentRuns: [] });
    const stale = state('wf-b', 'run-b', 2, { nextEventId: 9 });
    const err = await store.commit({ runs: [{ state: stale, expectedVersion: 1, newEvents: [event(3)], visibility: visibility(stale) }], currentRuns: [] }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(VersionConflictError);
    expect((await store.loadRun('default', 'wf-b', 'run-b'))!.nextEventId).to.equal(3);
    expect((await store.readEvents('default', 'wf-b', 'run-b', 1, 100)).map((e) => e.eventId)).to.deep.equal([1, 2]);
  });

  it('refuses a duplicate event id', async () => {
    const s = state('wf-c', 'run-c', 1);
    await store.commit({ runs: [{ state: s, expectedVersion: 0, newEvents: [event(1)], visibility: visibility(s) }], currentRuns: [] });
    const again = state('wf-c', 'run-c', 2);
    const err = await store.commit({ runs: [{ state: again, expectedVersion: 1, newEvents: [event(1)], visibility: visibility(again) }], currentRuns: [] }).then(() => undefined, (e: unknown) => e);
    expect(String(err)).to.match(/duplicate key/);
    expect((await store.loadRun('default', 'wf-c', 'run-c'))!.version).to.equal(1);
  });

  it('keeps the visibility row when a commit carries none, and rewrites it when one comes', async () => {
    const s = state('wf-v', 'run-v', 1);
    await store.commit({ runs: [{ state: s, expectedVersion: 0, newEvents: [event(1)], visibility: visibility(s, { CaseCode: 'HS-1' }) }], currentRuns: [] });
    await store.commit({ runs: [{ state: state('wf-v', 'run-v', 2, { nextEventId: 3 }), expectedVersion: 1, newEvents: [event(2)] }], currentRuns: [] });
    const found = async (q: string) => (await store.listVisibility('default', query(q), { offset: 0 }, 10)).map((e) => e.record.workflowId);
    expect(await found("CaseCode = 'HS-1'")).to.deep.equal(['wf-v']);
    const closed = state('wf-v', 'run-v', 3, { nextEventId: 4, status: WorkflowStatus.Completed, closeTime: Date.UTC(2026, 10, 23, 9) });
    await store.commit({ runs: [{ state: closed, expectedVersion: 2, newEvents: [event(3)], visibility: visibility(closed, { CaseCode: 'HS-2' }) }], currentRuns: [] });
    expect(await found("CaseCode = 'HS-1'")).to.deep.equal([]);
    expect(await found("CaseCode = 'HS-2' AND ExecutionStatus = 'Completed'")).to.deep.equal(['wf-v']);
  });

  it('moves nothing, not even the current-run pointer, when a new run collides with an existing one', async () => {
    const first = state('wf-p', 'run-p1', 1);
    await store.commit({ runs: [{ state: first, expectedVersion: 0, newEvents: [event(1)], visibility: visibility(first) }], currentRuns: [{ namespace: 'default', workflowId: 'wf-p', runId: 'run-p1' }] });
    const twin = state('wf-p', 'run-p1', 1, { workflowType: 'Other' });
    const err = await store.commit({ runs: [{ state: twin, expectedVersion: 0, newEvents: [event(1)], visibility: visibility(twin) }], currentRuns: [{ namespace: 'default', workflowId: 'wf-p', runId: 'run-p2' }] }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(VersionConflictError);
    expect(await store.currentRunId('default', 'wf-p')).to.equal('run-p1');
    expect((await store.loadRun('default', 'wf-p', 'run-p1'))!.workflowType).to.equal('T');
  });

  it('commits several runs in one transaction, or none of them', async () => {
    const parent = state('wf-m', 'run-m', 1);
    const child = state('wf-m-child', 'run-mc', 1);
    await store.commit({ runs: [{ state: parent, expectedVersion: 0, newEvents: [event(1)], visibility: visibility(parent) }], currentRuns: [] });
    const both = (parentVersion: number) => ({
      runs: [
        { state: state('wf-m', 'run-m', parentVersion + 1, { nextEventId: 3 }), expectedVersion: parentVersion, newEvents: [event(2)] },
        { state: child, expectedVersion: 0, newEvents: [event(1)], visibility: visibility(child) },
      ],
      currentRuns: [{ namespace: 'default', workflowId: 'wf-m-child', runId: 'run-mc' }],
    });
    expect(await store.commit(both(5)).then(() => undefined, (e: unknown) => e)).to.be.instanceOf(VersionConflictError);
    expect(await store.loadRun('default', 'wf-m-child', 'run-mc')).to.equal(undefined);
    expect(await store.currentRunId('default', 'wf-m-child')).to.equal(undefined);
    await store.commit(both(1));
    expect((await store.loadRun('default', 'wf-m', 'run-m'))!.version).to.equal(2);
    expect(await store.currentRunId('default', 'wf-m-child')).to.equal('run-mc');
  });

  it('writes concurrent commits of different runs together, each one all or nothing', async () => {
    const grouped = new PostgresStore({ connectionString: db.url, commitWriters: 1 });
    try {
      const base = state('wf-g0', 'run-g0', 1);
      await grouped.commit({ runs: [{ state: base, expectedVersion: 0, newEvents: [event(1)], visibility: visibility(base) }], currentRuns: [] });
      await grouped.commit({ runs: [{ state: state('wf-g5', 'run-g5', 1), expectedVersion: 0, newEvents: [event(1)] }], currentRuns: [] });
      const fresh = (i: number) => {
        const s = state(`wf-g${i}`, `run-g${i}`, 1, { nextEventId: 3 });
        return grouped.commit({ runs: [{ state: s, expectedVersion: 0, newEvents: [event(1), event(2)], visibility: visibility(s) }], currentRuns: [{ namespace: 'default', workflowId: `wf-g${i}`, runId: `run-g${i}` }] });
      };
      const outcome = (p: Promise<void>) => p.then(() => 'ok', (e: unknown) => (e instanceof VersionConflictError ? 'conflict' : String(e)));
      // Issued together, they queue for the only writer and go out as one statement; the
      // duplicate event id fails that statement, and each commit is then written on its own.
      const results = await Promise.all([
        outcome(fresh(1)),
        outcome(fresh(2)),
        outcome(grouped.commit({ runs: [{ state: state('wf-g0', 'run-g0', 2), expectedVersion: 7, newEvents: [event(2)] }], currentRuns: [] })),
        outcome(fresh(3)),
        outcome(grouped.commit({ runs: [{ state: state('wf-g5', 'run-g5', 2), expectedVersion: 1, newEvents: [event(1)] }], currentRuns: [] })),
        outcome(fresh(4)),
      ]);
      expect(results.slice(0, 4)).to.deep.equal(['ok', 'ok', 'conflict', 'ok']);
      expect(results[4]).to.match(/duplicate key/);
      expect(results[5]).to.equal('ok');
      expect((await grouped.loadRun('default', 'wf-g0', 'run-g0'))!.version).to.equal(1);
      expect((await grouped.readEvents('default', 'wf-g0', 'run-g0', 1, 10)).map((e) => e.eventId)).to.deep.equal([1]);
      expect((await grouped.loadRun('default', 'wf-g5', 'run-g5'))!.version).to.equal(1);
      for (const i of [1, 2, 3, 4]) {
        expect(await grouped.currentRunId('default', `wf-g${i}`)).to.equal(`run-g${i}`);
        expect((await grouped.readEvents('default', `wf-g${i}`, `run-g${i}`, 1, 10)).map((e) => e.eventId)).to.deep.equal([1, 2]);
      }
      const listed = (await grouped.listVisibility('default', query("WorkflowId STARTS_WITH 'wf-g'"), { offset: 0 }, 10)).map((e) => e.record.workflowId).sort();
      expect(listed).to.deep.equal(['wf-g0', 'wf-g1', 'wf-g2', 'wf-g3', 'wf-g4']);
    } finally {
      await grouped.close();
    }
  });

  it('lists open runs for recovery, and deletes expired closed runs completely', async () => {
    const closed = state('wf-d', 'run-d', 1, { status: WorkflowStatus.Completed, closeTime: Date.UTC(2026, 0, 1) });
    await store.commit({ runs: [{ state: closed, expectedVersion: 0, newEvents: [event(1)], visibility: visibility(closed) }], currentRuns: [{ namespace: 'default', workflowId: 'wf-d', runId: 'run-d' }] });
    const open = (await store.openRuns()).map((s) => s.workflowId);
    expect(open).to.include('wf-a');
    expect(open).to.not.include('wf-d');
    expect(await store.expiredRuns('default', Date.UTC(2026, 5, 1), 10)).to.deep.equal([{ workflowId: 'wf-d', runId: 'run-d' }]);
    await store.deleteRun('default', 'wf-d', 'run-d');
    expect(await store.loadRun('default', 'wf-d', 'run-d')).to.equal(undefined);
    expect(await store.readEvents('default', 'wf-d', 'run-d', 1, 10)).to.deep.equal([]);
    expect(await store.currentRunId('default', 'wf-d')).to.equal(undefined);
  });

  it('pages a listing in the default order by where the last page ended, as the in-memory store does by count', async () => {
    const memory: EngineStore = new MemoryStore();
    // Ties on close and start time, open and closed runs, and a filter only the evaluator can apply.
    const runs = Array.from({ length: 23 }, (_, i) =>
      state(`page-${i}`, `prun-${String.fromCharCode(97 + ((i * 7) % 23))}`, 1, {
        workflowType: 'CertificationCase',
        status: i % 4 === 0 ? WorkflowStatus.Running : WorkflowStatus.Completed,
        closeTime: i % 4 === 0 ? undefined : Date.UTC(2026, 10, 23, 9, i % 3),
        startTime: Date.UTC(2026, 10, 23, 8, i % 5),
        namespace: 'pages',
      }),
    );
    for (const [i, s] of runs.entries()) {
      const batch = { runs: [{ state: s, expectedVersion: 0, newEvents: [], visibility: visibility(s, { CaseCode: `HS-${i % 4}`, Pages: i }) }], currentRuns: [] };
      await store.commit(batch);
      await memory.commit(batch);
    }
    for (const q of ['', "Pages >= 4 AND CaseCode != 'HS-1'"]) {
      const all = (await memory.listVisibility('pages', query(q), { offset: 0 }, 100)).map((e) => e.record.runId);
      const bySeek: string[] = [];
      const byCount: string[] = [];
      for (let page: VisibilityPage = { offset: 0 }; ; ) {
        const got = await store.listVisibility('pages', query(q), page, 4);
        bySeek.push(...got.map((e) => e.record.runId));
        const counted = await store.listVisibility('pages', query(q), { offset: page.offset }, 4);
        byCount.push(...counted.map((e) => e.record.runId));
        if (got.length < 4) break;
        page = { offset: page.offset + 4, after: sortKeyOf(got[got.length - 1]!.record) };
      }
      expect(all.length, q).to.be.greaterThan(8);
      expect(bySeek, q).to.deep.equal(all);
      expect(byCount, q).to.deep.equal(all);
    }
  });

  it('answers visibility queries exactly like the in-memory store', async () => {
    const memory: EngineStore = new MemoryStore();
    const runs = Array.from({ length: 12 }, (_, i) =>
      state(`vis-${i}`, `vrun-${i}`, 1, {
        workflowType: i % 2 ? 'CertificationCase' : 'CitizenAccount',
        status: i % 3 === 0 ? WorkflowStatus.Completed : WorkflowStatus.Running,
        closeTime: i % 3 === 0 ? Date.UTC(2026, 10, 23, 9, i) : undefined,
        startTime: Date.UTC(2026, 10, 23, 8, i),
        namespace: 'vis',
      }),
    );
    for (const [i, s] of runs.entries()) {
      const batch = { runs: [{ state: s, expectedVersion: 0, newEvents: [], visibility: visibility(s, { CaseCode: `HS-${i % 4}`, Pages: i }) }], currentRuns: [] };
      await store.commit(batch);
      await memory.commit(batch);
    }
    for (const q of [
      '',
      "ExecutionStatus = 'Running'",
      "WorkflowType = 'CertificationCase' AND Pages >= 5",
      "WorkflowId STARTS_WITH 'vis-1' ORDER BY WorkflowId DESC",
      "StartTime BETWEEN '2026-11-23T08:02:00Z' AND '2026-11-23T08:06:00Z' OR CaseCode = 'HS-3'",
      "ExecutionStatus IN ('Completed') AND NOT (Pages < 6)",
      "CloseTime > '2026-11-23T09:03:00Z' ORDER BY CloseTime ASC",
    ]) {
      const fromPg = (await store.listVisibility('vis', query(q), { offset: 0 }, 100)).map((e) => e.record.workflowId);
      const fromMemory = (await memory.listVisibility('vis', query(q), { offset: 0 }, 100)).map((e) => e.record.workflowId);
      expect(fromPg, q).to.deep.equal(fromMemory);
      expect(await store.countVisibility('vis', query(q)), q).to.equal(fromMemory.length);
    }
  });
});
