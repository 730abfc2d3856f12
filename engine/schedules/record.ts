/** What the engine keeps about one schedule, and its JSON form for the store. */
import type { Failure, Memo, Payloads, Plain, SearchAttributes, temporal } from '../proto';
import type { ScheduleSpecProto } from './spec';

export type NewWorkflowInfo = Plain<temporal.api.workflow.v1.NewWorkflowExecutionInfo.$Properties>;

/** Overlap policy values as in temporal.api.enums.v1.ScheduleOverlapPolicy. */
export const Overlap = {
  Unspecified: 0,
  Skip: 1,
  BufferOne: 2,
  BufferAll: 3,
  CancelOther: 4,
  TerminateOther: 5,
  AllowAll: 6,
} as const;

export interface BufferedStart {
  nominal: number;
  actual: number;
  /** 0 means "the schedule's policy at the time the start is processed". */
  overlapPolicy: number;
  manual: boolean;
}

export interface ActionResult {
  scheduleTime: number;
  actualTime: number;
  workflowId: string;
  runId: string;
  /** temporal.api.enums.v1.WorkflowExecutionStatus, as last seen. */
  status: number;
}

export interface ScheduleRecord {
  namespace: string;
  scheduleId: string;
  /** The canonical spec (what Describe answers). */
  spec: ScheduleSpecProto;
  action: NewWorkflowInfo;
  policies: {
    overlapPolicy: number;
    catchupWindowMs: number;
    pauseOnFailure: boolean;
    keepOriginalWorkflowId: boolean;
  };
  state: { notes: string; paused: boolean; limitedActions: boolean; remainingActions: number };
  memo?: Memo | null;
  searchAttributes?: SearchAttributes | null;
  info: {
    actionCount: number;
    missedCatchupWindow: number;
    overlapSkipped: number;
    bufferDropped: number;
    runningWorkflows: Array<{ workflowId: string; runId: string }>;
    recentActions: ActionResult[];
    createTime: number;
    updateTime?: number;
  };
  createRequestId: string;
  conflictToken: number;
  lastProcessedTime: number;
  buffer: BufferedStart[];
  lastCompletionResult?: Payloads | null;
  continuedFailure?: Failure | null;
}

export function encodeRecord(record: ScheduleRecord): string {
  return JSON.stringify(record, (_key, value: unknown) => {
    if (value instanceof Uint8Array) return { $b64: Buffer.from(value).toString('base64') };
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
      return { $b64: Buffer.from((value as { data: number[] }).data).toString('base64') };
    }
    return value;
  });
}

export function decodeRecord(json: string): ScheduleRecord {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && typeof (value as { $b64?: unknown }).$b64 === 'string' && Object.keys(value).length === 1) {
      return Buffer.from((value as { $b64: string }).$b64, 'base64');
    }
    return value;
  }) as ScheduleRecord;
}
