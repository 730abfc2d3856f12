/**
 * Booking an appointment through the portal's REST route, on the real workflow and PostgreSQL:
 * what a citizen gets (a code, one SMS, one portal notice), what is refused (and that nothing is
 * booked then), and the slot's capacity under 200 citizens booking its 10 places at once.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { addDaysToDate, formatLocalDate, isWorkingDay } from '../../domain/calendar';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { bookTestAppointment, citizenToken, nextSlot, portalCitizen } from '../support/appointments';
import { call, startCaseApp, type CaseApp, clockAtEngineTime } from '../support/caseApp';
import { until } from '../support/until';


describe('Appointments: booking from the portal', function () {
  this.timeout(240_000);
  let app: CaseApp;

  before(async () => {
    app = await startCaseApp();
    // The booking checks the app's clock, the workflow the engine's: one time for both.
    await clockAtEngineTime(app);
  });
  after(async () => app?.close());

  const openRows = async (accountId: string) => (await app.ctx.db.query('select code from appointments where citizen_account_id = $1', [accountId])) as Array<{ code: string }>;

  it('books a slot: 201 with an appointment code, one SMS and one portal notice; the same key again gives the same appointment', async () => {
    const citizen = await portalCitizen(app, 'Lò Thị Mai');
    const token = await citizenToken(app, citizen);
    const slot = await nextSlot(app, app.org.communeA, app.clock.now().getTime() + 3_600_000);
    const body = { procedure: 'vn', unitId: app.org.communeA, paperType: 'Giấy khai sinh', slotStart: slot.start };
    const key = randomUUID();
    const [first, second] = await Promise.all([call(app, 'POST', '/api/citizen/appointments', { token, body, key }), call(app, 'POST', '/api/citizen/appointments', { token, body, key })]);
    expect([first.status, second.status].sort(), JSON.stringify([first.body, second.body])).to.deep.equal([200, 201]);
    expect(first.body.code).to.match(/^LH-\d{6}-[0-9A-Z]{6}$/);
    expect(second.body.code).to.equal(first.body.code);
    expect(await openRows(citizen.accountId)).to.have.length(1);
    const places: Array<{ booked: number }> = await app.ctx.db.query('select booked from appointment_slots where unit_id = $1 and slot_start = $2', [app.org.communeA, new Date(slot.start)]);
    expect(places[0]!.booked).to.equal(1);

    const code = first.body.code as string;
    const sms = await until('the booking SMS', async () => {
      const rows: Array<{ body: string }> = await app.ctx.db.query(`select body from sms_outbox where to_phone = $1 and purpose = 'appointment_booked'`, [`09${citizen.idNumber.slice(-8)}`]);
      return rows.length > 0 ? rows : undefined;
    }, 200);
    expect(sms).to.have.length(1);
    expect(sms[0]!.body).to.contain(code);
    const notices: Array<{ title: string }> = await app.ctx.db.query(`select title from citizen_notifications where id_number = $1 and kind = 'appointment_booked'`, [citizen.idNumber]);
    expect(notices.map((n) => n.title)).to.deep.equal([`Đã đặt lịch hẹn ${code}`]);

    const mine = await call(app, 'GET', '/api/citizen/appointments', { token });
    expect(mine.status).to.equal(200);
    expect(mine.body.items.map((a: { code: string; status: string }) => `${a.code} ${a.status}`)).to.deep.equal([`${code} booked`]);
  });

  it('refuses, in Vietnamese and naming the field, a past slot, a time outside office hours, a day off, an agency without the procedure and an unknown paper — and books nothing', async () => {
    const citizen = await portalCitizen(app);
    const token = await citizenToken(app, citizen);
    const slot = await nextSlot(app, app.org.communeA, app.clock.now().getTime() + 3 * 86_400_000);
    const calendar = await loadUnitCalendar(app.ctx.db, app.org.communeA);
    let sunday = formatLocalDate(app.clock.now().getTime());
    while (isWorkingDay(calendar, sunday) || new Date(`${sunday}T00:00:00Z`).getUTCDay() !== 0) sunday = addDaysToDate(sunday, 1);
    const book = (over: Record<string, unknown>) =>
      call(app, 'POST', '/api/citizen/appointments', { token, body: { procedure: 'vn', unitId: app.org.communeA, paperType: 'Giấy khai sinh', slotStart: slot.start, ...over } });
    const cases: Array<[string, Record<string, unknown>, number, string, string]> = [
      ['past', { slotStart: new Date(app.clock.now().getTime() - 86_400_000).toISOString() }, 422, 'SLOT_PAST', 'slotStart'],
      ['outside hours', { slotStart: `${slot.date}T03:00:00+07:00` }, 422, 'SLOT_OUTSIDE_HOURS', 'slotStart'],
      ['a day off', { slotStart: `${sunday}T09:00:00+07:00` }, 422, 'SLOT_CLOSED_DAY', 'slotStart'],
      ['not offered', { procedure: 'foreign' }, 422, 'PROCEDURE_NOT_OFFERED', 'unitId'],
      ['unknown paper', { paperType: 'Hộ chiếu ngoại giao' }, 422, 'PAPER_TYPE_UNKNOWN', 'paperType'],
      ['not a time', { slotStart: 'sáng mai' }, 400, 'INVALID_INPUT', 'slotStart'],
    ];
    const seen: string[] = [];
    for (const [what, over] of cases) {
      const res = await book(over);
      seen.push(`${what}: ${res.status} ${res.body.error?.code} ${res.body.error?.details?.fields?.[0]?.field}`);
      expect(res.body.error?.message, what).to.match(/[ạảãáàâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữíìịỉĩýỳỵỷỹ]/i);
    }
    expect(seen).to.deep.equal(cases.map(([what, , status, code, field]) => `${what}: ${status} ${code} ${field}`));
    expect(await openRows(citizen.accountId)).to.deep.equal([]);
  });

  it('refuses a fourth open appointment of one account (409 TOO_MANY_APPOINTMENTS) and takes no place for it', async () => {
    const citizen = await portalCitizen(app);
    for (let i = 0; i < 3; i++) await bookTestAppointment(app, app.org.communeA, citizen);
    const token = await citizenToken(app, citizen);
    const slot = await nextSlot(app, app.org.communeA, app.clock.now().getTime() + 10 * 86_400_000);
    const res = await call(app, 'POST', '/api/citizen/appointments', { token, body: { procedure: 'vn', unitId: app.org.communeA, paperType: 'Học bạ', slotStart: slot.start } });
    expect(res.status, JSON.stringify(res.body)).to.equal(409);
    expect(res.body.error.code).to.equal('TOO_MANY_APPOINTMENTS');
    expect(res.body.error.message).to.contain('tối đa 3');
    expect(await openRows(citizen.accountId)).to.have.length(3);
    const places: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from appointment_slots where unit_id = $1 and slot_start = $2 and booked > 0', [app.org.communeA, new Date(slot.start)]);
    expect(places[0]!.n).to.equal(0);
  });

  it('gives a slot of 10 places to exactly 10 of 200 citizens booking it at once; the others hear "slot full"', async () => {
    await app.ctx.db.query(
      `insert into appointment_settings (unit_id, slot_minutes, capacity, offers_vn, offers_foreign, updated_at) values ($1, 30, 10, true, false, now())
       on conflict (unit_id) do update set capacity = 10`,
      [app.org.communeA],
    );
    const slot = await nextSlot(app, app.org.communeA, app.clock.now().getTime() + 20 * 86_400_000);
    const tokens = await Promise.all(Array.from({ length: 200 }, async () => citizenToken(app, await portalCitizen(app))));
    const answers = await Promise.all(
      tokens.map((token) => call(app, 'POST', '/api/citizen/appointments', { token, body: { procedure: 'vn', unitId: app.org.communeA, paperType: 'Giấy khai sinh', slotStart: slot.start } })),
    );
    const counts = new Map<string, number>();
    for (const a of answers) counts.set(`${a.status} ${a.body.error?.code ?? 'booked'}`, (counts.get(`${a.status} ${a.body.error?.code ?? 'booked'}`) ?? 0) + 1);
    console.log(`      200 citizens, 10 places: ${[...counts].map(([k, n]) => `${k} × ${n}`).join(', ')}`);
    expect(Object.fromEntries(counts)).to.deep.equal({ '201 booked': 10, '409 SLOT_FULL': 190 });
    expect(answers.find((a) => a.status === 409)!.body.error.message).to.equal('Khung giờ này đã đủ người đặt; hãy chọn khung giờ khác.');
    const rows: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from appointments where unit_id = $1 and slot_start = $2', [app.org.communeA, new Date(slot.start)]);
    expect(rows[0]!.n).to.equal(10);
    const places: Array<{ booked: number }> = await app.ctx.db.query('select booked from appointment_slots where unit_id = $1 and slot_start = $2', [app.org.communeA, new Date(slot.start)]);
    expect(places[0]!.booked).to.equal(10);
  });

  it('lets the citizen cancel an appointment not yet begun: the place is given back; another account cannot cancel it', async () => {
    const booked = await bookTestAppointment(app);
    const stranger = await citizenToken(app, await portalCitizen(app));
    const foreign = await call(app, 'POST', `/api/citizen/appointments/${booked.code}/cancel`, { token: stranger, body: {} });
    expect(foreign.status).to.equal(404);
    const token = await citizenToken(app, booked.citizen);
    const cancelled = await call(app, 'POST', `/api/citizen/appointments/${booked.code}/cancel`, { token, body: { reason: 'Bận việc gia đình' } });
    expect([cancelled.status, cancelled.body.status], JSON.stringify(cancelled.body)).to.deep.equal([200, 'cancelled']);
    const place = await until('the place given back', async () => {
      const rows: Array<{ booked: number; holds_slot: boolean }> = await app.ctx.db.query(
        'select s.booked, a.holds_slot from appointments a join appointment_slots s on s.unit_id = a.unit_id and s.slot_start = a.slot_start where a.code = $1',
        [booked.code],
      );
      return rows[0] && !rows[0].holds_slot ? rows[0] : undefined;
    }, 200);
    expect(place.holds_slot).to.equal(false);
    const again = await call(app, 'POST', `/api/citizen/appointments/${booked.code}/cancel`, { token, body: {} });
    expect(again.status).to.equal(409);
  });
});
