/** The schedule calls of temporal.api.workflowservice.v1.WorkflowService. */
import type { ServiceHandlers } from '../grpcServer';
import { invalidArgument } from '../errors';
import { durationMs, msDuration, msTimestamp, temporal, timestampMs, type Plain } from '../proto';
import { compileQueryFor } from '../history';
import { decodeAll, validateSearchAttributes } from '../searchAttributes';
import { requireId } from '../workflowStart';
import { WorkflowStatus } from '../state';
import { Overlap, type ScheduleRecord } from './record';
import { DEFAULT_CATCHUP_WINDOW_MS, MIN_CATCHUP_WINDOW_MS, type PatchInput, type Schedules } from './scheduler';
import { canonicalizeSpec, specProto } from './spec';

import WS = temporal.api.workflowservice.v1;
type ScheduleProto = Plain<temporal.api.schedule.v1.Schedule.$Properties>;
type PatchProto = Plain<temporal.api.schedule.v1.SchedulePatch.$Properties>;

const FUTURE_ACTIONS = 10;
const FUTURE_ACTIONS_IN_LIST = 5;
const RECENT_ACTIONS_IN_LIST = 5;
const MAX_MATCHING_TIMES = 1000;

function tokenBytes(n: number): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

function tokenNumber(b: Uint8Array | null | undefined): number {
  if (!b || b.length === 0) return 0;
  if (b.length !== 8) return -1;
  return Number(Buffer.from(b).readBigInt64BE());
}

/** The parts of a Schedule message that a create or an update sets; checks them the way the server does. */
function scheduleParts(schedules: Schedules, namespace: string, scheduleId: string, schedule: ScheduleProto | null | undefined) {
  const engine = schedules.engine;
  const ns = engine.namespaces.get(namespace);
  const start = schedule?.action?.startWorkflow;
  if (!start) throw invalidArgument('Lịch thiếu hành động / schedule action must start a workflow');
  const workflowId = requireId(start.workflowId, 'WorkflowId');
  requireId(`${workflowId}-2009-11-10T23:00:00Z`, 'WorkflowId');
  requireId(start.workflowType?.name, 'WorkflowType');
  requireId(start.taskQueue?.name, 'TaskQueue');
  if (start.cronSchedule) throw invalidArgument('Lịch không nhận cron_schedule trong hành động / cron_schedule is not allowed in a schedule action');
  validateSearchAttributes(engine.namespaces, ns, start.searchAttributes);
  const canonical = canonicalizeSpec(schedule?.spec);
  const p = schedule?.policies;
  const cw = durationMs(p?.catchupWindow);
  const state = schedule?.state;
  return {
    spec: specProto(canonical),
    action: start,
    policies: {
      overlapPolicy: p?.overlapPolicy || Overlap.Skip,
      catchupWindowMs: p?.catchupWindow ? Math.max(cw, MIN_CATCHUP_WINDOW_MS) : DEFAULT_CATCHUP_WINDOW_MS,
      pauseOnFailure: !!p?.pauseOnFailure,
      keepOriginalWorkflowId: !!p?.keepOriginalWorkflowId,
    },
    state: {
      notes: state?.notes ?? '',
      paused: !!state?.paused,
      limitedActions: !!state?.limitedActions,
      remainingActions: state?.limitedActions ? Number(state.remainingActions ?? 0) : 0,
    },
    scheduleId,
  };
}

function patchInput(p: PatchProto | null | undefined): PatchInput | undefined {
  if (!p) return undefined;
  return {
    triggerImmediately: p.triggerImmediately
      ? { overlapPolicy: p.triggerImmediately.overlapPolicy ?? 0, scheduledTime: p.triggerImmediately.scheduledTime ? timestampMs(p.triggerImmediately.scheduledTime) : undefined }
      : undefined,
    backfills: (p.backfillRequest ?? []).map((b) => {
      if (!b.startTime || !b.endTime) throw invalidArgument('Khoảng chạy bù thiếu thời điểm / a backfill needs a start and an end time');
      return { startMs: timestampMs(b.startTime), endMs: timestampMs(b.endTime), overlapPolicy: b.overlapPolicy ?? 0 };
    }),
    pause: p.pause || undefined,
    unpause: p.unpause || undefined,
  };
}

function actionResults(rec: ScheduleRecord, count: number) {
  return rec.info.recentActions.slice(-count).map((a) => ({
    scheduleTime: msTimestamp(a.scheduleTime),
    actualTime: msTimestamp(a.actualTime),
    startWorkflowResult: { workflowId: a.workflowId, runId: a.runId },
    startWorkflowStatus: a.status || WorkflowStatus.Running,
  }));
}

function describe(schedules: Schedules, rec: ScheduleRecord): Plain<WS.DescribeScheduleResponse.$Properties> {
  return {
    schedule: {
      spec: rec.spec,
      action: { startWorkflow: rec.action },
      policies: {
        overlapPolicy: rec.policies.overlapPolicy,
        catchupWindow: msDuration(rec.policies.catchupWindowMs),
        pauseOnFailure: rec.policies.pauseOnFailure,
        keepOriginalWorkflowId: rec.policies.keepOriginalWorkflowId,
      },
      state: rec.state,
    },
    info: {
      actionCount: rec.info.actionCount,
      missedCatchupWindow: rec.info.missedCatchupWindow,
      overlapSkipped: rec.info.overlapSkipped,
      bufferDropped: rec.info.bufferDropped,
      bufferSize: rec.buffer.length,
      runningWorkflows: rec.info.runningWorkflows,
      recentActions: actionResults(rec, rec.info.recentActions.length),
      futureActionTimes: schedules.futureActionTimes(rec, FUTURE_ACTIONS).map(msTimestamp),
      createTime: msTimestamp(rec.info.createTime),
      updateTime: rec.info.updateTime !== undefined ? msTimestamp(rec.info.updateTime) : null,
    },
    memo: rec.memo ?? { fields: {} },
    searchAttributes: rec.searchAttributes ?? { indexedFields: {} },
    conflictToken: tokenBytes(rec.conflictToken),
  };
}

interface PageToken {
  offset: number;
}

function readPageToken(token: Uint8Array | null | undefined): number {
  if (!token || token.length === 0) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token).toString('utf8')) as PageToken;
    if (Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through
  }
  throw invalidArgument('Mã trang không hợp lệ / invalid next page token');
}

export function scheduleHandlers(schedules: Schedules): ServiceHandlers {
  const engine = schedules.engine;
  /** A schedule is visible to queries as the server's scheduler workflow is: its custom attributes and TemporalSchedulePaused. */
  const matching = (namespace: string | null | undefined, text: string | null | undefined): ScheduleRecord[] => {
    const ns = engine.namespaces.get(namespace);
    const all = schedules.list(ns.name);
    if (!text) return all;
    const query = compileQueryFor(engine, ns.name, text);
    return all.filter((rec) =>
      query.matches({
        workflowId: `temporal-sys-scheduler:${rec.scheduleId}`,
        runId: '',
        workflowType: 'temporal-sys-scheduler-workflow',
        taskQueue: 'temporal-sys-per-ns-tq',
        status: 'Running',
        startTime: rec.info.createTime,
        executionTime: rec.info.createTime,
        searchAttributes: { ...decodeAll(engine.namespaces, ns, rec.searchAttributes ?? undefined), TemporalSchedulePaused: rec.state.paused },
      }),
    );
  };
  return {
    CreateSchedule: async (req: Plain<WS.CreateScheduleRequest.$Properties>) => {
      const ns = engine.namespaces.get(req.namespace);
      const scheduleId = requireId(req.scheduleId, 'ScheduleId');
      const parts = scheduleParts(schedules, ns.name, scheduleId, req.schedule);
      validateSearchAttributes(engine.namespaces, ns, req.searchAttributes);
      const now = engine.clock.now();
      const rec: ScheduleRecord = {
        namespace: ns.name,
        ...parts,
        memo: req.memo ?? null,
        searchAttributes: req.searchAttributes ?? null,
        info: { actionCount: 0, missedCatchupWindow: 0, overlapSkipped: 0, bufferDropped: 0, runningWorkflows: [], recentActions: [], createTime: now },
        createRequestId: req.requestId || `${scheduleId}-${now}`,
        conflictToken: 1,
        lastProcessedTime: now,
        buffer: [],
      };
      await schedules.create(rec, patchInput(req.initialPatch));
      return { conflictToken: tokenBytes(schedules.requireRecord(ns.name, scheduleId).conflictToken) };
    },
    DescribeSchedule: (req: Plain<WS.DescribeScheduleRequest.$Properties>) => {
      const ns = engine.namespaces.get(req.namespace);
      return describe(schedules, schedules.requireRecord(ns.name, requireId(req.scheduleId, 'ScheduleId')));
    },
    UpdateSchedule: async (req: Plain<WS.UpdateScheduleRequest.$Properties>) => {
      const ns = engine.namespaces.get(req.namespace);
      const scheduleId = requireId(req.scheduleId, 'ScheduleId');
      schedules.requireRecord(ns.name, scheduleId);
      const parts = scheduleParts(schedules, ns.name, scheduleId, req.schedule);
      validateSearchAttributes(engine.namespaces, ns, req.searchAttributes);
      const token = tokenNumber(req.conflictToken);
      await schedules.change(ns.name, scheduleId, (rec) => {
        // As on the server, an update made from a stale read is dropped.
        if (token !== 0 && token !== rec.conflictToken) {
          engine.log.warn(`schedule ${scheduleId}: update with a stale conflict token ignored`);
          return;
        }
        rec.spec = parts.spec;
        rec.action = parts.action;
        rec.policies = parts.policies;
        rec.state = parts.state;
        if (req.searchAttributes) rec.searchAttributes = req.searchAttributes;
        if (req.memo) rec.memo = req.memo;
        rec.info.updateTime = engine.clock.now();
        rec.conflictToken++;
      });
      return {};
    },
    PatchSchedule: async (req: Plain<WS.PatchScheduleRequest.$Properties>) => {
      const ns = engine.namespaces.get(req.namespace);
      const scheduleId = requireId(req.scheduleId, 'ScheduleId');
      const patch = patchInput(req.patch);
      await schedules.change(ns.name, scheduleId, () => patch);
      return {};
    },
    DeleteSchedule: async (req: Plain<WS.DeleteScheduleRequest.$Properties>) => {
      const ns = engine.namespaces.get(req.namespace);
      await schedules.delete(ns.name, requireId(req.scheduleId, 'ScheduleId'));
      return {};
    },
    ListScheduleMatchingTimes: (req: Plain<WS.ListScheduleMatchingTimesRequest.$Properties>) => {
      const ns = engine.namespaces.get(req.namespace);
      const rec = schedules.requireRecord(ns.name, requireId(req.scheduleId, 'ScheduleId'));
      if (!req.startTime || !req.endTime) throw invalidArgument('Thiếu khoảng thời gian / start_time and end_time are required');
      const end = timestampMs(req.endTime);
      const spec = schedules.specOf(rec);
      const out: number[] = [];
      let t = timestampMs(req.startTime);
      while (out.length < MAX_MATCHING_TIMES) {
        const next = spec.next(t);
        if (!next || next.next > end) break;
        out.push(next.next);
        t = next.next;
      }
      return { startTime: out.map(msTimestamp) };
    },
    ListSchedules: (req: Plain<WS.ListSchedulesRequest.$Properties>) => {
      const all = matching(req.namespace, req.query);
      const offset = readPageToken(req.nextPageToken);
      const size = req.maximumPageSize && req.maximumPageSize > 0 ? req.maximumPageSize : 1000;
      const page = all.slice(offset, offset + size);
      const more = offset + size < all.length;
      return {
        schedules: page.map((rec) => ({
          scheduleId: rec.scheduleId,
          memo: rec.memo ?? { fields: {} },
          searchAttributes: rec.searchAttributes ?? { indexedFields: {} },
          info: {
            spec: rec.spec,
            workflowType: rec.action.workflowType,
            notes: rec.state.notes,
            paused: rec.state.paused,
            recentActions: actionResults(rec, RECENT_ACTIONS_IN_LIST),
            futureActionTimes: schedules.futureActionTimes(rec, FUTURE_ACTIONS_IN_LIST).map(msTimestamp),
          },
        })),
        nextPageToken: more ? Buffer.from(JSON.stringify({ offset: offset + size } satisfies PageToken)) : new Uint8Array(),
      };
    },
    CountSchedules: (req: Plain<WS.CountSchedulesRequest.$Properties>) => {
      return { count: matching(req.namespace, req.query).length };
    },
  };
}
