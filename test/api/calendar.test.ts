import { expect } from 'chai';
import { VIETNAM_HOLIDAYS, VIETNAM_SWAPPED_WORKING_DAYS } from '../../domain/calendar';
import { NationalCalendar1763856000001 } from '../../db/migrations/1763856000001-NationalCalendar';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { createTestOfficer, http, sessionFor, startTestApp, type HttpResult, type TestApp } from '../support/identityApp';

/** An instant written in Hà Nội time, e.g. vn('2026-11-23 11:30'). */
function vn(local: string): string {
  return `${local.replace(' ', 'T')}:00+07:00`;
}

describe('working calendar API', function () {
  this.timeout(120_000);
  let app: TestApp;
  let clerk: string; // CERT_CREATE at the one-stop desk of commune A
  let clerkB: string; // CERT_CREATE at the desk of commune B
  let adminA: string; // USER_ADMIN of commune A
  let adminDistrict: string;
  let adminProvince: string; // USER_ADMIN of the root unit

  before(async () => {
    app = await startTestApp({ otpRequired: false });
    const db = app.ctx.db;
    const o = app.org;
    clerk = await sessionFor(app, await createTestOfficer(db, { username: 'clerk.deska', rights: ['CERT_CREATE'], unitIds: [o.deskA] }));
    clerkB = await sessionFor(app, await createTestOfficer(db, { username: 'clerk.deskb', rights: ['CERT_CREATE'], unitIds: [o.deskB] }));
    adminA = await sessionFor(app, await createTestOfficer(db, { username: 'admin.a', rights: ['USER_ADMIN'], unitIds: [o.communeA] }));
    adminDistrict = await sessionFor(app, await createTestOfficer(db, { username: 'admin.district', rights: ['USER_ADMIN'], unitIds: [o.district] }));
    adminProvince = await sessionFor(app, await createTestOfficer(db, { username: 'admin.province', rights: ['USER_ADMIN'], unitIds: [o.province] }));
  });
  after(async () => {
    await app?.close();
  });

  async function due(token: string, unitId: string, params: Record<string, string>): Promise<HttpResult> {
    const query = new URLSearchParams({ unitId, ...params });
    return http(app, 'GET', `/api/calendar/due?${query.toString()}`, { token });
  }

  async function dueLocal(token: string, unitId: string, start: string, params: Record<string, string>): Promise<string> {
    const res = await due(token, unitId, { start: vn(start), ...params });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.dueLocal as string;
  }

  describe('due preview with the seeded national calendar', () => {
    it('skips the lunch break: Monday 11:30 + 2 h → 14:30 the same day, explained step by step', async () => {
      const res = await due(clerkB, app.org.deskB, { start: vn('2026-11-23 11:30'), hours: '2' });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({
        unitId: app.org.deskB,
        mode: 'hours',
        hours: 2,
        start: '2026-11-23T04:30:00.000Z',
        due: '2026-11-23T07:30:00.000Z',
        dueLocal: '14:30 thứ Hai 23/11/2026',
        dueLocalIso: '2026-11-23T14:30:00+07:00',
        workingHours: 2,
      });
      expect(res.body.explanation).to.deep.equal([
        'Nhận lúc 11:30 thứ Hai 23/11/2026, trong giờ làm việc; cần 2 giờ làm việc',
        '11:30–12:00 thứ Hai 23/11/2026: 0,5 giờ (còn 1,5 giờ)',
        'Nghỉ trưa 12:00–13:00',
        '13:00–14:30 thứ Hai 23/11/2026: 1,5 giờ (còn 0 giờ)',
        'Hạn xử lý: 14:30 thứ Hai 23/11/2026',
      ]);
      expect(res.body.warnings).to.deep.equal([]);
    });

    it('carries the evening over: 16:30 + 2 h → 09:30 the next day', async () => {
      expect(await dueLocal(clerkB, app.org.deskB, '2026-11-23 16:30', { hours: '2' })).to.equal('09:30 thứ Ba 24/11/2026');
      expect(await dueLocal(clerkB, app.org.deskB, '2026-11-23 17:00', { hours: '0,5' })).to.equal('08:30 thứ Ba 24/11/2026');
    });

    it('skips the weekend: Friday 16:00 + 4 h → Monday 11:00', async () => {
      const res = await due(clerkB, app.org.deskB, { start: vn('2026-11-27 16:00'), hours: '4' });
      expect(res.body.dueLocal).to.equal('11:00 thứ Hai 30/11/2026');
      expect(res.body.explanation).to.include('Không làm việc thứ Bảy 28/11/2026 – Chủ nhật 29/11/2026 (nghỉ cuối tuần)');
      expect(res.body.explanation).to.include('08:00–11:00 thứ Hai 30/11/2026: 3 giờ (còn 0 giờ)');
    });

    it('counts from the next opening when received on a Sunday, and accepts Hà Nội time without an offset', async () => {
      const res = await due(clerkB, app.org.deskB, { start: '2026-11-29T10:00', hours: '1' });
      expect(res.body.dueLocal).to.equal('09:00 thứ Hai 30/11/2026');
      expect(res.body.explanation[0]).to.equal('Nhận lúc 10:00 Chủ nhật 29/11/2026, ngoài giờ làm việc — tính từ 08:00 thứ Hai 30/11/2026; cần 1 giờ làm việc');
    });

    it('skips Tết Bính Ngọ 2026 (16–20/02 plus the weekends)', async () => {
      const res = await due(clerkB, app.org.deskB, { start: vn('2026-02-13 16:00'), hours: '2' });
      expect(res.body.dueLocal).to.equal('09:00 thứ Hai 23/02/2026');
      expect(res.body.explanation).to.include('Không làm việc thứ Ba 17/02/2026 (Tết Nguyên đán (mùng 1 tháng Giêng Bính Ngọ))');
      expect(res.body.workingHours).to.equal(2);
      expect(await dueLocal(clerkB, app.org.deskB, '2026-02-13 15:30', { rule: 'same-day-cutoff' })).to.equal('17:00 thứ Hai 23/02/2026');
    });

    it('works on the seeded swapped Saturday 10/01/2026 and skips the New Year days off 1–2/01/2026', async () => {
      expect(await dueLocal(clerkB, app.org.deskB, '2026-01-09 16:00', { hours: '2' })).to.equal('09:00 thứ Bảy 10/01/2026');
      expect(await dueLocal(clerkB, app.org.deskB, '2025-12-31 16:00', { hours: '2' })).to.equal('09:00 thứ Hai 05/01/2026');
    });

    it('crosses the year end: 31/12/2026 afternoon + 2 h → Monday 04/01/2027, skipping 1/1 (provisional, and said so)', async () => {
      const res = await due(clerkB, app.org.deskB, { start: vn('2026-12-31 16:00'), hours: '2' });
      expect(res.body.dueLocal).to.equal('09:00 thứ Hai 04/01/2027');
      expect(res.body.explanation).to.include('Không làm việc thứ Sáu 01/01/2027 (Tết Dương lịch — lịch nghỉ dự kiến)');
      expect(res.body.warnings.join(' ')).to.match(/ngày nghỉ dự kiến.*01\/01\/2027/);
    });

    it('warns when the deadline reaches a year without holiday data', async () => {
      const res = await due(clerkB, app.org.deskB, { start: vn('2028-03-01 09:00'), hours: '1' });
      expect(res.body.dueLocal).to.equal('10:00 thứ Tư 01/03/2028');
      expect(res.body.warnings).to.deep.equal(['Chưa có lịch nghỉ lễ năm 2028 trong hệ thống; thời hạn chưa trừ các ngày nghỉ lễ của năm đó.']);
    });

    it('applies the 15:00 cut-off of the certification rule, also on a Friday', async () => {
      const rule = { rule: 'same-day-cutoff' };
      expect(await dueLocal(clerkB, app.org.deskB, '2026-11-23 14:59', rule)).to.equal('17:00 thứ Hai 23/11/2026');
      expect(await dueLocal(clerkB, app.org.deskB, '2026-11-23 15:00', rule)).to.equal('17:00 thứ Ba 24/11/2026');
      expect(await dueLocal(clerkB, app.org.deskB, '2026-11-23 15:01', rule)).to.equal('17:00 thứ Ba 24/11/2026');
      expect(await dueLocal(clerkB, app.org.deskB, '2026-11-27 14:59', rule)).to.equal('17:00 thứ Sáu 27/11/2026');
      const friday = await due(clerkB, app.org.deskB, { start: vn('2026-11-27 15:01'), ...rule });
      expect(friday.body.dueLocal).to.equal('17:00 thứ Hai 30/11/2026');
      expect(friday.body.explanation).to.deep.equal([
        'Nhận lúc 15:01 thứ Sáu 27/11/2026, trong giờ làm việc',
        'Từ 15:00 trở đi: trả kết quả trong ngày làm việc tiếp theo',
        'Không làm việc thứ Bảy 28/11/2026 – Chủ nhật 29/11/2026 (nghỉ cuối tuần)',
        'Ngày làm việc thứ 1: thứ Hai 30/11/2026',
        'Hạn xử lý: 17:00 thứ Hai 30/11/2026',
      ]);
      // Received on a Saturday: counts from Monday 08:00, which is before the cut-off.
      expect(await dueLocal(clerkB, app.org.deskB, '2026-11-28 10:00', rule)).to.equal('17:00 thứ Hai 30/11/2026');
    });

    it('counts working days without the day of receipt', async () => {
      const res = await due(clerkB, app.org.deskB, { start: vn('2026-11-27 10:00'), workingDays: '2' });
      expect(res.body.dueLocal).to.equal('17:00 thứ Ba 01/12/2026');
      expect(res.body.workingHours).to.equal(6 + 8 + 8);
    });

    it('starts from the server clock when no start is given', async () => {
      app.clock.set(new Date(vn('2026-11-23 10:15')));
      try {
        const res = await due(clerkB, app.org.deskB, { hours: '1' });
        expect(res.body.start).to.equal('2026-11-23T03:15:00.000Z');
        expect(res.body.dueLocal).to.equal('11:15 thứ Hai 23/11/2026');
      } finally {
        app.clock.set(new Date(vn('2026-11-23 09:00')));
      }
    });

    it('refuses bad input in Vietnamese and units outside the caller’s scope', async () => {
      const none = await due(clerkB, app.org.deskB, {});
      expect(none.status).to.equal(400);
      expect(none.body.error.message).to.match(/chọn đúng một cách tính thời hạn/);
      expect((await due(clerkB, app.org.deskB, { hours: '2', rule: 'same-day-cutoff' })).status).to.equal(400);
      const zero = await due(clerkB, app.org.deskB, { hours: '0' });
      expect(zero.status).to.equal(400);
      expect(zero.body.error.message).to.match(/phải lớn hơn 0/);
      expect((await due(clerkB, app.org.deskB, { hours: '401' })).body.error.message).to.match(/tối đa là 400/);
      expect((await due(clerkB, app.org.deskB, { hours: 'hai' })).body.error.message).to.match(/phải là số dương/);
      const badStart = await due(clerkB, app.org.deskB, { hours: '1', start: '23/11/2026 9h' });
      expect(badStart.status).to.equal(400);
      expect(badStart.body.error.message).to.match(/Thời điểm nhận: thời điểm nhận "23\/11\/2026 9h" không hợp lệ/);
      const other = await due(clerkB, app.org.deskA, { hours: '1' });
      expect(other.status).to.equal(403);
      expect(other.body.error.code).to.equal('UNIT_OUT_OF_SCOPE');
      expect((await http(app, 'GET', `/api/calendar/due?unitId=${app.org.deskB}&hours=1`)).status).to.equal(401);
    });
  });

  describe('office hours', () => {
    const EARLY = {
      hours: Object.fromEntries(
        ['1', '2', '3', '4', '5'].map((d) => [
          d,
          [
            { start: '07:30', end: '11:30' },
            { start: '13:30', end: '17:00' },
          ],
        ]),
      ),
    };

    it('a commune’s own hours change its desk’s preview (inherited) and nobody else’s; DELETE goes back to the default', async () => {
      expect(await dueLocal(clerk, app.org.deskA, '2026-11-23 11:00', { hours: '2' })).to.equal('14:00 thứ Hai 23/11/2026');
      const put = await http(app, 'PUT', `/api/calendar/units/${app.org.communeA}/office-hours`, { token: adminA, body: EARLY });
      expect(put.status, JSON.stringify(put.body)).to.equal(200);
      expect(put.body.officeHours.source).to.deep.include({ level: 'unit', inherited: false, code: '000.15.43.H35' });

      const preview = await due(clerk, app.org.deskA, { start: vn('2026-11-23 11:00'), hours: '2' });
      expect(preview.body.dueLocal).to.equal('15:00 thứ Hai 23/11/2026');
      expect(preview.body.explanation).to.include('Nghỉ trưa 11:30–13:30');
      expect(await dueLocal(clerkB, app.org.deskB, '2026-11-23 11:00', { hours: '2' })).to.equal('14:00 thứ Hai 23/11/2026');

      const desk = await http(app, 'GET', `/api/calendar/units/${app.org.deskA}?from=2026-11-01&to=2026-11-30`, { token: clerk });
      expect(desk.status).to.equal(200);
      expect(desk.body.officeHours.hours['1']).to.deep.equal(EARLY.hours['1']);
      expect(desk.body.officeHours.source).to.deep.include({ level: 'unit', inherited: true, id: app.org.communeA, code: '000.15.43.H35' });

      const del = await http(app, 'DELETE', `/api/calendar/units/${app.org.communeA}/office-hours`, { token: adminA });
      expect(del.status).to.equal(200);
      expect(del.body.officeHours.source).to.deep.equal({ level: 'default' });
      expect(await dueLocal(clerk, app.org.deskA, '2026-11-23 11:00', { hours: '2' })).to.equal('14:00 thứ Hai 23/11/2026');
      const again = await http(app, 'DELETE', `/api/calendar/units/${app.org.communeA}/office-hours`, { token: adminA });
      expect(again.status).to.equal(404);
      expect(again.body.error.message).to.match(/chưa có giờ làm việc riêng/);
    });

    it('a unit’s own hours beat its ancestors’: the desk keeps its Saturday morning while the commune changes', async () => {
      const deskHours = { hours: { 1: [{ start: '08:00', end: '17:00' }], 6: [{ start: '08:00', end: '11:00' }] } };
      expect((await http(app, 'PUT', `/api/calendar/units/${app.org.deskA}/office-hours`, { token: adminA, body: deskHours })).status).to.equal(200);
      expect((await http(app, 'PUT', `/api/calendar/units/${app.org.communeA}/office-hours`, { token: adminA, body: EARLY })).status).to.equal(200);
      try {
        // Saturday 28/11 08:00 + 2 h at the desk: open 08:00–11:00 on Saturdays.
        expect(await dueLocal(clerk, app.org.deskA, '2026-11-28 08:00', { hours: '2' })).to.equal('10:00 thứ Bảy 28/11/2026');
        const cal = await loadUnitCalendar(app.ctx.db, app.org.deskA);
        expect(cal.officeHours).to.deep.equal(deskHours.hours);
      } finally {
        await http(app, 'DELETE', `/api/calendar/units/${app.org.deskA}/office-hours`, { token: adminA });
        await http(app, 'DELETE', `/api/calendar/units/${app.org.communeA}/office-hours`, { token: adminA });
      }
    });

    it('keeps admins inside their units and needs USER_ADMIN', async () => {
      const other = await http(app, 'PUT', `/api/calendar/units/${app.org.communeB}/office-hours`, { token: adminA, body: EARLY });
      expect(other.status).to.equal(403);
      expect(other.body.error.code).to.equal('UNIT_OUT_OF_SCOPE');
      const notAdmin = await http(app, 'PUT', `/api/calendar/units/${app.org.deskA}/office-hours`, { token: clerk, body: EARLY });
      expect(notAdmin.status).to.equal(403);
      expect(notAdmin.body.error.code).to.equal('RIGHT_REQUIRED');
      expect((await http(app, 'GET', `/api/calendar/units/${app.org.communeB}`, { token: clerk })).status).to.equal(403);
    });

    it('rejects malformed hours with Vietnamese messages per field', async () => {
      const put = (hours: unknown) => http(app, 'PUT', `/api/calendar/units/${app.org.communeA}/office-hours`, { token: adminA, body: { hours } });
      const badTime = await put({ 1: [{ start: '25:00', end: '12:00' }] });
      expect(badTime.status).to.equal(400);
      expect(badTime.body.error.code).to.equal('INVALID_INPUT');
      expect(badTime.body.error.details.fields[0]).to.deep.include({ field: 'hours.1[0].start', code: 'INVALID_TIME' });
      expect(badTime.body.error.message).to.match(/Giờ bắt đầu "25:00" không hợp lệ \(định dạng HH:MM/);

      const overlap = await put({ 2: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '17:00' }] });
      expect(overlap.status).to.equal(400);
      expect(overlap.body.error.message).to.match(/thứ Ba phải theo thứ tự tăng dần và không chồng lấn \(08:00–12:00 và 11:00–17:00\)/);

      const backwards = await put({ 3: [{ start: '12:00', end: '08:00' }] });
      expect(backwards.body.error.message).to.match(/giờ bắt đầu phải trước giờ kết thúc/);
      expect((await put({ 8: [{ start: '08:00', end: '12:00' }] })).body.error.message).to.match(/Thứ trong tuần phải là số từ 1/);
      expect((await put({})).body.error.message).to.match(/không có giờ làm việc nào/);
      const missing = await http(app, 'PUT', `/api/calendar/units/${app.org.communeA}/office-hours`, { token: adminA, body: {} });
      expect(missing.status).to.equal(400);
      expect(missing.body.error.message).to.match(/thiếu giờ làm việc/);
      const stored: unknown[] = await app.ctx.db.query('select 1 from unit_office_hours');
      expect(stored).to.have.length(0);
    });
  });

  describe('days off and working days', () => {
    it('a province-wide day off reaches its communes, with the province named as its source', async () => {
      const add = await http(app, 'POST', '/api/calendar/holidays', {
        token: adminProvince,
        body: { date: '2026-11-25', name: 'Kỷ niệm ngày thành lập tỉnh', kind: 'holiday', unitId: app.org.province },
      });
      expect(add.status, JSON.stringify(add.body)).to.equal(201);
      expect(add.body).to.deep.include({ date: '2026-11-25', type: 'holiday', provisional: false });
      expect(add.body.source).to.deep.include({ level: 'unit', code: '000.00.00.H35' });
      try {
        expect(await dueLocal(clerk, app.org.deskA, '2026-11-24 16:00', { hours: '2' })).to.equal('09:00 thứ Năm 26/11/2026');
        expect(await dueLocal(clerkB, app.org.deskB, '2026-11-24 16:00', { hours: '2' })).to.equal('09:00 thứ Năm 26/11/2026');
        const cal = await http(app, 'GET', `/api/calendar/units/${app.org.deskB}?from=2026-11-01&to=2026-11-30`, { token: clerkB });
        expect(cal.body.days).to.have.length(1);
        expect(cal.body.days[0]).to.deep.include({ date: '2026-11-25', weekday: 'thứ Tư', name: 'Kỷ niệm ngày thành lập tỉnh', workingHours: [] });
        expect(cal.body.days[0].source).to.deep.include({ level: 'unit', id: app.org.province });
        // Commune A's admin can neither see it as theirs to remove nor remove it.
        expect((await http(app, 'DELETE', `/api/calendar/holidays/${add.body.id}`, { token: adminA })).status).to.equal(403);
      } finally {
        expect((await http(app, 'DELETE', `/api/calendar/holidays/${add.body.id}`, { token: adminProvince })).status).to.equal(200);
      }
      expect(await dueLocal(clerk, app.org.deskA, '2026-11-24 16:00', { hours: '2' })).to.equal('09:00 thứ Tư 25/11/2026');
    });

    it('lets only an admin of a root unit change the national list; a duplicate date is a 409', async () => {
      const body = { date: '2026-11-24', name: 'Ngày Văn hóa Việt Nam', kind: 'holiday', unitId: null };
      const commune = await http(app, 'POST', '/api/calendar/holidays', { token: adminA, body });
      expect(commune.status).to.equal(403);
      expect(commune.body.error.code).to.equal('NATIONAL_CALENDAR_FORBIDDEN');
      expect(commune.body.error.message).to.match(/Chỉ quản trị viên của đơn vị cấp cao nhất/);
      expect((await http(app, 'POST', '/api/calendar/holidays', { token: adminDistrict, body })).status).to.equal(403);

      const added = await http(app, 'POST', '/api/calendar/holidays', { token: adminProvince, body });
      expect(added.status).to.equal(201);
      expect(added.body.source).to.deep.equal({ level: 'national' });
      try {
        expect(await dueLocal(clerkB, app.org.deskB, '2026-11-23 16:00', { hours: '2' })).to.equal('09:00 thứ Tư 25/11/2026');
        const dup = await http(app, 'POST', '/api/calendar/holidays', { token: adminProvince, body: { ...body, name: 'Trùng' } });
        expect(dup.status).to.equal(409);
        expect(dup.body.error.code).to.equal('HOLIDAY_EXISTS');
        expect(dup.body.error.message).to.match(/Ngày 24\/11\/2026 đã có trong ngày nghỉ của toàn quốc \("Ngày Văn hóa Việt Nam"\)/);
        const seededDup = await http(app, 'POST', '/api/calendar/holidays', { token: adminProvince, body: { ...body, date: '2026-09-02' } });
        expect(seededDup.status).to.equal(409);
        // The same date for one unit is a different source, so it is accepted.
        const forUnit = await http(app, 'POST', '/api/calendar/holidays', { token: adminA, body: { ...body, unitId: app.org.communeA } });
        expect(forUnit.status).to.equal(201);
        expect((await http(app, 'DELETE', `/api/calendar/holidays/${forUnit.body.id}`, { token: adminA })).status).to.equal(200);
      } finally {
        expect((await http(app, 'DELETE', `/api/calendar/holidays/${added.body.id}`, { token: adminA })).status).to.equal(403);
        expect((await http(app, 'DELETE', `/api/calendar/holidays/${added.body.id}`, { token: adminProvince })).status).to.equal(200);
      }
      expect((await http(app, 'DELETE', `/api/calendar/holidays/${added.body.id}`, { token: adminProvince })).status).to.equal(404);
    });

    it('a unit-level working Saturday moves a deadline onto it, only for that unit', async () => {
      const add = await http(app, 'POST', '/api/calendar/working-days', {
        token: adminA,
        body: { date: '2026-11-28', name: 'Làm việc thứ Bảy giải quyết hồ sơ tồn', hours: [{ start: '08:00', end: '11:30' }], unitId: app.org.communeA },
      });
      expect(add.status, JSON.stringify(add.body)).to.equal(201);
      expect(add.body).to.deep.include({ type: 'working-day', hours: [{ start: '08:00', end: '11:30' }] });
      try {
        expect(await dueLocal(clerk, app.org.deskA, '2026-11-27 16:00', { hours: '2' })).to.equal('09:00 thứ Bảy 28/11/2026');
        expect(await dueLocal(clerk, app.org.deskA, '2026-11-27 16:00', { hours: '5' })).to.equal('08:30 thứ Hai 30/11/2026');
        expect(await dueLocal(clerkB, app.org.deskB, '2026-11-27 16:00', { hours: '2' })).to.equal('09:00 thứ Hai 30/11/2026');
        const dup = await http(app, 'POST', '/api/calendar/working-days', { token: adminA, body: { date: '2026-11-28', name: 'Lần hai', unitId: app.org.communeA } });
        expect(dup.status).to.equal(409);
        expect(dup.body.error.code).to.equal('WORKING_DAY_EXISTS');
        const clash = await http(app, 'POST', '/api/calendar/holidays', {
          token: adminA,
          body: { date: '2026-11-28', name: 'Nghỉ', kind: 'compensatory', unitId: app.org.communeA },
        });
        expect(clash.status).to.equal(409);
        expect(clash.body.error.code).to.equal('CALENDAR_DATE_TAKEN');
        expect(clash.body.error.message).to.match(/đang là ngày làm việc hoán đổi của đơn vị UBND xã Nùng Năng/);
      } finally {
        expect((await http(app, 'DELETE', `/api/calendar/working-days/${add.body.id}`, { token: adminA })).status).to.equal(200);
      }
      expect(await dueLocal(clerk, app.org.deskA, '2026-11-27 16:00', { hours: '2' })).to.equal('09:00 thứ Hai 30/11/2026');
    });

    it('the most specific source wins: a commune day off on the national working Saturday, a commune working day on a national holiday', async () => {
      const off = await http(app, 'POST', '/api/calendar/holidays', {
        token: adminA,
        body: { date: '2026-01-10', name: 'Xã nghỉ do bão', kind: 'compensatory', unitId: app.org.communeA },
      });
      const on = await http(app, 'POST', '/api/calendar/working-days', {
        token: adminA,
        body: { date: '2026-09-02', name: 'Trực tiếp nhận hồ sơ dịp Quốc khánh', unitId: app.org.communeA },
      });
      expect([off.status, on.status]).to.deep.equal([201, 201]);
      try {
        expect(await dueLocal(clerk, app.org.deskA, '2026-01-09 16:00', { hours: '2' })).to.equal('09:00 thứ Hai 12/01/2026');
        expect(await dueLocal(clerkB, app.org.deskB, '2026-01-09 16:00', { hours: '2' })).to.equal('09:00 thứ Bảy 10/01/2026');
        // 31/08 and 01/09 stay national days off; 02/09 is worked with the weekday hours.
        expect(await dueLocal(clerk, app.org.deskA, '2026-08-28 16:00', { hours: '2' })).to.equal('09:00 thứ Tư 02/09/2026');

        const cal = await http(app, 'GET', `/api/calendar/units/${app.org.deskA}?from=2026-01-01&to=2026-12-31`, { token: clerk });
        const jan10 = (cal.body.days as Array<Record<string, unknown>>).find((d) => d.date === '2026-01-10')!;
        expect(jan10).to.deep.include({ type: 'compensatory', name: 'Xã nghỉ do bão', workingHours: [] });
        expect(jan10.overrides).to.have.length(1);
        expect((jan10.overrides as Array<Record<string, unknown>>)[0]).to.deep.include({ type: 'working-day', source: { level: 'national' } });
        const sep2 = (cal.body.days as Array<Record<string, unknown>>).find((d) => d.date === '2026-09-02')!;
        expect(sep2).to.deep.include({ type: 'working-day', workingHours: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }] });

        const calendar = await loadUnitCalendar(app.ctx.db, app.org.deskA);
        expect(calendar.holidays.find((h) => h.date === '2026-01-10')).to.deep.equal({ date: '2026-01-10', name: 'Xã nghỉ do bão', kind: 'compensatory' });
        expect(calendar.workingDays.map((w) => w.date)).to.not.include('2026-01-10');
        expect(calendar.holidays.map((h) => h.date)).to.not.include('2026-09-02');
      } finally {
        await http(app, 'DELETE', `/api/calendar/holidays/${off.body.id}`, { token: adminA });
        await http(app, 'DELETE', `/api/calendar/working-days/${on.body.id}`, { token: adminA });
      }
    });

    it('rejects bad dates, kinds, hours and a missing unitId in Vietnamese', async () => {
      const post = (path: string, body: unknown) => http(app, 'POST', path, { token: adminA, body });
      const badDate = await post('/api/calendar/holidays', { date: '2026-02-30', name: 'X', kind: 'holiday', unitId: app.org.communeA });
      expect(badDate.status).to.equal(400);
      expect(badDate.body.error.message).to.match(/ngày "2026-02-30" không hợp lệ: phải là ngày có thật, dạng YYYY-MM-DD/);
      const badKind = await post('/api/calendar/holidays', { date: '2026-12-01', name: 'X', kind: 'vacation', unitId: app.org.communeA });
      expect(badKind.body.error.message).to.match(/Loại: loại ngày nghỉ phải là "holiday"/);
      const noUnit = await post('/api/calendar/holidays', { date: '2026-12-01', name: 'X', kind: 'holiday' });
      expect(noUnit.status).to.equal(400);
      expect(noUnit.body.error.message).to.match(/Đơn vị: thiếu đơn vị: chọn một đơn vị, hoặc áp dụng toàn quốc/);
      const emptyName = await post('/api/calendar/holidays', { date: '2026-12-01', name: '  ', kind: 'holiday', unitId: app.org.communeA });
      expect(emptyName.body.error.message).to.match(/tên ngày không được để trống/);
      const badHours = await post('/api/calendar/working-days', {
        date: '2026-12-05',
        name: 'Làm bù',
        unitId: app.org.communeA,
        hours: [{ start: '08:00', end: '11:60' }],
      });
      expect(badHours.status).to.equal(400);
      expect(badHours.body.error.details.fields[0]).to.deep.include({ field: 'hours[0].end', code: 'INVALID_TIME' });
      const noHours = await post('/api/calendar/working-days', { date: '2026-12-05', name: 'Làm bù', unitId: app.org.communeA, hours: [] });
      expect(noHours.body.error.message).to.match(/phải có ít nhất một khoảng giờ/);
      const rows: unknown[] = await app.ctx.db.query('select 1 from calendar_holidays where unit_id is not null union all select 1 from calendar_working_days where unit_id is not null');
      expect(rows).to.have.length(0);
    });
  });

  describe('effective calendar', () => {
    it('lists the seeded national days of the current year with their source, and checks the range', async () => {
      const res = await http(app, 'GET', `/api/calendar/units/${app.org.deskB}`, { token: clerkB });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ from: '2026-01-01', to: '2026-12-31' });
      expect(res.body.unit).to.deep.equal({ id: app.org.deskB, code: '000.16.43.H35.01', name: 'Bộ phận một cửa xã Bản Bo' });
      expect(res.body.ancestors.map((u: { code: string }) => u.code)).to.deep.equal(['000.00.00.H35', '000.00.43.H35', '000.16.43.H35']);
      expect(res.body.officeHours.source).to.deep.equal({ level: 'default' });
      const days = res.body.days as Array<{ date: string; type: string; source: unknown; weekday: string; workingHours: unknown[] }>;
      expect(days.map((d) => d.date)).to.deep.equal(
        [...VIETNAM_HOLIDAYS, ...VIETNAM_SWAPPED_WORKING_DAYS]
          .map((d) => d.date)
          .filter((d) => d.startsWith('2026-'))
          .sort(),
      );
      expect(days.every((d) => (d.source as { level: string }).level === 'national')).to.equal(true);
      expect(days.find((d) => d.date === '2026-08-22')).to.deep.include({ type: 'working-day', weekday: 'thứ Bảy' });
      expect(days.find((d) => d.date === '2026-08-22')!.workingHours).to.have.length(2);

      const y2027 = await http(app, 'GET', `/api/calendar/units/${app.org.deskB}?from=2027-01-01&to=2027-01-31`, { token: clerkB });
      expect(y2027.body.days).to.have.length(1);
      expect(y2027.body.days[0]).to.deep.include({ date: '2027-01-01', provisional: true });

      const backwards = await http(app, 'GET', `/api/calendar/units/${app.org.deskB}?from=2026-12-01&to=2026-11-01`, { token: clerkB });
      expect(backwards.status).to.equal(400);
      expect(backwards.body.error.message).to.match(/phải từ ngày bắt đầu/);
      const long = await http(app, 'GET', `/api/calendar/units/${app.org.deskB}?from=2026-01-01&to=2027-02-05`, { token: clerkB });
      expect(long.status).to.equal(400);
      expect(long.body.error.message).to.match(/tối đa 400 ngày/);
      expect((await http(app, 'GET', `/api/calendar/units/${app.org.deskB}?from=2026-01-01&to=2027-02-04`, { token: clerkB })).status).to.equal(200);
      const badDate = await http(app, 'GET', `/api/calendar/units/${app.org.deskB}?from=2026-13-01`, { token: clerkB });
      expect(badDate.status).to.equal(400);
      expect(badDate.body.error.message).to.match(/Từ ngày: ngày bắt đầu "2026-13-01" không hợp lệ/);
      expect((await http(app, 'GET', '/api/calendar/units/not-a-uuid', { token: clerkB })).status).to.equal(400);
    });
  });

  describe('audit trail and seed', () => {
    it('records every calendar edit, allowed or refused, with its target, unit and date', async () => {
      const rows: Array<{ action: string; target: string | null; unit_id: string | null; outcome: string; status: number; details: Record<string, unknown> }> =
        await app.ctx.db.query(`select action, target, unit_id, outcome, status, details from audit_log where action like 'calendar.%' order by seq`);
      const hours = rows.find((r) => r.action === 'calendar.office-hours' && r.outcome === 'success' && r.details.hours);
      expect(hours).to.deep.include({ target: 'unit:000.15.43.H35', unit_id: app.org.communeA, status: 200 });
      expect((hours!.details.hours as Record<string, unknown>)['1']).to.deep.equal([
        { start: '07:30', end: '11:30' },
        { start: '13:30', end: '17:00' },
      ]);
      expect(rows.find((r) => r.action === 'calendar.office-hours' && r.details.reset === true)).to.deep.include({ target: 'unit:000.15.43.H35', outcome: 'success' });
      const refusedHours = rows.find((r) => r.action === 'calendar.office-hours' && r.status === 403);
      expect(refusedHours).to.deep.include({ outcome: 'refused' });
      expect(refusedHours!.details.code).to.equal('UNIT_OUT_OF_SCOPE');

      const national = rows.find((r) => r.action === 'calendar.holiday.add' && r.target === 'calendar:national' && r.outcome === 'success');
      expect(national).to.deep.include({ unit_id: app.org.province, status: 201 });
      expect(national!.details).to.deep.include({ date: '2026-11-24', name: 'Ngày Văn hóa Việt Nam', kind: 'holiday', unitId: null });
      const refusedNational = rows.find((r) => r.action === 'calendar.holiday.add' && r.details.code === 'NATIONAL_CALENDAR_FORBIDDEN');
      expect(refusedNational).to.deep.include({ outcome: 'refused', status: 403 });
      expect(rows.find((r) => r.action === 'calendar.holiday.add' && r.status === 409)).to.deep.include({ target: 'calendar:national' });
      expect(rows.find((r) => r.action === 'calendar.holiday.remove' && r.outcome === 'success')!.details).to.have.property('date');
      expect(rows.find((r) => r.action === 'calendar.working-day.add' && r.outcome === 'success')).to.deep.include({ target: 'unit:000.15.43.H35' });
      expect(rows.find((r) => r.action === 'calendar.working-day.remove' && r.outcome === 'success')!.details).to.deep.include({ date: '2026-11-28' });
    });

    it('seeds the national list 2025–2027 with provisional flags, and the migration can be reverted and re-applied', async () => {
      const count = async () => {
        const rows: Array<{ h: number; w: number; p: number }> = await app.ctx.db.query(
          `select (select count(*)::int from calendar_holidays where unit_id is null) as h,
                  (select count(*)::int from calendar_working_days where unit_id is null) as w,
                  (select count(*)::int from calendar_holidays where unit_id is null and provisional) as p`,
        );
        return rows[0];
      };
      expect(await count()).to.deep.equal({
        h: VIETNAM_HOLIDAYS.length,
        w: VIETNAM_SWAPPED_WORKING_DAYS.length,
        p: VIETNAM_HOLIDAYS.filter((h) => h.provisional).length,
      });
      const runner = app.ctx.db.createQueryRunner();
      try {
        await new NationalCalendar1763856000001().down(runner);
        expect(await count()).to.deep.equal({ h: 0, w: 0, p: 0 });
        await new NationalCalendar1763856000001().up(runner);
      } finally {
        await runner.release();
      }
      expect((await count()).h).to.equal(VIETNAM_HOLIDAYS.length);
      expect(await dueLocal(clerkB, app.org.deskB, '2026-02-13 16:00', { hours: '2' })).to.equal('09:00 thứ Hai 23/02/2026');
    });
  });
});
