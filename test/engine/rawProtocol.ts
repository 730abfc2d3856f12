/**
 * A bare-hands worker for protocol tests: polls and answers workflow tasks with explicit
 * commands, so a test controls exactly what the server sees (failures, timeouts, stickiness).
 */
import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

export const E = temporal.api.enums.v1;
export type PollResponse = temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse;
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A protobuf Duration of whole seconds. */
export function secs(n: number): { seconds: Long } {
  return { seconds: Long.fromNumber(n) };
}

export function payloads(...values: unknown[]): temporal.api.common.v1.IPayloads {
  return { payloads: values.map((v) => defaultPayloadConverter.toPayload(v)) };
}

export function fromPayloads(p: temporal.api.common.v1.IPayloads | null | undefined): unknown[] {
  return (p?.payloads ?? []).map((x) => defaultPayloadConverter.fromPayload(x));
}

/** The attribute key of an event, e.g. "timerFiredEventAttributes" → "timerFired". */
export function eventName(e: HistoryEvent): string {
  const key = Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k]);
  return key ? key.replace(/EventAttributes$/, '') : 'unknown';
}

export class RawWorker {
  readonly identity = `raw-${randomUUID().slice(0, 6)}`;
  constructor(
    readonly env: TestWorkflowEnvironment,
    readonly taskQueue: string,
  ) {}

  get service() {
    return this.env.client.workflowService;
  }

  get namespace(): string {
    return this.env.client.options.namespace;
  }

  private readonly started: string[] = [];

  async start(workflowId: string, extra: Partial<temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest> = {}): Promise<string> {
    this.started.push(workflowId);
    const res = await this.service.startWorkflowExecution({
      namespace: this.namespace,
      workflowId,
      workflowType: { name: 'raw' },
      taskQueue: { name: this.taskQueue },
      requestId: randomUUID(),
      identity: this.identity,
      ...extra,
    });
    return res.runId!;
  }

  /** Terminates whatever this worker started that is still open. */
  async terminateAll(): Promise<void> {
    for (const workflowId of this.started.splice(0)) {
      await this.service.terminateWorkflowExecution({ namespace: this.namespace, workflowExecution: { workflowId }, reason: 'test cleanup' }).catch(() => undefined);
    }
  }

  async poll(queue: { name: string; kind?: number; normalName?: string } = { name: this.taskQueue }): Promise<PollResponse> {
    const res = await this.service.pollWorkflowTaskQueue({ namespace: this.namespace, taskQueue: queue, identity: this.identity });
    if (!res.taskToken?.length) throw new Error(`no workflow task on ${queue.name}`);
    return res;
  }

  complete(task: PollResponse, commands: temporal.api.command.v1.ICommand[], extra: Partial<temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest> = {}) {
    return this.service.respondWorkflowTaskCompleted({ namespace: this.namespace, taskToken: task.taskToken, identity: this.identity, commands, ...extra });
  }

  fail(task: PollResponse, message: string) {
    return this.service.respondWorkflowTaskFailed({
      namespace: this.namespace,
      taskToken: task.taskToken,
      identity: this.identity,
      cause: E.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE,
      failure: { message },
    });
  }

  async history(workflowId: string, runId?: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const res = await this.service.getWorkflowExecutionHistory({ namespace: this.namespace, execution: { workflowId, runId }, nextPageToken, maximumPageSize: 100 });
      events.push(...(res.history?.events ?? []));
      nextPageToken = res.nextPageToken?.length ? res.nextPageToken : undefined;
    } while (nextPageToken);
    return events;
  }
}

export const commands = {
  complete(value?: unknown): temporal.api.command.v1.ICommand {
    return {
      commandType: E.CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
      completeWorkflowExecutionCommandAttributes: { result: value === undefined ? null : payloads(value) },
    };
  },
  timer(timerId: string, seconds: number): temporal.api.command.v1.ICommand {
    return { commandType: E.CommandType.COMMAND_TYPE_START_TIMER, startTimerCommandAttributes: { timerId, startToFireTimeout: secs(seconds) } };
  },
  activity(activityId: string, attrs: Partial<temporal.api.command.v1.IScheduleActivityTaskCommandAttributes> = {}): temporal.api.command.v1.ICommand {
    return {
      commandType: E.CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
      scheduleActivityTaskCommandAttributes: { activityId, activityType: { name: 'raw-activity' }, startToCloseTimeout: secs(10), ...attrs },
    };
  },
};
