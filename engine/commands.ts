/**
 * RespondWorkflowTaskCompleted: the worker's commands become history events, in order, and
 * protocol messages (updates) are applied where the commands place them.
 */
import type { Engine, Tx } from './engine';
import { notFound } from './errors';
import type { Mutation } from './execution';
import { durationMs, enums, msDuration, temporal, type Command, type Plain, type ProtocolMessage } from './proto';
import { normalizeRetryPolicy, retryPolicyMessage } from './retry';
import { mergeSearchAttributes, validateSearchAttributes } from './searchAttributes';
import { isRunning, type ActivityState } from './state';
import { decodeToken } from './tokens';
import { endWorkflowTaskAttempt, scheduleWorkflowTask, returnUndeliveredWork } from './workflowTasks';
import { dropsRepeatedFailure } from './workflowTaskAttempts';
import { cancelWorkflowRun, completeWorkflowRun, continueAsNew, failWorkflowRun } from './closing';
import { applyUpdateMessage } from './updates';
import { resolveQueryResults } from './queries';
import type { NamespaceRecord } from './store/store';
import { validateCronSchedule } from './cron/cronBackoff';
import { requestCancelNexusOperation, scheduleNexusOperation } from './nexus/operations';

import WS = temporal.api.workflowservice.v1;
type CompletedRequest = Plain<WS.RespondWorkflowTaskCompletedRequest.$Properties>;
type CompletedResponse = Plain<WS.RespondWorkflowTaskCompletedResponse.$Properties>;

const CAUSE = enums.WorkflowTaskFailedCause;
const CT = enums.CommandType;

/** A command the engine refuses: the workflow task fails with this cause, like on the real server. */
export class CommandError extends Error {
  constructor(
    readonly failedCause: temporal.api.enums.v1.WorkflowTaskFailedCause,
    message: string,
  ) {
    super(message);
  }
}

export interface CommandContext {
  engine: Engine;
  tx: Tx;
  m: Mutation;
  ns: NamespaceRecord;
  completedEventId: number;
  identity: string;
  messages: Map<string, ProtocolMessage>;
  /** Set when an event the workflow has not seen yet was written (an activity cancelled before it started). */
  needsWorkflowTask: boolean;
  closed: boolean;
}

export async function respondWorkflowTaskCompleted(engine: Engine, req: CompletedRequest): Promise<CompletedResponse> {
  const token = decodeToken(req.taskToken, 'w');
  const ns = engine.namespaces.get(token.ns);
  await engine.transact(token.ns, token.wid, async (tx) => {
    const m = await tx.run(token.rid);
    const wft = m.state.wft;
    if (!isRunning(m.state) || !wft || wft.scheduledEventId !== token.sid || wft.startedEventId !== token.st) {
      throw notFound('Workflow task not found.');
    }
    try {
      await completeWithCommands(engine, tx, m, ns, req);
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      tx.rollback();
      engine.log.debug(`workflow task of ${token.wid} failed: ${err.message}`);
      if (dropsRepeatedFailure(wft, err.failedCause)) return;
      endWorkflowTaskAttempt(m, {
        failed: {
          cause: err.failedCause,
          failure: { message: err.message, source: 'Server', serverFailureInfo: { nonRetryable: false } },
          identity: 'history-service',
        },
      });
    }
  });
  return {};
}

async function completeWithCommands(engine: Engine, tx: Tx, m: Mutation, ns: NamespaceRecord, req: CompletedRequest): Promise<void> {
  const s = m.state;
  const wft = s.wft!;
  const completedEventId = m.add('workflowTaskCompletedEventAttributes', {
    scheduledEventId: wft.scheduledEventId,
    startedEventId: wft.startedEventId!,
    identity: req.identity ?? '',
    binaryChecksum: req.binaryChecksum ?? '',
    sdkMetadata: req.sdkMetadata ?? null,
    meteringMetadata: req.meteringMetadata ?? null,
    workerVersion: req.workerVersionStamp ?? null,
  });
  s.lastCompletedWftStartedEventId = wft.startedEventId!;
  s.wft = undefined;
  const stickyQueue = req.stickyAttributes?.workerTaskQueue?.name;
  s.sticky = stickyQueue ? { queue: stickyQueue, timeoutMs: durationMs(req.stickyAttributes?.scheduleToStartTimeout) || 10_000 } : undefined;

  const ctx: CommandContext = {
    engine,
    tx,
    m,
    ns,
    completedEventId,
    identity: req.identity ?? '',
    messages: new Map((req.messages ?? []).map((msg) => [msg.id ?? '', msg])),
    needsWorkflowTask: false,
    closed: false,
  };
  for (const command of req.commands ?? []) {
    if (ctx.closed) {
      throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND, 'a command follows the command that closed the workflow');
    }
    applyCommand(ctx, command);
  }
  // Messages no command placed (rejections, or workers that do not sequence them) come last.
  for (const msg of [...ctx.messages.values()]) applyMessage(ctx, msg);

  resolveQueryResults(m, req.queryResults ?? {});
  returnUndeliveredWork(m, wft.scheduledEventId);
  if (ctx.closed) return;
  const flushed = m.flushBuffered();
  // An update this task carried and the worker answered (accepted, rejected, completed) needs no new
  // task: its phase changes only after the commit, so it still reads 'sent' here.
  const answered = new Set((req.messages ?? []).map((msg) => msg.protocolInstanceId ?? ''));
  const pendingUpdates = [...m.exec.updates.values()].some(
    (u) => u.phase === 'admitted' || (u.phase === 'sent' && u.sentWith === wft.scheduledEventId && !answered.has(u.updateId)),
  );
  if (flushed || ctx.needsWorkflowTask || req.forceCreateNewWorkflowTask || pendingUpdates) scheduleWorkflowTask(m);
}

function applyMessage(ctx: CommandContext, msg: ProtocolMessage): void {
  ctx.messages.delete(msg.id ?? '');
  applyUpdateMessage(ctx, msg);
}

/** A close command is refused while events the workflow has not seen are waiting (the real server's UNHANDLED_COMMAND). */
function ensureNothingUnhandled(ctx: CommandContext): void {
  const unseenUpdates = [...ctx.m.exec.updates.values()].some((u) => u.phase === 'admitted');
  if (ctx.m.hasBufferedEvents || unseenUpdates) {
    throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND, 'new events arrived while the workflow was completing');
  }
}

function applyCommand(ctx: CommandContext, command: Command): void {
  const { m, completedEventId } = ctx;
  const meta = command.userMetadata ? { userMetadata: command.userMetadata } : {};
  switch (command.commandType) {
    case CT.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK:
      return scheduleActivity(ctx, command.scheduleActivityTaskCommandAttributes ?? {}, meta);
    case CT.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK:
      return requestCancelActivity(ctx, Number(command.requestCancelActivityTaskCommandAttributes?.scheduledEventId ?? 0));
    case CT.COMMAND_TYPE_START_TIMER: {
      const a = command.startTimerCommandAttributes ?? {};
      const timerId = a.timerId ?? '';
      const ms = durationMs(a.startToFireTimeout);
      if (!timerId) throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES, 'TimerId is not set.');
      if (ms <= 0) throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES, 'A valid StartToFireTimeout is not set on command.');
      if (m.state.timers[timerId]) throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_START_TIMER_DUPLICATE_ID, `Timer ${timerId} already started.`);
      const startedEventId = m.add(
        'timerStartedEventAttributes',
        { timerId, startToFireTimeout: a.startToFireTimeout, workflowTaskCompletedEventId: completedEventId },
        meta,
      );
      m.state.timers[timerId] = { timerId, startedEventId, fireAt: m.now + ms };
      return;
    }
    case CT.COMMAND_TYPE_CANCEL_TIMER: {
      const timerId = command.cancelTimerCommandAttributes?.timerId ?? '';
      const timer = m.state.timers[timerId];
      if (!timer) throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_TIMER_ATTRIBUTES, `Timer ${timerId} is not pending.`);
      delete m.state.timers[timerId];
      m.add('timerCanceledEventAttributes', {
        timerId,
        startedEventId: timer.startedEventId,
        workflowTaskCompletedEventId: completedEventId,
        identity: ctx.identity,
      });
      return;
    }
    case CT.COMMAND_TYPE_RECORD_MARKER: {
      const a = command.recordMarkerCommandAttributes ?? {};
      if (!a.markerName) throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_RECORD_MARKER_ATTRIBUTES, 'MarkerName is not set on command.');
      m.add(
        'markerRecordedEventAttributes',
        { markerName: a.markerName, details: a.details ?? {}, workflowTaskCompletedEventId: completedEventId, header: a.header ?? null, failure: a.failure ?? null },
        meta,
      );
      return;
    }
    case CT.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
      const attrs = command.upsertWorkflowSearchAttributesCommandAttributes?.searchAttributes;
      try {
        validateSearchAttributes(ctx.engine.namespaces, ctx.ns, attrs);
      } catch (err) {
        throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES, (err as Error).message);
      }
      m.add('upsertWorkflowSearchAttributesEventAttributes', { workflowTaskCompletedEventId: completedEventId, searchAttributes: attrs ?? { indexedFields: {} } });
      m.state.searchAttributes = mergeSearchAttributes(m.state.searchAttributes, attrs);
      return;
    }
    case CT.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES: {
      const memo = command.modifyWorkflowPropertiesCommandAttributes?.upsertedMemo ?? { fields: {} };
      m.add('workflowPropertiesModifiedEventAttributes', { workflowTaskCompletedEventId: completedEventId, upsertedMemo: memo });
      const fields = { ...(m.state.memo?.fields ?? {}) };
      for (const [k, v] of Object.entries(memo.fields ?? {})) {
        if (!v?.data || v.data.length === 0) delete fields[k];
        else fields[k] = v;
      }
      m.state.memo = { fields };
      return;
    }
    case CT.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION:
      ensureNothingUnhandled(ctx);
      completeWorkflowRun(ctx.tx, m, command.completeWorkflowExecutionCommandAttributes?.result ?? null, completedEventId);
      ctx.closed = true;
      return;
    case CT.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION:
      ensureNothingUnhandled(ctx);
      failWorkflowRun(ctx.tx, m, command.failWorkflowExecutionCommandAttributes?.failure ?? null, completedEventId);
      ctx.closed = true;
      return;
    case CT.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION:
      ensureNothingUnhandled(ctx);
      cancelWorkflowRun(m, command.cancelWorkflowExecutionCommandAttributes?.details ?? null, completedEventId);
      ctx.closed = true;
      return;
    case CT.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
      ensureNothingUnhandled(ctx);
      continueAsNew(ctx, command.continueAsNewWorkflowExecutionCommandAttributes ?? {});
      ctx.closed = true;
      return;
    case CT.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION:
      return startChild(ctx, command.startChildWorkflowExecutionCommandAttributes ?? {}, meta);
    case CT.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION: {
      const a = command.signalExternalWorkflowExecutionCommandAttributes ?? {};
      const workflowId = a.execution?.workflowId;
      if (!workflowId || !a.signalName) {
        throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES, 'WorkflowId and SignalName are required.');
      }
      const initiatedEventId = m.add(
        'signalExternalWorkflowExecutionInitiatedEventAttributes',
        {
          workflowTaskCompletedEventId: completedEventId,
          namespace: a.namespace || ctx.ns.name,
          workflowExecution: { workflowId, runId: a.execution?.runId ?? '' },
          signalName: a.signalName,
          input: a.input ?? null,
          control: a.control ?? '',
          childWorkflowOnly: !!a.childWorkflowOnly,
          header: a.header ?? null,
        },
        meta,
      );
      m.state.signalsOut[initiatedEventId] = { initiatedEventId, requestId: `${m.state.runId}:signal:${initiatedEventId}` };
      return;
    }
    case CT.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION: {
      const a = command.requestCancelExternalWorkflowExecutionCommandAttributes ?? {};
      if (!a.workflowId) {
        throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_ATTRIBUTES, 'WorkflowId is not set on command.');
      }
      const initiatedEventId = m.add(
        'requestCancelExternalWorkflowExecutionInitiatedEventAttributes',
        {
          workflowTaskCompletedEventId: completedEventId,
          namespace: a.namespace || ctx.ns.name,
          workflowExecution: { workflowId: a.workflowId, runId: a.runId ?? '' },
          control: a.control ?? '',
          childWorkflowOnly: !!a.childWorkflowOnly,
          reason: a.reason ?? '',
        },
        meta,
      );
      m.state.cancelsOut[initiatedEventId] = { initiatedEventId, requestId: `${m.state.runId}:cancel:${initiatedEventId}` };
      return;
    }
    case CT.COMMAND_TYPE_PROTOCOL_MESSAGE: {
      const id = command.protocolMessageCommandAttributes?.messageId ?? '';
      const msg = ctx.messages.get(id);
      if (!msg) {
        throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE, `ProtocolMessageCommand refers to unknown message ${id}.`);
      }
      applyMessage(ctx, msg);
      return;
    }
    case CT.COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION:
      return scheduleNexusOperation(ctx, command.scheduleNexusOperationCommandAttributes ?? {}, meta);
    case CT.COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION:
      return requestCancelNexusOperation(ctx, Number(command.requestCancelNexusOperationCommandAttributes?.scheduledEventId ?? 0));
    default:
      throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND, `Unknown command type ${command.commandType}.`);
  }
}

type ScheduleAttrs = NonNullable<Command['scheduleActivityTaskCommandAttributes']>;

/** Activity timeouts, defaulted and capped exactly like the real server does. */
export function activityTimeouts(a: ScheduleAttrs, runTimeoutMs: number): { s2c: number; s2s: number; s2cl: number; hb: number } {
  let scheduleToClose = durationMs(a.scheduleToCloseTimeout);
  let scheduleToStart = durationMs(a.scheduleToStartTimeout);
  let startToClose = durationMs(a.startToCloseTimeout);
  let heartbeat = durationMs(a.heartbeatTimeout);
  if (scheduleToClose < 0 || scheduleToStart < 0 || startToClose < 0 || heartbeat < 0) {
    throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES, 'A negative timeout is set on ScheduleActivityTaskCommand.');
  }
  if (scheduleToClose > 0) {
    if (runTimeoutMs > 0) scheduleToClose = Math.min(scheduleToClose, runTimeoutMs);
    scheduleToStart = scheduleToStart > 0 ? Math.min(scheduleToStart, scheduleToClose) : scheduleToClose;
    startToClose = startToClose > 0 ? Math.min(startToClose, scheduleToClose) : scheduleToClose;
  } else if (startToClose > 0) {
    scheduleToClose = runTimeoutMs;
    if (scheduleToStart <= 0) scheduleToStart = scheduleToClose;
  } else {
    throw new CommandError(
      CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES,
      'A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand.',
    );
  }
  if (heartbeat > startToClose) heartbeat = startToClose;
  return { s2c: scheduleToClose, s2s: scheduleToStart, s2cl: startToClose, hb: heartbeat };
}

function scheduleActivity(ctx: CommandContext, a: ScheduleAttrs, meta: object): void {
  const { m } = ctx;
  const bad = (msg: string) => new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES, msg);
  if (!a.activityId) throw bad('ActivityId is not set on ScheduleActivityTaskCommand.');
  if (!a.activityType?.name) throw bad('ActivityType is not set on ScheduleActivityTaskCommand.');
  if (Object.values(m.state.activities).some((x) => x.activityId === a.activityId)) {
    throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_SCHEDULE_ACTIVITY_DUPLICATE_ID, `Activity ID ${a.activityId} is already in use.`);
  }
  const t = activityTimeouts(a, m.state.runTimeoutMs);
  let retry;
  try {
    retry = normalizeRetryPolicy(a.retryPolicy);
  } catch (err) {
    throw bad((err as Error).message);
  }
  const taskQueue = a.taskQueue?.name || m.state.taskQueue;
  const scheduledEventId = m.add(
    'activityTaskScheduledEventAttributes',
    {
      activityId: a.activityId,
      activityType: a.activityType,
      taskQueue: { name: taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      header: a.header ?? null,
      input: a.input ?? null,
      scheduleToCloseTimeout: msDuration(t.s2c),
      scheduleToStartTimeout: msDuration(t.s2s),
      startToCloseTimeout: msDuration(t.s2cl),
      heartbeatTimeout: msDuration(t.hb),
      workflowTaskCompletedEventId: ctx.completedEventId,
      retryPolicy: retryPolicyMessage(retry),
      useWorkflowBuildId: !!a.useWorkflowBuildId,
      priority: a.priority ?? null,
    },
    meta,
  );
  const activity: ActivityState = {
    scheduledEventId,
    activityId: a.activityId,
    activityType: a.activityType.name,
    taskQueue,
    phase: 'scheduled',
    attempt: 1,
    scheduledAt: m.now,
    attemptScheduledAt: m.now,
    scheduleToCloseMs: t.s2c,
    scheduleToStartMs: t.s2s,
    startToCloseMs: t.s2cl,
    heartbeatMs: t.hb,
    retry,
    cancelRequested: false,
  };
  m.state.activities[scheduledEventId] = activity;
}

function requestCancelActivity(ctx: CommandContext, scheduledEventId: number): void {
  const { m } = ctx;
  const activity = m.state.activities[scheduledEventId];
  if (!activity) {
    throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES, `Activity with scheduled event id ${scheduledEventId} is not pending.`);
  }
  const requestedId = m.add('activityTaskCancelRequestedEventAttributes', { scheduledEventId, workflowTaskCompletedEventId: ctx.completedEventId });
  if (activity.phase === 'started') {
    activity.cancelRequested = true;
    activity.cancelRequestedEventId = requestedId;
    return;
  }
  // Not running anywhere: cancel at once, and give the workflow a task to see it.
  delete m.state.activities[scheduledEventId];
  m.add('activityTaskCanceledEventAttributes', {
    scheduledEventId,
    startedEventId: 0,
    latestCancelRequestedEventId: requestedId,
    identity: ctx.identity,
  });
  ctx.needsWorkflowTask = true;
}

type ChildAttrs = NonNullable<Command['startChildWorkflowExecutionCommandAttributes']>;

function startChild(ctx: CommandContext, a: ChildAttrs, meta: object): void {
  const { m } = ctx;
  const bad = (msg: string) => new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES, msg);
  if (!a.workflowId) throw bad('Required field WorkflowId is not set on command.');
  if (!a.workflowType?.name) throw bad('Required field WorkflowType is not set on command.');
  if (a.cronSchedule) {
    try {
      validateCronSchedule(a.cronSchedule, m.now);
    } catch (err) {
      throw bad((err as Error).message);
    }
  }
  const namespace = a.namespace || ctx.ns.name;
  if (!ctx.engine.namespaces.find(namespace)) throw bad(`Namespace ${namespace} is not found.`);
  try {
    validateSearchAttributes(ctx.engine.namespaces, ctx.engine.namespaces.get(namespace), a.searchAttributes);
    if (a.retryPolicy) normalizeRetryPolicy(a.retryPolicy);
  } catch (err) {
    throw bad((err as Error).message);
  }
  const initiatedEventId = m.add(
    'startChildWorkflowExecutionInitiatedEventAttributes',
    {
      namespace,
      namespaceId: namespace,
      workflowId: a.workflowId,
      workflowType: a.workflowType,
      taskQueue: { name: a.taskQueue?.name || m.state.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      input: a.input ?? null,
      workflowExecutionTimeout: a.workflowExecutionTimeout ?? null,
      workflowRunTimeout: a.workflowRunTimeout ?? null,
      workflowTaskTimeout: a.workflowTaskTimeout ?? null,
      parentClosePolicy: a.parentClosePolicy ?? enums.ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE,
      control: a.control ?? '',
      workflowTaskCompletedEventId: ctx.completedEventId,
      workflowIdReusePolicy: a.workflowIdReusePolicy ?? 0,
      retryPolicy: a.retryPolicy ?? null,
      cronSchedule: a.cronSchedule ?? '',
      header: a.header ?? null,
      memo: a.memo ?? null,
      searchAttributes: a.searchAttributes ?? null,
      priority: a.priority ?? null,
    },
    meta,
  );
  m.state.children[initiatedEventId] = {
    initiatedEventId,
    namespace,
    workflowId: a.workflowId,
    workflowType: a.workflowType.name,
    requestId: `${m.state.runId}:child:${initiatedEventId}`,
    parentClosePolicy: a.parentClosePolicy || enums.ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE,
  };
}
