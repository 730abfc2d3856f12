/**
 * Error alerts through the API and the dispatcher: registration confirmed by code, routing to the
 * failing unit's province, one alert per failure key per hour, the per-address limit and its
 * summary, pause/remove, and a delivery that waits while the SMS gateway is down.
 */
import { expect } from 'chai';
import { http, type TestApp, startTestApp, createTestOfficer, sessionFor } from '../support/identityApp';
import { alertRig, confirmedSubscription, provinceAdmin, smsCode, type AlertRig } from './alertWorld';

describe('error alerts: subscriptions, dedup, throttle, delivery', function () {
  this.timeout(60_000);
  let app: TestApp;
  let rig: AlertRig;
  let admin: { id: string; token: string };

  beforeEach(async () => {
    app = await startTestApp({ otpRequired: false });
    rig = await alertRig(app, 3);
    admin = await provinceAdmin(app);
  });
  afterEach(async () => {
    await rig?.close();
    await app?.close();
  });

  const deliveries = (kind?: string) =>
    app.ctx.db.query(
      `select d.channel, d.address, d.status, d.purpose, d.attempts, d.last_error from alert_deliveries d left join alerts a on a.id = d.alert_id
        where d.purpose <> 'confirm' and ($1::text is null or a.kind = $1 or d.purpose = 'summary') order by d.created_at, d.channel`,
      [kind ?? null],
    ) as Promise<Array<{ channel: string; address: string; status: string; purpose: string; attempts: number; last_error: string | null }>>;

  it('registers a province subscription, validates it, and sends nothing to an address until its code is confirmed', async () => {
    const bad = await http(app, 'POST', '/api/alert-subscriptions', { token: admin.token, body: { unitId: app.org.province, serviceType: 'citizen-mail', phones: ['12345'], emails: ['khong-hop-le'] } });
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body.error.details)).to.include('phones').and.include('emails');
    const district = await http(app, 'POST', '/api/alert-subscriptions', { token: admin.token, body: { unitId: app.org.district, serviceType: 'citizen-mail', phones: ['0912345678'], emails: ['a@tinh.gov.vn'] } });
    expect(district.status, 'only a province-level unit registers').to.equal(400);
    const districtAdmin = await createTestOfficer(app.ctx.db, { username: 'qt.huyen', unitIds: [app.org.district], rights: ['USER_ADMIN'] });
    const outside = await http(app, 'POST', '/api/alert-subscriptions', { token: await sessionFor(app, districtAdmin), body: { unitId: app.org.province, serviceType: 'citizen-mail', phones: ['0912345678'], emails: ['a@tinh.gov.vn'] } });
    expect(outside.status, "a district administrator cannot register for the province above him").to.equal(403);

    const created = await http(app, 'POST', '/api/alert-subscriptions', { token: admin.token, body: { unitId: app.org.province, serviceType: 'citizen-mail', phones: ['0912345678', '+84987654321'], emails: ['Canh.Bao@tinh.gov.vn'] } });
    expect(created.status).to.equal(201);
    expect(created.body.addresses.map((a: { address: string; confirmed: boolean }) => `${a.address} ${a.confirmed}`)).to.have.members(['0912345678 false', '0987654321 false', 'canh.bao@tinh.gov.vn false']);
    await rig.dispatcher.runOnce();
    const phone = created.body.addresses.find((a: { address: string }) => a.address === '0912345678');

    // Unconfirmed: an alert for a commune of the province reaches nobody.
    const first = await rig.raise({ kind: 'citizen-mail', failureKey: 'citizen-mail:HS-1', unitId: app.org.communeA, title: 'Thư HS-1 không gửi được', detail: 'ECONNREFUSED' });
    expect(first).to.include({ deduplicated: false, queued: 0 });

    const wrong = await http(app, 'POST', `/api/alert-subscriptions/${created.body.id}/addresses/${phone.id}/confirm`, { token: admin.token, body: { code: '000000' === (await smsCode(app.ctx.db, '0912345678')) ? '111111' : '000000' } });
    expect(wrong.status).to.equal(400);
    const ok = await http(app, 'POST', `/api/alert-subscriptions/${created.body.id}/addresses/${phone.id}/confirm`, { token: admin.token, body: { code: await smsCode(app.ctx.db, '0912345678') } });
    expect(ok.status).to.equal(200);
    const second = await rig.raise({ kind: 'citizen-mail', failureKey: 'citizen-mail:HS-2', unitId: app.org.communeA, title: 'Thư HS-2 không gửi được', detail: 'ECONNREFUSED' });
    expect(second, 'only the confirmed phone').to.include({ queued: 1 });
    const audited: Array<{ action: string }> = await app.ctx.db.query(`select action from audit_log where action like 'alerts.%' and outcome = 'success' order by seq`);
    expect(audited.map((a) => a.action)).to.deep.equal(['alerts.subscription.create', 'alerts.address.confirm']);
  });

  it('alerts a failure once per hour per failure key, only to the province above the unit and for the subscribed service type', async () => {
    await confirmedSubscription(app, rig, admin.token, { unitId: app.org.province, serviceType: 'citizen-mail', phones: ['0912345678'], emails: ['tinh@tinh.gov.vn'] });
    await confirmedSubscription(app, rig, admin.token, { unitId: app.org.province, serviceType: 'sms-gateway', phones: ['0911111111'], emails: ['sms@tinh.gov.vn'] });
    // Another province's subscription must not hear of this province's communes.
    const other = await app.ctx.db.query(`insert into units (code, name, level, path) values ('000.00.00.H99', 'UBND tỉnh Khác', 'province', '') returning id`);
    await app.ctx.db.query(`update units set path = '/' || id || '/' where id = $1`, [other[0].id]);
    await app.ctx.db.query(`insert into officer_units (officer_id, unit_id, assigned_at) values ($1, $2, now())`, [admin.id, other[0].id]);
    await confirmedSubscription(app, rig, await sessionFor(app, admin.id), { unitId: other[0].id, serviceType: 'citizen-mail', phones: ['0922222222'], emails: ['khac@tinh.gov.vn'] });

    const input = { kind: 'citizen-mail' as const, failureKey: 'citizen-mail:HS-7', unitId: app.org.communeA, title: 'Thư HS-7 không gửi được', detail: 'ECONNREFUSED', link: '/#/cases/HS-7' };
    expect(await rig.raise(input)).to.include({ deduplicated: false, queued: 2, held: 0 });
    app.clock.advance(30 * 60_000);
    expect(await rig.raise(input)).to.include({ deduplicated: true, queued: 0 });
    await rig.dispatcher.runOnce();
    const sent = await deliveries();
    expect(sent.map((d) => `${d.channel} ${d.address} ${d.status}`)).to.deep.equal(['email tinh@tinh.gov.vn sent', 'sms 0912345678 sent']);
    const sms: Array<{ body: string }> = await app.ctx.db.query(`select body from sms_outbox where to_phone = '0912345678' and purpose = 'alert'`);
    expect(sms[0].body).to.include('Thư HS-7 không gửi được').and.include('UBND xã Nùng Năng').and.include('http://motcua.test/#/cases/HS-7').and.match(/Từ: \d\d\/\d\d\/\d{4} \d\d:\d\d/);
    const repeats: Array<{ repeats: number }> = await app.ctx.db.query(`select repeats from alerts where failure_key = 'citizen-mail:HS-7'`);
    expect(repeats).to.deep.equal([{ repeats: 1 }]);

    app.clock.advance(31 * 60_000);
    expect(await rig.raise(input), 'an hour later it is alerted again').to.include({ deduplicated: false, queued: 2 });
  });

  it('beyond the hourly limit holds the alerts and sends one summary at the end of the hour', async () => {
    await confirmedSubscription(app, rig, admin.token, { unitId: app.org.province, serviceType: 'workflow-activity', phones: ['0912345678'], emails: ['tinh@tinh.gov.vn'] });
    for (let i = 1; i <= 7; i++) {
      const r = await rig.raise({ kind: 'workflow-activity', failureKey: `workflow-activity:a${i}`, unitId: app.org.communeB, title: `Hoạt động a${i} thất bại 5 lần`, detail: 'x' });
      expect(r.held, `alert ${i}`).to.equal(i <= 3 ? 0 : 2);
    }
    await rig.dispatcher.runOnce();
    let rows = await deliveries();
    expect(rows.filter((d) => d.status === 'sent').length).to.equal(6);
    expect(rows.filter((d) => d.status === 'held').length).to.equal(8);
    expect(rows.filter((d) => d.purpose === 'summary').map((d) => d.status)).to.deep.equal(['pending', 'pending']);

    app.clock.advance(60 * 60_000);
    await rig.dispatcher.runOnce();
    rows = await deliveries();
    expect(rows.filter((d) => d.purpose === 'summary').map((d) => d.status)).to.deep.equal(['sent', 'sent']);
    const summary: Array<{ body: string }> = await app.ctx.db.query(`select body from sms_outbox where to_phone = '0912345678' and purpose = 'alert' order by seq desc limit 1`);
    expect(summary[0].body).to.include('Tổng hợp: 4 cảnh báo khác').and.include('Hoạt động a4 thất bại 5 lần');
  });

  it('keeps an alert pending while the SMS gateway is down, alerts the gateway failure by e-mail, and sends the SMS once when it is back', async () => {
    await confirmedSubscription(app, rig, admin.token, { unitId: app.org.province, serviceType: 'land-obligation', phones: ['0912345678'], emails: ['dat@tinh.gov.vn'] });
    await confirmedSubscription(app, rig, admin.token, { unitId: app.org.province, serviceType: 'sms-gateway', phones: ['0933333333'], emails: ['sms@tinh.gov.vn'] });
    rig.sms.down = true;
    await rig.raise({ kind: 'land-obligation', failureKey: 'land-obligation:HS-9', unitId: app.org.communeA, title: 'Không gửi được biên lai HS-9 sang hệ thống thuế', detail: 'HTTP 502' });
    await rig.dispatcher.runOnce();
    let land = await deliveries('land-obligation');
    expect(land.map((d) => `${d.channel} ${d.status} ${d.attempts}`)).to.deep.equal(['email sent 1', 'sms pending 1']);
    expect(land[1].last_error).to.include('HTTP 503');
    const gateway = await deliveries('sms-gateway');
    expect(gateway.map((d) => `${d.channel} ${d.address} ${d.status}`)).to.deep.equal(['email sms@tinh.gov.vn sent', 'sms 0933333333 pending']);

    rig.sms.down = false;
    app.clock.advance(60_000);
    await rig.dispatcher.runOnce();
    await rig.dispatcher.runOnce();
    land = await deliveries('land-obligation');
    expect(land.map((d) => `${d.channel} ${d.status} ${d.attempts}`)).to.deep.equal(['email sent 1', 'sms sent 2']);
    const sms: Array<{ n: number }> = await app.ctx.db.query(`select count(*)::int as n from sms_outbox where to_phone = '0912345678' and purpose = 'alert'`);
    expect(sms[0].n).to.equal(1);
  });

  it('pauses, resumes and removes a subscription; lists alerts with their deliveries', async () => {
    const id = await confirmedSubscription(app, rig, admin.token, { unitId: app.org.province, serviceType: 'platform', phones: ['0912345678'], emails: ['tinh@tinh.gov.vn'] });
    expect((await http(app, 'POST', `/api/alert-subscriptions/${id}/pause`, { token: admin.token })).status).to.equal(200);
    expect(await rig.raise({ kind: 'platform', failureKey: 'platform:temporal', title: 'Temporal không truy cập được', detail: '5 phút' })).to.include({ queued: 0 });
    expect((await http(app, 'POST', `/api/alert-subscriptions/${id}/resume`, { token: admin.token })).status).to.equal(200);
    expect(await rig.raise({ kind: 'platform', failureKey: 'platform:database', title: 'CSDL không truy cập được', detail: '5 phút' })).to.include({ queued: 2 });
    await rig.dispatcher.runOnce();
    const list = await http(app, 'GET', '/api/alerts', { token: admin.token });
    // Both were raised at the same instant of the test clock: which is listed first is not the point.
    expect(list.body.items.map((a: { title: string; deliveries: unknown[] }) => `${a.title}: ${a.deliveries.length}`).sort()).to.deep.equal(['CSDL không truy cập được: 2', 'Temporal không truy cập được: 0']);
    expect((await http(app, 'DELETE', `/api/alert-subscriptions/${id}`, { token: admin.token })).status).to.equal(200);
    const subs = await http(app, 'GET', '/api/alert-subscriptions', { token: admin.token });
    expect(subs.body.items).to.deep.equal([]);
    expect(subs.body.units.map((u: { id: string }) => u.id)).to.deep.equal([app.org.province]);
  });
});
