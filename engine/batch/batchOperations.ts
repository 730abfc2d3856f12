/**
 * Batch operations (StartBatchOperation, Describe, List, Stop): terminate, cancel, signal,
 * delete or reset every execution a visibility query matches, or a given list. The real server
 * runs each job as a system workflow; here a job is a record the engine works through in the
 * background, a slice at a time, saving its progress after each slice — so a job interrupted by
 * a restart of the engine carries on from there (the PostgreSQL store keeps the records). The
 * executions a query matches are fixed when the job starts. Describe answers RUNNING, COMPLETED,
 * or FAILED for a stopped job, with the counts of executions done and failed.
 */
import type { Engine } from '../engine';
import { EngineError, GrpcStatus, invalidArgument, notFound } from '../errors';
import { compileQueryFor } from '../history';
import { enums, msTimestamp, temporal, type Plain } from '../proto';
import { decodePageToken, encodePageToken } from '../tokens';
import { sortKeyOf, type VisibilityPage } from '../store/store';
import { requireId } from '../workflowStart';
import { applyBatchAction } from './batchActions';
import type { BatchAction, BatchRecord, BatchTarget } from './batchRecord';
import { batchStoreFor, type BatchStore } from './batchStore';

import WS = temporal.api.workflowservice.v1;

const TYPE = enums.BatchOperationType;
const STATE = enums.BatchOperationState;
/** Executions acted on between two saves of the job's progress. */
const SLICE = 50;
const QUERY_PAGE = 1000;
const SAVE_EVERY_MS = 1000;

export class BatchOperations {
  private readonly store: BatchStore;
  private readonly jobs = new Map<string, BatchRecord>();
  private readonly running = new Set<string>();
  private ready?: Promise<void>;

  constructor(private readonly engine: Engine) {
    this.store = batchStoreFor(engine.store);
  }

  /** Loads the saved jobs and resumes those still running. */
  init(): Promise<void> {
    this.ready ??= (async () => {
      await this.store.init();
      for (const job of await this.store.all()) {
        this.jobs.set(key(job.namespace, job.jobId), job);
        if (job.state === 'running') this.launch(job);
      }
    })();
    return this.ready;
  }

  async start(req: Plain<WS.StartBatchOperationRequest.$Properties>): Promise<object> {
    await this.init();
    const ns = this.engine.namespaces.get(req.namespace);
    const jobId = requireId(req.jobId, 'JobId');
    if (!req.reason) throw invalidArgument('Reason is not set on request.');
    const query = req.visibilityQuery ?? '';
    const listed = req.executions ?? [];
    if (!query && listed.length === 0) throw invalidArgument('VisibilityQuery or Executions must be set on request.');
    if (query && listed.length > 0) throw invalidArgument('VisibilityQuery and Executions cannot both be set on request.');
    const { action, operationType, identity } = actionOf(req);
    if (this.jobs.has(key(ns.name, jobId))) throw new EngineError(GrpcStatus.ALREADY_EXISTS, `batch operation ${jobId} already exists`);
    const targets: BatchTarget[] = query
      ? await this.matching(ns.name, query)
      : listed.map((e) => ({ workflowId: requireId(e.workflowId, 'WorkflowId'), runId: e.runId || undefined }));
    const job: BatchRecord = {
      namespace: ns.name,
      jobId,
      operationType,
      action,
      state: 'running',
      reason: req.reason,
      identity,
      query: query || undefined,
      startTime: this.engine.clock.now(),
      targets,
      next: 0,
      completed: 0,
      failed: 0,
      maxOperationsPerSecond: Math.max(0, req.maxOperationsPerSecond ?? 0),
    };
    await this.store.save(job);
    this.jobs.set(key(ns.name, jobId), job);
    this.launch(job);
    return {};
  }

  async describe(req: Plain<WS.DescribeBatchOperationRequest.$Properties>): Promise<Plain<WS.DescribeBatchOperationResponse.$Properties>> {
    const job = await this.find(req.namespace, req.jobId);
    return {
      operationType: job.operationType,
      jobId: job.jobId,
      state: stateOf(job),
      startTime: msTimestamp(job.startTime),
      closeTime: job.closeTime !== undefined ? msTimestamp(job.closeTime) : null,
      totalOperationCount: job.targets.length,
      completeOperationCount: job.completed,
      failureOperationCount: job.failed,
      identity: job.identity,
      reason: job.reason,
      query: job.query ?? '',
    };
  }

  async list(req: Plain<WS.ListBatchOperationsRequest.$Properties>): Promise<Plain<WS.ListBatchOperationsResponse.$Properties>> {
    await this.init();
    const ns = this.engine.namespaces.get(req.namespace);
    const all = [...this.jobs.values()].filter((j) => j.namespace === ns.name).sort((a, b) => b.startTime - a.startTime || a.jobId.localeCompare(b.jobId));
    const offset = decodePageToken<{ offset: number }>(req.nextPageToken)?.offset ?? 0;
    const pageSize = req.pageSize && req.pageSize > 0 ? req.pageSize : 100;
    const page = all.slice(offset, offset + pageSize);
    return {
      operationInfo: page.map((j) => ({
        jobId: j.jobId,
        state: stateOf(j),
        startTime: msTimestamp(j.startTime),
        closeTime: j.closeTime !== undefined ? msTimestamp(j.closeTime) : null,
        operationType: j.operationType,
      })),
      nextPageToken: offset + pageSize < all.length ? encodePageToken({ offset: offset + pageSize }) : undefined,
    };
  }

  async stop(req: Plain<WS.StopBatchOperationRequest.$Properties>): Promise<object> {
    const job = await this.find(req.namespace, req.jobId);
    if (!req.reason) throw invalidArgument('Reason is not set on request.');
    if (job.state !== 'running') throw notFound(`batch operation ${job.jobId} is not running`);
    job.state = 'failed';
    job.closeTime = this.engine.clock.now();
    await this.store.save(job);
    return {};
  }

  private async find(namespace: string | null | undefined, jobId: string | null | undefined): Promise<BatchRecord> {
    await this.init();
    const ns = this.engine.namespaces.get(namespace);
    const id = requireId(jobId, 'JobId');
    const job = this.jobs.get(key(ns.name, id));
    if (!job) throw notFound(`batch operation ${id} not found`);
    return job;
  }

  private async matching(namespace: string, query: string): Promise<BatchTarget[]> {
    const compiled = compileQueryFor(this.engine, namespace, query);
    const out: BatchTarget[] = [];
    for (let from: VisibilityPage = { offset: 0 }; ; ) {
      const page = await this.engine.store.listVisibility(namespace, compiled, from, QUERY_PAGE);
      for (const e of page) out.push({ workflowId: e.record.workflowId, runId: e.record.runId });
      if (page.length < QUERY_PAGE) return out;
      from = { offset: from.offset + QUERY_PAGE, after: sortKeyOf(page[page.length - 1]!.record) };
    }
  }

  private launch(job: BatchRecord): void {
    const k = key(job.namespace, job.jobId);
    if (this.running.has(k)) return;
    this.running.add(k);
    void this.work(job)
      .catch((err: unknown) => {
        if (!this.engine.isClosing) this.engine.log.error(`batch operation ${job.jobId} stopped; it resumes when the engine restarts`, err);
      })
      .finally(() => this.running.delete(k));
  }

  private async work(job: BatchRecord): Promise<void> {
    const pauseMs = job.maxOperationsPerSecond > 0 ? 1000 / job.maxOperationsPerSecond : 0;
    while (job.state === 'running' && job.next < job.targets.length) {
      const end = Math.min(job.targets.length, job.next + SLICE);
      const sliceStarted = Date.now();
      // A slow (paced) job saves at least every second, so a restart repeats little.
      while (job.state === 'running' && job.next < end && Date.now() - sliceStarted < SAVE_EVERY_MS) {
        if (this.engine.isClosing) return;
        const outcome = await applyBatchAction(this.engine, job, job.targets[job.next]);
        if (outcome === 'done') job.completed++;
        else job.failed++;
        job.next++;
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
      if (this.engine.isClosing) return;
      await this.store.save(job);
    }
    if (job.state !== 'running') return;
    job.state = 'completed';
    job.closeTime = this.engine.clock.now();
    await this.store.save(job);
  }
}

function key(namespace: string, jobId: string): string {
  return `${namespace}\u0000${jobId}`;
}

function stateOf(job: BatchRecord): number {
  return job.state === 'running' ? STATE.BATCH_OPERATION_STATE_RUNNING : job.state === 'completed' ? STATE.BATCH_OPERATION_STATE_COMPLETED : STATE.BATCH_OPERATION_STATE_FAILED;
}

const RESET_TYPE = enums.ResetType;

function actionOf(req: Plain<WS.StartBatchOperationRequest.$Properties>): { action: BatchAction; operationType: number; identity: string } {
  if (req.terminationOperation) {
    return { action: { kind: 'terminate', details: req.terminationOperation.details }, operationType: TYPE.BATCH_OPERATION_TYPE_TERMINATE, identity: req.terminationOperation.identity ?? '' };
  }
  if (req.cancellationOperation) return { action: { kind: 'cancel' }, operationType: TYPE.BATCH_OPERATION_TYPE_CANCEL, identity: req.cancellationOperation.identity ?? '' };
  if (req.signalOperation) {
    const s = req.signalOperation;
    if (!s.signal) throw invalidArgument('Signal name is not set on the signal operation.');
    return { action: { kind: 'signal', signal: s.signal, input: s.input, header: s.header }, operationType: TYPE.BATCH_OPERATION_TYPE_SIGNAL, identity: s.identity ?? '' };
  }
  if (req.deletionOperation) return { action: { kind: 'delete' }, operationType: TYPE.BATCH_OPERATION_TYPE_DELETE, identity: req.deletionOperation.identity ?? '' };
  if (req.resetOperation) {
    const r = req.resetOperation;
    const o = r.options;
    let to: 'first' | 'last' | number | undefined;
    if (o?.firstWorkflowTask) to = 'first';
    else if (o?.lastWorkflowTask) to = 'last';
    else if (o?.workflowTaskId) to = Number(o.workflowTaskId);
    else if (r.resetType === RESET_TYPE.RESET_TYPE_FIRST_WORKFLOW_TASK) to = 'first';
    else if (r.resetType === RESET_TYPE.RESET_TYPE_LAST_WORKFLOW_TASK) to = 'last';
    if (o?.buildId) throw invalidArgument('resetting to a build id is not supported by the embedded engine; reset to a workflow task instead');
    if (to === undefined) throw invalidArgument('the reset operation must name a reset point (first, last or a workflow task id).');
    return {
      action: { kind: 'reset', to, reapplyType: o?.resetReapplyType || r.resetReapplyType || 0, excludeTypes: o?.resetReapplyExcludeTypes ?? [] },
      operationType: TYPE.BATCH_OPERATION_TYPE_RESET,
      identity: r.identity ?? '',
    };
  }
  if (
    req.updateWorkflowOptionsOperation ||
    req.unpauseActivitiesOperation ||
    req.resetActivitiesOperation ||
    req.updateActivityOptionsOperation ||
    req.cancelActivitiesOperation ||
    req.terminateActivitiesOperation ||
    req.deleteActivitiesOperation
  ) {
    throw new EngineError(GrpcStatus.UNIMPLEMENTED, 'this batch operation (workflow options or activities) is not supported by the embedded engine; terminate, cancel, signal, delete and reset are');
  }
  throw invalidArgument('Batch operation is not set on request.');
}

const instances = new WeakMap<Engine, BatchOperations>();

/** The engine's batch operations, created on first use. */
export function batchOperations(engine: Engine): BatchOperations {
  let b = instances.get(engine);
  if (!b) instances.set(engine, (b = new BatchOperations(engine)));
  return b;
}

/** Resumes the jobs a restart interrupted (called once the engine has started). */
export function resumeBatchOperations(engine: Engine): Promise<void> {
  return batchOperations(engine).init();
}
