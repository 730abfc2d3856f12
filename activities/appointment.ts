/**
 * The appointment workflow's side effects: the citizen's SMS and portal notices (keyed per notice,
 * so a retried activity sends nothing twice), the list projection with its events and their audit
 * rows, and the slot reservations — a reschedule moves one into a slot with room, and a cancelled or
 * missed appointment gives its place back, each in one transaction.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource, EntityManager } from 'typeorm';
import { appendAudit } from '../api/audit/auditLog';
import { formatLocalDateTime } from '../domain/calendar';
import type { SmsSender } from '../infra/sms/smsSender';
import type { AppointmentCitizen, AppointmentEventView, AppointmentView, SlotRef } from '../workflows/appointment/types';
import { OPEN_APPOINTMENT_STATUSES } from '../workflows/appointment/types';
import type { UnitRef } from '../workflows/certification/types';

export interface AppointmentNotice {
  code: string;
  unit: UnitRef;
  citizen: AppointmentCitizen;
  kind: string;
  slot: SlotRef;
  previousSlot?: SlotRef;
  reason?: string;
  /** Names this notice within the appointment: the channels' keys. */
  noticeId: string;
}

export interface AppointmentActivities {
  noticeAppointment(input: AppointmentNotice): Promise<{ channels: Array<{ channel: string; status: string; detail?: string }> }>;
  projectAppointment(input: { view: AppointmentView; events: AppointmentEventView[] }): Promise<{ applied: boolean }>;
  moveAppointmentSlot(input: { code: string; unitId: string; to: SlotRef; capacity: number }): Promise<{ moved: boolean }>;
}

/** "09:30 ngày 24/11/2026" */
export function appointmentTime(isoInstant: string): string {
  const [date, time] = formatLocalDateTime(Date.parse(isoInstant)).split(' ');
  return `${time} ngày ${date!.split('-').reverse().join('/')}`;
}

function wording(n: AppointmentNotice): { title: string; body: string } {
  const when = appointmentTime(n.slot.start);
  switch (n.kind) {
    case 'booked':
      return { title: `Đã đặt lịch hẹn ${n.code}`, body: `Lịch hẹn ${n.code} tại ${n.unit.name}: ${when}. Mang theo bản chính giấy tờ cần chứng thực.` };
    case 'reminder':
      return { title: `Nhắc lịch hẹn ${n.code}`, body: `Nhắc lịch hẹn ${n.code} tại ${n.unit.name}: ${when}.` };
    case 'rescheduled':
      return {
        title: `Lịch hẹn ${n.code} được dời đến ${when}`,
        body: `${n.unit.name} dời lịch hẹn ${n.code}${n.previousSlot ? ` từ ${appointmentTime(n.previousSlot.start)}` : ''} đến ${when}. Lý do: ${n.reason ?? ''}.`,
      };
    default:
      throw ApplicationFailure.nonRetryable(`unknown notice kind ${n.kind}`, 'INVALID_NOTICE');
  }
}

/** A connection or a transaction: both run SQL the same way. */
type Sql = Pick<EntityManager, 'query'>;

async function releaseSlot(m: Sql, unitId: string, slotStart: string): Promise<void> {
  await m.query('update appointment_slots set booked = booked - 1 where unit_id = $1 and slot_start = $2 and booked > 0', [unitId, slotStart]);
}

/** Takes a place in the slot if it has room under `capacity`; false when it is full. */
export async function takeSlot(m: Sql, unitId: string, slotStart: string, capacity: number): Promise<boolean> {
  await m.query('insert into appointment_slots (unit_id, slot_start, booked) values ($1, $2, 0) on conflict do nothing', [unitId, slotStart]);
  const taken: unknown[] = await m.query(
    'update appointment_slots set booked = booked + 1 where unit_id = $1 and slot_start = $2 and booked < $3 returning booked',
    [unitId, slotStart, capacity],
  );
  return (Array.isArray(taken[0]) ? (taken[0] as unknown[]) : taken).length > 0;
}

export function createAppointmentActivities(deps: { db: DataSource; sms?: SmsSender }): AppointmentActivities {
  const { db } = deps;
  return {
    async noticeAppointment(n) {
      const { title, body } = wording(n);
      const channels: Array<{ channel: string; status: string; detail?: string }> = [];
      const phone = n.citizen.phone;
      if (phone && deps.sms) {
        const sent = await deps.sms.send(phone, `[${n.unit.name}] ${body}`, `appointment_${n.kind}`, { key: `appointment:${n.code}:${n.noticeId}:sms` });
        channels.push({ channel: 'sms', status: sent.status === 'failed' ? 'failed' : 'sent', detail: phone });
      } else {
        channels.push({ channel: 'sms', status: 'skipped', detail: phone ? 'no SMS service' : 'no phone' });
      }
      await db.query(
        `insert into citizen_notifications (id_number, kind, title, body, link, dedupe_key, created_at) values ($1, $2, $3, $4, null, $5, now())
         on conflict (dedupe_key) do nothing`,
        [n.citizen.idNumber, `appointment_${n.kind}`, title, body, `appointment:${n.code}:${n.noticeId}`],
      );
      channels.push({ channel: 'portal', status: 'sent', detail: n.citizen.idNumber });
      return { channels };
    },

    async projectAppointment({ view, events }) {
      return db.transaction(async (m) => {
        // The row first, then the audit chain's lock: two projections of one appointment (a notice's
        // and an action's) otherwise deadlock — an event row's foreign key holds a share lock on it.
        const rows: Array<{ holds_slot: boolean; slot_start: Date; version: number }> = await m.query('select holds_slot, slot_start, version from appointments where code = $1 for update', [view.code]);
        for (const e of events) {
          const inserted: unknown[] = await m.query(
            `insert into appointment_events (code, seq, at, kind, data) values ($1, $2, $3, $4, $5) on conflict (code, seq) do nothing returning seq`,
            [view.code, e.seq, e.at, e.kind, JSON.stringify({ ...e.data, ...(e.by ? { by: e.by } : {}) })],
          );
          if (inserted.length > 0) {
            const officer = e.by && 'officerId' in e.by ? e.by : undefined;
            await appendAudit(m, {
              at: new Date(e.at),
              actorId: officer?.officerId ?? null,
              actorName: officer?.fullName ?? (e.by && 'citizen' in e.by ? `citizen:${e.by.citizen}` : null),
              unitId: view.unit.id,
              action: `appointment.event.${e.kind}`,
              target: `appointment:${view.code}`,
              outcome: 'success',
              status: null,
              details: { seq: e.seq, ...e.data },
              ip: null,
            });
          }
        }
        const open = OPEN_APPOINTMENT_STATUSES.includes(view.status);
        const row = rows[0];
        if (!row || row.version >= view.version) return { applied: false };
        await m.query(
          `update appointments set status = $2, needs_reschedule = $3, case_code = $4, view = $5, version = $6, updated_at = now(), holds_slot = holds_slot and $7
            where code = $1`,
          [view.code, view.status, view.needsReschedule !== undefined, view.caseCode ?? null, JSON.stringify(view), view.version, open],
        );
        // A cancelled or missed appointment gives its place back, once.
        if (row.holds_slot && !open) await releaseSlot(m, view.unit.id, row.slot_start.toISOString());
        return { applied: true };
      });
    },

    async moveAppointmentSlot({ code, unitId, to, capacity }) {
      return db.transaction(async (m) => {
        const rows: Array<{ slot_start: Date; holds_slot: boolean }> = await m.query('select slot_start, holds_slot from appointments where code = $1 for update', [code]);
        const row = rows[0];
        if (!row) throw ApplicationFailure.nonRetryable(`appointment ${code} has no row`, 'ACTION_FAILED');
        // A retried move finds itself done.
        if (row.slot_start.toISOString() === new Date(to.start).toISOString()) return { moved: true };
        if (!(await takeSlot(m, unitId, to.start, capacity))) return { moved: false };
        if (row.holds_slot) await releaseSlot(m, unitId, row.slot_start.toISOString());
        await m.query('update appointments set slot_start = $2, slot_end = $3, holds_slot = true, updated_at = now() where code = $1', [code, to.start, to.end]);
        return { moved: true };
      });
    },
  };
}
