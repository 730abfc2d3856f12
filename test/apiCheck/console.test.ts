/**
 * "Kiểm tra API": an INTEGRATION_CHECK officer checks a local API (a new one and a configured one
 * with a session) against a local HTTP server the allow-list admits, and the console's safety
 * rules hold — private addresses and names resolving to them refused, redirects to other hosts
 * not followed, oversized bodies cut, slow endpoints timed out, only GET and POST — with every
 * check audited without its body or credentials.
 */
import { randomBytes } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { expect } from 'chai';
import { apiCheckConfigFromEnv } from '../../infra/apiCheck/config';
import { isPrivateAddress } from '../../infra/apiCheck/addresses';
import { createTestOfficer, http, sessionFor, startTestApp, type TestApp } from '../support/identityApp';
import { SESSION_TOKEN, startLocalApi, type LocalApi } from './localApi';

const DST = '000.00.00.H35';

describe('API check console (Kiểm tra API)', () => {
  let app: TestApp;
  let local: LocalApi;
  let checker: string;
  let admin: string;
  let lookups: string[];
  const directory: Record<string, LookupAddress[]> = {
    'thue.laichau.test': [{ address: '127.0.0.1', family: 4 }],
    'noibo.laichau.test': [{ address: '10.0.0.7', family: 4 }],
    'doi.laichau.test': [
      { address: '93.184.216.34', family: 4 },
      { address: '192.168.1.20', family: 4 },
    ],
  };

  before(async () => {
    app = await startTestApp();
    local = await startLocalApi();
    lookups = [];
    app.ctx.apiCheck = {
      allowHosts: [local.host, `thue.laichau.test:${local.port}`],
      timeoutMs: 800,
      maxBytes: 64 * 1024,
      secretKey: randomBytes(32),
      lookup: async (host) => {
        lookups.push(host);
        // A name server that never answers.
        if (host === 'lent.laichau.test') return new Promise<LookupAddress[]>(() => undefined);
        const found = directory[host];
        if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
        return found;
      },
    };
    checker = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'dau.moi', fullName: 'Cán bộ đầu mối', unitIds: [app.org.province], rights: ['INTEGRATION_CHECK'] }));
    admin = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'quantri.tinh', unitIds: [app.org.province], rights: ['USER_ADMIN'] }));
  });
  after(async () => {
    await local?.close();
    await app?.close();
  });

  const send = (body: Record<string, unknown>, token = checker) => http(app, 'POST', '/api/api-check/send', { token, body });
  const newApi = (url: string, extra: Record<string, unknown> = {}) => send({ mode: 'new', url, dstCode: DST, apiType: 'land-obligation-lookup', body: '{"maHoSo":"HS-01"}', ...extra });

  it('offers the types with their templates and the province’s DST code', async () => {
    const res = await http(app, 'GET', '/api/api-check/options', { token: checker });
    expect(res.status).to.equal(200);
    expect(res.body.provinces).to.deep.include({ id: app.org.province, code: DST, name: 'UBND tỉnh Lai Châu', dstCode: DST });
    const lookup = res.body.types.find((t: { code: string }) => t.code === 'land-obligation-lookup');
    expect(JSON.parse(lookup.template)).to.deep.equal({ maHoSo: '', soCCCD: '', maDST: '' });
    expect(res.body.types.map((t: { vi: string }) => t.vi)).to.include.members(['Tra cứu nghĩa vụ tài chính', 'Gửi biên lai thanh toán', 'Lấy phiên (token)']);
    expect((await http(app, 'GET', '/api/api-check/options', { token: admin })).status).to.equal(403);
  });

  it('sends a new API check to the allow-listed local service and answers like an HTTP client, audited without the body', async () => {
    const res = await newApi(`${local.url}/nghia-vu-tai-chinh?token=bi-mat`);
    expect(res.status).to.equal(200);
    const r = res.body.response;
    expect(r.status).to.equal(200);
    expect(r.isJson).to.equal(true);
    expect(JSON.parse(r.body)).to.deep.include({ maLoi: '00', maHoSo: 'HS-01' });
    expect(r.headers).to.deep.include(['x-ma-giao-dich', 'GD-0001']);
    expect(r.timeMs).to.be.a('number');
    const audit: Array<{ outcome: string; details: Record<string, unknown> }> = await app.ctx.db.query(`select outcome, details from audit_log where action = 'apicheck.send' order by seq desc limit 1`);
    expect(audit[0].outcome).to.equal('success');
    expect(audit[0].details).to.include({ mode: 'new', url: `${local.url}/nghia-vu-tai-chinh?…`, status: 200, outcome: 'answered', method: 'POST' });
    expect(audit[0].details.timeMs).to.be.a('number');
    expect(JSON.stringify(audit[0].details)).to.not.include('HS-01').and.not.include('bi-mat');
  });

  it('refuses this machine and private ranges that are not allow-listed, before connecting', async () => {
    for (const url of ['http://10.1.2.3/api', 'http://127.0.0.1:9/x', 'http://[::1]:8080/', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:192.168.0.1]/']) {
      const res = await newApi(url);
      expect(res.status, url).to.equal(422);
      expect(res.body.error.code).to.equal('API_CHECK_ADDRESS_REFUSED');
      expect(res.body.error.message).to.include('API_CHECK_ALLOW_HOSTS');
    }
    const audit: Array<{ outcome: string; details: Record<string, unknown> }> = await app.ctx.db.query(`select outcome, details from audit_log where action = 'apicheck.send' order by seq desc limit 1`);
    expect(audit[0]).to.deep.include({ outcome: 'refused' });
    expect(audit[0].details).to.include({ code: 'API_CHECK_ADDRESS_REFUSED' });
    expect(isPrivateAddress('8.8.8.8')).to.equal(false);
  });

  it('resolves a name first and refuses it when any address is private; an allow-listed name is connected at the address resolved, once', async () => {
    const inside = await newApi('http://noibo.laichau.test/api');
    expect(inside.status).to.equal(422);
    expect(inside.body.error.message).to.include('10.0.0.7');
    const mixed = await newApi('http://doi.laichau.test/api');
    expect(mixed.status).to.equal(422);
    expect(mixed.body.error.message).to.include('192.168.1.20');
    // Real DNS: "localhost" names this machine; only 127.0.0.1:<port> is on the list, not the name.
    const byName = await send({ mode: 'new', url: `http://localhost:${local.port}/nghia-vu-tai-chinh`, dstCode: DST, apiType: 'land-obligation-lookup', body: '{}' });
    expect(byName.status).to.equal(422);

    lookups.length = 0;
    const before = local.seen.length;
    const res = await newApi(`http://thue.laichau.test:${local.port}/nghia-vu-tai-chinh`);
    expect(res.status).to.equal(200);
    expect(res.body.response.status).to.equal(200);
    expect(lookups).to.deep.equal(['thue.laichau.test']);
    expect(local.seen.length).to.equal(before + 1);
  });

  it('does not follow a redirect to another host, and follows one within the same origin', async () => {
    const before = local.seen.length;
    const away = await newApi(`${local.url}/chuyen-sang-may-khac`, { httpMethod: 'GET' });
    expect(away.status).to.equal(200);
    expect(away.body.response.status).to.equal(302);
    expect(away.body.response.notes.join(' ')).to.include('Không theo chuyển hướng 302 sang máy chủ khác (169.254.169.254)');
    expect(away.body.response.headers).to.deep.include(['location', 'http://169.254.169.254/latest/meta-data/']);
    expect(local.seen.length).to.equal(before + 1);
    const same = await newApi(`${local.url}/chuyen-cung-may`, { httpMethod: 'GET' });
    expect(same.body.response.status).to.equal(200);
    expect(same.body.response.notes[0]).to.include('Đã theo chuyển hướng 302');
  });

  it('cuts a response body over the size limit and says so', async () => {
    const res = await newApi(`${local.url}/qua-lon`, { httpMethod: 'GET' });
    expect(res.status).to.equal(200);
    const r = res.body.response;
    expect(r.status).to.equal(200);
    expect(r.truncated).to.equal(true);
    expect(r.bodyBytes).to.equal(64 * 1024);
    expect(r.body.length).to.equal(64 * 1024);
    expect(r.notes.join(' ')).to.include('vượt quá 64 KB (API_CHECK_MAX_BYTES)');
  });

  it('stops a slow endpoint at the deadline with a clear message', async () => {
    const started = Date.now();
    const res = await newApi(`${local.url}/cham`);
    expect(Date.now() - started).to.be.below(5000);
    expect(res.status).to.equal(200);
    expect(res.body.response.status).to.equal(undefined);
    expect(res.body.response.error.code).to.equal('TIMEOUT');
    expect(res.body.response.error.message).to.equal(
      'API không trả lời trong 0,8 giây nên yêu cầu đã dừng (giới hạn API_CHECK_TIMEOUT_MS). Kiểm tra máy chủ API của tỉnh đang chạy và không bị chặn.',
    );
    const audit: Array<{ details: Record<string, unknown> }> = await app.ctx.db.query(`select details from audit_log where action = 'apicheck.send' order by seq desc limit 1`);
    expect(audit[0].details).to.include({ outcome: 'failed', error: 'TIMEOUT' });
    const silentDns = await newApi('http://lent.laichau.test/api');
    expect(silentDns.body.response.error.code).to.equal('TIMEOUT');
  });

  it('allows GET and POST only, and refuses other schemes, credentials in the URL and a body that is not JSON', async () => {
    for (const httpMethod of ['DELETE', 'PUT', 'PATCH']) {
      const res = await newApi(`${local.url}/nghia-vu-tai-chinh`, { httpMethod });
      expect(res.status, httpMethod).to.equal(400);
      expect(res.body.error.message).to.include('Phương thức: chỉ kiểm tra bằng phương thức GET hoặc POST');
    }
    expect((await newApi('file:///etc/passwd')).body.error.code).to.equal('API_CHECK_URL_INVALID');
    expect((await newApi(`http://ai:matkhau@${local.host}/x`)).body.error.code).to.equal('API_CHECK_URL_INVALID');
    const notJson = await newApi(`${local.url}/nghia-vu-tai-chinh`, { body: '{maHoSo:' });
    expect(notJson.status).to.equal(400);
    expect(notJson.body.error.message).to.include('Body API');
  });

  it('lets the province administrator keep configured APIs with a sealed session password, and checks one through its session', async () => {
    const created = await http(app, 'POST', '/api/api-endpoints', {
      token: admin,
      body: { unitId: app.org.province, apiType: 'tax-notice', name: 'Thông báo thuế Lai Châu', sessionUrl: `${local.url}/session`, dataUrl: `${local.url}/du-lieu`, sessionUsername: 'laichau', sessionPassword: 'mat-khau-phien', bodyTemplate: '{"maHoSo":"HS-02"}' },
    });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ hasSessionPassword: true, status: 'active', apiTypeVi: 'API BNDP nhận thông báo thuế đất' });
    expect(JSON.stringify(created.body)).to.not.include('mat-khau-phien');
    const stored: Array<{ session_password: Buffer }> = await app.ctx.db.query(`select session_password from api_endpoints where id = $1`, [created.body.id]);
    expect(stored[0].session_password.toString('latin1')).to.not.include('mat-khau-phien');
    const audits: Array<{ details: unknown }> = await app.ctx.db.query(`select details from audit_log where action like 'apicheck.endpoint.%'`);
    expect(JSON.stringify(audits)).to.not.include('mat-khau-phien');

    const options = await http(app, 'GET', '/api/api-check/options', { token: checker });
    const offered = options.body.endpoints.find((e: { id: string }) => e.id === created.body.id);
    expect(offered).to.include({ sessionUrl: `${local.url}/session`, dataUrl: `${local.url}/du-lieu`, body: '{"maHoSo":"HS-02"}' });

    const res = await send({ mode: 'configured', endpointId: created.body.id, body: '{"maHoSo":"HS-02"}' });
    expect(res.status).to.equal(200);
    expect(res.body.session).to.include({ status: 200, ok: true });
    expect(res.body.response.status).to.equal(200);
    expect(JSON.stringify(res.body)).to.not.include(SESSION_TOKEN).and.not.include('mat-khau-phien');
    expect(local.seen.at(-1)).to.include({ path: '/du-lieu', authorization: `Bearer ${SESSION_TOKEN}` });

    // Edited without a password: the stored one stays; disabled: no longer offered nor checked.
    const edited = await http(app, 'PUT', `/api/api-endpoints/${created.body.id}`, { token: admin, body: { unitId: app.org.province, apiType: 'tax-notice', name: 'Thông báo thuế (sửa)', sessionUrl: `${local.url}/session`, dataUrl: `${local.url}/du-lieu`, sessionUsername: 'laichau' } });
    expect(edited.body).to.include({ name: 'Thông báo thuế (sửa)', hasSessionPassword: true });
    expect((await http(app, 'POST', `/api/api-endpoints/${created.body.id}/disable`, { token: admin, body: {} })).body.status).to.equal('disabled');
    expect((await send({ mode: 'configured', endpointId: created.body.id })).status).to.equal(404);
    const list = await http(app, 'GET', '/api/api-endpoints', { token: admin });
    expect(list.body.items.map((e: { status: string }) => e.status)).to.deep.equal(['disabled']);
  });

  it('starts its allow-list with the local tax service and this API’s own address', () => {
    const c = apiCheckConfigFromEnv({ LOCAL_TAX_PORT: '4010', LAND_TAX_URL: 'http://thue.local:8088/api', PUBLIC_BASE_URL: 'http://localhost:3000', API_CHECK_ALLOW_HOSTS: 'api.noibo.vn, 10.0.0.9:443' });
    expect(c.allowHosts).to.deep.equal(['thue.local:8088', '127.0.0.1:4010', 'localhost:4010', 'localhost:3000', '127.0.0.1:3000', 'api.noibo.vn', '10.0.0.9:443']);
    expect(c).to.include({ timeoutMs: 10_000, maxBytes: 1024 * 1024 });
  });
});
