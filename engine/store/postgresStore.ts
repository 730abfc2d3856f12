/**
 * The engine's durable store: its own schema in the application's PostgreSQL.
 *
 * A commit is atomic: each run's state row is updated only if its version is the one the
 * change was computed from (optimistic concurrency), its new history events are appended (the
 * primary key forbids a duplicate event id), its visibility row is upserted and the workflow
 * id's current-run pointer moves. Commits of one run each, the common case, that arrive while
 * another is being written share one statement (group commit) but succeed or fail one by one;
 * commits of several runs get a transaction of their own. `commit` resolves only once
 * PostgreSQL has committed the change. History events are stored as the protobuf bytes the API
 * sends; run state as JSON.
 */
import { Pool, type PoolClient } from 'pg';
import { temporal } from '@temporalio/proto';
import type { HistoryEvent } from '../proto';
import { WorkflowStatus, type ExecutionState } from '../state';
import { decodeState, encodeState } from './stateCodec';
import {
  VersionConflictError,
  type CommitBatch,
  type RunCommit,
  type EngineStore,
  type NamespaceRecord,
  type StoredSchedule,
  type VisibilityEntry,
  type VisibilityPage,
  type VisibilityQuery,
  type VisibilityRecordData,
  type VisibilitySortKey,
  sortKeyOf,
} from './store';
import { ENGINE_SCHEMA, migrateEngineSchema } from './postgresSchema';
import { ensureNexusEndpointTable, postgresNexusEndpointStore } from '../nexus/endpointsSql';
import type { NexusEndpointRecord } from '../nexus/endpointRecord';
import { ensureStandaloneActivityTable, postgresStandaloneActivityStore } from '../standalone/activitiesSql';
import type { StandaloneActivityRecord } from '../standalone/activityRecord';
import { prefilter } from './visibilitySql';
import { deleteScheduleRow, ensureScheduleTable, listScheduleRows, saveScheduleRow } from './scheduleRows';

const HISTORY_EVENT = temporal.api.history.v1.HistoryEvent;
const EXECUTION_INFO = temporal.api.workflow.v1.WorkflowExecutionInfo;
const S = ENGINE_SCHEMA;

export interface PostgresStoreOptions {
  connectionString: string;
  /** Connections to PostgreSQL; concurrent commits share the server's group commit. */
  poolSize?: number;
  /**
   * Statements writing single-run commits at once (default 1). While they are all busy, further
   * commits queue and the next free one writes everything queued in one statement (group
   * commit): under load the groups grow instead of the number of round trips, and each commit
   * still waits only for the statement that carries it.
   */
  commitWriters?: number;
  onError?: (err: Error) => void;
}

function decodeEvent(bytes: Buffer): HistoryEvent {
  return HISTORY_EVENT.toObject(HISTORY_EVENT.decode(bytes), { longs: Number }) as HistoryEvent;
}

function encodeInfo(visibility: VisibilityEntry): Buffer {
  return Buffer.from(EXECUTION_INFO.encode(visibility.info as never).finish());
}

function encodeEvent(event: HistoryEvent): Buffer {
  return Buffer.from(HISTORY_EVENT.encode(event as never).finish());
}

/**
 * Commits of single runs that arrive together, written by one statement: `input` holds one row
 * per run (its ordinality is the run's index in the group), and the history, visibility and
 * current-run rows name the run they belong to by that index. A run's rows are written only
 * when its state row was written at the expected version; the statement answers the indexes of
 * the runs it wrote, so a conflict on one run leaves the others untouched. PostgreSQL runs one
 * statement atomically, so no BEGIN/COMMIT round trips are needed.
 *
 * Parameters are flat arrays, JSON documents travel as one JSON array, and bytes as one binary
 * blob with (start, length) pairs, so nothing is escaped into array literals on either side.
 * $1-$8 runs (key, new version, status, close time, states, expected version: 0 for a new
 * run), $9-$13 new events (run, event id, start, length, blob), $14-$21 visibility rows, only
 * for runs whose visibility changed (run, status, start, close, records, info start, length,
 * blob), $22-$24 current-run pointers (run, workflow id, run id; in the run's namespace).
 */
const COMMIT_RUNS = `
  with input as (
    select * from rows from (
      unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::int[]), unnest($5::smallint[]),
      unnest($6::timestamptz[]), jsonb_array_elements($7::jsonb), unnest($8::int[])
    ) with ordinality as t(namespace, workflow_id, run_id, version, status, close_time, state, expected, idx)
  ), inserted as (
    insert into ${S}.executions (namespace, workflow_id, run_id, version, status, close_time, state)
    select namespace, workflow_id, run_id, version, status, close_time, state from input where expected = 0
    on conflict do nothing
    returning namespace, workflow_id, run_id
  ), updated as (
    update ${S}.executions x set version = i.version, status = i.status, close_time = i.close_time, state = i.state
    from input i
    where i.expected <> 0 and x.namespace = i.namespace and x.workflow_id = i.workflow_id and x.run_id = i.run_id and x.version = i.expected
    returning x.namespace, x.workflow_id, x.run_id
  ), written as (
    select i.idx, i.namespace, i.workflow_id, i.run_id
    from input i join (select * from inserted union all select * from updated) w
      on w.namespace = i.namespace and w.workflow_id = i.workflow_id and w.run_id = i.run_id
  ), events as (
    insert into ${S}.history (namespace, workflow_id, run_id, event_id, event)
    select w.namespace, w.workflow_id, w.run_id, e.id, substring($13::bytea from e.start for e.len)
    from unnest($9::int[], $10::bigint[], $11::int[], $12::int[]) as e(run, id, start, len) join written w on w.idx = e.run
  ), visible as (
    insert into ${S}.visibility (namespace, workflow_id, run_id, status, start_time, close_time, record, info)
    select w.namespace, w.workflow_id, w.run_id, v.status, v.start_time, v.close_time, v.record, substring($21::bytea from v.start for v.len)
    from rows from (
      unnest($14::int[]), unnest($15::text[]), unnest($16::timestamptz[]), unnest($17::timestamptz[]),
      jsonb_array_elements($18::jsonb), unnest($19::int[]), unnest($20::int[])
    ) as v(run, status, start_time, close_time, record, start, len) join written w on w.idx = v.run
    on conflict (namespace, workflow_id, run_id) do update
      set status = excluded.status, close_time = excluded.close_time, record = excluded.record, info = excluded.info
  ), pointer as (
    insert into ${S}.current_runs (namespace, workflow_id, run_id)
    select w.namespace, p.workflow_id, p.run_id
    from unnest($22::int[], $23::text[], $24::text[]) as p(run, workflow_id, run_id) join written w on w.idx = p.run
    on conflict (namespace, workflow_id) do update set run_id = excluded.run_id
  )
  select idx::int as idx from written`;

/** Byte strings packed into one blob, each addressed by its 1-based start and its length (SQL `substring`). */
class Blob {
  readonly parts: Buffer[] = [];
  readonly starts: number[] = [];
  readonly lengths: number[] = [];
  private size = 0;

  add(bytes: Buffer): void {
    this.parts.push(bytes);
    this.starts.push(this.size + 1);
    this.lengths.push(bytes.length);
    this.size += bytes.length;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts, this.size);
  }
}

/** A single-run commit waiting for its group's statement. */
interface PendingCommit {
  run: RunCommit;
  current?: { workflowId: string; runId: string };
  /** namespace + workflow id: a group never holds two commits of one workflow. */
  key: string;
  resolve(): void;
  reject(err: unknown): void;
}

const EVENTS_PER_INSERT = 10_000;

/** Most runs one statement writes. */
const MAX_GROUP = 64;

export class PostgresStore implements EngineStore {
  readonly kind = 'postgres' as const;
  readonly pool: Pool;
  private readonly commitWriters: number;
  private readonly queued: PendingCommit[] = [];
  private writing = 0;

  constructor(options: PostgresStoreOptions) {
    this.pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 16 });
    this.commitWriters = Math.max(1, options.commitWriters ?? 1);
    // A connection that dies while idle (e.g. PostgreSQL restarted) must not crash the engine.
    this.pool.on('error', (err) => options.onError?.(err));
  }

  async init(): Promise<void> {
    await migrateEngineSchema(this.pool);
    await ensureScheduleTable(this.pool);
    await ensureNexusEndpointTable(this.pool, S);
    await ensureStandaloneActivityTable(this.pool, S);
  }

  loadStandaloneActivities(): Promise<StandaloneActivityRecord[]> {
    return postgresStandaloneActivityStore(this.pool, S).loadStandaloneActivities();
  }
  saveStandaloneActivity(record: StandaloneActivityRecord): Promise<void> {
    return postgresStandaloneActivityStore(this.pool, S).saveStandaloneActivity(record);
  }
  deleteStandaloneActivity(namespace: string, activityId: string, runId: string): Promise<void> {
    return postgresStandaloneActivityStore(this.pool, S).deleteStandaloneActivity(namespace, activityId, runId);
  }

  listNexusEndpoints(): Promise<NexusEndpointRecord[]> {
    return postgresNexusEndpointStore(this.pool, S).listNexusEndpoints();
  }
  saveNexusEndpoint(record: NexusEndpointRecord): Promise<void> {
    return postgresNexusEndpointStore(this.pool, S).saveNexusEndpoint(record);
  }
  deleteNexusEndpoint(id: string): Promise<void> {
    return postgresNexusEndpointStore(this.pool, S).deleteNexusEndpoint(id);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async listNamespaces(): Promise<NamespaceRecord[]> {
    const r = await this.pool.query<{ record: NamespaceRecord }>(`select record from ${S}.namespaces order by name`);
    return r.rows.map((row) => row.record);
  }

  async saveNamespace(ns: NamespaceRecord): Promise<void> {
    await this.pool.query(`insert into ${S}.namespaces (name, record) values ($1, $2) on conflict (name) do update set record = excluded.record`, [ns.name, ns]);
  }

  async commit(batch: CommitBatch): Promise<void> {
    const [run] = batch.runs;
    if (batch.runs.length === 1 && batch.currentRuns.length <= 1 && batch.currentRuns.every((c) => c.namespace === run.state.namespace)) {
      const current = batch.currentRuns[0];
      return new Promise<void>((resolve, reject) => {
        this.queued.push({ run, current, key: `${run.state.namespace}\u0000${run.state.workflowId}`, resolve, reject });
        this.startWriters();
      });
    }
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      for (const r of batch.runs) await this.writeRun(client, r.state, r.expectedVersion, r.newEvents, r.visibility);
      for (const c of batch.currentRuns) {
        await client.query(
          `insert into ${S}.current_runs (namespace, workflow_id, run_id) values ($1, $2, $3)
           on conflict (namespace, workflow_id) do update set run_id = excluded.run_id`,
          [c.namespace, c.workflowId, c.runId],
        );
      }
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private startWriters(): void {
    while (this.writing < this.commitWriters && this.queued.length > 0) {
      this.writing++;
      void this.drainQueue().finally(() => {
        this.writing--;
        this.startWriters();
      });
    }
  }

  /** Writes queued commits, a group per statement, until none is left. */
  private async drainQueue(): Promise<void> {
    while (this.queued.length > 0) {
      const group = this.takeGroup();
      try {
        await this.writeGroup(group);
      } catch (err) {
        if (group.length === 1) {
          group[0].reject(err);
          continue;
        }
        // Nothing of the group was written; one bad commit must not fail the others.
        for (const one of group) await this.writeGroup([one]).catch((e: unknown) => one.reject(e));
      }
    }
  }

  private takeGroup(): PendingCommit[] {
    const group: PendingCommit[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.queued.length && group.length < MAX_GROUP; ) {
      const p = this.queued[i];
      if (keys.has(p.key)) {
        i++;
        continue;
      }
      keys.add(p.key);
      group.push(p);
      this.queued.splice(i, 1);
    }
    return group;
  }

  /** One statement for the group; resolves each commit that was written, rejects the ones whose version moved. */
  private async writeGroup(group: PendingCommit[]): Promise<void> {
    const runs: unknown[][] = [[], [], [], [], [], [], [], []];
    const events = { run: [] as number[], id: [] as number[], blob: new Blob() };
    const visibility = { run: [] as number[], status: [] as string[], start: [] as Date[], close: [] as Array<Date | null>, records: [] as string[], info: new Blob() };
    const pointers = { run: [] as number[], workflowId: [] as string[], runId: [] as string[] };
    group.forEach(({ run, current }, i) => {
      const { state, expectedVersion, newEvents, visibility: v } = run;
      const idx = i + 1;
      const values = [state.namespace, state.workflowId, state.runId, state.version, state.status, state.closeTime !== undefined ? new Date(state.closeTime) : null, encodeState(state), expectedVersion];
      values.forEach((value, c) => runs[c].push(value));
      for (const e of newEvents) {
        events.run.push(idx);
        events.id.push(e.eventId!);
        events.blob.add(encodeEvent(e));
      }
      if (v) {
        const r = v.record;
        visibility.run.push(idx);
        visibility.status.push(r.status);
        visibility.start.push(new Date(r.startTime));
        visibility.close.push(r.closeTime !== undefined ? new Date(r.closeTime) : null);
        visibility.records.push(JSON.stringify(r));
        visibility.info.add(encodeInfo(v));
      }
      if (current) {
        pointers.run.push(idx);
        pointers.workflowId.push(current.workflowId);
        pointers.runId.push(current.runId);
      }
    });
    runs[6] = `[${runs[6].join(',')}]` as never;
    const values = [
      ...runs,
      events.run,
      events.id,
      events.blob.starts,
      events.blob.lengths,
      events.blob.bytes(),
      visibility.run,
      visibility.status,
      visibility.start,
      visibility.close,
      `[${visibility.records.join(',')}]`,
      visibility.info.starts,
      visibility.info.lengths,
      visibility.info.bytes(),
      pointers.run,
      pointers.workflowId,
      pointers.runId,
    ];
    const result = await this.pool.query<{ idx: number }>({ name: 'engine-commit-runs', text: COMMIT_RUNS, values });
    const written = new Set(result.rows.map((row) => row.idx));
    group.forEach((p, i) => (written.has(i + 1) ? p.resolve() : p.reject(new VersionConflictError(p.run.state.runId))));
  }

  private async writeRun(client: PoolClient, state: ExecutionState, expectedVersion: number, events: HistoryEvent[], visibility: VisibilityEntry | undefined): Promise<void> {
    const { namespace, workflowId, runId } = state;
    const closeTime = state.closeTime !== undefined ? new Date(state.closeTime) : null;
    const written =
      expectedVersion === 0
        ? await client.query(
            `insert into ${S}.executions (namespace, workflow_id, run_id, version, status, close_time, state)
             values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
            [namespace, workflowId, runId, state.version, state.status, closeTime, encodeState(state)],
          )
        : await client.query(
            `update ${S}.executions set version = $4, status = $5, close_time = $6, state = $7
             where namespace = $1 and workflow_id = $2 and run_id = $3 and version = $8`,
            [namespace, workflowId, runId, state.version, state.status, closeTime, encodeState(state), expectedVersion],
          );
    if (written.rowCount !== 1) throw new VersionConflictError(runId);
    if (visibility) await this.writeVisibility(client, visibility);
    // A reset copies a whole history into its new run: stay under PostgreSQL's 65535 parameters per statement.
    for (let from = 0; from < events.length; from += EVENTS_PER_INSERT) {
      const values: unknown[] = [namespace, workflowId, runId];
      const rows = events.slice(from, from + EVENTS_PER_INSERT).map((e, i) => {
        values.push(e.eventId, encodeEvent(e));
        return `($1, $2, $3, $${4 + 2 * i}, $${5 + 2 * i})`;
      });
      await client.query(`insert into ${S}.history (namespace, workflow_id, run_id, event_id, event) values ${rows.join(', ')}`, values);
    }
  }

  private async writeVisibility(client: PoolClient, visibility: VisibilityEntry): Promise<void> {
    const { namespace, record: r } = visibility;
    const { workflowId, runId } = r;
    await client.query(
      `insert into ${S}.visibility (namespace, workflow_id, run_id, status, start_time, close_time, record, info)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (namespace, workflow_id, run_id) do update
         set status = excluded.status, close_time = excluded.close_time, record = excluded.record, info = excluded.info`,
      [
        namespace,
        workflowId,
        runId,
        r.status,
        new Date(r.startTime),
        r.closeTime !== undefined ? new Date(r.closeTime) : null,
        r,
        encodeInfo(visibility),
      ],
    );
  }

  async currentRunId(namespace: string, workflowId: string): Promise<string | undefined> {
    const r = await this.pool.query<{ run_id: string }>(`select run_id from ${S}.current_runs where namespace = $1 and workflow_id = $2`, [namespace, workflowId]);
    return r.rows[0]?.run_id;
  }

  async loadRun(namespace: string, workflowId: string, runId: string): Promise<ExecutionState | undefined> {
    const r = await this.pool.query<{ state: string }>(
      `select state::text as state from ${S}.executions where namespace = $1 and workflow_id = $2 and run_id = $3`,
      [namespace, workflowId, runId],
    );
    return r.rows[0] ? decodeState(r.rows[0].state) : undefined;
  }

  async readEvents(namespace: string, workflowId: string, runId: string, fromEventId: number, toEventId: number): Promise<HistoryEvent[]> {
    const r = await this.pool.query<{ event: Buffer }>(
      `select event from ${S}.history where namespace = $1 and workflow_id = $2 and run_id = $3 and event_id >= $4 and event_id < $5 order by event_id`,
      [namespace, workflowId, runId, fromEventId, toEventId],
    );
    return r.rows.map((row) => decodeEvent(row.event));
  }

  async openRuns(): Promise<ExecutionState[]> {
    const r = await this.pool.query<{ state: string }>(`select state::text as state from ${S}.executions where status = $1`, [WorkflowStatus.Running]);
    return r.rows.map((row) => decodeState(row.state));
  }

  async deleteRun(namespace: string, workflowId: string, runId: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const key = [namespace, workflowId, runId];
      await client.query(`delete from ${S}.history where namespace = $1 and workflow_id = $2 and run_id = $3`, key);
      await client.query(`delete from ${S}.visibility where namespace = $1 and workflow_id = $2 and run_id = $3`, key);
      await client.query(`delete from ${S}.executions where namespace = $1 and workflow_id = $2 and run_id = $3`, key);
      await client.query(`delete from ${S}.current_runs where namespace = $1 and workflow_id = $2 and run_id = $3`, key);
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Closed runs past their namespace's retention, oldest first. */
  async expiredRuns(namespace: string, closedBefore: number, limit: number): Promise<Array<{ workflowId: string; runId: string }>> {
    const r = await this.pool.query<{ workflow_id: string; run_id: string }>(
      `select workflow_id, run_id from ${S}.executions
       where namespace = $1 and status <> $2 and close_time < $3 order by close_time limit $4`,
      [namespace, WorkflowStatus.Running, new Date(closedBefore), limit],
    );
    return r.rows.map((row) => ({ workflowId: row.workflow_id, runId: row.run_id }));
  }

  /**
   * A listing in Temporal's default order is read in that order from an index, a batch at a time,
   * and evaluated as it goes: memory holds one batch, and a page that names where the previous one
   * ended (`page.after`) starts there. A listing with its own ORDER BY is sorted here, after the SQL
   * prefilter (see the engine README's limits).
   */
  async listVisibility(namespace: string, query: VisibilityQuery, page: VisibilityPage, limit: number): Promise<VisibilityEntry[]> {
    if (query.ast?.orderBy.length) {
      const rows = (await this.allPrefiltered(namespace, query)).filter((e) => query.matches(e.record));
      return rows.sort((a, b) => query.compare(a.record, b.record)).slice(page.offset, page.offset + limit);
    }
    const out: VisibilityEntry[] = [];
    let skip = page.after ? 0 : page.offset;
    await this.inDefaultOrder(namespace, query, page.after, Math.min(Math.max(limit * 2, 200), 2_000), (row) => {
      if (!query.matches(row.record)) return true;
      if (skip > 0) {
        skip--;
        return true;
      }
      out.push(entryOf(namespace, row));
      return out.length < limit;
    });
    return out;
  }

  async countVisibility(namespace: string, query: VisibilityQuery): Promise<number> {
    let n = 0;
    await this.inDefaultOrder(namespace, query, undefined, 5_000, (row) => {
      if (query.matches(row.record)) n++;
      return true;
    });
    return n;
  }

  private async allPrefiltered(namespace: string, query: VisibilityQuery): Promise<VisibilityEntry[]> {
    const filter = prefilter(query.ast, 2);
    const where = ['namespace = $1', ...filter.clauses].join(' and ');
    const r = await this.pool.query<VisibilityRow>(`select record, info from ${S}.visibility where ${where}`, [namespace, ...filter.params]);
    return r.rows.map((row) => entryOf(namespace, row));
  }

  /** Hands `visit` the prefiltered rows in the default order from `after` on, until it answers false or they run out. */
  private async inDefaultOrder(namespace: string, query: VisibilityQuery, after: VisibilitySortKey | undefined, batch: number, visit: (row: VisibilityRow) => boolean): Promise<void> {
    const filter = prefilter(query.ast, 2);
    let from = after;
    for (;;) {
      const params: unknown[] = [namespace, ...filter.params];
      const clauses = ['namespace = $1', ...filter.clauses];
      if (from) clauses.push(afterClause(from, params));
      params.push(batch);
      const r = await this.pool.query<VisibilityRow>(
        `select record, info from ${S}.visibility where ${clauses.join(' and ')}
         order by close_time desc nulls first, start_time desc, run_id collate "C" limit $${params.length}`,
        params,
      );
      for (const row of r.rows) if (!visit(row)) return;
      if (r.rows.length < batch) return;
      from = sortKeyOf(r.rows[r.rows.length - 1]!.record);
    }
  }

  listSchedules(): Promise<StoredSchedule[]> {
    return listScheduleRows(this.pool);
  }

  saveSchedule(schedule: StoredSchedule): Promise<void> {
    return saveScheduleRow(this.pool, schedule);
  }

  deleteSchedule(namespace: string, scheduleId: string): Promise<void> {
    return deleteScheduleRow(this.pool, namespace, scheduleId);
  }
}

interface VisibilityRow {
  record: VisibilityRecordData;
  info: Buffer;
}

function entryOf(namespace: string, row: VisibilityRow): VisibilityEntry {
  return { namespace, record: row.record, info: EXECUTION_INFO.toObject(EXECUTION_INFO.decode(row.info), { longs: Number }) as VisibilityEntry['info'] };
}

/** The rows after `k` in the default order: open runs first, then close time and start time descending, run id ascending. */
function afterClause(k: VisibilitySortKey, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const start = p(new Date(k.startTime));
  const run = p(k.runId);
  const later = `(start_time < ${start} or (start_time = ${start} and run_id collate "C" > ${run}))`;
  if (k.closeTime === null) return `((close_time is null and ${later}) or close_time is not null)`;
  const close = p(new Date(k.closeTime));
  // The first bound alone is what the index can seek to; the rest decides ties.
  return `close_time <= ${close} and (close_time < ${close} or (close_time = ${close} and ${later}))`;
}
