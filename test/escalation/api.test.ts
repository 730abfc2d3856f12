/**
 * The escalation ladder and notification endpoints: a supervisor reads and sets his commune's
 * ladder (sub-units and cases received later follow it), invalid ladders are refused field by
 * field in Vietnamese, units outside the caller's scope and callers without the rights are
 * refused; an officer reads and marks only his own notifications.
 */
import { expect } from 'chai';
import { DEFAULT_LADDER } from '../../domain/escalation/ladder';
import { loadCaseLadder } from '../../api/escalation/ladderStore';
import { createTestOfficer, http, sessionFor, startTestApp, type TestApp } from '../support/identityApp';

describe('escalation ladder and notifications API', function () {
  this.timeout(120_000);
  let app: TestApp;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  before(async () => {
    app = await startTestApp({ otpRequired: false });
    const o = app.org;
    const officer = async (name: string, rights: Parameters<typeof createTestOfficer>[1]['rights'], unitIds: string[]) => {
      ids[name] = await createTestOfficer(app.ctx.db, { username: `${name}.ladder`, fullName: name, rights, unitIds });
      tokens[name] = await sessionFor(app, ids[name]);
    };
    await officer('supervisorA', ['CASE_SUPERVISE'], [o.communeA]);
    await officer('adminDistrict', ['USER_ADMIN'], [o.district]);
    await officer('clerk', ['CERT_CREATE'], [o.deskA]);
    await officer('leaderA', ['CERT_SIGN'], [o.communeA]);
    await officer('leaderB', ['CERT_SIGN'], [o.communeB]);
  });
  after(async () => app?.close());

  const url = (unitId: string) => `/api/units/${unitId}/escalation-ladder`;
  const rungs = [
    { id: 'nhac-60', trigger: { kind: 'budgetShare', percent: 60 }, scope: 'step', notify: 'stepOfficers', channels: ['inApp'] },
    { id: 'thu-truong', trigger: { kind: 'afterDue', workingMinutes: 120 }, scope: 'overall', notify: 'unitHead', channels: ['inApp', 'email'] },
  ];

  it('answers the default ladder until the unit has one, with its leaders as the head', async () => {
    const res = await http(app, 'GET', url(app.org.communeA), { token: tokens.supervisorA });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ own: false, source: null, rungs: DEFAULT_LADDER, headOfficer: null });
    expect(res.body.heads).to.deep.equal([{ id: ids.leaderA, fullName: 'leaderA' }]);
  });

  it('sets a ladder; sub-units and cases received later follow it; the change is audited', async () => {
    const res = await http(app, 'PUT', url(app.org.communeA), { token: tokens.supervisorA, body: { rungs, headOfficerId: ids.leaderA } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({ own: true, rungs, headOfficer: { id: ids.leaderA, fullName: 'leaderA' } });
    expect(res.body.source).to.deep.include({ unitId: app.org.communeA });
    const desk = await http(app, 'GET', url(app.org.deskA), { token: tokens.adminDistrict });
    expect(desk.body).to.deep.include({ own: false, rungs });
    expect(desk.body.source.unitId).to.equal(app.org.communeA);
    expect(await loadCaseLadder(app.ctx.db, app.org.communeA)).to.deep.equal({ rungs, fromUnitId: app.org.communeA });
    expect(await loadCaseLadder(app.ctx.db, app.org.communeB)).to.deep.equal({ rungs: DEFAULT_LADDER, fromUnitId: null });
    const audit: Array<{ action: string; target: string; outcome: string; details: { rungs: unknown[] } }> = await app.ctx.db.query(
      `select action, target, outcome, details from audit_log where action = 'escalation.ladder.update' order by at desc limit 1`,
    );
    expect(audit[0]).to.deep.include({ target: 'unit:000.15.43.H35', outcome: 'success' });
    expect(audit[0].details.rungs).to.deep.equal(rungs);
  });

  it('refuses an invalid ladder with 400 and the field paths, in Vietnamese', async () => {
    const bad = [rungs[0], { ...rungs[1], id: 'nhac-60', trigger: { kind: 'afterDue', workingMinutes: -5 } }, { ...rungs[0], id: 'x', trigger: { kind: 'budgetShare', percent: 100 }, channels: ['fax'] }];
    const res = await http(app, 'PUT', url(app.org.communeA), { token: tokens.supervisorA, body: { rungs: bad } });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('INVALID_INPUT');
    expect(res.body.error.details.fields.map((f: { field: string; problem: string }) => ({ field: f.field, problem: f.problem }))).to.deep.equal([
      { field: 'rungs.1.id', problem: 'Mã bậc "nhac-60" bị trùng' },
      { field: 'rungs.1.trigger.workingMinutes', problem: 'Số phút làm việc sau hạn phải là số nguyên từ 0 đến 4800 (10 ngày làm việc)' },
      { field: 'rungs.2.trigger.percent', problem: 'Phần trăm thời hạn phải là số nguyên từ 1 đến 99' },
      { field: 'rungs.2.channels', problem: 'Chọn ít nhất một kênh: "inApp" (thông báo trong phần mềm), "email" hoặc "sms"' },
    ]);
    expect(res.body.error.message).to.match(/^Dữ liệu không hợp lệ — Mã bậc — bậc 2: Mã bậc "nhac-60" bị trùng/);
    const noRungs = await http(app, 'PUT', url(app.org.communeA), { token: tokens.supervisorA, body: { headOfficerId: 'abc' } });
    expect(noRungs.status).to.equal(400);
    expect(noRungs.body.error.details.fields.map((f: { field: string }) => f.field)).to.deep.equal(['rungs', 'headOfficerId']);
    const outsider = await http(app, 'PUT', url(app.org.communeA), { token: tokens.supervisorA, body: { rungs, headOfficerId: ids.leaderB } });
    expect(outsider.status).to.equal(400);
    expect(outsider.body.error.details.fields.map((f: { field: string; label: string; problem: string }) => ({ field: f.field, label: f.label, problem: f.problem }))).to.deep.equal([{ field: 'headOfficerId', label: 'Thủ trưởng đơn vị', problem: 'thủ trưởng phải là cán bộ đang làm việc của UBND xã Nùng Năng' }]);
    const unchanged = await http(app, 'GET', url(app.org.communeA), { token: tokens.supervisorA });
    expect(unchanged.body.rungs).to.deep.equal(rungs);
  });

  it('refuses a unit outside the scope (403 UNIT_OUT_OF_SCOPE) and a caller without the rights (403 RIGHT_REQUIRED)', async () => {
    for (const method of ['GET', 'PUT'] as const) {
      const other = await http(app, method, url(app.org.communeB), { token: tokens.supervisorA, body: method === 'PUT' ? { rungs } : undefined });
      expect(other.status).to.equal(403);
      expect(other.body.error.code).to.equal('UNIT_OUT_OF_SCOPE');
      const clerk = await http(app, method, url(app.org.communeA), { token: tokens.clerk, body: method === 'PUT' ? { rungs } : undefined });
      expect(clerk.status).to.equal(403);
      expect(clerk.body.error.code).to.equal('RIGHT_REQUIRED');
    }
    expect((await http(app, 'GET', url(app.org.communeA))).status).to.equal(401);
  });

  it("lists an officer's own notifications newest first with the unread count, and marks them read", async () => {
    const insert = (officerId: string, n: number) =>
      app.ctx.db.query(
        `insert into officer_notifications (officer_id, case_code, kind, title, body, created_at, dedupe_key) values ($1, 'HS-1', 'escalation', $2, 'nội dung', $3, $4) returning id`,
        [officerId, `Thông báo ${n}`, new Date(Date.UTC(2026, 11, 7, 2, n)), `test:${officerId}:${n}`],
      ) as Promise<Array<{ id: string }>>;
    const [first] = await insert(ids.clerk, 1);
    await insert(ids.clerk, 2);
    const [others] = await insert(ids.leaderA, 3);
    const list = await http(app, 'GET', '/api/notifications', { token: tokens.clerk });
    expect(list.status).to.equal(200);
    expect(list.body.unread).to.equal(2);
    expect(list.body.items.map((i: { title: string }) => i.title)).to.deep.equal(['Thông báo 2', 'Thông báo 1']);
    expect(list.body.items[1]).to.deep.include({ id: first!.id, caseCode: 'HS-1', kind: 'escalation', readAt: null });

    const read = await http(app, 'POST', `/api/notifications/${first!.id}/read`, { token: tokens.clerk });
    expect(read.status).to.equal(200);
    expect(read.body.unread).to.equal(1);
    const notMine = await http(app, 'POST', `/api/notifications/${others!.id}/read`, { token: tokens.clerk });
    expect(notMine.status).to.equal(404);
    const unread = await http(app, 'GET', '/api/notifications?unread=true', { token: tokens.clerk });
    expect(unread.body.items.map((i: { title: string }) => i.title)).to.deep.equal(['Thông báo 2']);
    const all = await http(app, 'POST', '/api/notifications/read-all', { token: tokens.clerk });
    expect(all.body).to.deep.equal({ marked: 1, unread: 0 });
    const leader = await http(app, 'GET', '/api/notifications', { token: tokens.leaderA });
    expect(leader.body.unread).to.equal(1);
    const badLimit = await http(app, 'GET', '/api/notifications?limit=1000', { token: tokens.clerk });
    expect(badLimit.status).to.equal(400);
    expect(badLimit.body.error.details.fields.map((f: { field: string; label: string; problem: string }) => ({ field: f.field, label: f.label, problem: f.problem }))).to.deep.equal([{ field: 'limit', label: 'Số dòng', problem: 'số dòng tối đa là 200' }]);
  });
});
