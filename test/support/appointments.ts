/** Appointments for tests: a portal account and a booking in the next slot with room, as the portal makes them. */
import { randomUUID } from 'node:crypto';
import { formatLocalDate, type LocalDate } from '../../domain/calendar';
import { slotsOn } from '../../domain/appointments/slots';
import { bookAppointment } from '../../api/appointments/booking';
import { appointmentSettingsOf, bookableUnit } from '../../api/appointments/settings';
import { startCitizenSession, type CitizenPrincipal } from '../../api/citizen/citizenAuth';
import { loadUnitCalendar } from '../../infra/calendarStore';
import type { TestApp } from './identityApp';
import { testEnv } from '../engine/harness';

let serial = Math.floor(Math.random() * 900_000);
const DAY = 86_400_000;

/** A verified portal account with a phone, as the principal its session would carry. */
export async function portalCitizen(app: TestApp, fullName = 'Trần Thị Hẹn'): Promise<CitizenPrincipal> {
  // A valid CCCD of someone born in 1990 in Hà Nội (province 001, a man of the 20th century).
  const idNumber = `001090${String(++serial % 1_000_000).padStart(6, '0')}`;
  const rows: Array<{ id: string }> = await app.ctx.db.query(
    `insert into citizen_accounts (kind, username, id_number, full_name, full_name_search, birth_date, phone, assurance_level, verified_by, created_at)
     values ('citizen', $1, $1, $2, lower($2), '1990-03-12', $3, 'IAL2', 'mobile', now()) returning id`,
    [idNumber, fullName, `09${idNumber.slice(-8)}`],
  );
  return { accountId: rows[0]!.id, sessionId: randomUUID(), kind: 'citizen', username: idNumber, idNumber, fullName, mustChangePassword: false };
}

/** A portal session of the account, as logging in would open (the login itself is tested elsewhere). */
export async function citizenToken(app: TestApp, citizen: CitizenPrincipal): Promise<string> {
  return (await startCitizenSession(app.ctx, citizen.accountId, 'password', null)).token;
}

/** The first slot of the unit that starts after `after` (the app's clock by default) on a working day. */
export async function nextSlot(app: TestApp, unitId: string, after = app.clock.now().getTime()): Promise<{ start: string; end: string; date: LocalDate }> {
  const unit = (await bookableUnit(app.ctx.db, unitId))!;
  const settings = await appointmentSettingsOf(app.ctx.db, unit);
  const calendar = await loadUnitCalendar(app.ctx.db, unitId);
  for (let d = 0; d < 60; d++) {
    const date = formatLocalDate(after + d * DAY);
    const slot = slotsOn(calendar, date, settings).find((s) => s.start > after);
    if (slot) return { start: new Date(slot.start).toISOString(), end: new Date(slot.end).toISOString(), date };
  }
  throw new Error(`no slot of unit ${unitId} in the 60 days after ${new Date(after).toISOString()}`);
}

/**
 * Books the next slot with room of the unit (the commune by default) for a new portal account,
 * from `after` on (by default an hour after every clock: the booking checks the app's, the
 * workflow runs on the suite engine's, which time-skipping tests may have moved ahead of the wall
 * clock, so such a slot is ahead for each).
 */
export async function bookTestAppointment(
  app: TestApp,
  unitId = app.org.communeA,
  citizen?: CitizenPrincipal,
  from?: number,
): Promise<{ code: string; citizen: CitizenPrincipal; slotStart: string }> {
  const who = citizen ?? (await portalCitizen(app));
  let after = from ?? Math.max(app.clock.now().getTime(), Date.now(), await (await testEnv()).currentTimeMs()) + 3_600_000;
  for (let tries = 0; tries < 50; tries++) {
    const slot = await nextSlot(app, unitId, after);
    try {
      const booked = await bookAppointment(app.ctx, who, { procedure: 'vn', unitId, paperType: 'Giấy khai sinh', slotStart: slot.start }, randomUUID(), 10);
      return { code: booked.code, citizen: who, slotStart: slot.start };
    } catch (err) {
      if ((err as { code?: string }).code !== 'SLOT_FULL') throw err;
      after = Date.parse(slot.start);
    }
  }
  throw new Error('no slot with room');
}
