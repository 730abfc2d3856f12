/**
 * One appointment at the commune (seed 001 part II, SPEC D):
 *
 *   citizen, portal    books a slot the unit has room in                → SMS + portal notice
 *   system             the working day before, at the office's opening → reminder SMS
 *   officer, desk      checks the citizen in by the appointment code
 *   officer, desk      receives the certification case from it         → done (the case keeps the code)
 *   officer            reschedules: a new slot and a reason, required  → SMS + portal notice, once each
 *   citizen            cancels one that has not started
 *   system             nobody came by the end of the slot + grace      → no-show
 *
 * The API reserves the booked slot (capacity held in PostgreSQL under concurrency); a reschedule
 * moves the reservation through an activity, which refuses a full slot. Every change is an event of
 * the appointment, written with the list projection; notices are keyed, so a retried activity sends
 * nothing twice.
 */
import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { AppointmentActivities } from '../activities/appointment';
import { reminderAt } from '../domain/appointments/reminder';
import { endOfWorkingDay } from '../domain/calendar';
import {
  APPOINTMENT_ERRORS,
  appointmentViewQuery,
  cancelAppointmentUpdate,
  checkInUpdate,
  markForRescheduleUpdate,
  receiveFromAppointmentUpdate,
  rescheduleUpdate,
  type AppointmentErrorCode,
} from './appointment/messages';
import type { AppointmentEventView, AppointmentInput, AppointmentStatus, AppointmentView, OfficerAppointmentAction, SlotRef } from './appointment/types';
import type { OfficerRef } from './certification/types';

/** Bookkeeping and notices: retried until they succeed. */
const background = proxyActivities<AppointmentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** What an officer waits for: a few quick attempts. */
const interactive = proxyActivities<AppointmentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 5 },
});

const iso = (ms: number) => new Date(ms).toISOString();
const CLOSED: readonly AppointmentStatus[] = ['received', 'attended', 'cancelled', 'no_show'];

function failure(code: AppointmentErrorCode, vi: string, en: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message: `${vi} / ${en}`, details: [{ code, vi, en }], nonRetryable: true });
}

export async function appointment(input: AppointmentInput): Promise<AppointmentView> {
  const offset = typeof input.clockOffsetMs === 'number' && Number.isSafeInteger(input.clockOffsetMs) ? input.clockOffsetMs : 0;
  const now = () => Date.now() + offset;
  const view: AppointmentView = {
    code: input.code,
    status: 'booked',
    unit: input.unit,
    citizen: input.citizen,
    procedure: input.procedure,
    paperType: input.paperType,
    slot: input.slot,
    bookedAt: input.bookedAt,
    reschedules: [],
    notices: [],
    version: 0,
  };
  const events: AppointmentEventView[] = [];
  const unsaved: AppointmentEventView[] = [];
  const keys = new Map<string, AppointmentView>();
  let seq = 0;
  let busy = false;
  let notices = 0;
  const pendingNotices: Array<Promise<void>> = [];
  /** The slot the reminder went for (a rescheduled appointment is reminded again). */
  let remindedFor: string | undefined;

  setHandler(appointmentViewQuery, () => view);

  const closed = () => CLOSED.includes(view.status);

  function record(kind: string, by: AppointmentEventView['by'] | undefined, data: Record<string, unknown> = {}, at = now()): void {
    view.version += 1;
    const e: AppointmentEventView = { seq: ++seq, at: iso(at), kind, ...(by ? { by } : {}), data };
    events.push(e);
    unsaved.push(e);
  }

  async function persist(): Promise<void> {
    const batch = unsaved.splice(0);
    await background.projectAppointment({ view: { ...view }, events: batch });
  }

  /** SMS and portal notice of `kind`, in the background, once per notice. */
  function tell(kind: string, data: { previousSlot?: SlotRef; reason?: string } = {}): void {
    const notice = { code: view.code, unit: view.unit, citizen: view.citizen, kind, slot: view.slot, noticeId: `${kind}-${++notices}`, ...data };
    pendingNotices.push(
      (async () => {
        const { channels } = await background.noticeAppointment(notice);
        view.notices.push({ kind, at: iso(now()), channels });
        record(`citizen.told`, undefined, { kind, channels });
        await persist();
      })(),
    );
  }

  function officerOf(i: OfficerAppointmentAction): OfficerRef {
    return { officerId: i.actor.officerId, fullName: i.actor.fullName };
  }

  function checkOfficer(i: OfficerAppointmentAction | undefined, statuses: readonly AppointmentStatus[]): void {
    if (!i || typeof i.idempotencyKey !== 'string' || !i.actor || typeof i.actor.officerId !== 'string') throw failure('INVALID_INPUT', 'Thiếu người thực hiện', 'Actor missing');
    if (!i.actor.rights.includes('CERT_CREATE')) throw failure('RIGHT_REQUIRED', 'Cần quyền "Tạo bản sao chứng thực" (tiếp nhận) để thực hiện', 'This needs the right CERT_CREATE');
    if (!i.actor.unitIds.includes(view.unit.id)) throw failure('UNIT_OUT_OF_SCOPE', `Lịch hẹn thuộc ${view.unit.name}, ngoài đơn vị của cán bộ`, 'The appointment belongs to a unit outside the officer’s scope');
    checkState(statuses);
  }

  function checkState(statuses: readonly AppointmentStatus[]): void {
    if (busy) throw failure('BUSY', 'Lịch hẹn đang được xử lý một thao tác khác, thử lại sau giây lát', 'The appointment is busy, try again shortly');
    if (!statuses.includes(view.status)) {
      throw failure('WRONG_STATE', `Lịch hẹn ${view.code} ${STATUS_VI[view.status]}, không thực hiện được thao tác này`, `Appointment ${view.code} is ${view.status}`);
    }
  }

  /** An update acting once per idempotency key; its work runs with the appointment marked busy. */
  function action<I extends { idempotencyKey: string }>(update: UpdateDefinition<AppointmentView, [I]>, check: (i: I) => void, run: (i: I, at: number) => Promise<void> | void): void {
    setHandler(
      update,
      async (i: I) => {
        const earlier = keys.get(i.idempotencyKey);
        if (earlier) return earlier;
        busy = true;
        try {
          await run(i, now());
        } catch (err) {
          throw asFailure(err);
        } finally {
          busy = false;
        }
        const answer = { ...view };
        keys.set(i.idempotencyKey, answer);
        await persist();
        return answer;
      },
      {
        validator: (i: I) => {
          if (keys.has(i?.idempotencyKey)) return;
          check(i);
        },
      },
    );
  }

  action(
    checkInUpdate,
    (i) => checkOfficer(i, ['booked']),
    (i, at) => {
      view.status = 'checked_in';
      view.checkedInAt = iso(at);
      view.checkedInBy = officerOf(i);
      record('checked_in', officerOf(i), {}, at);
    },
  );

  action(
    receiveFromAppointmentUpdate,
    (i) => {
      checkOfficer(i, ['booked', 'checked_in']);
      if (typeof i.caseCode !== 'string' || i.caseCode.trim() === '') throw failure('INVALID_INPUT', 'Thiếu mã hồ sơ', 'Case code missing');
    },
    (i, at) => {
      if (!view.checkedInAt) {
        view.checkedInAt = iso(at);
        view.checkedInBy = officerOf(i);
      }
      view.status = 'received';
      view.caseCode = i.caseCode;
      view.closedAt = iso(at);
      record('received', officerOf(i), { caseCode: i.caseCode }, at);
    },
  );

  action(
    rescheduleUpdate,
    (i) => {
      checkOfficer(i, ['booked']);
      if (typeof i.reason !== 'string' || i.reason.trim().length < 5) throw failure('INVALID_INPUT', 'Phải ghi rõ lý do dời lịch hẹn (ít nhất 5 ký tự)', 'A reason of at least 5 characters is required');
      if (!i.slot || typeof i.slot.start !== 'string' || typeof i.slot.end !== 'string') throw failure('INVALID_INPUT', 'Thiếu thời gian hẹn mới', 'New time missing');
      if (i.slot.start === view.slot.start) throw failure('INVALID_INPUT', 'Thời gian hẹn mới trùng thời gian cũ', 'The new time is the same as the old one');
      if (Date.parse(i.slot.start) <= now()) throw failure('SLOT_UNAVAILABLE', 'Không dời lịch hẹn về thời gian đã qua', 'Cannot move an appointment into the past');
    },
    async (i, at) => {
      const { moved } = await interactive.moveAppointmentSlot({ code: view.code, unitId: view.unit.id, to: i.slot, capacity: input.slotCapacity });
      if (!moved) throw failure('SLOT_FULL', 'Khung giờ mới đã đủ người, hãy chọn khung giờ khác', 'The new slot is full, pick another one');
      const from = view.slot;
      view.slot = i.slot;
      delete view.needsReschedule;
      view.reschedules.push({ from, to: i.slot, reason: i.reason, by: officerOf(i), at: iso(at) });
      record('rescheduled', officerOf(i), { from, to: i.slot, reason: i.reason, ...(i.batchId ? { batchId: i.batchId } : {}) }, at);
      tell('rescheduled', { previousSlot: from, reason: i.reason });
    },
  );

  action(
    cancelAppointmentUpdate,
    (i) => {
      if (!i || i.accountId !== view.citizen.accountId) throw failure('NOT_YOURS', 'Không tìm thấy lịch hẹn của bạn', 'Appointment not found');
      checkState(['booked']);
      if (i.reason !== undefined && (typeof i.reason !== 'string' || i.reason.length > 500)) throw failure('INVALID_INPUT', 'Lý do hủy dài tối đa 500 ký tự', 'At most 500 characters');
    },
    (i, at) => {
      view.status = 'cancelled';
      view.cancelledAt = iso(at);
      if (i.reason) view.cancelReason = i.reason;
      view.closedAt = iso(at);
      record('cancelled', { citizen: view.citizen.fullName }, i.reason ? { reason: i.reason } : {}, at);
    },
  );

  action(
    markForRescheduleUpdate,
    (i) => {
      checkState(['booked']);
      if (typeof i.reason !== 'string' || i.reason.trim() === '') throw failure('INVALID_INPUT', 'Thiếu lý do', 'Reason missing');
    },
    (i, at) => {
      view.needsReschedule = { reason: i.reason, at: iso(at) };
      record('needs_reschedule', undefined, { reason: i.reason }, at);
    },
  );

  // ——— The appointment's life ———
  record('booked', { citizen: view.citizen.fullName }, { slot: view.slot, procedure: view.procedure, paperType: view.paperType }, Date.parse(input.bookedAt));
  await persist();
  tell('booked');

  while (!closed()) {
    const version = view.version;
    const slotStart = Date.parse(view.slot.start);
    const remindAt = remindedFor === view.slot.start || view.status !== 'booked' ? null : reminderAt(input.calendar, slotStart);
    // A reminder whose time passed before the booking (booked the day before) is not sent late.
    const reminder = remindAt !== null && remindAt > Date.parse(input.bookedAt) && (view.reschedules.length === 0 || remindAt > Date.parse(view.reschedules.at(-1)!.at)) ? remindAt : null;
    const noShowAt = Date.parse(view.slot.end) + input.graceMinutes * 60_000;
    // A citizen checked in is waited for until the office closes that day.
    const closingAt = endOfWorkingDay(input.calendar, slotStart);
    const next = view.status === 'booked' ? Math.min(reminder ?? Infinity, noShowAt) : view.status === 'checked_in' ? closingAt : Infinity;
    const wait = next - now();
    if (next === Infinity) {
      await condition(() => view.version !== version);
      continue;
    }
    if (wait > 0 && (await condition(() => view.version !== version, wait))) continue;
    if (busy) {
      await condition(() => !busy);
      continue;
    }
    if (view.status === 'checked_in') {
      view.status = 'attended';
      view.attendedAt = iso(now());
      view.closedAt = view.attendedAt;
      record('attended', undefined, {});
      await persist();
    } else if (reminder !== null && next === reminder) {
      remindedFor = view.slot.start;
      view.reminderSentAt = iso(now());
      record('reminder', undefined, { slot: view.slot });
      tell('reminder');
      await persist();
    } else {
      view.status = 'no_show';
      view.noShowAt = iso(now());
      view.closedAt = view.noShowAt;
      record('no_show', undefined, { slot: view.slot, graceMinutes: input.graceMinutes });
      await persist();
    }
  }

  await condition(allHandlersFinished);
  while (pendingNotices.length > 0) await pendingNotices.shift();
  return view;
}

const STATUS_VI: Record<AppointmentStatus, string> = {
  booked: 'đang chờ đến hẹn',
  checked_in: 'công dân đã đến',
  received: 'đã tiếp nhận hồ sơ',
  attended: 'công dân đã đến, không tiếp nhận hồ sơ',
  cancelled: 'đã hủy',
  no_show: 'công dân không đến',
};

function asFailure(err: unknown): ApplicationFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type && Object.prototype.hasOwnProperty.call(APPOINTMENT_ERRORS, cause.type)) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return failure('ACTION_FAILED', `Chưa thực hiện được thao tác, vui lòng thử lại (${reason})`, `The action could not be completed, try again (${reason})`);
}
