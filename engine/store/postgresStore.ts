/**
 * The engine's durable store: its own schema in the application's PostgreSQL.
 *
 * One commit is one transaction: each run's state row is updated only if its version is the
 * one the change was computed from (optimistic concurrency), its new history events are
 * appended (the primary key forbids a duplicate event id), its visibility row is upserted and
 * the workflow id's current-run pointer moves. History events are stored as the protobuf
 * bytes the API sends; run state as JSON.
 */
import { Pool, type PoolClient } from 'pg';
import { temporal } from '@temporalio/proto';
import type { HistoryEvent } from '../proto';
import { WorkflowStatus, type ExecutionState } from '../state';
import { decodeState, encodeState } from './stateCodec';
import {
  VersionConflictError,
  type CommitBatch,
  type EngineStore,
  type NamespaceRecord,
  type VisibilityEntry,
  type VisibilityQuery,
  type VisibilityRecordData,
} from './store';
import { ENGINE_SCHEMA, migrateEngineSchema } from './postgresSchema';
import { prefilter } from './visibilitySql';

const HISTORY_EVENT = temporal.api.history.v1.HistoryEvent;
const EXECUTION_INFO = temporal.api.workflow.v1.WorkflowExecutionInfo;
const S = ENGINE_SCHEMA;

export interface PostgresStoreOptions {
  connectionString: string;
  /** Connections to PostgreSQL; concurrent commits share the server's group commit. */
  poolSize?: number;
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

// $1-$3 run key, $4-$7 new state, $8 expected version (0: the run is new), $9-$10 new events,
// $11-$15 visibility (null: unchanged), $16-$18 current-run pointer (namespace is $1).
const COMMIT_ONE_RUN = `
  with inserted as (
    insert into ${S}.executions (namespace, workflow_id, run_id, version, status, close_time, state)
    select $1, $2, $3, $4, $5, $6, $7 where $8::int = 0
    on conflict do nothing
    returning 1
  ), updated as (
    update ${S}.executions set version = $4, status = $5, close_time = $6, state = $7
    where $8::int <> 0 and namespace = $1 and workflow_id = $2 and run_id = $3 and version = $8
    returning 1
  ), written as (
    select 1 as ok from inserted union all select 1 from updated
  ), events as (
    insert into ${S}.history (namespace, workflow_id, run_id, event_id, event)
    select $1, $2, $3, e.id, e.bytes from unnest($9::bigint[], $10::bytea[]) as e(id, bytes), written
  ), visible as (
    insert into ${S}.visibility (namespace, workflow_id, run_id, status, start_time, close_time, record, info)
    select $1, $2, $3, $11, $12, $13, $14, $15 from written where $11::text is not null
    on conflict (namespace, workflow_id, run_id) do update
      set status = excluded.status, close_time = excluded.close_time, record = excluded.record, info = excluded.info
  ), pointer as (
    insert into ${S}.current_runs (namespace, workflow_id, run_id)
    select $1, $17, $18 from written where $16::boolean
    on conflict (namespace, workflow_id) do update set run_id = excluded.run_id
  )
  select count(*)::int as written from written`;

export class PostgresStore implements EngineStore {
  readonly kind = 'postgres' as const;
  readonly pool: Pool;

  constructor(options: PostgresStoreOptions) {
    this.pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 16 });
    // A connection that dies while idle (e.g. PostgreSQL restarted) must not crash the engine.
    this.pool.on('error', (err) => options.onError?.(err));
  }

  async init(): Promise<void> {
    await migrateEngineSchema(this.pool);
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
    if (batch.runs.length === 1 && batch.currentRuns.every((c) => c.namespace === batch.runs[0].state.namespace) && batch.currentRuns.length <= 1) {
      return this.commitOneRun(batch);
    }
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      for (const run of batch.runs) await this.writeRun(client, run.state, run.expectedVersion, run.newEvents, run.visibility);
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

  /**
   * The common case (one run changes) as one prepared statement: PostgreSQL runs a single
   * statement atomically, so no BEGIN/COMMIT round trips are needed. The history, visibility
   * and current-run writes only take effect when the state row was written at the expected
   * version; otherwise nothing is written and the conflict is reported.
   */
  private async commitOneRun(batch: CommitBatch): Promise<void> {
    const { state, expectedVersion, newEvents, visibility } = batch.runs[0];
    const current = batch.currentRuns[0];
    const r = visibility?.record;
    const result = await this.pool.query<{ written: number }>({
      name: 'engine-commit-one-run',
      text: COMMIT_ONE_RUN,
      values: [
        state.namespace,
        state.workflowId,
        state.runId,
        state.version,
        state.status,
        state.closeTime !== undefined ? new Date(state.closeTime) : null,
        encodeState(state),
        expectedVersion,
        newEvents.map((e) => e.eventId),
        newEvents.map(encodeEvent),
        r?.status ?? null,
        r ? new Date(r.startTime) : null,
        r?.closeTime !== undefined ? new Date(r.closeTime) : null,
        r ?? null,
        visibility ? encodeInfo(visibility) : null,
        current !== undefined,
        current?.workflowId ?? null,
        current?.runId ?? null,
      ],
    });
    if (result.rows[0]?.written !== 1) throw new VersionConflictError(state.runId);
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
    if (events.length > 0) {
      const values: unknown[] = [namespace, workflowId, runId];
      const rows = events.map((e, i) => {
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

  private async visibilityRows(namespace: string, query: VisibilityQuery): Promise<VisibilityEntry[]> {
    const filter = prefilter(query.ast, 2);
    const where = ['namespace = $1', ...filter.clauses].join(' and ');
    const r = await this.pool.query<{ record: VisibilityRecordData; info: Buffer }>(`select record, info from ${S}.visibility where ${where}`, [namespace, ...filter.params]);
    return r.rows.map((row) => ({
      namespace,
      record: row.record,
      info: EXECUTION_INFO.toObject(EXECUTION_INFO.decode(row.info), { longs: Number }) as VisibilityEntry['info'],
    }));
  }

  async listVisibility(namespace: string, query: VisibilityQuery, offset: number, limit: number): Promise<VisibilityEntry[]> {
    const rows = (await this.visibilityRows(namespace, query)).filter((e) => query.matches(e.record));
    return rows.sort((a, b) => query.compare(a.record, b.record)).slice(offset, offset + limit);
  }

  async countVisibility(namespace: string, query: VisibilityQuery): Promise<number> {
    return (await this.visibilityRows(namespace, query)).filter((e) => query.matches(e.record)).length;
  }
}
