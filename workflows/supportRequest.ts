/**
 * One support request (seed 003, Phụ lục 1, steps b, c, e):
 *
 *   requesting unit (SUPPORT_MANAGE)  files the request with the seed's form      → received
 *   support team (SUPPORT_HANDLE)     takes it                                    → in progress
 *   handler                           asks the coordination contact a question    → waiting (the clock stands still)
 *   requesting unit                   answers                                     → in progress
 *   handler                           resolves it, or rejects it with a reason    → done | rejected
 *   requesting unit                   cancels it before it ends                   → cancelled
 *   system                            75 % of 8 working hours used                → the handler (or the team) warned
 *   system                            8 working hours used                        → breach recorded, supervisors told
 *
 * When it ends the outcome goes by e-mail to the feedback address (at every change too when the
 * requester asked), through the mail outbox keyed by the request and the notice: once however
 * often the activity runs.
 */
import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { SupportActivities } from '../activities/supportRequest';
import { OPEN_SUPPORT_STATUSES, pauseSupportClock, startSupportClock, supportDeadlines, SUPPORT_STATUS_VI, type SupportClock } from '../domain/support/support';
import { workingMsBetween } from '../domain/calendar';
import {
  answerSupportUpdate,
  askSupportUpdate,
  cancelSupportUpdate,
  rejectSupportUpdate,
  resolveSupportUpdate,
  SUPPORT_ERRORS,
  supportViewQuery,
  takeSupportUpdate,
  type SupportErrorCode,
} from './supportRequest/messages';
import type { SupportAction, SupportEventView, SupportInput, SupportStatus, SupportTextAction, SupportView } from './supportRequest/types';
import type { OfficerRef } from './certification/types';

/** Bookkeeping, notices and e-mails: retried until they succeed. */
const background = proxyActivities<SupportActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const iso = (ms: number) => new Date(ms).toISOString();

function failure(code: SupportErrorCode, vi: string, en: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message: `${vi} / ${en}`, details: [{ code, vi, en }], nonRetryable: true });
}

export async function supportRequest(input: SupportInput): Promise<SupportView> {
  const offset = typeof input.clockOffsetMs === 'number' && Number.isSafeInteger(input.clockOffsetMs) ? input.clockOffsetMs : 0;
  const now = () => Date.now() + offset;
  const view: SupportView = { code: input.code, status: 'received', unit: input.unit, form: input.form, filedBy: input.filedBy, filedAt: input.filedAt, waits: [], emails: [], version: 0 };
  const unsaved: SupportEventView[] = [];
  const keys = new Map<string, SupportView>();
  const pending: Array<Promise<void>> = [];
  let seq = 0;
  let mails = 0;
  let busy = false;
  let clock: SupportClock | undefined = startSupportClock(Date.parse(input.filedAt));

  const open = () => OPEN_SUPPORT_STATUSES.includes(view.status);

  function setDeadlines(): void {
    if (!clock) {
      delete view.dueAt;
      delete view.warnAt;
      return;
    }
    const d = supportDeadlines(input.calendar, clock);
    view.dueAt = iso(d.dueAt);
    view.warnAt = iso(d.warnAt);
  }

  function record(kind: string, by: OfficerRef | undefined, data: Record<string, unknown> = {}, at = now()): void {
    view.version += 1;
    unsaved.push({ seq: ++seq, at: iso(at), kind, ...(by ? { by } : {}), data });
  }

  async function persist(): Promise<void> {
    const events = unsaved.splice(0);
    await background.projectSupport({ view: { ...view }, events });
  }

  /** The e-mail to the feedback address for `kind`, in the background, once. */
  function email(kind: string): void {
    const noticeId = `${kind}-${++mails}`;
    const snapshot = { ...view };
    pending.push(
      (async () => {
        const sent = await background.emailSupportRequester({ view: snapshot, kind, noticeId });
        view.emails.push({ kind, at: iso(now()), status: sent.status, ...(sent.detail ? { detail: sent.detail } : {}) });
        record('requester.emailed', undefined, { kind, to: view.form.feedbackEmail, status: sent.status });
        await persist();
      })(),
    );
  }

  function changed(): void {
    if (!open()) email('closed');
    else if (view.form.notifyEachChange) email(view.status);
  }

  const officerOf = (i: SupportAction): OfficerRef => ({ officerId: i.actor.officerId, fullName: i.actor.fullName });

  function checkState(statuses: readonly SupportStatus[]): void {
    if (busy) throw failure('BUSY', 'Yêu cầu đang được xử lý một thao tác khác, thử lại sau giây lát', 'The request is busy, try again shortly');
    if (!statuses.includes(view.status)) {
      throw failure('WRONG_STATE', `Yêu cầu ${view.code} đang ở trạng thái "${SUPPORT_STATUS_VI[view.status]}", không thực hiện được thao tác này`, `Request ${view.code} is ${view.status}`);
    }
  }

  function checkActor(i: SupportAction | undefined, right: 'SUPPORT_HANDLE' | 'SUPPORT_MANAGE', statuses: readonly SupportStatus[]): void {
    if (!i || typeof i.idempotencyKey !== 'string' || !i.actor || typeof i.actor.officerId !== 'string') throw failure('INVALID_INPUT', 'Thiếu người thực hiện', 'Actor missing');
    if (!i.actor.rights.includes(right)) {
      throw failure('RIGHT_REQUIRED', `Cần quyền "${right === 'SUPPORT_HANDLE' ? 'Xử lý yêu cầu hỗ trợ' : 'Quản lý yêu cầu hỗ trợ'}" để thực hiện`, `This needs the right ${right}`);
    }
    if (!i.actor.unitIds.includes(view.unit.id)) throw failure('UNIT_OUT_OF_SCOPE', `Yêu cầu của ${view.unit.name}, ngoài phạm vi đơn vị của cán bộ`, 'The request belongs to a unit outside the officer’s scope');
    checkState(statuses);
  }

  function checkHandler(i: SupportAction | undefined, statuses: readonly SupportStatus[]): void {
    checkActor(i, 'SUPPORT_HANDLE', statuses);
    if (view.handler && view.handler.officerId !== i!.actor.officerId) {
      throw failure('NOT_HANDLER', `Yêu cầu do ${view.handler.fullName} xử lý; chỉ người đang xử lý mới thực hiện được thao tác này`, `Request handled by ${view.handler.fullName}`);
    }
  }

  function checkText(i: SupportTextAction, what: string, min = 5): void {
    if (typeof i.text !== 'string' || i.text.trim().length < min) throw failure('INVALID_INPUT', `Phải ghi rõ ${what} (ít nhất ${min} ký tự)`, `The ${what} needs at least ${min} characters`);
  }

  function close(status: SupportStatus, at: number): void {
    view.status = status;
    view.closedAt = iso(at);
    view.closedOnTime = !view.breachedAt;
    clock = undefined;
    delete view.pausedLeftMs;
    setDeadlines();
  }

  /** An update acting once per idempotency key; its work runs with the request marked busy. */
  function action<I extends SupportAction>(update: UpdateDefinition<SupportView, [I]>, check: (i: I) => void, run: (i: I, at: number) => void): void {
    setHandler(
      update,
      async (i: I) => {
        const earlier = keys.get(i.idempotencyKey);
        if (earlier) return earlier;
        busy = true;
        try {
          run(i, now());
          changed();
          await persist();
        } catch (err) {
          throw asFailure(err);
        } finally {
          busy = false;
        }
        const answer = { ...view };
        keys.set(i.idempotencyKey, answer);
        return answer;
      },
      { validator: (i: I) => (keys.has(i?.idempotencyKey) ? undefined : check(i)) },
    );
  }

  action(
    takeSupportUpdate,
    (i) => checkActor(i, 'SUPPORT_HANDLE', ['received']),
    (i, at) => {
      view.status = 'in_progress';
      view.handler = officerOf(i);
      view.takenAt = iso(at);
      record('taken', officerOf(i), {}, at);
    },
  );

  action(
    askSupportUpdate,
    (i) => {
      checkHandler(i, ['in_progress']);
      checkText(i, 'câu hỏi cho đầu mối phối hợp');
    },
    (i, at) => {
      view.status = 'waiting';
      view.pausedLeftMs = clock ? pauseSupportClock(input.calendar, clock, at) : 0;
      clock = undefined;
      setDeadlines();
      view.waits.push({ question: i.text.trim(), askedAt: iso(at), askedBy: officerOf(i) });
      record('asked', officerOf(i), { question: i.text.trim(), workingMinutesLeft: Math.round(view.pausedLeftMs / 60_000) }, at);
    },
  );

  action(
    answerSupportUpdate,
    (i) => {
      checkActor(i, 'SUPPORT_MANAGE', ['waiting']);
      checkText(i, 'nội dung trả lời', 2);
    },
    (i, at) => {
      const wait = view.waits.at(-1)!;
      wait.answer = i.text.trim();
      wait.answeredAt = iso(at);
      wait.workingMinutes = Math.round(workingMsBetween(input.calendar, Date.parse(wait.askedAt), at) / 60_000);
      view.status = 'in_progress';
      clock = { runningSince: at, leftMs: view.pausedLeftMs ?? 0 };
      delete view.pausedLeftMs;
      setDeadlines();
      record('answered', officerOf(i), { answer: wait.answer, waitedWorkingMinutes: wait.workingMinutes }, at);
    },
  );

  action(
    resolveSupportUpdate,
    (i) => {
      checkHandler(i, ['in_progress']);
      checkText(i, 'kết quả xử lý');
    },
    (i, at) => {
      view.outcome = i.text.trim();
      close('done', at);
      record('done', officerOf(i), { outcome: view.outcome, onTime: view.closedOnTime }, at);
    },
  );

  action(
    rejectSupportUpdate,
    (i) => {
      checkHandler(i, ['received', 'in_progress', 'waiting']);
      checkText(i, 'lý do từ chối');
    },
    (i, at) => {
      view.handler ??= officerOf(i);
      view.rejectReason = i.text.trim();
      close('rejected', at);
      record('rejected', officerOf(i), { reason: view.rejectReason, onTime: view.closedOnTime }, at);
    },
  );

  action(
    cancelSupportUpdate,
    (i) => {
      checkActor(i, 'SUPPORT_MANAGE', ['received', 'in_progress', 'waiting']);
      checkText(i, 'lý do hủy');
    },
    (i, at) => {
      view.cancelReason = i.text.trim();
      close('cancelled', at);
      record('cancelled', officerOf(i), { reason: view.cancelReason }, at);
    },
  );

  setHandler(supportViewQuery, () => view);

  // ——— The request's life ———
  setDeadlines();
  record('received', input.filedBy, { title: input.form.title, serviceGroup: input.form.serviceGroup, dueAt: view.dueAt }, Date.parse(input.filedAt));
  await persist();
  if (view.form.notifyEachChange) email('received');

  while (open()) {
    const version = view.version;
    const next = !clock ? Infinity : !view.warnedAt ? Date.parse(view.warnAt!) : !view.breachedAt ? Date.parse(view.dueAt!) : Infinity;
    if (next === Infinity) {
      await condition(() => view.version !== version);
      continue;
    }
    const wait = next - now();
    if (wait > 0 && (await condition(() => view.version !== version, wait))) continue;
    if (busy) {
      await condition(() => !busy);
      continue;
    }
    const kind = !view.warnedAt ? 'warning' : 'breach';
    if (kind === 'warning') view.warnedAt = iso(now());
    else view.breachedAt = iso(now());
    record(kind === 'warning' ? 'deadline.warning' : 'deadline.breach', undefined, { dueAt: view.dueAt });
    await persist();
    await background.notifySupportDeadline({ view: { ...view }, kind });
  }

  await condition(allHandlersFinished);
  while (pending.length > 0) await pending.shift();
  return view;
}

function asFailure(err: unknown): ApplicationFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type && Object.prototype.hasOwnProperty.call(SUPPORT_ERRORS, cause.type)) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return failure('ACTION_FAILED', `Chưa thực hiện được thao tác, vui lòng thử lại (${reason})`, `The action could not be completed, try again (${reason})`);
}
