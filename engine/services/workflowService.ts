/** temporal.api.workflowservice.v1.WorkflowService, as the embedded engine serves it. */
import type { Engine } from '../engine';
import type { CallContext, ServiceHandlers } from '../grpcServer';
import { invalidArgument } from '../errors';
import { durationMs, enums, msDuration, temporal, type Plain } from '../proto';
import { startWorkflowExecution } from '../workflowStart';
import {
  deleteWorkflowExecution,
  requestCancelWorkflowExecution,
  resetStickyTaskQueue,
  shutdownWorker,
  signalWithStartWorkflowExecution,
  signalWorkflowExecution,
  terminateWorkflowExecution,
} from '../workflowApi';
import { pollWorkflowTaskQueue, respondWorkflowTaskFailed } from '../workflowTasks';
import { respondWorkflowTaskCompleted } from '../commands';
import { cancelActivity, completeActivity, failActivity, pollActivityTaskQueue, recordHeartbeat } from '../activities';
import { queryWorkflow, respondQueryTaskCompleted } from '../queries';
import { pollWorkflowExecutionUpdate, updateWorkflowExecution } from '../updates';
import { executeMultiOperation } from '../multiOperation';
import {
  countWorkflowExecutions,
  describeWorkflowExecution,
  getSearchAttributes,
  getWorkflowExecutionHistory,
  getWorkflowExecutionHistoryReverse,
  listWorkflowExecutions,
} from '../history';
import type { NamespaceRecord } from '../store/store';
import { SERVER_VERSION } from '../version';
import { resetWorkflowExecution } from '../reset/resetWorkflow';
import { batchOperations } from '../batch/batchOperations';
import { pollNexusTaskQueue, respondNexusTaskCompleted, respondNexusTaskFailed } from '../nexus/tasks';
import { announceStandaloneActivities, standaloneActivityHandlers } from '../standalone/activityService';
import { isStandaloneToken } from '../standalone/token';
import { refuseVersionedPoller, workerVersioningHandlers } from './workerVersioning';

import WS = temporal.api.workflowservice.v1;

function describeNamespace(ns: NamespaceRecord): Plain<WS.DescribeNamespaceResponse.$Properties> {
  return {
    namespaceInfo: {
      name: ns.name,
      state: enums.NamespaceState.NAMESPACE_STATE_REGISTERED,
      description: ns.description,
      ownerEmail: ns.ownerEmail,
      data: ns.data,
      id: ns.id,
      capabilities: { eagerWorkflowStart: true, syncUpdate: true, asyncUpdate: true },
      supportsSchedules: true,
    },
    config: {
      workflowExecutionRetentionTtl: msDuration(ns.retentionMs),
      historyArchivalState: enums.ArchivalState.ARCHIVAL_STATE_DISABLED,
      visibilityArchivalState: enums.ArchivalState.ARCHIVAL_STATE_DISABLED,
    },
    replicationConfig: { activeClusterName: 'active', clusters: [{ clusterName: 'active' }], state: enums.ReplicationState.REPLICATION_STATE_NORMAL },
    failoverVersion: 0,
    isGlobalNamespace: false,
  };
}

export function workflowServiceHandlers(engine: Engine): ServiceHandlers {
  const standalone = engine.standaloneActivities;
  return {
    ...standaloneActivityHandlers(engine),
    ...workerVersioningHandlers(),
    GetSystemInfo: () => ({
      serverVersion: SERVER_VERSION,
      capabilities: {
        signalAndQueryHeader: true,
        internalErrorDifferentiation: true,
        activityFailureIncludeHeartbeat: true,
        supportsSchedules: true,
        encodedFailureAttributes: true,
        upsertMemo: true,
        eagerWorkflowStart: true,
        sdkMetadata: true,
        countGroupByExecutionStatus: false,
        nexus: true,
      },
    }),
    GetClusterInfo: () => ({
      supportedClients: {},
      serverVersion: SERVER_VERSION,
      clusterId: 'embedded',
      clusterName: 'active',
      historyShardCount: 1,
      persistenceStore: engine.store.kind,
      visibilityStore: engine.store.kind,
    }),
    DescribeNamespace: (req: Plain<WS.DescribeNamespaceRequest.$Properties>) => {
      const ns = req.id ? engine.namespaces.list().find((n) => n.id === req.id) : undefined;
      return announceStandaloneActivities(describeNamespace(ns ?? engine.namespaces.get(req.namespace)));
    },
    ListNamespaces: () => ({ namespaces: engine.namespaces.list().map((ns) => announceStandaloneActivities(describeNamespace(ns))) }),
    RegisterNamespace: async (req: Plain<WS.RegisterNamespaceRequest.$Properties>) => {
      await engine.namespaces.register({
        name: req.namespace ?? '',
        description: req.description ?? '',
        ownerEmail: req.ownerEmail ?? '',
        retentionMs: durationMs(req.workflowExecutionRetentionPeriod),
        data: req.data ?? {},
      });
      return {};
    },
    UpdateNamespace: async (req: Plain<WS.UpdateNamespaceRequest.$Properties>) => {
      const ns = engine.namespaces.get(req.namespace);
      const retentionMs = durationMs(req.config?.workflowExecutionRetentionTtl);
      const updated: NamespaceRecord = {
        ...ns,
        description: req.updateInfo?.description ?? ns.description,
        ownerEmail: req.updateInfo?.ownerEmail ?? ns.ownerEmail,
        data: { ...ns.data, ...(req.updateInfo?.data ?? {}) },
        retentionMs: retentionMs > 0 ? retentionMs : ns.retentionMs,
      };
      await engine.namespaces.update(updated);
      return describeNamespace(updated);
    },
    StartWorkflowExecution: (req) => startWorkflowExecution(engine, req),
    SignalWorkflowExecution: (req) => signalWorkflowExecution(engine, req),
    SignalWithStartWorkflowExecution: (req) => signalWithStartWorkflowExecution(engine, req),
    RequestCancelWorkflowExecution: (req) => requestCancelWorkflowExecution(engine, req),
    TerminateWorkflowExecution: (req) => terminateWorkflowExecution(engine, req),
    DeleteWorkflowExecution: (req) => deleteWorkflowExecution(engine, req),
    ResetStickyTaskQueue: (req) => resetStickyTaskQueue(engine, req),
    ResetWorkflowExecution: (req) => resetWorkflowExecution(engine, req),
    StartBatchOperation: (req) => batchOperations(engine).start(req),
    DescribeBatchOperation: (req) => batchOperations(engine).describe(req),
    ListBatchOperations: (req) => batchOperations(engine).list(req),
    StopBatchOperation: (req) => batchOperations(engine).stop(req),
    ShutdownWorker: (req) => shutdownWorker(engine, req),
    PollWorkflowTaskQueue: (req, ctx: CallContext) => (refuseVersionedPoller(req), pollWorkflowTaskQueue(engine, req, ctx)),
    RespondWorkflowTaskCompleted: (req) => respondWorkflowTaskCompleted(engine, req),
    RespondWorkflowTaskFailed: (req) => respondWorkflowTaskFailed(engine, req),
    PollActivityTaskQueue: (req, ctx: CallContext) => (refuseVersionedPoller(req), pollActivityTaskQueue(engine, req, ctx)),
    PollNexusTaskQueue: (req, ctx: CallContext) => (refuseVersionedPoller(req), pollNexusTaskQueue(engine, req, ctx)),
    RespondNexusTaskCompleted: (req) => respondNexusTaskCompleted(engine, req),
    RespondNexusTaskFailed: (req) => respondNexusTaskFailed(engine, req),
    RecordActivityTaskHeartbeat: (req: Plain<WS.RecordActivityTaskHeartbeatRequest.$Properties>) =>
      isStandaloneToken(req.taskToken) ? standalone.heartbeat(req.taskToken, req.details) : recordHeartbeat(engine, req, req.details),
    RecordActivityTaskHeartbeatById: (req: Plain<WS.RecordActivityTaskHeartbeatByIdRequest.$Properties>) => recordHeartbeat(engine, req, req.details),
    RespondActivityTaskCompleted: (req: Plain<WS.RespondActivityTaskCompletedRequest.$Properties>) =>
      isStandaloneToken(req.taskToken) ? standalone.complete(req.taskToken, req.result) : completeActivity(engine, req, req.result, req.identity ?? ''),
    RespondActivityTaskCompletedById: (req: Plain<WS.RespondActivityTaskCompletedByIdRequest.$Properties>) =>
      completeActivity(engine, req, req.result, req.identity ?? ''),
    RespondActivityTaskFailed: (req: Plain<WS.RespondActivityTaskFailedRequest.$Properties>) =>
      isStandaloneToken(req.taskToken)
        ? standalone.fail(req.taskToken, req.failure, req.lastHeartbeatDetails)
        : failActivity(engine, req, req.failure, req.lastHeartbeatDetails, req.identity ?? ''),
    RespondActivityTaskFailedById: (req: Plain<WS.RespondActivityTaskFailedByIdRequest.$Properties>) =>
      failActivity(engine, req, req.failure, req.lastHeartbeatDetails, req.identity ?? ''),
    RespondActivityTaskCanceled: (req: Plain<WS.RespondActivityTaskCanceledRequest.$Properties>) =>
      isStandaloneToken(req.taskToken) ? standalone.canceled(req.taskToken, req.details) : cancelActivity(engine, req, req.details, req.identity ?? ''),
    RespondActivityTaskCanceledById: (req: Plain<WS.RespondActivityTaskCanceledByIdRequest.$Properties>) =>
      cancelActivity(engine, req, req.details, req.identity ?? ''),
    QueryWorkflow: (req, ctx: CallContext) => queryWorkflow(engine, req, ctx),
    RespondQueryTaskCompleted: (req) => respondQueryTaskCompleted(engine, req),
    UpdateWorkflowExecution: (req, ctx: CallContext) => updateWorkflowExecution(engine, req, ctx),
    PollWorkflowExecutionUpdate: (req, ctx: CallContext) => pollWorkflowExecutionUpdate(engine, req, ctx),
    ExecuteMultiOperation: (req, ctx: CallContext) => executeMultiOperation(engine, req, ctx),
    GetWorkflowExecutionHistory: (req, ctx: CallContext) => getWorkflowExecutionHistory(engine, req, ctx),
    GetWorkflowExecutionHistoryReverse: (req) => getWorkflowExecutionHistoryReverse(engine, req),
    DescribeWorkflowExecution: (req) => describeWorkflowExecution(engine, req),
    ListWorkflowExecutions: (req) => listWorkflowExecutions(engine, req),
    ScanWorkflowExecutions: (req) => listWorkflowExecutions(engine, req),
    ListOpenWorkflowExecutions: (req: Plain<WS.ListOpenWorkflowExecutionsRequest.$Properties>) =>
      listWorkflowExecutions(engine, { namespace: req.namespace, pageSize: req.maximumPageSize, nextPageToken: req.nextPageToken, query: "ExecutionStatus = 'Running'" }),
    ListClosedWorkflowExecutions: (req: Plain<WS.ListClosedWorkflowExecutionsRequest.$Properties>) =>
      listWorkflowExecutions(engine, { namespace: req.namespace, pageSize: req.maximumPageSize, nextPageToken: req.nextPageToken, query: "ExecutionStatus != 'Running'" }),
    CountWorkflowExecutions: (req) => countWorkflowExecutions(engine, req),
    GetSearchAttributes: () => ({ keys: getSearchAttributes(engine, undefined) }),
    DescribeTaskQueue: (req: Plain<WS.DescribeTaskQueueRequest.$Properties>) => {
      const ns = engine.namespaces.get(req.namespace);
      const name = req.taskQueue?.name;
      if (!name) throw invalidArgument('TaskQueue is not set on request.');
      const TQ = enums.TaskQueueType;
      const type = req.taskQueueType === TQ.TASK_QUEUE_TYPE_ACTIVITY ? 'activity' : req.taskQueueType === TQ.TASK_QUEUE_TYPE_NEXUS ? 'nexus' : 'workflow';
      return {
        pollers: engine.matching.pollers(ns.name, type, name).map((p) => ({ identity: p.identity, lastAccessTime: { seconds: Math.floor(p.lastAccessTime / 1000), nanos: 0 } })),
        stats: { approximateBacklogCount: engine.matching.backlog(ns.name, type, name), approximateBacklogAge: msDuration(engine.matching.backlogAgeMs(ns.name, type, name)) },
      };
    },
  };
}

