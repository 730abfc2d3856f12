/**
 * The certification report's figures over HTTP, for cases with known outcomes in two communes
 * and two months: whole period and month by month, the edges of the period, the commune and desk
 * views, the scope and right checks, the validation of the query, and the audit entry.
 */
import { expect } from 'chai';
import { createTestOfficer, http, login, sessionFor, startTestApp, type TestApp } from '../support/identityApp';
import { EXPECTED, seedReportCases, type ReportWorld } from './reportCases';

const PERIOD = 'from=2026-10-01&to=2026-12-01';

describe('certification report: figures (GET /api/reports/certification)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let world: ReportWorld;
  let district: string;
  let commune: string;
  let desk: string;
  let noRight: string;

  before(async () => {
    app = await startTestApp();
    world = await seedReportCases(app.ctx.db, app.org);
    await createTestOfficer(app.ctx.db, { username: 'binh.dt', fullName: 'Đỗ Thanh Bình', rights: ['CERT_REPORT', 'CASE_SUPERVISE'], unitIds: [app.org.district], phone: '0912000701' });
    district = await login(app, 'binh.dt');
    commune = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'bao.cao.xa', rights: ['CERT_REPORT'], unitIds: [app.org.communeA] }));
    desk = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'bao.cao.motcua', rights: ['CERT_REPORT'], unitIds: [app.org.deskA] }));
    noRight = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'tiep.nhan', rights: ['CERT_CREATE'], unitIds: [app.org.district] }));
  });
  after(async () => {
    await app?.close();
  });

  const report = (token: string, query: string) => http(app, 'GET', `/api/reports/certification?${query}`, { token });

  it('gives one line per commune of the district and the total, counting each case by the date of its event', async () => {
    const res = await report(district, `unitId=${app.org.district}&${PERIOD}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.unit).to.deep.equal({ id: app.org.district, code: '000.00.43.H35', name: 'UBND huyện Tam Đường', level: 'district' });
    expect(res.body.parent.name).to.equal('UBND tỉnh Lai Châu');
    expect(res.body.period).to.deep.equal({ from: '2026-10-01', to: '2026-12-01', lastDay: '2026-11-30' });
    expect(res.body.groupBy).to.equal('none');
    expect(res.body.generatedBy.fullName).to.equal('Đỗ Thanh Bình');
    expect(res.body.rows.map((r: { unit: { name: string } }) => r.unit.name)).to.deep.equal(['UBND xã Nùng Năng', 'UBND xã Bản Bo']);
    expect(res.body.rows[0]).to.deep.equal({ month: null, unit: { id: app.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' }, figures: EXPECTED.communeA });
    expect(res.body.rows[1].figures).to.deep.equal(EXPECTED.communeB);
    expect(res.body.total).to.deep.equal(EXPECTED.total);
    expect(res.body.total.onTimeRate).to.be.closeTo(4 / 7, 1e-12);
  });

  it('cuts the period into months, with a line for all communes of each month; the total covers the whole period', async () => {
    const res = await report(district, `unitId=${app.org.district}&${PERIOD}&groupBy=month`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const lines = res.body.rows.map((r: { month: string; unit: { code: string } | null; figures: unknown }) => [r.month, r.unit?.code ?? null, r.figures]);
    expect(lines).to.deep.equal([
      ['2026-10', '000.15.43.H35', EXPECTED.october.communeA],
      ['2026-10', '000.16.43.H35', EXPECTED.october.communeB],
      ['2026-10', null, EXPECTED.october.all],
      ['2026-11', '000.15.43.H35', EXPECTED.november.communeA],
      ['2026-11', '000.16.43.H35', EXPECTED.november.communeB],
      ['2026-11', null, EXPECTED.november.all],
    ]);
    expect(res.body.total).to.deep.equal(EXPECTED.total);
  });

  it('clips the first and last months to the period', async () => {
    // 15 October – 14 November: A8 (received 12/10, completed 14/10) is before the start; A2 received in October, completed in November.
    const res = await report(district, `unitId=${app.org.communeA}&from=2026-10-15&to=2026-11-15&groupBy=month`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.rows.map((r: { month: string; figures: { received: number; completed: number; refused: number } }) => [r.month, r.figures.received, r.figures.completed, r.figures.refused])).to.deep.equal([
      ['2026-10', 1, 0, 0],
      ['2026-11', 1, 1, 1],
    ]);
  });

  it('shows a commune officer his commune, and a desk officer the commune of his desk', async () => {
    const own = await report(commune, `unitId=${app.org.communeA}&${PERIOD}`);
    expect(own.status, JSON.stringify(own.body)).to.equal(200);
    expect(own.body.rows).to.have.length(1);
    expect(own.body.rows[0].figures).to.deep.equal(EXPECTED.communeA);
    expect(own.body.total).to.deep.equal(EXPECTED.communeA);

    const fromDesk = await report(desk, `unitId=${app.org.deskA}&${PERIOD}`);
    expect(fromDesk.status, JSON.stringify(fromDesk.body)).to.equal(200);
    expect(fromDesk.body.unit.code).to.equal('000.15.43.H35');
    expect(fromDesk.body.total).to.deep.equal(EXPECTED.communeA);
  });

  it('refuses units outside the caller’s scope and callers without CERT_REPORT', async () => {
    for (const [token, unitId] of [
      [commune, app.org.district],
      [commune, app.org.communeB],
      [district, world.otherCommune],
      [district, '00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const res = await report(token, `unitId=${unitId}&${PERIOD}`);
      expect(res.status, unitId).to.equal(403);
      expect(res.body.error.code).to.equal('UNIT_OUT_OF_SCOPE');
      expect(res.body.error.message).to.equal('Đơn vị này không thuộc phạm vi của bạn.');
    }
    const res = await report(noRight, `unitId=${app.org.district}&${PERIOD}`);
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('RIGHT_REQUIRED');
    expect((await report('', `unitId=${app.org.district}&${PERIOD}`)).status).to.equal(401);
  });

  it('tells in Vietnamese what is wrong with the query, field by field', async () => {
    const problems = async (query: string) => {
      const res = await report(district, query);
      expect(res.status, query).to.equal(400);
      expect(res.body.error.code).to.equal('INVALID_INPUT');
      return Object.fromEntries((res.body.error.details.fields as Array<{ field: string; problem: string }>).map((f) => [f.field, f.problem]));
    };
    expect(await problems(`from=2026-10-01&to=2026-12-01`)).to.deep.equal({ unitId: 'thiếu đơn vị' });
    expect(await problems(`unitId=${app.org.district}&from=2026-13-01&to=2026-12-01`)).to.deep.equal({
      from: 'ngày bắt đầu không phải một ngày hợp lệ dạng YYYY-MM-DD (ví dụ 2026-11-01)',
    });
    expect(await problems(`unitId=${app.org.district}&from=2026-02-30&to=01/12/2026`)).to.have.keys('from', 'to');
    expect(await problems(`unitId=${app.org.district}&from=2026-10-01`)).to.deep.equal({ to: 'thiếu ngày kết thúc' });
    expect(await problems(`unitId=${app.org.district}&from=2026-12-01&to=2026-10-01`)).to.deep.equal({
      to: 'ngày kết thúc phải sau ngày bắt đầu: kỳ báo cáo tính từ ngày 01/12/2026 đến trước ngày 01/10/2026, không còn ngày nào',
    });
    expect(await problems(`unitId=${app.org.district}&from=2026-10-01&to=2026-10-01`)).to.have.keys('to');
    expect(await problems(`unitId=${app.org.district}&from=2024-01-01&to=2027-01-02`)).to.deep.equal({
      to: 'kỳ báo cáo dài tối đa 3 năm: bắt đầu từ ngày 01/01/2024 thì ngày kết thúc muộn nhất là 01/01/2027',
    });
    expect(await problems(`unitId=${app.org.district}&${PERIOD}&format=doc`)).to.deep.equal({ format: 'định dạng phải là json, csv, xlsx hoặc pdf' });
    expect(await problems(`unitId=${app.org.district}&${PERIOD}&groupBy=week`)).to.have.keys('groupBy');

    // Exactly three years is allowed (29 February counts up to 28 February three years on).
    expect((await report(district, `unitId=${app.org.district}&from=2024-01-01&to=2027-01-01`)).status).to.equal(200);
    expect((await report(district, `unitId=${app.org.district}&from=2024-02-29&to=2027-02-28`)).status).to.equal(200);
    expect((await report(district, `unitId=${app.org.district}&from=2024-02-29&to=2027-03-01`)).status).to.equal(400);
  });

  it('refuses a unit with no commune below it', async () => {
    const rows: Array<{ id: string }> = await app.ctx.db.query(
      `insert into units (code, name, level, parent_id, path) values ('000.00.43.H35.99', 'Trung tâm Phục vụ hành chính công huyện Tam Đường', 'office', $1, '') returning id`,
      [app.org.district],
    );
    await app.ctx.db.query(`update units set path = (select path from units where id = $2) || id || '/' where id = $1`, [rows[0].id, app.org.district]);
    const res = await report(district, `unitId=${rows[0].id}&${PERIOD}`);
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('REPORT_NO_COMMUNE');
    expect(res.body.error.message).to.contain('không có xã, phường nào trực thuộc');
  });

  it('records each report in the audit trail with its format, period and unit', async () => {
    await report(district, `unitId=${app.org.district}&${PERIOD}&format=csv`);
    const entries: Array<{ action: string; target: string; outcome: string; actor_name: string; details: Record<string, unknown> }> = await app.ctx.db.query(
      `select action, target, outcome, actor_name, details from audit_log where action = 'report.certification' order by seq desc limit 1`,
    );
    expect(entries[0]).to.deep.include({ action: 'report.certification', target: 'unit:000.00.43.H35', outcome: 'success', actor_name: 'Đỗ Thanh Bình' });
    expect(entries[0].details).to.deep.equal({ format: 'csv', from: '2026-10-01', to: '2026-12-01', groupBy: 'none' });
    const refused: Array<{ n: string }> = await app.ctx.db.query(`select count(*) as n from audit_log where action = 'report.certification' and outcome = 'refused'`);
    expect(Number(refused[0].n)).to.be.greaterThan(0);
  });
});
