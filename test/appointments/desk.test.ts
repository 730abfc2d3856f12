/**
 * The desk's side of appointments over REST, on the real workflow: rescheduling one appointment or
 * a whole slot with a reason (each citizen told once, even when the request or the notice is
 * repeated), a day off added over booked time, and reception from an appointment carrying it into
 * the case.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createAppointmentActivities } from '../../activities/appointment';
import { formatLocalDate } from '../../domain/calendar';
import { LocalSmsSender } from '../../infra/sms/smsSender';
import type { AppointmentView } from '../../workflows/appointment/types';
import type { CaseView } from '../../workflows/certification/types';
import { bookTestAppointment, nextSlot } from '../support/appointments';
import { call, receptionBody, startCaseApp, type CaseApp, clockAtEngineTime } from '../support/caseApp';
import { createTestOfficer, sessionFor } from '../support/identityApp';

const phoneOf = (idNumber: string) => `09${idNumber.slice(-8)}`;

describe('Appointments: the desk reschedules, the calendar closes, reception takes over', function () {
  this.timeout(240_000);
  let app: CaseApp;
  let desk: { id: string; token: string };
  let admin: string;

  before(async () => {
    app = await startCaseApp();
    await clockAtEngineTime(app);
    const id = await createTestOfficer(app.ctx.db, { username: 'hen.motcua', fullName: 'Nguyễn Thị Một Cửa', rights: ['CERT_CREATE'], unitIds: [app.org.deskA] });
    desk = { id, token: await sessionFor(app, id) };
    admin = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'hen.quantri', fullName: 'Quản Trị Xã', rights: ['USER_ADMIN'], unitIds: [app.org.communeA] }));
  });
  after(async () => app?.close());

  const smsTo = async (idNumber: string, purpose: string) =>
    (await app.ctx.db.query('select body from sms_outbox where to_phone = $1 and purpose = $2', [phoneOf(idNumber), purpose])) as Array<{ body: string }>;
  const noticesOf = async (idNumber: string, kind: string) =>
    (await app.ctx.db.query('select title, body from citizen_notifications where id_number = $1 and kind = $2', [idNumber, kind])) as Array<{ title: string; body: string }>;
  async function settled(code: string): Promise<AppointmentView> {
    // The notices go in the background: the view lists each once it is sent.
    for (let i = 0; i < 200; i++) {
      const res = await call<AppointmentView>(app, 'GET', `/api/appointments/${code}`, { token: desk.token });
      if (res.body.notices.length === 1 + res.body.reschedules.length) return res.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the notices of ${code} did not all go`);
  }

  it('reschedules one appointment with its reason: the citizen sees old and new time, gets one SMS and one notice — and a repeated request moves and tells nothing twice', async () => {
    const booked = await bookTestAppointment(app);
    const to = await nextSlot(app, app.org.communeA, Date.parse(booked.slotStart) + 86_400_000);
    const key = randomUUID();
    const body = { slotStart: to.start, reason: 'Cán bộ tiếp nhận đi tập huấn' };
    const first = await call<AppointmentView>(app, 'POST', `/api/appointments/${booked.code}/reschedule`, { token: desk.token, body, key });
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    const again = await call<AppointmentView>(app, 'POST', `/api/appointments/${booked.code}/reschedule`, { token: desk.token, body, key });
    expect(again.status).to.equal(200);
    const view = await settled(booked.code);
    expect(view.slot.start).to.equal(to.start);
    expect(view.reschedules.map((r) => [r.from.start, r.to.start, r.reason])).to.deep.equal([[booked.slotStart, to.start, 'Cán bộ tiếp nhận đi tập huấn']]);
    const sms = await smsTo(booked.citizen.idNumber, 'appointment_rescheduled');
    expect(sms).to.have.length(1);
    expect(sms[0]!.body).to.contain('Cán bộ tiếp nhận đi tập huấn');
    expect(await noticesOf(booked.citizen.idNumber, 'appointment_rescheduled')).to.have.length(1);
    const mine = (await app.ctx.db.query('select slot_start from appointments where code = $1', [booked.code])) as Array<{ slot_start: Date }>;
    expect(mine[0]!.slot_start.toISOString()).to.equal(new Date(to.start).toISOString());
    const places: Array<{ slot_start: Date; booked: number }> = await app.ctx.db.query('select slot_start, booked from appointment_slots where unit_id = $1 and slot_start = any($2::timestamptz[])', [
      app.org.communeA,
      [booked.slotStart, to.start],
    ]);
    expect(Object.fromEntries(places.map((p) => [p.slot_start.toISOString(), p.booked]))).to.deep.equal({ [new Date(booked.slotStart).toISOString()]: 0, [new Date(to.start).toISOString()]: 1 });
  });

  it('refuses a reschedule without a reason, in Vietnamese, and leaves the appointment as it was', async () => {
    const booked = await bookTestAppointment(app);
    const to = await nextSlot(app, app.org.communeA, Date.parse(booked.slotStart) + 86_400_000);
    const res = await call(app, 'POST', `/api/appointments/${booked.code}/reschedule`, { token: desk.token, body: { slotStart: to.start, reason: '  ' } });
    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.contain('Lý do');
    const view = await call<AppointmentView>(app, 'GET', `/api/appointments/${booked.code}`, { token: desk.token });
    expect(view.body.slot.start).to.equal(booked.slotStart);
  });

  it('a notice sent again, as a retried activity would, sends no second SMS and writes no second notice', async () => {
    const booked = await bookTestAppointment(app);
    const view = await settled(booked.code);
    const activities = createAppointmentActivities({ db: app.ctx.db, sms: new LocalSmsSender(app.ctx.db, () => new Date()) });
    const notice = { code: view.code, unit: view.unit, citizen: view.citizen, kind: 'rescheduled', slot: view.slot, previousSlot: view.slot, reason: 'Mất điện', noticeId: 'rescheduled-9' };
    await activities.noticeAppointment(notice);
    await activities.noticeAppointment(notice);
    expect(await smsTo(booked.citizen.idNumber, 'appointment_rescheduled')).to.have.length(1);
    expect(await noticesOf(booked.citizen.idNumber, 'appointment_rescheduled')).to.have.length(1);
  });

  it('moves a whole slot to another day with one reason: every citizen of it told once, a repeated request moving none twice', async () => {
    const first = await bookTestAppointment(app);
    const slotStart = first.slotStart;
    const inSlot: Array<{ code: string; citizen_id_number: string }> = await app.ctx.db.query(
      `select code, citizen_id_number from appointments where unit_id = $1 and slot_start = $2 and status = 'booked' order by code`,
      [app.org.communeA, new Date(slotStart)],
    );
    const sameSlot = inSlot.map((r) => ({ code: r.code, citizen: { idNumber: r.citizen_id_number } }));
    const toDay = await nextSlot(app, app.org.communeA, Date.parse(slotStart) + 2 * 86_400_000);
    const key = randomUUID();
    const body = { unitId: app.org.communeA, date: formatLocalDate(Date.parse(slotStart)), slotStart, toDate: toDay.date, reason: 'Ủy ban họp toàn thể đột xuất' };
    const res = await call(app, 'POST', '/api/appointments/reschedule', { token: desk.token, body, key });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect([...res.body.moved].sort()).to.deep.equal(sameSlot.map((a) => a.code));
    expect(res.body.failed).to.deep.equal([]);
    const again = await call(app, 'POST', '/api/appointments/reschedule', { token: desk.token, body, key });
    expect(again.status).to.equal(200);
    for (const a of sameSlot) {
      const view = await settled(a.code);
      expect(view.reschedules).to.have.length(1);
      expect(view.reschedules[0]!.reason).to.equal('Ủy ban họp toàn thể đột xuất');
      expect(await smsTo(a.citizen.idNumber, 'appointment_rescheduled')).to.have.length(1);
      expect(await noticesOf(a.citizen.idNumber, 'appointment_rescheduled')).to.have.length(1);
    }
  });

  it('a day off added over booked time marks those appointments for rescheduling and tells the desk once; the schedule lists them outside the day', async () => {
    const booked = await bookTestAppointment(app);
    const date = formatLocalDate(Date.parse(booked.slotStart));
    const res = await call(app, 'POST', '/api/calendar/holidays', { token: admin, body: { date, name: 'Nghỉ đột xuất do bão', kind: 'holiday', unitId: app.org.communeA } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.appointmentsToReschedule.marked).to.include(booked.code);
    const view = await call<AppointmentView>(app, 'GET', `/api/appointments/${booked.code}`, { token: desk.token });
    expect(view.body.needsReschedule?.reason).to.contain('Nghỉ đột xuất do bão');
    const told: Array<{ title: string; body: string }> = await app.ctx.db.query(`select title, body from officer_notifications where officer_id = $1 and kind = 'appointment'`, [desk.id]);
    expect(told).to.have.length(1);
    expect(told[0]!.body).to.contain(booked.code);
    const schedule = await call(app, 'GET', `/api/appointments/schedule?unitId=${app.org.communeA}&date=${date}`, { token: desk.token });
    expect(schedule.status).to.equal(200);
    expect(schedule.body.slots).to.deep.equal([]);
    expect(schedule.body.outside.map((a: { code: string }) => a.code)).to.include(booked.code);
    await call(app, 'DELETE', `/api/calendar/holidays/${res.body.id}`, { token: admin });
  });

  it('receives a case from an appointment: the case keeps the code, the appointment ends received with the case; a second reception from it is refused', async () => {
    const booked = await bookTestAppointment(app);
    const checkIn = await call<AppointmentView>(app, 'POST', `/api/appointments/${booked.code}/check-in`, { token: desk.token, body: {} });
    expect(checkIn.status, JSON.stringify(checkIn.body)).to.equal(200);
    expect(checkIn.body.status).to.equal('checked_in');
    const view = checkIn.body;
    const body = receptionBody(app.org.deskA, {
      appointmentCode: booked.code,
      citizen: { fullName: view.citizen.fullName, citizenId: view.citizen.idNumber, birthDate: view.citizen.birthDate, phone: view.citizen.phone },
      documents: [{ type: view.paperType, issuer: 'UBND xã Nùng Năng', pages: 1, copies: 1 }],
    });
    const received = await call<CaseView>(app, 'POST', '/api/cases', { token: desk.token, body });
    expect(received.status, JSON.stringify(received.body)).to.equal(201);
    expect(received.body.appointmentCode).to.equal(booked.code);
    expect(received.body.citizen.fullName).to.equal(booked.citizen.fullName);
    const after = await call<AppointmentView>(app, 'GET', `/api/appointments/${booked.code}`, { token: desk.token });
    expect([after.body.status, after.body.caseCode]).to.deep.equal(['received', received.body.caseCode]);
    const twice = await call(app, 'POST', '/api/cases', { token: desk.token, body });
    expect(twice.status).to.equal(409);
    expect(twice.body.error.code).to.equal('APPOINTMENT_ENDED');

    // The auditor reads and replays the appointment's history as a case's.
    const auditor = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'hen.kiemtra', rights: ['AUDIT'], unitIds: [app.org.district] }));
    const timeline = await call(app, 'GET', `/api/audit/cases/${booked.code}/history`, { token: auditor });
    expect([timeline.status, timeline.body.workflowType]).to.deep.equal([200, 'appointment']);
    expect(timeline.body.entries.map((e: { text: { vi: string } }) => e.text.vi).join('\n')).to.contain(booked.citizen.fullName);
    const replay = await call(app, 'POST', `/api/audit/cases/${booked.code}/replay`, { token: auditor, body: {} });
    expect([replay.status, replay.body.deterministic]).to.deep.equal([200, true]);
  });

  it('refuses reception from an appointment of another citizen, naming the ID field', async () => {
    const booked = await bookTestAppointment(app);
    const res = await call(app, 'POST', '/api/cases', { token: desk.token, body: receptionBody(app.org.deskA, { appointmentCode: booked.code }) });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('APPOINTMENT_OTHER_CITIZEN');
    expect(res.body.error.details.fields[0].field).to.equal('citizen.citizenId');
    const view = await call<AppointmentView>(app, 'GET', `/api/appointments/${booked.code}`, { token: desk.token });
    expect(view.body.status).to.equal('booked');
  });
});
