/**
 * A workflow's event history as a timeline an auditor can read: who did what, when, and which
 * deadline was at stake. Pure: it takes the history as the engine (or a cluster, or a JSON export)
 * gives it and decodes payloads with the default payload converter.
 *
 * Every event becomes one entry, in history order; nothing is dropped. The engine's own mechanics
 * (workflow tasks, an activity being scheduled or picked up, a timer re-armed, the case list being
 * updated) are marked `technical` so a screen can fold them away.
 *
 * Instants are on the case clock: the event time plus the test clock offset a case may carry in its
 * start input (always 0 for cases the API receives), so the timeline agrees with the case view.
 *
 * Timers: the certification workflow keeps one timer, armed for the next deadline alarm (a 75%
 * warning or a deadline) and re-armed when that alarm moves (cases started before December 2026:
 * whenever the case changed, often for the same instant). A timer's deadline is the instant
 * it is set to fire — computed from the workflow time of the task that started it, as the
 * workflow itself computed it — and when that instant is one of the case's own warning or due
 * instants the entry says which.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { activityName, activityOutcome, BOOKKEEPING_ACTIVITIES, stepName, statusName, updateText, viInstant, type Bilingual } from './historyLabels';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

export type TimelineKind =
  | 'received'
  | 'started'
  | 'action'
  | 'action-result'
  | 'action-failed'
  | 'activity'
  | 'activity-failed'
  | 'retry'
  | 'timer'
  | 'timer-fired'
  | 'signal'
  | 'closed'
  | 'engine'
  | 'event';

export interface TimelineActor {
  officerId: string;
  fullName: string;
}

export interface TimelineEntry {
  eventId: number;
  /** ISO 8601, on the case clock. */
  at: string;
  /** The engine's name of the event, e.g. "WorkflowExecutionUpdateAccepted". */
  eventType: string;
  kind: TimelineKind;
  text: Bilingual;
  actor?: TimelineActor;
  /** The deadline this entry is about (ISO 8601). */
  deadline?: string;
  /** Engine mechanics rather than something that happened to the case. */
  technical?: boolean;
}

export interface Timeline {
  workflowType: string;
  entries: TimelineEntry[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Long, number or numeric string (a JSON export) → number. */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  if (v && typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return 0;
}

function timestampMs(ts: { seconds?: unknown; nanos?: unknown } | null | undefined): number {
  if (!ts) return 0;
  return toNumber(ts.seconds) * 1000 + Math.floor(toNumber(ts.nanos) / 1e6);
}

/** A local activity's marker (the SDK's `core_local_activity`): its type, attempt, result or failure. */
export function localActivityOf(e: HistoryEvent): { seq?: number; type: string; attempt: number; result: unknown; failure?: temporal.api.failure.v1.IFailure | null } | undefined {
  const marker = e.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_local_activity') return undefined;
  const data = obj(decode(marker.details?.data));
  return {
    ...(typeof data?.seq === 'number' ? { seq: data.seq } : {}),
    type: str(data?.activity_type) ?? '?',
    attempt: typeof data?.attempt === 'number' ? data.attempt : 1,
    result: decode(marker.details?.result),
    failure: marker.failure,
  };
}

/**
 * A timer's instant is computed from the start of the task that set it, but the workflow clock
 * moves on while a local activity of that task runs (the scan check, signing, sealing, the case list), by up to
 * its time limit: an estimate that falls that little before one of the case's own instants is
 * that instant.
 */
const LOCAL_ACTIVITY_LIMIT_MS = 60_000;

function deadlineNear(estimate: number, deadlines: ReadonlyMap<number, Bilingual>): number {
  let best: number | undefined;
  for (const at of deadlines.keys()) if (at >= estimate && at - estimate <= LOCAL_ACTIVITY_LIMIT_MS && (best === undefined || at < best)) best = at;
  return best ?? estimate;
}

/** " (after n attempts)" when it took more than one. */
function attemptsText(attempt: number): Bilingual {
  return attempt > 1 ? { vi: ` (sau ${attempt} lần thử)`, en: ` (after ${attempt} attempts)` } : { vi: '', en: '' };
}

/** "<activity> — done: <outcome> (after n attempts)" and the outcome's deadline, for an activity or a local activity's marker. */
/** The officer whose signature or seal an activity applied, from its input (or, run locally, its result, which echoes it). */
function officerOfWork(type: string, carrier: Obj | undefined): TimelineActor | undefined {
  return type === 'signCopy' ? actorOf(carrier?.signer) : type === 'sealAndNumber' ? actorOf(carrier?.sealer) : undefined;
}

function activityDone(type: string, input: Obj | undefined, result: unknown, attempt: number): { text: Bilingual; deadline: ReturnType<typeof activityOutcome>['deadline'] } {
  const name = activityName(type);
  const outcome = activityOutcome(type, input, result);
  const tries = attemptsText(attempt);
  const detail = outcome.text ? { vi: `: ${outcome.text.vi}`, en: `: ${outcome.text.en}` } : { vi: '', en: '' };
  return { text: { vi: `${name.vi} — xong${detail.vi}${tries.vi}`, en: `${name.en} — done${detail.en}${tries.en}` }, deadline: outcome.deadline };
}

function decode(payloads: { payloads?: Payload[] | null } | null | undefined, index = 0): unknown {
  const p = payloads?.payloads?.[index];
  if (!p) return undefined;
  try {
    return defaultPayloadConverter.fromPayload(p);
  } catch {
    // A payload the default converter cannot read (encrypted, another SDK's binary): shown without details.
    return undefined;
  }
}

/** 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' (or its enum number) → 'WorkflowExecutionStarted'. */
export function eventTypeName(type: unknown): string {
  const name = typeof type === 'number' ? EventType[type] : typeof type === 'string' ? type : undefined;
  if (!name) return 'Unknown';
  return name
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function actorOf(v: unknown): TimelineActor | undefined {
  const o = obj(v);
  const officerId = str(o?.officerId);
  const fullName = str(o?.fullName);
  return officerId && fullName ? { officerId, fullName } : undefined;
}

/** The deadlines a case view names, by instant, so a timer's instant can be recognised. */
function collectDeadlines(view: unknown, into: Map<number, Bilingual>): void {
  const v = obj(view);
  if (!v) return;
  const add = (iso: unknown, label: Bilingual) => {
    const ms = Date.parse(str(iso) ?? '');
    if (Number.isFinite(ms) && !into.has(ms)) into.set(ms, label);
  };
  const current = obj(v.currentStep);
  if (current) {
    const step = stepName(current.step);
    add(current.warnAt, { vi: `mốc cảnh báo 75% thời hạn bước ${step.vi}`, en: `75% warning of ${step.en}` });
    add(current.dueAt, { vi: `thời hạn bước ${step.vi}`, en: `deadline of ${step.en}` });
  }
  add(v.overallWarnAt, { vi: 'mốc cảnh báo 75% thời hạn chung', en: '75% warning of the overall deadline' });
  add(v.overallDueAt, { vi: 'thời hạn chung của hồ sơ', en: 'the overall deadline' });
}

function failureMessage(failure: { message?: string | null; cause?: unknown } | null | undefined): string {
  if (!failure) return '';
  const cause = obj(failure.cause);
  const inner = str(cause?.message);
  const outer = failure.message ?? '';
  return inner && inner !== outer ? `${outer}: ${inner}` : outer;
}

const sameText = (vi: string, en = vi): Bilingual => ({ vi, en });

export function buildTimeline(history: History): Timeline {
  const events: HistoryEvent[] = history.events ?? [];
  const start = events[0]?.workflowExecutionStartedEventAttributes;
  const workflowType = start?.workflowType?.name ?? 'unknown';
  const input = obj(decode(start?.input));
  const offset = typeof input?.clockOffsetMs === 'number' && Number.isSafeInteger(input.clockOffsetMs) ? input.clockOffsetMs : 0;
  const isCertification = workflowType === 'certification';

  // First pass: the case views the history carries (actions' answers, list updates, the result).
  const deadlines = new Map<number, Bilingual>();
  let firstOverallDue: number | undefined;
  const taskStartedAt = new Map<number, number>();
  const taskStartedOf = new Map<number, number>();
  for (const e of events) {
    const id = toNumber(e.eventId);
    if (e.workflowTaskStartedEventAttributes) taskStartedAt.set(id, timestampMs(e.eventTime));
    if (e.workflowTaskCompletedEventAttributes) taskStartedOf.set(id, toNumber(e.workflowTaskCompletedEventAttributes.startedEventId));
    if (!isCertification) continue;
    let view: unknown;
    const local = localActivityOf(e);
    if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'projectCase') view = obj(obj(decode(e.activityTaskScheduledEventAttributes.input))?.projection)?.view;
    else if (local?.type === 'projectCase') view = obj(local.result)?.view;
    else if (e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success) view = decode(e.workflowExecutionUpdateCompletedEventAttributes.outcome.success);
    if (view) {
      collectDeadlines(view, deadlines);
      const due = Date.parse(str(obj(view)?.overallDueAt) ?? '');
      if (firstOverallDue === undefined && Number.isFinite(due)) firstOverallDue = due;
    }
  }

  const scheduled = new Map<number, { type: string; input: Obj | undefined; attempt: number }>();
  const accepted = new Map<number, { name: string; actor?: TimelineActor; text: Bilingual }>();
  const timers = new Map<string, number>();
  const entries: TimelineEntry[] = [];

  for (const e of events) {
    const eventId = toNumber(e.eventId);
    const atMs = timestampMs(e.eventTime) + offset;
    const eventType = eventTypeName(e.eventType);
    const push = (kind: TimelineKind, text: Bilingual, extra: { actor?: TimelineActor; deadline?: number; technical?: boolean } = {}) => {
      const entry: TimelineEntry = { eventId, at: new Date(atMs).toISOString(), eventType, kind, text };
      if (extra.actor) entry.actor = extra.actor;
      if (extra.deadline !== undefined && Number.isFinite(extra.deadline)) entry.deadline = new Date(extra.deadline).toISOString();
      if (extra.technical) entry.technical = true;
      entries.push(entry);
    };

    if (e.workflowExecutionStartedEventAttributes) {
      if (isCertification && input) {
        const citizen = obj(input.citizen);
        const docs = Array.isArray(input.documents) ? input.documents.map(obj).filter((d): d is Obj => !!d) : [];
        const copies = docs.reduce((n, d) => n + (typeof d.copies === 'number' ? d.copies : 0), 0);
        const kinds = docs.map((d) => str(d.type)).filter((t): t is string => !!t).join(', ');
        const unit = str(obj(input.unit)?.name) ?? '';
        // The scan received with the case (attached by the workflow as its first act).
        const scan = obj(input.scan);
        const files = scan ? 1 + (Array.isArray(scan.moreScans) ? scan.moreScans.length : 0) : 0;
        const withScan = files > 0 ? { vi: `, kèm bản quét (${files} tệp)`, en: `, with the scan (${files} file(s))` } : { vi: '', en: '' };
        push(
          'received',
          {
            vi: `Tiếp nhận hồ sơ ${str(input.caseCode) ?? ''} tại ${unit}: công dân ${str(citizen?.fullName) ?? '?'}, ${docs.length} bản chính (${kinds}), ${copies} bản sao${input.complex === true ? ', hồ sơ phức tạp' : ''}${withScan.vi}`,
            en: `Case ${str(input.caseCode) ?? ''} received at ${unit}: citizen ${str(citizen?.fullName) ?? '?'}, ${docs.length} original(s) (${kinds}), ${copies} copies${input.complex === true ? ', complex' : ''}${withScan.en}`,
          },
          { actor: actorOf(input.receivedBy), deadline: firstOverallDue },
        );
      } else {
        const citizen = str(obj(input?.citizen)?.fullName);
        const who = citizen ? { vi: ` cho công dân ${citizen}`, en: ` for citizen ${citizen}` } : { vi: '', en: '' };
        push('started', { vi: `Bắt đầu quy trình "${workflowType}"${who.vi}`, en: `Workflow "${workflowType}" started${who.en}` }, { actor: actorOf(input?.officer) ?? actorOf(input?.receivedBy) });
      }
      continue;
    }

    const update = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (update) {
      const name = update.acceptedRequest?.input?.name ?? '?';
      const args = obj(decode(update.acceptedRequest?.input?.args));
      const actor = actorOf(args?.actor) ?? actorOf(args);
      const text = updateText(name, args);
      accepted.set(eventId, { name, actor, text });
      push('action', text, { actor });
      continue;
    }

    const done = e.workflowExecutionUpdateCompletedEventAttributes;
    if (done) {
      const from = accepted.get(toNumber(done.acceptedEventId));
      const verb = from?.text ?? sameText(`Thao tác #${toNumber(done.acceptedEventId)}`, `Action #${toNumber(done.acceptedEventId)}`);
      if (done.outcome?.failure) {
        const why = failureMessage(done.outcome.failure);
        push('action-failed', { vi: `${verb.vi} — không thực hiện được: ${why}`, en: `${verb.en} — failed: ${why}` }, { actor: from?.actor });
        continue;
      }
      const view = obj(decode(done.outcome?.success));
      if (isCertification && view && typeof view.status === 'string') {
        const current = obj(view.currentStep);
        const status = statusName(view.status);
        const due = current ? Date.parse(str(current.dueAt) ?? '') : undefined;
        const dueText = due !== undefined && Number.isFinite(due) ? { vi: `, hạn bước ${viInstant(due)}`, en: `, step due ${viInstant(due)}` } : { vi: '', en: '' };
        push('action-result', { vi: `Đã thực hiện: ${lowerFirst(verb.vi)} → hồ sơ ${status.vi}${dueText.vi}`, en: `Done: ${lowerFirst(verb.en)} → case ${status.en}${dueText.en}` }, { actor: from?.actor, deadline: due });
      } else {
        push('action-result', { vi: `Đã thực hiện: ${lowerFirst(verb.vi)}`, en: `Done: ${lowerFirst(verb.en)}` }, { actor: from?.actor });
      }
      continue;
    }

    const sched = e.activityTaskScheduledEventAttributes;
    if (sched) {
      const type = sched.activityType?.name ?? '?';
      scheduled.set(eventId, { type, input: obj(decode(sched.input)), attempt: 1 });
      const name = activityName(type);
      push('engine', { vi: `Lên lịch: ${lowerFirst(name.vi)}`, en: `Scheduled: ${lowerFirst(name.en)}` }, { technical: true });
      continue;
    }

    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const s = scheduled.get(toNumber(started.scheduledEventId));
      const attempt = started.attempt ?? 1;
      if (s) s.attempt = attempt;
      const name = activityName(s?.type ?? '?');
      if (attempt > 1) {
        const last = failureMessage(started.lastFailure);
        push('retry', { vi: `${name.vi}: lần thử thứ ${attempt}${last ? ` (lần trước lỗi: ${last})` : ''}`, en: `${name.en}: attempt ${attempt}${last ? ` (last error: ${last})` : ''}` });
      } else {
        push('engine', { vi: `Bắt đầu: ${lowerFirst(name.vi)}`, en: `Started: ${lowerFirst(name.en)}` }, { technical: true });
      }
      continue;
    }

    const completed = e.activityTaskCompletedEventAttributes;
    if (completed) {
      const s = scheduled.get(toNumber(completed.scheduledEventId));
      const type = s?.type ?? '?';
      const done = activityDone(type, s?.input, decode(completed.result), s?.attempt ?? 1);
      push('activity', done.text, {
        deadline: done.deadline,
        actor: officerOfWork(type, s?.input),
        technical: BOOKKEEPING_ACTIVITIES.has(type),
      });
      continue;
    }

    const failed = e.activityTaskFailedEventAttributes;
    if (failed) {
      const s = scheduled.get(toNumber(failed.scheduledEventId));
      const name = activityName(s?.type ?? '?');
      const why = failureMessage(failed.failure);
      push('activity-failed', { vi: `${name.vi} — thất bại sau ${s?.attempt ?? 1} lần thử: ${why}`, en: `${name.en} — failed after ${s?.attempt ?? 1} attempt(s): ${why}` });
      continue;
    }

    const timedOut = e.activityTaskTimedOutEventAttributes;
    if (timedOut) {
      const name = activityName(scheduled.get(toNumber(timedOut.scheduledEventId))?.type ?? '?');
      push('activity-failed', { vi: `${name.vi} — hết thời gian chờ: ${failureMessage(timedOut.failure)}`, en: `${name.en} — timed out: ${failureMessage(timedOut.failure)}` });
      continue;
    }

    const timer = e.timerStartedEventAttributes;
    if (timer) {
      const timeout = timer.startToFireTimeout ? timestampMs(timer.startToFireTimeout) : 0;
      const taskStarted = taskStartedAt.get(taskStartedOf.get(toNumber(timer.workflowTaskCompletedEventId)) ?? -1);
      const fireAt = deadlineNear((taskStarted ?? timestampMs(e.eventTime)) + timeout + offset, deadlines);
      timers.set(timer.timerId ?? '', fireAt);
      const about = deadlines.get(fireAt);
      const what = about ? { vi: ` (${about.vi})`, en: ` (${about.en})` } : { vi: '', en: '' };
      const text = isCertification
        ? { vi: `Hẹn giờ kiểm tra thời hạn đến ${viInstant(fireAt)}${what.vi}`, en: `Timer to check the deadlines at ${viInstant(fireAt)}${what.en}` }
        : { vi: `Hẹn giờ đến ${viInstant(fireAt)}`, en: `Timer until ${viInstant(fireAt)}` };
      push('timer', text, { deadline: fireAt });
      continue;
    }

    const fired = e.timerFiredEventAttributes;
    if (fired) {
      const fireAt = timers.get(fired.timerId ?? '');
      push('timer-fired', { vi: `Đến giờ hẹn${fireAt !== undefined ? ` ${viInstant(fireAt)}` : ''}`, en: `Timer fired${fireAt !== undefined ? ` (${viInstant(fireAt)})` : ''}` }, { deadline: fireAt });
      continue;
    }

    const canceled = e.timerCanceledEventAttributes;
    if (canceled) {
      const fireAt = timers.get(canceled.timerId ?? '');
      const when = fireAt !== undefined ? ` ${viInstant(fireAt)}` : '';
      push('engine', { vi: `Bỏ hẹn giờ${when} (hồ sơ thay đổi, thời hạn được tính lại)`, en: `Timer${when} cancelled (the case changed; deadlines recomputed)` }, { technical: true });
      continue;
    }

    const signal = e.workflowExecutionSignaledEventAttributes;
    if (signal) {
      push('signal', sameText(`Tín hiệu "${signal.signalName ?? '?'}"`, `Signal "${signal.signalName ?? '?'}"`));
      continue;
    }

    if (e.workflowExecutionCompletedEventAttributes) {
      const result = obj(decode(e.workflowExecutionCompletedEventAttributes.result));
      if (isCertification && result && typeof result.status === 'string') {
        const number = str(result.certificationNumber);
        const tail = number ? { vi: `, số chứng thực ${number}`, en: `, number ${number}` } : { vi: '', en: '' };
        push('closed', { vi: `Kết thúc hồ sơ: ${statusName(result.status).vi}${tail.vi}`, en: `Case closed: ${statusName(result.status).en}${tail.en}` });
      } else {
        const status = str(result?.status);
        push('closed', { vi: `Quy trình kết thúc${status ? ` (${status})` : ''}`, en: `Workflow completed${status ? ` (${status})` : ''}` });
      }
      continue;
    }
    const wfFailed = e.workflowExecutionFailedEventAttributes;
    if (wfFailed) {
      push('closed', { vi: `Quy trình thất bại: ${failureMessage(wfFailed.failure)}`, en: `Workflow failed: ${failureMessage(wfFailed.failure)}` });
      continue;
    }
    const terminated = e.workflowExecutionTerminatedEventAttributes;
    if (terminated) {
      push('closed', { vi: `Quy trình bị dừng cưỡng bức: ${terminated.reason ?? ''}`.trim(), en: `Workflow terminated: ${terminated.reason ?? ''}`.trim() });
      continue;
    }
    if (e.workflowExecutionTimedOutEventAttributes) {
      push('closed', sameText('Quy trình hết thời gian chạy', 'Workflow timed out'));
      continue;
    }
    if (e.workflowExecutionCanceledEventAttributes) {
      push('closed', sameText('Quy trình đã bị hủy', 'Workflow cancelled'));
      continue;
    }
    if (e.workflowExecutionContinuedAsNewEventAttributes) {
      push('closed', sameText('Quy trình tiếp tục ở một lượt chạy mới', 'Workflow continued as new'));
      continue;
    }

    const taskFailed = e.workflowTaskFailedEventAttributes;
    if (taskFailed) {
      const why = failureMessage(taskFailed.failure);
      push('event', { vi: `Lỗi khi chạy mã quy trình: ${why}`, en: `Workflow task failed: ${why}` });
      continue;
    }
    if (e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes || e.workflowTaskCompletedEventAttributes) {
      const phase = e.workflowTaskScheduledEventAttributes ? ['xếp lịch', 'scheduled'] : e.workflowTaskStartedEventAttributes ? ['bắt đầu', 'started'] : ['hoàn tất', 'completed'];
      push('engine', { vi: `Tác vụ quy trình: ${phase[0]}`, en: `Workflow task ${phase[1]}` }, { technical: true });
      continue;
    }

    const local = localActivityOf(e);
    if (local) {
      // Run by the worker within a workflow task: one marker holds the outcome of every attempt.
      if (local.failure) {
        const name = activityName(local.type);
        const why = failureMessage(local.failure);
        push('activity-failed', { vi: `${name.vi} — thất bại sau ${local.attempt} lần thử: ${why}`, en: `${name.en} — failed after ${local.attempt} attempt(s): ${why}` });
      } else {
        const done = activityDone(local.type, undefined, local.result, local.attempt);
        push('activity', done.text, { deadline: done.deadline, actor: officerOfWork(local.type, obj(local.result)), technical: BOOKKEEPING_ACTIVITIES.has(local.type) });
      }
      continue;
    }
    const marker = e.markerRecordedEventAttributes;
    if (marker) {
      // A patch marker: the workflow code took a newer path here, recorded so replays take it too.
      const name = marker.markerName === 'core_patch' ? { vi: 'mốc phiên bản mã quy trình', en: 'workflow code version marker' } : { vi: `mốc ${marker.markerName ?? ''}`, en: `marker ${marker.markerName ?? ''}` };
      push('engine', { vi: `Ghi ${name.vi}`, en: `Recorded a ${name.en}` }, { technical: true });
      continue;
    }
    if (e.upsertWorkflowSearchAttributesEventAttributes) {
      push('engine', sameText('Cập nhật thuộc tính tìm kiếm của quy trình', 'Search attributes updated'), { technical: true });
      continue;
    }

    push('event', sameText(`Sự kiện ${eventType} (#${eventId})`, `Event ${eventType} (#${eventId})`));
  }
  return { workflowType, entries };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
