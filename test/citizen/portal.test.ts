import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { createPublicLinks } from '../../infra/publicLinks';
import { http } from '../support/identityApp';
import { captcha, CITIZEN_PASSWORD, lastCitizenOtp, loginCitizen, newPerson, registerByMobile, startCitizenTestApp, type CitizenTestApp, type Person } from '../support/citizenApp';

describe('the citizen portal: profile, documents and notifications', function () {
  this.timeout(60_000);
  let app: CitizenTestApp;
  let mine: Person;
  let theirs: Person;
  let token: string;
  let myDocument: string;
  let theirDocument: string;
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

  async function deliver(holderId: string, caseCode: string, title: string, at: Date): Promise<string> {
    const relative = join('cases', caseCode, 'ban-sao.pdf');
    mkdirSync(dirname(join(app.filesDir, relative)), { recursive: true });
    writeFileSync(join(app.filesDir, relative), pdf);
    const rows: Array<{ id: string }> = await app.ctx.db.query(
      `insert into case_documents (case_code, unit_id, kind, holder_kind, holder_id, role, title, path, sha256, bytes, created_at)
       values ($1, $2, 'certified_copy', 'citizen', $3, 'citizen', $4, $5, $6, $7, $8) returning id`,
      [caseCode, app.org.communeA, holderId, title, relative, createHash('sha256').update(pdf).digest('hex'), pdf.length, at],
    );
    return rows[0].id;
  }

  async function notify(idNumber: string, title: string, at: Date): Promise<string> {
    const rows: Array<{ id: string }> = await app.ctx.db.query(
      `insert into citizen_notifications (id_number, kind, title, body, link, created_at) values ($1, 'copy_ready', $2, 'Bản sao chứng thực đã sẵn sàng.', '/verify/X', $3) returning id`,
      [idNumber, title, at],
    );
    return rows[0].id;
  }

  before(async () => {
    app = await startCitizenTestApp();
    app.ctx.links = createPublicLinks('https://motcua.example.vn', 'portal-test-link-secret');
    mine = newPerson();
    theirs = newPerson({ fullName: 'Giàng Thị Mai' });
    for (const p of [mine, theirs]) expect((await registerByMobile(app, p)).status).to.equal(201);
    token = await loginCitizen(app, mine.idNumber);
    const t0 = app.clock.now().getTime();
    myDocument = await deliver(mine.idNumber, '000.15.43.H35-261123-0001', 'Bản sao Giấy khai sinh', new Date(t0 - 3_600_000));
    await deliver(mine.idNumber, '000.15.43.H35-261123-0002', 'Bản sao Bằng tốt nghiệp', new Date(t0 - 60_000));
    theirDocument = await deliver(theirs.idNumber, '000.15.43.H35-261123-0003', 'Bản sao Sổ hộ khẩu', new Date(t0));
  });
  after(async () => {
    await app?.close();
  });

  it('lists the caller’s certified copies only, newest first, with their download links', async () => {
    const res = await http(app, 'GET', '/api/citizen/documents', { token });
    expect(res.status).to.equal(200);
    expect(res.body.total).to.equal(2);
    expect(res.body.items.map((d: { title: string }) => d.title)).to.deep.equal(['Bản sao Bằng tốt nghiệp', 'Bản sao Giấy khai sinh']);
    expect(res.body.items[1]).to.include({ id: myDocument, caseCode: '000.15.43.H35-261123-0001', kind: 'certified_copy', downloadUrl: `/api/citizen/documents/${myDocument}` });
    expect(res.body.items[1].verifyUrl).to.equal(app.ctx.links!.verifyUrl('000.15.43.H35-261123-0001'));
    expect(res.body.items[1].verifyUrl).to.match(/^https:\/\/motcua\.example\.vn\/verify\/000\.15\.43\.H35-261123-0001\?t=/);
    const paged = await http(app, 'GET', '/api/citizen/documents?page=2&pageSize=1', { token });
    expect(paged.body.items.map((d: { id: string }) => d.id)).to.deep.equal([myDocument]);
  });

  it('downloads one of the caller’s copies, audited; another citizen’s answers as missing', async () => {
    const res = await fetch(`${app.baseUrl}/api/citizen/documents/${myDocument}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/pdf/);
    expect(res.headers.get('content-disposition')).to.match(/^inline/);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).to.equal(true);
    const other = await http(app, 'GET', `/api/citizen/documents/${theirDocument}`, { token });
    expect(other.status).to.equal(404);
    const audit: Array<{ actor_id: string | null; actor_name: string; target: string; outcome: string }> = await app.ctx.db.query(
      `select actor_id, actor_name, target, outcome from audit_log where action = 'citizen.document.read' order by seq`,
    );
    expect(audit).to.deep.equal([
      { actor_id: null, actor_name: `citizen:${mine.idNumber}`, target: 'case:000.15.43.H35-261123-0001', outcome: 'success' },
      { actor_id: null, actor_name: `citizen:${mine.idNumber}`, target: null, outcome: 'refused' },
    ]);
  });

  it('shows the caller’s notifications and marks them read, never another citizen’s', async () => {
    const t0 = app.clock.now().getTime();
    const first = await notify(mine.idNumber, 'Bản sao đã sẵn sàng', new Date(t0 - 1000));
    const second = await notify(mine.idNumber, 'Lịch hẹn được dời', new Date(t0));
    const foreign = await notify(theirs.idNumber, 'Thông báo của người khác', new Date(t0));
    const list = await http(app, 'GET', '/api/citizen/notifications', { token });
    expect(list.status).to.equal(200);
    expect(list.body).to.include({ total: 2, unread: 2 });
    expect(list.body.items.map((n: { id: string }) => n.id)).to.deep.equal([second, first]);
    expect(list.body.items[0]).to.include({ title: 'Lịch hẹn được dời', readAt: null, link: '/verify/X' });

    expect((await http(app, 'POST', `/api/citizen/notifications/${first}/read`, { token })).status).to.equal(204);
    expect((await http(app, 'POST', `/api/citizen/notifications/${foreign}/read`, { token })).status).to.equal(404);
    const unread = await http(app, 'GET', '/api/citizen/notifications?unread=true', { token });
    expect(unread.body).to.include({ total: 1, unread: 1 });
    expect(unread.body.items[0].id).to.equal(second);
    expect((await http(app, 'POST', '/api/citizen/notifications/read-all', { token })).status).to.equal(204);
    expect((await http(app, 'GET', '/api/citizen/notifications', { token })).body.unread).to.equal(0);
    const theirs_: Array<{ read_at: Date | null }> = await app.ctx.db.query('select read_at from citizen_notifications where id = $1', [foreign]);
    expect(theirs_[0].read_at).to.equal(null);
  });

  it('keeps a business account’s papers apart from its representative’s personal ones', async () => {
    const rep = newPerson();
    const start = await http(app, 'POST', '/api/citizen/register/business', {
      body: {
        taxCode: '0300588569',
        businessName: 'Công ty Cổ phần Sữa Việt Nam',
        representativeIdNumber: rep.idNumber,
        representativeName: rep.fullName,
        representativeBirthDate: rep.birthDate,
        phone: rep.phone,
        email: 'dn@example.vn',
        ...(await captcha(app)),
      },
    });
    expect(start.status, JSON.stringify(start.body)).to.equal(200);
    await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: start.body.flowToken, code: await lastCitizenOtp(app, rep.phone) } });
    const done = await http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: start.body.flowToken, password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD } });
    expect(done.status).to.equal(201);
    await deliver(rep.idNumber, '000.15.43.H35-261123-0004', 'Bản sao cá nhân', app.clock.now());
    const business = await deliver('0300588569', '000.15.43.H35-261123-0005', 'Bản sao Giấy chứng nhận đăng ký doanh nghiệp', app.clock.now());
    const t = await loginCitizen(app, '0300588569');
    const docs = await http(app, 'GET', '/api/citizen/documents', { token: t });
    expect(docs.body.items.map((d: { id: string }) => d.id)).to.deep.equal([business]);
  });

  it('answers 401 without a session and 400 on a malformed id', async () => {
    expect((await http(app, 'GET', '/api/citizen/documents')).status).to.equal(401);
    const bad = await http(app, 'GET', '/api/citizen/documents/not-a-uuid', { token });
    expect(bad.status).to.equal(400);
  });
});
