/**
 * A calendar change that closes booked time (an emergency day off, a swapped Saturday removed,
 * shorter office hours): every booked appointment of the units under the change whose slot is no
 * longer open is marked as needing rescheduling, in its workflow, and the desk officers of each
 * such unit get one notification listing them. The calendar change itself stands whatever happens
 * here: an appointment the engine could not mark still shows on the desk's schedule among the
 * appointments outside the day's slots, which the schedule works out from the calendar itself.
 */
import { checkSlotStart } from '../../domain/appointments/slots';
import { formatLocalDateTime } from '../../domain/calendar';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { markForRescheduleUpdate } from '../../workflows/appointment/messages';
import type { Call } from '../route';
import { runAppointmentUpdate } from './engine';
import { appointmentSettingsOf, bookableUnit } from './settings';

export interface ClosedAppointments {
  /** Appointments now marked as needing a new time. */
  marked: string[];
  /** Those the engine could not mark now (they still show on the desk's schedule). */
  unmarked: string[];
}

interface Booked {
  code: string;
  unit_id: string;
  slot_start: Date;
}

/**
 * Marks the open appointments of `unitId`'s subtree (every unit for a national change) that the
 * calendar no longer lets happen. `why` is told to the citizen and the desk, e.g. "Ngày 24/11/2026
 * thành ngày nghỉ: Nghỉ đột xuất". `changeKey` names the change (the entry's id, the new hours' time), so a
 * retried request marks and tells nobody twice.
 */
export async function markAppointmentsClosedByCalendar(call: Call, unitId: string | null, why: string, changeKey: string): Promise<ClosedAppointments> {
  const { ctx } = call;
  const now = ctx.clock.now().getTime();
  const rows: Booked[] = await ctx.db.query(
    `select a.code, a.unit_id, a.slot_start from appointments a join units u on u.id = a.unit_id
     where a.status = 'booked' and not a.needs_reschedule and a.slot_start > $1 ${unitId ? `and u.path like '%/' || $2 || '/%'` : ''}
     order by a.unit_id, a.slot_start`,
    unitId ? [new Date(now), unitId] : [new Date(now)],
  );
  const result: ClosedAppointments = { marked: [], unmarked: [] };
  const byUnit = new Map<string, Booked[]>();
  for (const r of rows) byUnit.set(r.unit_id, [...(byUnit.get(r.unit_id) ?? []), r]);
  for (const [unit, booked] of byUnit) {
    const settings = await appointmentSettingsOf(ctx.db, (await bookableUnit(ctx.db, unit))!);
    const calendar = await loadUnitCalendar(ctx.db, unit);
    const closed = booked.filter((b) => {
      const check = checkSlotStart(calendar, b.slot_start.getTime(), settings, now);
      return 'ok' in check && check.code !== 'SLOT_PAST';
    });
    const marked: Booked[] = [];
    for (const b of closed) {
      try {
        await runAppointmentUpdate(ctx, b.code, markForRescheduleUpdate, { reason: why, idempotencyKey: `calendar:${changeKey}:${b.code}` });
        marked.push(b);
        result.marked.push(b.code);
      } catch (err) {
        console.error(`appointment ${b.code}: could not mark it for rescheduling after a calendar change`, err);
        result.unmarked.push(b.code);
      }
    }
    if (closed.length > 0) await tellDesk(call, unit, closed, why, changeKey);
  }
  if (result.marked.length + result.unmarked.length > 0) call.audit.details = { ...call.audit.details, appointmentsToReschedule: result };
  return result;
}

/** One notification per desk officer of the unit (or of its one-stop desks) who receives cases. */
async function tellDesk(call: Call, unitId: string, closed: Booked[], why: string, changeKey: string): Promise<void> {
  const { ctx } = call;
  const officers: Array<{ id: string }> = await ctx.db.query(
    `select distinct o.id from officers o
       join officer_units ou on ou.officer_id = o.id
       join units u on u.id = ou.unit_id
       join officer_rights r on r.officer_id = o.id and r.right_code = 'CERT_CREATE'
     where u.id = $1 or (u.parent_id = $1 and u.level = 'office')`,
    [unitId],
  );
  const title = `${closed.length} lịch hẹn cần dời sang thời gian khác`;
  const body = `${why}. Các lịch hẹn: ${closed.map((c) => `${c.code} (${formatLocalDateTime(c.slot_start.getTime())})`).join(', ')}. Hãy dời lịch hẹn và báo lý do cho công dân.`;
  const key = `appointments-closed:${changeKey}:${unitId}`;
  for (const o of officers) {
    await ctx.db.query(
      `insert into officer_notifications (officer_id, kind, title, body, created_at, dedupe_key) values ($1, 'appointment', $2, $3, $4, $5) on conflict (dedupe_key) do nothing`,
      [o.id, title, body.slice(0, 4000), ctx.clock.now(), `${key}:${o.id}`],
    );
  }
}
