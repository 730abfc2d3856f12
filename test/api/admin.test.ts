import { expect } from 'chai';
import { Workbook } from 'exceljs';
import { activeDelegationsFor } from '../../api/admin/delegations';
import { verifyPassword } from '../../infra/passwords';
import { createPublicLinks } from '../../infra/publicLinks';
import { createTestOfficer, http, sessionFor, startTestApp, type TestApp } from '../support/identityApp';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface AuditRow {
  action: string;
  target: string | null;
  unit_id: string | null;
  outcome: string;
  status: number;
  details: Record<string, unknown>;
}

describe('user administration API', function () {
  this.timeout(120_000);
  let app: TestApp;
  let adminAId: string;
  let adminA: string; // USER_ADMIN of commune A
  let adminB: string; // USER_ADMIN of commune B
  let adminDistrict: string; // USER_ADMIN of the district (both communes)
  const officers: Record<string, string> = {};

  before(async () => {
    app = await startTestApp({ otpRequired: false });
    const db = app.ctx.db;
    const o = app.org;
    adminAId = await createTestOfficer(db, { username: 'admin.a', fullName: 'Quản trị xã Nùng Năng', rights: ['USER_ADMIN'], unitIds: [o.communeA] });
    adminA = await sessionFor(app, adminAId);
    adminB = await sessionFor(app, await createTestOfficer(db, { username: 'admin.b', fullName: 'Quản trị xã Bản Bo', rights: ['USER_ADMIN'], unitIds: [o.communeB] }));
    adminDistrict = await sessionFor(
      app,
      await createTestOfficer(db, { username: 'admin.huyen', fullName: 'Quản trị huyện', rights: ['USER_ADMIN'], unitIds: [o.district] }),
    );
    const people: Array<[string, string, string | null, string[], 'active' | 'inactive']> = [
      ['an', 'Nguyễn Văn An', '0912345601', [o.communeA], 'active'],
      ['binh', 'Nguyễn Thị Bình', '0912345602', [o.communeA], 'active'],
      ['cuong', 'Trần Văn Cường', '0912345603', [o.deskA], 'active'],
      ['dung', 'Lê Đức Dũng', '0912345604', [o.communeB], 'active'],
      ['hoa', 'Phạm Thị Hoa', null, [o.communeA], 'inactive'],
    ];
    for (const [username, fullName, phone, unitIds, status] of people) {
      officers[username] = await createTestOfficer(db, { username, fullName, phone, unitIds, status, citizenId: `00109001${String(Object.keys(officers).length).padStart(4, '0')}` });
    }
  });
  after(async () => {
    await app?.close();
  });

  async function search(token: string, query: Record<string, string>) {
    return http(app, 'GET', `/api/admin/users?${new URLSearchParams(query).toString()}`, { token });
  }

  const names = (items: Array<{ fullName: string }>) => items.map((i) => i.fullName);

  async function auditFor(target: string): Promise<AuditRow[]> {
    return app.ctx.db.query('select action, target, unit_id, outcome, status, details from audit_log where target = $1 order by seq', [target]);
  }

  async function download(path: string, token: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
    const res = await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  describe('search', () => {
    it('finds by name without regard to case or diacritics, by phone in any notation, by ID number, by unit subtree and status', async () => {
      expect(names((await search(adminA, { name: 'nguyen' })).body.items)).to.deep.equal(['Nguyễn Thị Bình', 'Nguyễn Văn An']);
      expect(names((await search(adminA, { name: 'NGUYỄN  văn' })).body.items)).to.deep.equal(['Nguyễn Văn An']);
      expect(names((await search(adminA, { name: 'Nguye\u0302\u0303n' })).body.items)).to.have.members(['Nguyễn Văn An', 'Nguyễn Thị Bình']);
      expect(names((await search(adminA, { phone: '+84 912 345 602' })).body.items)).to.deep.equal(['Nguyễn Thị Bình']);
      expect(names((await search(adminA, { phone: '345601' })).body.items)).to.deep.equal(['Nguyễn Văn An']);
      expect(names((await search(adminA, { citizenId: '001 090 010 001' })).body.items)).to.deep.equal(['Nguyễn Thị Bình']);
      expect(names((await search(adminA, { unitId: app.org.deskA })).body.items)).to.deep.equal(['Trần Văn Cường']);
      const commune = await search(adminA, { unitId: app.org.communeA });
      expect(names(commune.body.items)).to.include.members(['Nguyễn Văn An', 'Trần Văn Cường', 'Quản trị xã Nùng Năng']).and.not.include('Phạm Thị Hoa');
      expect(names((await search(adminA, { status: 'inactive' })).body.items)).to.deep.equal(['Phạm Thị Hoa']);
      expect(names((await search(adminA, { status: 'all', name: 'thi' })).body.items)).to.deep.equal(['Nguyễn Thị Bình', 'Phạm Thị Hoa']);
    });

    it('finds names stored in NFD by older imports as well', async () => {
      const nfd = 'Đặng Thị Én'.normalize('NFD');
      await createTestOfficer(app.ctx.db, { username: 'en.nfd', fullName: nfd, unitIds: [app.org.deskB] });
      expect(names((await search(adminB, { name: 'dang thi en' })).body.items)).to.deep.equal([nfd]);
      expect(names((await search(adminB, { name: 'ĐẶNG' })).body.items)).to.deep.equal([nfd]);
      expect((await search(adminA, { name: 'dang thi en' })).body.total).to.equal(0);
    });

    it('answers each officer with units and rights, in pages ordered by name', async () => {
      const first = await search(adminA, { pageSize: '2', page: '1' });
      const second = await search(adminA, { pageSize: '2', page: '2' });
      const third = await search(adminA, { pageSize: '2', page: '3' });
      // Active officers of commune A and below: An, Bình, Cường and the admin himself.
      expect(first.body).to.include({ total: 4, page: 1, pageSize: 2 });
      expect(names(first.body.items)).to.deep.equal(['Nguyễn Thị Bình', 'Nguyễn Văn An']);
      expect(names(second.body.items)).to.deep.equal(['Quản trị xã Nùng Năng', 'Trần Văn Cường']);
      expect(third.body.items).to.deep.equal([]);
      const an = first.body.items[1];
      expect(an).to.deep.equal({
        id: officers.an,
        username: 'an',
        fullName: 'Nguyễn Văn An',
        citizenId: '001090010000',
        phone: '0912345601',
        email: null,
        jobTitle: null,
        status: 'active',
        units: [{ id: app.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' }],
        rights: [],
      });
      expect(second.body.items[0].rights).to.deep.equal(['USER_ADMIN']);
    });

    it('refuses bad filters with Vietnamese messages', async () => {
      const bad = await search(adminA, { pageSize: '500', status: 'maybe', unitId: 'abc' });
      expect(bad.status).to.equal(400);
      const fields = (bad.body.error.details.fields as Array<{ field: string; problem: string }>).map((f) => f.field);
      expect(fields).to.have.members(['pageSize', 'status', 'unitId']);
      expect(bad.body.error.message).to.match(/Số dòng mỗi trang: cỡ trang tối đa là 100/);
    });

    it('offers the inactive officers when no active one matches', async () => {
      const res = await search(adminA, { name: 'pham thi hoa' });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ total: 0, page: 1, pageSize: 20 });
      expect(res.body.items).to.deep.equal([]);
      expect(res.body.notice.message).to.equal(
        'Không tìm thấy người dùng đang hoạt động phù hợp. Có 1 người dùng đã ngừng hoạt động phù hợp với điều kiện tìm kiếm.',
      );
      expect(res.body.notice.messageEn).to.be.a('string');
      expect(names(res.body.inactiveMatches)).to.deep.equal(['Phạm Thị Hoa']);
      const nobody = await search(adminA, { name: 'không có ai' });
      expect(nobody.body).to.not.have.property('notice');
      const explicit = await search(adminA, { name: 'pham thi hoa', status: 'inactive' });
      expect(explicit.body).to.not.have.property('notice');
      expect(explicit.body.total).to.equal(1);
    });
  });

  describe('scope', () => {
    it('hides officers of other communes from a commune admin, and shows them to the district admin', async () => {
      expect((await search(adminA, { name: 'dung' })).body.total).to.equal(0);
      expect((await search(adminB, { name: 'dung' })).body.total).to.equal(1);
      expect(names((await search(adminDistrict, { name: 'dung' })).body.items)).to.deep.equal(['Lê Đức Dũng']);
      const outside = await search(adminA, { unitId: app.org.communeB });
      expect(outside.status).to.equal(403);
      expect(outside.body.error.code).to.equal('UNIT_OUT_OF_SCOPE');
      expect((await http(app, 'GET', `/api/admin/users/${officers.dung}`, { token: adminA })).status).to.equal(404);
      expect((await http(app, 'GET', `/api/admin/users/${officers.dung}`, { token: adminDistrict })).body.fullName).to.equal('Lê Đức Dũng');
    });

    it('refuses a commune admin changes to officers and units of another commune', async () => {
      const patch = await http(app, 'PATCH', `/api/admin/users/${officers.dung}`, { token: adminA, body: { fullName: 'Tên khác' } });
      expect(patch.status).to.equal(404);
      expect((await http(app, 'POST', `/api/admin/users/${officers.dung}/rights`, { token: adminA, body: { right: 'CERT_CREATE' } })).status).to.equal(404);
      const assign = await http(app, 'POST', `/api/admin/users/${officers.an}/units`, { token: adminA, body: { unitId: app.org.communeB } });
      expect(assign.status).to.equal(403);
      expect(assign.body.error.code).to.equal('UNIT_OUT_OF_SCOPE');
      const stored: Array<{ full_name: string }> = await app.ctx.db.query('select full_name from officers where id = $1', [officers.dung]);
      expect(stored[0].full_name).to.equal('Lê Đức Dũng');
      const refused = await auditFor(`officer:${officers.an}`);
      expect(refused.at(-1)).to.include({ action: 'admin.users.unit.assign', outcome: 'refused', status: 403 });
      expect(refused.at(-1)!.details).to.include({ unitId: app.org.communeB, code: 'UNIT_OUT_OF_SCOPE' });
    });

    it('lets the district admin assign an officer to a unit of either commune, once', async () => {
      const first = await http(app, 'POST', `/api/admin/users/${officers.an}/units`, { token: adminDistrict, body: { unitId: app.org.communeB } });
      expect(first.status).to.equal(201);
      expect(first.body.changed).to.equal(true);
      expect(first.body.user.units.map((u: { id: string }) => u.id)).to.have.members([app.org.communeA, app.org.communeB]);
      const again = await http(app, 'POST', `/api/admin/users/${officers.an}/units`, { token: adminDistrict, body: { unitId: app.org.communeB } });
      expect(again.status).to.equal(200);
      expect(again.body.changed).to.equal(false);
      // Now assigned to commune B too, An is visible to the admin of B.
      expect((await search(adminB, { name: 'an' })).body.items.map((i: { id: string }) => i.id)).to.include(officers.an);
      const removed = await http(app, 'DELETE', `/api/admin/users/${officers.an}/units/${app.org.communeB}`, { token: adminB });
      expect(removed.status).to.equal(200);
      expect(removed.body.changed).to.equal(true);
      const audit = await auditFor(`officer:${officers.an}`);
      expect(audit.map((a) => `${a.action} ${a.status}`)).to.include.members(['admin.users.unit.assign 201', 'admin.users.unit.assign 200', 'admin.users.unit.remove 200']);
      expect(audit.find((a) => a.status === 201)).to.include({ unit_id: app.org.communeB });
    });
  });

  describe('creating users', () => {
    const valid = () => ({
      username: 'Tuan.Ng',
      fullName: '  Nguyễn   Minh Tuấn ',
      citizenId: '001 203 012 345',
      phone: '+84 912 000 111',
      email: 'Tuan@NungNang.gov.vn',
      password: 'matkhau2026',
      unitIds: [app.org.communeA],
      rights: ['CERT_CREATE', 'CERT_REPORT'],
    });

    it('refuses invalid input field by field, in Vietnamese', async () => {
      const empty = await http(app, 'POST', '/api/admin/users', { token: adminA, body: {} });
      expect(empty.status).to.equal(400);
      const fields = (empty.body.error.details.fields as Array<{ field: string; problem: string }>).map((f) => f.field);
      expect(fields).to.include.members(['username', 'fullName', 'citizenId', 'password', 'unitIds']);
      expect(empty.body.error.message).to.match(/thiếu số CCCD/);
      const bad = await http(app, 'POST', '/api/admin/users', {
        token: adminA,
        body: { ...valid(), citizenId: '12345', phone: '024 3825 1234', password: 'ngan', unitIds: [], rights: ['KING'] },
      });
      expect(bad.status).to.equal(400);
      const problems = Object.fromEntries((bad.body.error.details.fields as Array<{ field: string; problem: string }>).map((f) => [f.field, f.problem]));
      expect(problems.citizenId).to.match(/Số CCCD phải có 12 chữ số/);
      expect(problems.phone).to.match(/số điện thoại cố định/);
      expect(problems.password).to.match(/Mật khẩu phải có ít nhất 8 ký tự/);
      expect(problems.unitIds).to.match(/ít nhất một đơn vị/);
      expect(problems['rights.0']).to.match(/mã quyền không tồn tại/);
      const cmnd = await http(app, 'POST', '/api/admin/users', { token: adminA, body: { ...valid(), citizenId: '123456789' } });
      expect(cmnd.body.error.message).to.match(/không nhận số CMND 9 số/);
    });

    it('creates an officer with normalised contact data, a hashed password, units and rights, and audits it', async () => {
      const res = await http(app, 'POST', '/api/admin/users', { token: adminA, body: valid() });
      expect(res.status).to.equal(201);
      expect(res.body).to.deep.include({
        username: 'tuan.ng',
        fullName: 'Nguyễn Minh Tuấn',
        citizenId: '001203012345',
        phone: '0912000111',
        email: 'tuan@nungnang.gov.vn',
        status: 'active',
        rights: ['CERT_CREATE', 'CERT_REPORT'],
      });
      const rows: Array<{ password_hash: string; created_by: string }> = await app.ctx.db.query('select password_hash, created_by from officers where id = $1', [
        res.body.id,
      ]);
      expect(rows[0].created_by).to.equal(adminAId);
      expect(await verifyPassword(rows[0].password_hash, 'matkhau2026')).to.equal(true);
      const [audit] = await auditFor(`officer:${res.body.id}`);
      expect(audit).to.include({ action: 'admin.users.create', outcome: 'success', status: 201, unit_id: app.org.communeA });
      expect(audit.details).to.deep.equal({ username: 'tuan.ng', unitIds: [app.org.communeA], rights: ['CERT_CREATE', 'CERT_REPORT'] });
      expect(JSON.stringify(audit.details)).to.not.include('matkhau2026');
    });

    it('answers 409 naming the duplicate username or ID number', async () => {
      const byName = await http(app, 'POST', '/api/admin/users', { token: adminA, body: { ...valid(), citizenId: '001203099999' } });
      expect(byName.status).to.equal(409);
      expect(byName.body.error.code).to.equal('DUPLICATE_USERNAME');
      expect(byName.body.error.message).to.include('tuan.ng');
      const byId = await http(app, 'POST', '/api/admin/users', { token: adminA, body: { ...valid(), username: 'khac' } });
      expect(byId.status).to.equal(409);
      expect(byId.body.error.code).to.equal('DUPLICATE_CITIZEN_ID');
      expect(byId.body.error.details.fields).to.deep.equal(['citizenId']);
      // Taken by an officer of commune B: refused all the same, without pointing at him.
      const elsewhere = await http(app, 'POST', '/api/admin/users', { token: adminA, body: { ...valid(), username: 'khac', citizenId: '001090010003' } });
      expect(elsewhere.status).to.equal(409);
      expect(elsewhere.body.error.details).to.not.have.property('existingOfficerId');
      const count: Array<{ n: number }> = await app.ctx.db.query(`select count(*)::int as n from officers where username = 'khac'`);
      expect(count[0].n).to.equal(0);
    });

    it('refuses units outside the admin’s scope', async () => {
      const res = await http(app, 'POST', '/api/admin/users', {
        token: adminA,
        body: { ...valid(), username: 'ngoai', citizenId: '001203011111', unitIds: [app.org.communeA, app.org.deskB] },
      });
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('UNIT_OUT_OF_SCOPE');
    });

    it('grants ACCOUNT_CREATE only with a one-stop unit, saying why not', async () => {
      const refused = await http(app, 'POST', '/api/admin/users', {
        token: adminA,
        body: { ...valid(), username: 'motcua', citizenId: '001203022222', rights: ['ACCOUNT_CREATE'] },
      });
      expect(refused.status).to.equal(422);
      expect(refused.body.error.code).to.equal('ONE_STOP_NOT_ASSIGNED');
      expect(refused.body.error.message).to.include('chưa được gán vào đơn vị “Bộ phận Một cửa” hoặc “Trung tâm Phục vụ hành chính công”');
      const count: Array<{ n: number }> = await app.ctx.db.query(`select count(*)::int as n from officers where username = 'motcua'`);
      expect(count[0].n).to.equal(0);
      const ok = await http(app, 'POST', '/api/admin/users', {
        token: adminA,
        body: { ...valid(), username: 'motcua', citizenId: '001203022222', unitIds: [app.org.communeA, app.org.deskA], rights: ['ACCOUNT_CREATE'] },
      });
      expect(ok.status).to.equal(201);
      expect(ok.body.rights).to.deep.equal(['ACCOUNT_CREATE']);
      officers.motcua = ok.body.id;
    });
  });

  describe('units and the one-stop desk', () => {
    it('lists the caller’s units in tree order, with the one-stop desks marked', async () => {
      const token = await sessionFor(app, officers.cuong);
      const desk = await http(app, 'GET', '/api/units', { token });
      expect(desk.body.items).to.deep.equal([
        { id: app.org.deskA, code: '000.15.43.H35.01', name: 'Bộ phận Một cửa xã Nùng Năng', level: 'office', parentId: app.org.communeA, oneStop: true, misnamedOneStop: false },
      ]);
      const district = await http(app, 'GET', '/api/units', { token: adminDistrict });
      expect(district.body.items.map((u: { code: string }) => u.code)).to.deep.equal([
        '000.00.43.H35',
        '000.15.43.H35',
        '000.15.43.H35.01',
        '000.16.43.H35',
        '000.16.43.H35.01',
      ]);
      expect((await http(app, 'GET', '/api/units')).status).to.equal(401);
    });

    it('adds units under a unit in scope, checking code, level and duplicates', async () => {
      const base = { code: '000.15.43.H35.05', name: 'Tổ Tư pháp - Hộ tịch', level: 'office', parentId: app.org.communeA };
      const created = await http(app, 'POST', '/api/admin/units', { token: adminA, body: base });
      expect(created.status).to.equal(201);
      expect(created.body).to.include({ code: '000.15.43.H35.05', level: 'office', parentId: app.org.communeA, oneStop: false });
      expect((await http(app, 'POST', '/api/admin/units', { token: adminA, body: base })).body.error.code).to.equal('DUPLICATE_UNIT_CODE');
      const badCode = await http(app, 'POST', '/api/admin/units', { token: adminA, body: { ...base, code: '15-43' } });
      expect(badCode.status).to.equal(400);
      expect(badCode.body.error.message).to.match(/phải có dạng 000\.15\.43\.H35/);
      const upward = await http(app, 'POST', '/api/admin/units', { token: adminA, body: { ...base, code: '000.15.43.H35.06', level: 'district' } });
      expect(upward.status).to.equal(422);
      expect(upward.body.error.code).to.equal('UNIT_LEVEL_ORDER');
      const outside = await http(app, 'POST', '/api/admin/units', { token: adminA, body: { ...base, code: '000.16.43.H35.06', parentId: app.org.communeB } });
      expect(outside.status).to.equal(403);
      expect((await http(app, 'GET', '/api/units', { token: adminA })).body.items.map((u: { code: string }) => u.code)).to.include('000.15.43.H35.05');
      const [audit] = await auditFor('unit:000.15.43.H35.05');
      expect(audit).to.include({ action: 'admin.units.create', status: 201, unit_id: created.body.id });
    });

    it('counts a desk named in NFD as a one-stop unit and grants ACCOUNT_CREATE there', async () => {
      const nfd = 'Bộ phận Một cửa điểm Bản Lang'.normalize('NFD');
      const unit = await http(app, 'POST', '/api/admin/units', { token: adminA, body: { code: '000.15.43.H35.02', name: nfd, level: 'office', parentId: app.org.communeA } });
      expect(unit.status).to.equal(201);
      expect(unit.body.oneStop).to.equal(true);
      expect(unit.body.name).to.equal('Bộ phận Một cửa điểm Bản Lang'.normalize('NFC'));
      const officer = await createTestOfficer(app.ctx.db, { username: 'banlang', unitIds: [unit.body.id] });
      const granted = await http(app, 'POST', `/api/admin/users/${officer}/rights`, { token: adminA, body: { right: 'ACCOUNT_CREATE' } });
      expect(granted.status).to.equal(201);
      expect(granted.body.user.rights).to.deep.equal(['ACCOUNT_CREATE']);
      const mine = await http(app, 'GET', '/api/me/one-stop-units', { token: await sessionFor(app, officer) });
      expect(mine.status).to.equal(200);
      expect(mine.body.items).to.deep.equal([{ id: unit.body.id, code: '000.15.43.H35.02', name: 'Bộ phận Một cửa điểm Bản Lang'.normalize('NFC') }]);
    });

    it('tells an officer with no one-stop unit why: not assigned', async () => {
      const res = await http(app, 'GET', '/api/me/one-stop-units', { token: await sessionFor(app, officers.an) });
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('ONE_STOP_NOT_ASSIGNED');
      expect(res.body.error.message).to.match(/^Tài khoản công chức chưa được gán vào đơn vị “Bộ phận Một cửa”/);
    });

    it('tells why when the desk is misnamed, refuses ACCOUNT_CREATE there, and both work once it is renamed', async () => {
      const unit = await http(app, 'POST', '/api/admin/units', {
        token: adminA,
        body: { code: '000.15.43.H35.03', name: 'Bo phan 1 cua xa Nung Nang', level: 'office', parentId: app.org.communeA },
      });
      expect(unit.body).to.include({ oneStop: false, misnamedOneStop: true });
      const officer = await createTestOfficer(app.ctx.db, { username: 'saiten', unitIds: [unit.body.id] });
      const token = await sessionFor(app, officer);
      const mine = await http(app, 'GET', '/api/me/one-stop-units', { token });
      expect(mine.status).to.equal(422);
      expect(mine.body.error.code).to.equal('ONE_STOP_MISNAMED');
      expect(mine.body.error.message).to.include('“Bo phan 1 cua xa Nung Nang” (000.15.43.H35.03) chưa được đặt tên đúng');
      expect(mine.body.error.message).to.include('“Bộ phận Một cửa” hoặc “Trung tâm Phục vụ hành chính công”');
      expect(mine.body.error.details.unit.id).to.equal(unit.body.id);
      const refused = await http(app, 'POST', `/api/admin/users/${officer}/rights`, { token: adminA, body: { right: 'ACCOUNT_CREATE' } });
      expect(refused.status).to.equal(422);
      expect(refused.body.error.code).to.equal('ONE_STOP_MISNAMED');
      expect(refused.body.error.message).to.match(/^Không thể cấp “Quyền tạo tài khoản công dân”/);

      const renamed = await http(app, 'PATCH', `/api/admin/units/${unit.body.id}`, { token: adminA, body: { name: 'Bộ phận Một cửa xã Nùng Năng (điểm 2)' } });
      expect(renamed.status).to.equal(200);
      expect(renamed.body).to.include({ oneStop: true, misnamedOneStop: false });
      expect((await http(app, 'GET', '/api/me/one-stop-units', { token })).body.items).to.have.length(1);
      expect((await http(app, 'POST', `/api/admin/users/${officer}/rights`, { token: adminA, body: { right: 'ACCOUNT_CREATE' } })).status).to.equal(201);
      const [, rename] = await auditFor('unit:000.15.43.H35.03');
      expect(rename).to.include({ action: 'admin.units.rename', status: 200 });
      expect(rename.details).to.deep.equal({ from: 'Bo phan 1 cua xa Nung Nang', to: 'Bộ phận Một cửa xã Nùng Năng (điểm 2)' });

      // Renaming it back would leave that officer holding ACCOUNT_CREATE without a one-stop unit.
      const back = await http(app, 'PATCH', `/api/admin/units/${unit.body.id}`, { token: adminA, body: { name: 'Tổ một cửa' } });
      expect(back.status).to.equal(422);
      expect(back.body.error.code).to.equal('ONE_STOP_REQUIRED_BY_RIGHT');
      expect(back.body.error.details.officers).to.deep.equal(['Cán bộ saiten']);
      expect((await http(app, 'PATCH', `/api/admin/units/${app.org.deskB}`, { token: adminA, body: { name: 'x' } })).status).to.equal(403);
    });
  });

  describe('units and rights of an officer', () => {
    it('keeps at least one unit, and a one-stop unit while ACCOUNT_CREATE is held', async () => {
      const id = officers.motcua; // communeA + deskA, ACCOUNT_CREATE
      const desk = await http(app, 'DELETE', `/api/admin/users/${id}/units/${app.org.deskA}`, { token: adminA });
      expect(desk.status).to.equal(422);
      expect(desk.body.error.code).to.equal('ONE_STOP_REQUIRED_BY_RIGHT');
      expect(desk.body.error.message).to.match(/Hãy thu hồi quyền này trước/);
      const revoke = await http(app, 'DELETE', `/api/admin/users/${id}/rights/ACCOUNT_CREATE`, { token: adminA });
      expect(revoke.status).to.equal(200);
      expect(revoke.body).to.deep.include({ changed: true });
      expect(revoke.body.user.rights).to.deep.equal([]);
      expect((await http(app, 'DELETE', `/api/admin/users/${id}/rights/ACCOUNT_CREATE`, { token: adminA })).body.changed).to.equal(false);
      expect((await http(app, 'DELETE', `/api/admin/users/${id}/units/${app.org.deskA}`, { token: adminA })).body.changed).to.equal(true);
      const last = await http(app, 'DELETE', `/api/admin/users/${id}/units/${app.org.communeA}`, { token: adminA });
      expect(last.status).to.equal(422);
      expect(last.body.error.code).to.equal('LAST_UNIT');
      const granted = await http(app, 'POST', `/api/admin/users/${id}/rights`, { token: adminA, body: { right: 'ACCOUNT_CREATE' } });
      expect(granted.status).to.equal(422);
      expect(granted.body.error.code).to.equal('ONE_STOP_NOT_ASSIGNED');
    });

    it('grants idempotently, refuses unknown rights and the admin’s own USER_ADMIN, and audits with the target', async () => {
      const id = officers.binh;
      const first = await http(app, 'POST', `/api/admin/users/${id}/rights`, { token: adminA, body: { right: 'CERT_SEAL' } });
      expect(first.status).to.equal(201);
      const again = await http(app, 'POST', `/api/admin/users/${id}/rights`, { token: adminA, body: { right: 'CERT_SEAL' } });
      expect(again.status).to.equal(200);
      expect(again.body.changed).to.equal(false);
      expect(again.body.user.rights).to.deep.equal(['CERT_SEAL']);
      const unknown = await http(app, 'POST', `/api/admin/users/${id}/rights`, { token: adminA, body: { right: 'ROOT' } });
      expect(unknown.status).to.equal(400);
      expect(unknown.body.error.message).to.match(/mã quyền không tồn tại/);
      expect((await http(app, 'DELETE', `/api/admin/users/${id}/rights/ROOT`, { token: adminA })).status).to.equal(400);
      const self = await http(app, 'DELETE', `/api/admin/users/${adminAId}/rights/USER_ADMIN`, { token: adminA });
      expect(self.status).to.equal(422);
      expect(self.body.error.code).to.equal('CANNOT_REVOKE_OWN_ADMIN');
      const audit = await auditFor(`officer:${id}`);
      expect(audit.map((a) => [a.action, a.status, a.details.right, a.details.changed])).to.deep.equal([
        ['admin.users.right.grant', 201, 'CERT_SEAL', true],
        ['admin.users.right.grant', 200, 'CERT_SEAL', false],
        ['admin.users.right.grant', 400, undefined, undefined],
        ['admin.users.right.revoke', 400, undefined, undefined],
      ]);
      expect(audit[0].unit_id).to.equal(app.org.communeA);
      const clerk = await sessionFor(app, officers.binh);
      const noRight = await http(app, 'POST', `/api/admin/users/${id}/rights`, { token: clerk, body: { right: 'USER_ADMIN' } });
      expect(noRight.status).to.equal(403);
      expect(noRight.body.error.code).to.equal('RIGHT_REQUIRED');
    });
  });

  describe('separation of duties', () => {
    it('refuses every right an administrator would grant himself, naming why for signing, sealing and audit, and audits each refusal', async () => {
      const { RIGHT_CODES } = await import('../../domain/rights');
      const answers: Array<[string, number, string]> = [];
      for (const right of RIGHT_CODES) {
        const res = await http(app, 'POST', `/api/admin/users/${adminAId}/rights`, { token: adminA, body: { right } });
        answers.push([right, res.status, res.body.error?.code]);
        if (right === 'CERT_SIGN') {
          expect(res.body.error.message).to.equal(
            'Bạn không thể tự cấp quyền “Ký bản sao chứng thực điện tử” cho chính mình: quyền ký, đóng dấu và kiểm tra phải do một quản trị viên khác cấp để bảo đảm phân tách trách nhiệm. Hãy nhờ một quản trị viên khác.',
          );
        }
        if (right === 'CERT_CREATE') expect(res.body.error.message).to.equal('Bạn không thể tự cấp quyền “Tạo bản sao chứng thực” cho chính mình; hãy nhờ một quản trị viên khác.');
      }
      // Even a right he holds already: the answer does not depend on it.
      expect(answers).to.deep.equal(RIGHT_CODES.map((r) => [r, 403, 'SELF_GRANT_FORBIDDEN']));
      const held: Array<{ right_code: string }> = await app.ctx.db.query('select right_code from officer_rights where officer_id = $1', [adminAId]);
      expect(held.map((r) => r.right_code)).to.deep.equal(['USER_ADMIN']);
      const audit = (await auditFor(`officer:${adminAId}`)).filter((a) => a.action === 'admin.users.right.grant');
      expect(audit.map((a) => [a.outcome, a.status, a.details.right, a.details.reason, a.details.code])).to.deep.equal(
        RIGHT_CODES.map((r) => ['refused', 403, r, 'self-grant', 'SELF_GRANT_FORBIDDEN']),
      );
      expect(audit[0].unit_id).to.equal(app.org.communeA);

      // Another administrator grants it, and that is audited as a grant by him.
      const byOther = await http(app, 'POST', `/api/admin/users/${adminAId}/rights`, { token: adminDistrict, body: { right: 'AUDIT' } });
      expect(byOther.status).to.equal(201);
      expect([...byOther.body.user.rights].sort()).to.deep.equal(['AUDIT', 'USER_ADMIN']);
      const granted: Array<{ granted_by: string; username: string }> = await app.ctx.db.query(
        `select r.granted_by, o.username from officer_rights r join officers o on o.id = r.granted_by where r.officer_id = $1 and r.right_code = 'AUDIT'`,
        [adminAId],
      );
      expect(granted[0].username).to.equal('admin.huyen');
      await http(app, 'DELETE', `/api/admin/users/${adminAId}/rights/AUDIT`, { token: adminDistrict });
    });

    it('needs a phone for every officer while logins need a code by SMS', async () => {
      const saved = app.ctx.auth;
      app.ctx.auth = { ...saved, otpRequired: true };
      try {
        const body = {
          username: 'khong.dt',
          fullName: 'Không Điện Thoại',
          citizenId: '001203012399',
          password: 'matkhau2026',
          unitIds: [app.org.communeA],
        };
        const none = await http(app, 'POST', '/api/admin/users', { token: adminA, body });
        expect(none.status).to.equal(400);
        expect(none.body.error.message).to.equal('Dữ liệu không hợp lệ — Số điện thoại: cần số điện thoại di động để người dùng nhận mã OTP khi đăng nhập');
        expect(none.body.error.details.fields.map((f: { field: string }) => f.field)).to.deep.equal(['phone']);
        const created = await http(app, 'POST', '/api/admin/users', { token: adminA, body: { ...body, phone: '0912000444' } });
        expect(created.status).to.equal(201);
        const cleared = await http(app, 'PATCH', `/api/admin/users/${created.body.id}`, { token: adminA, body: { phone: null } });
        expect(cleared.status).to.equal(400);
        expect(cleared.body.error.details.fields[0].field).to.equal('phone');
        const stored: Array<{ phone: string }> = await app.ctx.db.query('select phone from officers where id = $1', [created.body.id]);
        expect(stored[0].phone).to.equal('0912000444');
      } finally {
        app.ctx.auth = saved;
      }
    });
  });

  describe('changing and deactivating users', () => {
    it('changes name and contact, refusing empty or invalid changes', async () => {
      const res = await http(app, 'PATCH', `/api/admin/users/${officers.cuong}`, { token: adminA, body: { fullName: 'Trần Văn Cường', phone: '0987 654 321', email: null } });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ phone: '0987654321', email: null });
      const titled = await http(app, 'PATCH', `/api/admin/users/${officers.cuong}`, { token: adminA, body: { jobTitle: '  Phó Chủ tịch UBND xã ' } });
      expect(titled.body).to.include({ jobTitle: 'Phó Chủ tịch UBND xã' });
      const blankTitle = await http(app, 'PATCH', `/api/admin/users/${officers.cuong}`, { token: adminA, body: { jobTitle: ' ' } });
      expect(blankTitle.status).to.equal(400);
      expect(blankTitle.body.error.message).to.include('Chức danh: chức danh không được để trống');
      expect((await http(app, 'PATCH', `/api/admin/users/${officers.cuong}`, { token: adminA, body: { jobTitle: null } })).body).to.include({ jobTitle: null });
      const empty = await http(app, 'PATCH', `/api/admin/users/${officers.cuong}`, { token: adminA, body: {} });
      expect(empty.status).to.equal(400);
      expect(empty.body.error.message).to.match(/không có thông tin nào để sửa/);
      const badStatus = await http(app, 'PATCH', `/api/admin/users/${officers.cuong}`, { token: adminA, body: { status: 'paused' } });
      expect(badStatus.status).to.equal(400);
      const self = await http(app, 'PATCH', `/api/admin/users/${adminAId}`, { token: adminA, body: { status: 'inactive' } });
      expect(self.status).to.equal(422);
      expect(self.body.error.code).to.equal('CANNOT_DEACTIVATE_SELF');
    });

    it('ends the sessions of a deactivated officer at once', async () => {
      const token = await sessionFor(app, officers.cuong);
      const other = await sessionFor(app, officers.cuong);
      expect((await http(app, 'GET', '/api/units', { token })).status).to.equal(200);
      const openBefore: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from sessions where officer_id = $1 and ended_at is null', [
        officers.cuong,
      ]);
      expect(openBefore[0].n).to.be.at.least(2);
      const res = await http(app, 'PATCH', `/api/admin/users/${officers.cuong}`, { token: adminA, body: { status: 'inactive' } });
      expect(res.status).to.equal(200);
      expect(res.body.status).to.equal('inactive');
      expect((await http(app, 'GET', '/api/units', { token })).status).to.equal(401);
      const open: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from sessions where officer_id = $1 and ended_at is null', [officers.cuong]);
      expect(open[0].n).to.equal(0);
      const audit = (await auditFor(`officer:${officers.cuong}`)).at(-1)!;
      expect(audit).to.include({ action: 'admin.users.update', status: 200, unit_id: app.org.deskA });
      expect(audit.details).to.deep.include({ fields: ['status'], status: { from: 'active', to: 'inactive' }, sessionsEnded: openBefore[0].n });
      // Reactivated, he logs in again; the ended sessions stay ended.
      expect((await http(app, 'PATCH', `/api/admin/users/${officers.cuong}`, { token: adminA, body: { status: 'active' } })).body.status).to.equal('active');
      expect((await http(app, 'GET', '/api/units', { token: other })).status).to.equal(401);
    });
  });

  describe('export', () => {
    before(async () => {
      await createTestOfficer(app.ctx.db, {
        username: 'congthuc',
        fullName: '=HYPERLINK("http://x", "Nhấn")',
        phone: '0912345699',
        email: '@lạ, "tên"@xa.vn',
        unitIds: [app.org.deskA],
        rights: ['CERT_CREATE', 'ACCOUNT_CREATE'],
        citizenId: '001090019999',
      });
    });

    it('writes CSV with a BOM, the header, RFC 4180 quoting and neutralised formulas, and audits the export', async () => {
      const res = await download(`/api/admin/users/export?format=csv&unitId=${app.org.deskA}`, adminA);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/csv; charset=utf-8/);
      expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="?nguoi-dung-2026-11-23\.csv"?$/);
      expect([...res.bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const lines = res.bytes.subarray(3).toString('utf8').split('\r\n');
      expect(lines[0]).to.equal('STT,Họ và tên,Tên đăng nhập,Số CMND/CCCD,Số điện thoại,Email,Đơn vị,Quyền,Trạng thái');
      expect(lines.at(-1)).to.equal('');
      const row = lines.find((l) => l.includes('congthuc'));
      expect(row).to.equal(
        `1,"'=HYPERLINK(""http://x"", ""Nhấn"")",congthuc,001090019999,0912345699,"'@lạ, ""tên""@xa.vn",Bộ phận Một cửa xã Nùng Năng (000.15.43.H35.01),` +
          'Tạo bản sao chứng thực; Quyền tạo tài khoản công dân,Hoạt động',
      );
      const audits: AuditRow[] = await app.ctx.db.query(`select action, target, unit_id, outcome, status, details from audit_log where action = 'admin.users.export'`);
      expect(audits).to.have.length(1);
      expect(audits[0]).to.include({ outcome: 'success', status: 200, unit_id: app.org.deskA });
      expect(audits[0].details).to.deep.include({ format: 'csv', rows: lines.length - 2 });
    });

    it('writes XLSX that opens with its rows, keeping leading zeros', async () => {
      const res = await download(`/api/admin/users/export?format=xlsx&status=all&unitId=${app.org.communeA}`, adminA);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const wb = new Workbook();
      await wb.xlsx.load(res.bytes as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('Người dùng')!;
      const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
      expect(values(1)).to.deep.equal(['STT', 'Họ và tên', 'Tên đăng nhập', 'Số CMND/CCCD', 'Số điện thoại', 'Email', 'Đơn vị', 'Quyền', 'Trạng thái']);
      const listed = await search(adminA, { status: 'all', unitId: app.org.communeA, pageSize: '100' });
      expect(sheet.rowCount).to.equal(listed.body.total + 1);
      const rows = Array.from({ length: listed.body.total }, (_, i) => values(i + 2));
      expect(rows.map((r) => r[1])).to.deep.equal(names(listed.body.items));
      const hoa = rows.find((r) => r[2] === 'hoa')!;
      expect(hoa[8]).to.equal('Ngừng hoạt động');
      const an = rows.find((r) => r[2] === 'an')!;
      expect(an.slice(3, 5)).to.deep.equal(['001090010000', '0912345601']);
    });

    it('needs USER_ADMIN and refuses a unit outside scope', async () => {
      expect((await download('/api/admin/users/export', await sessionFor(app, officers.binh))).status).to.equal(403);
      expect((await download(`/api/admin/users/export?unitId=${app.org.communeB}`, adminA)).status).to.equal(403);
      expect((await download('/api/admin/users/export?format=pdf', adminA)).status).to.equal(400);
    });
  });

  describe('public address', () => {
    it('tells administrators whether the address printed on copies is a loopback one', async () => {
      const before = app.ctx.links;
      try {
        app.ctx.links = createPublicLinks('http://localhost:3000', 'public address test secret');
        expect((await http(app, 'GET', '/api/admin/public-address', { token: adminA })).body).to.deep.equal({ baseUrl: 'http://localhost:3000', loopback: true });
        app.ctx.links = createPublicLinks('https://motcua.tamduong.example.vn/', 'public address test secret');
        expect((await http(app, 'GET', '/api/admin/public-address', { token: adminA })).body).to.deep.equal({ baseUrl: 'https://motcua.tamduong.example.vn', loopback: false });
      } finally {
        app.ctx.links = before;
      }
    });
  });

  describe('signing delegations', () => {
    let leaderId: string;
    let leader: string;
    let leader2: string;
    let leaderB: string;
    let clerkId: string;
    let delegationId: string;
    const iso = (ms: number) => new Date(ms).toISOString();

    before(async () => {
      const db = app.ctx.db;
      leaderId = await createTestOfficer(db, { username: 'chutich.a', fullName: 'Chủ tịch xã Nùng Năng', rights: ['CERT_SIGN'], unitIds: [app.org.communeA] });
      leader = await sessionFor(app, leaderId);
      leader2 = await sessionFor(app, await createTestOfficer(db, { username: 'phochutich.a', rights: ['CERT_SIGN'], unitIds: [app.org.communeA] }));
      leaderB = await sessionFor(app, await createTestOfficer(db, { username: 'chutich.b', rights: ['CERT_SIGN'], unitIds: [app.org.communeB] }));
      clerkId = await createTestOfficer(db, { username: 'tuphap.a', fullName: 'Công chức Tư pháp - Hộ tịch', rights: ['CERT_CREATE'], unitIds: [app.org.deskA] });
    });

    const body = (over: Record<string, unknown> = {}) => ({
      unitId: app.org.communeA,
      toOfficerId: clerkId,
      validFrom: iso(app.clock.now().getTime()),
      validTo: iso(app.clock.now().getTime() + 30 * DAY),
      reason: 'Chủ tịch đi công tác',
      ...over,
    });

    it('records who delegated to whom, for which unit and period, and audits it', async () => {
      const res = await http(app, 'POST', '/api/delegations', { token: leader, body: body() });
      expect(res.status).to.equal(201);
      delegationId = res.body.id;
      expect(res.body).to.deep.include({
        unit: { id: app.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
        fromOfficer: { id: leaderId, username: 'chutich.a', fullName: 'Chủ tịch xã Nùng Năng' },
        toOfficer: { id: clerkId, username: 'tuphap.a', fullName: 'Công chức Tư pháp - Hộ tịch' },
        scope: 'CERT_SIGN',
        reason: 'Chủ tịch đi công tác',
        createdBy: leaderId,
        revokedAt: null,
        status: 'active',
      });
      expect(res.body.validFrom).to.equal(app.clock.now().toISOString());
      const [audit] = await auditFor(`delegation:${delegationId}`);
      expect(audit).to.include({ action: 'delegation.create', status: 201, unit_id: app.org.communeA });
      expect(audit.details).to.include({ toOfficerId: clerkId });
    });

    it('validates the period, the delegate and the unit', async () => {
      const now = app.clock.now().getTime();
      const reversed = await http(app, 'POST', '/api/delegations', { token: leader, body: body({ validTo: iso(now - HOUR) }) });
      expect(reversed.status).to.equal(400);
      expect(reversed.body.error.details.fields.map((f: { field: string; label: string; problem: string }) => ({ field: f.field, label: f.label, problem: f.problem }))).to.deep.equal([{ field: 'validTo', label: 'Đến', problem: 'thời điểm kết thúc phải sau thời điểm bắt đầu' }]);
      const tooLong = await http(app, 'POST', '/api/delegations', { token: leader, body: body({ validTo: iso(now + 367 * DAY) }) });
      expect(tooLong.body.error.message).to.match(/tối đa 1 năm/);
      const missing = await http(app, 'POST', '/api/delegations', { token: leader, body: { unitId: app.org.communeA } });
      expect(missing.status).to.equal(400);
      expect(missing.body.error.message).to.match(/thiếu người được ủy quyền/);
      const backdated = await http(app, 'POST', '/api/delegations', { token: leader, body: body({ validFrom: iso(now - DAY), validTo: iso(now + DAY) }) });
      expect(backdated.status).to.equal(422);
      expect(backdated.body.error.code).to.equal('DELEGATION_BACKDATED');
      expect((await http(app, 'POST', '/api/delegations', { token: leader, body: body({ toOfficerId: leaderId }) })).body.error.code).to.equal('DELEGATION_TO_SELF');
      const foreign = await http(app, 'POST', '/api/delegations', { token: leader, body: body({ toOfficerId: officers.dung }) });
      expect(foreign.status).to.equal(422);
      expect(foreign.body.error.code).to.equal('DELEGATE_NOT_IN_UNIT');
      expect((await http(app, 'POST', '/api/delegations', { token: leader, body: body({ toOfficerId: officers.hoa }) })).body.error.code).to.equal('DELEGATE_INACTIVE');
      expect((await http(app, 'POST', '/api/delegations', { token: leader, body: body({ unitId: app.org.communeB }) })).body.error.code).to.equal('UNIT_OUT_OF_SCOPE');
      const overlap = await http(app, 'POST', '/api/delegations', { token: leader, body: body({ validFrom: iso(now + DAY), validTo: iso(now + 40 * DAY) }) });
      expect(overlap.status).to.equal(409);
      expect(overlap.body.error.details.existingDelegationId).to.equal(delegationId);
      const noRight = await http(app, 'POST', '/api/delegations', { token: adminA, body: body() });
      expect(noRight.status).to.equal(403);
      expect(noRight.body.error.code).to.equal('RIGHT_REQUIRED');
    });

    it('lets the certification workflow ask who may sign for a unit at an instant', async () => {
      const now = app.clock.now();
      const active = await activeDelegationsFor(app.ctx.db, clerkId, app.org.deskA, now);
      expect(active.map((d) => d.id)).to.deep.equal([delegationId]);
      expect(active[0]).to.include({ unitId: app.org.communeA, fromOfficerId: leaderId, toOfficerId: clerkId });
      expect(await activeDelegationsFor(app.ctx.db, clerkId, app.org.communeA, new Date(now.getTime() + 30 * DAY))).to.deep.equal([]);
      expect(await activeDelegationsFor(app.ctx.db, clerkId, app.org.communeA, new Date(now.getTime() - 1))).to.deep.equal([]);
      expect(await activeDelegationsFor(app.ctx.db, clerkId, app.org.deskB, now)).to.deep.equal([]);
      expect(await activeDelegationsFor(app.ctx.db, leaderId, app.org.communeA, now)).to.deep.equal([]);
    });

    it('lists the delegations of the caller’s units only', async () => {
      const future = await http(app, 'POST', '/api/delegations', {
        token: leader2,
        body: body({ validFrom: iso(app.clock.now().getTime() + 2 * DAY), validTo: iso(app.clock.now().getTime() + 3 * DAY) }),
      });
      expect(future.body.status).to.equal('scheduled');
      const all = await http(app, 'GET', '/api/delegations', { token: leader });
      expect(all.body.total).to.equal(2);
      expect(all.body.items.map((d: { id: string }) => d.id)).to.deep.equal([future.body.id, delegationId]);
      const active = await http(app, 'GET', `/api/delegations?status=active&unitId=${app.org.communeA}`, { token: leader });
      expect(active.body.items.map((d: { id: string }) => d.id)).to.deep.equal([delegationId]);
      expect((await http(app, 'GET', '/api/delegations', { token: leaderB })).body.total).to.equal(0);
      expect((await http(app, 'GET', `/api/delegations?unitId=${app.org.communeA}`, { token: leaderB })).status).to.equal(403);
    });

    it('is revoked by the delegator only (or an admin of the unit), once, and stays on record', async () => {
      const outsider = await http(app, 'DELETE', `/api/delegations/${delegationId}`, { token: leaderB });
      expect(outsider.status).to.equal(404);
      const other = await http(app, 'DELETE', `/api/delegations/${delegationId}`, { token: leader2 });
      expect(other.status).to.equal(403);
      expect(other.body.error.code).to.equal('DELEGATION_NOT_YOURS');
      const signedAt = app.clock.now();
      app.clock.advance(HOUR);
      const revoked = await http(app, 'DELETE', `/api/delegations/${delegationId}`, { token: leader });
      expect(revoked.status).to.equal(200);
      expect(revoked.body.changed).to.equal(true);
      expect(revoked.body.delegation).to.include({ status: 'revoked', revokedBy: leaderId, revokedAt: app.clock.now().toISOString() });
      expect((await http(app, 'DELETE', `/api/delegations/${delegationId}`, { token: leader })).body.changed).to.equal(false);
      expect(await activeDelegationsFor(app.ctx.db, clerkId, app.org.deskA, app.clock.now())).to.deep.equal([]);
      // A signature made before the revocation was made under the delegation.
      expect((await activeDelegationsFor(app.ctx.db, clerkId, app.org.deskA, signedAt)).map((d) => d.id)).to.deep.equal([delegationId]);
      const admin = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'admin.ky', rights: ['USER_ADMIN', 'CERT_SIGN'], unitIds: [app.org.communeA] }));
      const scheduled = (await http(app, 'GET', '/api/delegations?status=scheduled', { token: leader })).body.items[0];
      expect((await http(app, 'DELETE', `/api/delegations/${scheduled.id}`, { token: admin })).body.changed).to.equal(true);
      const audit = await auditFor(`delegation:${delegationId}`);
      expect(audit.map((a) => [a.action, a.status])).to.deep.equal([
        ['delegation.create', 201],
        ['delegation.revoke', 404],
        ['delegation.revoke', 403],
        ['delegation.revoke', 200],
        ['delegation.revoke', 200],
      ]);
    });

    it('ends once expired, and when the delegator loses CERT_SIGN or either side is deactivated', async () => {
      const short = await http(app, 'POST', '/api/delegations', { token: leader, body: body({ validTo: iso(app.clock.now().getTime() + HOUR) }) });
      app.clock.advance(2 * HOUR);
      leader = await sessionFor(app, leaderId);
      const expired = await http(app, 'DELETE', `/api/delegations/${short.body.id}`, { token: leader });
      expect(expired.status).to.equal(422);
      expect(expired.body.error.code).to.equal('DELEGATION_ENDED');
      expect((await http(app, 'GET', '/api/delegations?status=expired', { token: leader })).body.items.map((d: { id: string }) => d.id)).to.include(short.body.id);

      const fresh = await http(app, 'POST', '/api/delegations', { token: leader, body: body() });
      expect(fresh.status).to.equal(201);
      const admin = await sessionFor(app, adminAId);
      const revoke = await http(app, 'DELETE', `/api/admin/users/${leaderId}/rights/CERT_SIGN`, { token: admin });
      expect(revoke.status).to.equal(200);
      const rows: Array<{ revoked_at: Date | null; revoked_by: string | null }> = await app.ctx.db.query('select revoked_at, revoked_by from signing_delegations where id = $1', [
        fresh.body.id,
      ]);
      expect(rows[0]).to.deep.equal({ revoked_at: app.clock.now(), revoked_by: adminAId });
      expect((await auditFor(`officer:${leaderId}`)).at(-1)!.details).to.deep.include({ right: 'CERT_SIGN', delegationsRevoked: 1 });

      const toClerk = await http(app, 'POST', '/api/delegations', { token: leader2, body: body() });
      expect(toClerk.status).to.equal(201);
      await http(app, 'PATCH', `/api/admin/users/${clerkId}`, { token: admin, body: { status: 'inactive' } });
      expect(await activeDelegationsFor(app.ctx.db, clerkId, app.org.deskA, app.clock.now())).to.deep.equal([]);
    });
  });
});
