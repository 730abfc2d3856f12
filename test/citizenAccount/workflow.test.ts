/**
 * The citizen-account workflow on the time-skipping engine, with its real activities and
 * database: seed 000 part B steps 1–3, the code's 2 minutes, only the latest code, 5 wrong codes,
 * an existing account, an abandoned request, and exactly-once creation and password SMS.
 */
import { expect } from 'chai';
import { verifyPassword } from '../../infra/passwords';
import { cancelRequestUpdate, confirmOtpUpdate, sendOtpUpdate } from '../../workflows/citizenAccount/messages';
import { requireTimeSkipping } from '../engine/harness';
import { failureOf, latestCode, newCitizenId, openDesk, startRequest, until, type Desk } from './world';

type OpenDesk = Awaited<ReturnType<typeof openDesk>>;

const MINUTE = 60_000;

describe('citizen account workflow (seed 000 part B)', function () {
  this.timeout(120_000);
  let desk: OpenDesk;
  /** Runs of the password activity, and of the creation, that failed on purpose after doing their work. */
  const failedOnce = { password: 0, create: 0 };

  before(async () => {
    desk = await openDesk((real) => ({
      ...real,
      async createCitizenAccount(input) {
        const created = await real.createCitizenAccount(input);
        if (input.citizen.fullName.includes('Thử Lại') && failedOnce.create === 0 && ++failedOnce.create) throw new Error('connection lost after the account was written');
        return created;
      },
      async sendTemporaryPassword(input) {
        const sent = await real.sendTemporaryPassword(input);
        if (input.unitName.includes('thử lại') && failedOnce.password === 0 && ++failedOnce.password) throw new Error('worker lost before answering');
        return sent;
      },
    }));
  });
  after(async () => desk?.close());

  const officer = () => ({ officerId: desk.officer.officerId, fullName: desk.officer.fullName });
  const confirm = (r: { handle: Awaited<ReturnType<typeof startRequest>>['handle']; requestId: string }, code: string) =>
    r.handle.executeUpdate(confirmOtpUpdate, { args: [{ ...officer(), codeDigest: desk.otpCodes.digest(r.requestId, code) }] });
  const send = (r: { handle: Awaited<ReturnType<typeof startRequest>>['handle'] }) => r.handle.executeUpdate(sendOtpUpdate, { args: [officer()] });
  const smsCount = async (phone: string, purpose: string) =>
    ((await desk.database.db.query(`select count(*)::int as n from sms_outbox where to_phone = $1 and purpose = $2`, [phone, purpose])) as Array<{ n: number }>)[0]!.n;

  it('looks up, prepares the form, sends a code, and opens the account with the latest code; the password goes by SMS once', async () => {
    const r = await startRequest(desk, { citizen: { idNumber: newCitizenId(), fullName: 'Sùng A Dếnh', birthDate: '1990-03-04', phone: '0987001101', email: 'denh@example.vn' } });
    const ready = await until(r.view, (v) => v.status === 'awaiting_otp');
    expect(ready.form?.path).to.match(/^account-requests\/.+\/giay-de-nghi-tao-tai-khoan\.pdf$/);
    expect(ready.otp).to.include({ sends: 0, wrongTries: 0, triesLeft: 5 });

    const sent = await send(r);
    expect(sent.otp.sends).to.equal(1);
    expect(Date.parse(sent.otp.expiresAt!) - Date.parse(sent.otp.sentAt!)).to.equal(2 * MINUTE);
    const code = await latestCode(desk, '0987001101');

    const created = await confirm(r, code);
    expect(created.status).to.equal('created');
    expect(created.account?.username).to.equal(created.citizen.idNumber);
    const done = await r.handle.result();
    expect(done.account?.passwordSms).to.equal('sent');

    const accounts: Array<{ id: string; verified_by: string; assurance_level: string; must_change_password: boolean; created_by_officer_id: string; created_unit_id: string; password_hash: string }> =
      await desk.database.db.query('select * from citizen_accounts where id_number = $1', [created.citizen.idNumber]);
    expect(accounts).to.have.length(1);
    expect(accounts[0]).to.include({ verified_by: 'desk', assurance_level: 'IAL2', must_change_password: true, created_by_officer_id: desk.officer.officerId, created_unit_id: desk.org.deskA });
    const passwordSms: Array<{ body: string }> = await desk.database.db.query(`select body from sms_outbox where to_phone = '0987001101' and purpose = 'account-password'`);
    expect(passwordSms).to.have.length(1);
    const password = /Mật khẩu tạm thời: (\S+)/.exec(passwordSms[0]!.body)![1]!;
    expect(await verifyPassword(accounts[0]!.password_hash, password)).to.equal(true);
    const row: Array<{ status: string; otp_sends: number; account_id: string }> = await desk.database.db.query('select status, otp_sends, account_id from account_requests where request_id = $1', [r.requestId]);
    expect(row[0]).to.deep.equal({ status: 'created', otp_sends: 1, account_id: accounts[0]!.id });
    const history = JSON.stringify(await r.handle.fetchHistory());
    expect(history).to.not.include(code);
    expect(history).to.not.include(password);
  });

  it('lets a code live 2 minutes on the workflow clock, then refuses it', async function () {
    await requireTimeSkipping(this);
    const r = await startRequest(desk, { citizen: { idNumber: newCitizenId(), fullName: 'Vàng A Chứ', birthDate: '1990-01-01', phone: '0987001102', email: null } });
    await until(r.view, (v) => v.status === 'awaiting_otp');
    await send(r);
    const code = await latestCode(desk, '0987001102');
    await desk.env.sleep(2 * MINUTE - 2_000);
    expect((await r.view()).otp.expired).to.equal(false);
    await desk.env.sleep(3_000);
    const expired = await until(r.view, (v) => v.otp.expired);
    expect(expired.events.map((e) => e.type)).to.include('otp.expired');
    const failure = await failureOf(confirm(r, code));
    expect(failure.code).to.equal('OTP_EXPIRED');
    expect(String(failure.details.vi)).to.include('hết hiệu lực');
    expect((await r.view()).status).to.equal('awaiting_otp');
  });

  it('accepts only the latest code, and paces re-sends', async function () {
    await requireTimeSkipping(this);
    const r = await startRequest(desk, { citizen: { idNumber: newCitizenId(), fullName: 'Lò Văn Pọm', birthDate: '1990-07-07', phone: '0987001103', email: null } });
    await until(r.view, (v) => v.status === 'awaiting_otp');
    await send(r);
    const first = await latestCode(desk, '0987001103');
    const tooSoon = await failureOf(send(r));
    expect(tooSoon.code).to.equal('OTP_RESEND_TOO_SOON');
    expect(tooSoon.details.retryAfterSeconds).to.be.within(1, 30);
    await desk.env.sleep(31_000);
    const resent = await send(r);
    expect(resent.otp.sends).to.equal(2);
    const second = await latestCode(desk, '0987001103');
    expect(second).to.not.equal(first);
    const stale = await failureOf(confirm(r, first));
    expect(stale.code).to.equal('OTP_INVALID');
    expect(stale.details.triesLeft).to.equal(4);
    expect((await confirm(r, second)).status).to.equal('created');
  });

  it('ends the request after 5 wrong codes, creating nothing', async () => {
    const idNumber = newCitizenId();
    const r = await startRequest(desk, { citizen: { idNumber, fullName: 'Giàng Thị Dua', birthDate: '1990-02-02', phone: '0987001104', email: null } });
    await until(r.view, (v) => v.status === 'awaiting_otp');
    await send(r);
    const code = await latestCode(desk, '0987001104');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) {
      const f = await failureOf(confirm(r, wrong));
      expect(f).to.deep.include({ code: 'OTP_INVALID' });
      expect(f.details.triesLeft).to.equal(left);
    }
    expect((await failureOf(confirm(r, wrong))).code).to.equal('OTP_LOCKED');
    expect((await failureOf(confirm(r, code))).code).to.equal('CLOSED');
    const view = await r.handle.result();
    expect(view.status).to.equal('too_many_wrong_codes');
    expect(view.endReason?.vi).to.include('5 lần');
    expect(await desk.database.db.query('select id from citizen_accounts where id_number = $1', [idNumber])).to.deep.equal([]);
  });

  it('refuses when an account already exists for the ID number, and creates none', async () => {
    const idNumber = newCitizenId();
    await desk.database.db.query(
      `insert into citizen_accounts (kind, username, id_number, full_name, full_name_search, birth_date, phone, assurance_level, verified_by, created_at)
       values ('citizen', $1, $1, 'Đã Có', 'da co', '1990-01-01', '0987009999', 'IAL2', 'mobile', now())`,
      [idNumber],
    );
    const r = await startRequest(desk, { citizen: { idNumber, fullName: 'Đã Có', birthDate: '1990-01-01', phone: '0987001105', email: null } });
    const view = await r.handle.result();
    expect(view.status).to.equal('account_exists');
    expect(view.endReason?.vi).to.include('đã có tài khoản');
    expect(view.existingAccount?.verifiedBy).to.equal('mobile');
    expect(await smsCount('0987001105', 'account-otp')).to.equal(0);
    expect(await desk.database.db.query('select count(*)::int as n from citizen_accounts where id_number = $1', [idNumber])).to.deep.equal([{ n: 1 }]);
  });

  it('refuses at the code when the citizen registered meanwhile', async () => {
    const idNumber = newCitizenId();
    const r = await startRequest(desk, { citizen: { idNumber, fullName: 'Hảng A Tủa', birthDate: '1990-05-05', phone: '0987001106', email: null } });
    await until(r.view, (v) => v.status === 'awaiting_otp');
    await send(r);
    await desk.database.db.query(
      `insert into citizen_accounts (kind, username, id_number, full_name, full_name_search, birth_date, phone, assurance_level, verified_by, created_at)
       values ('citizen', $1, $1, 'Hảng A Tủa', 'hang a tua', '1990-05-05', '0987001106', 'IAL2', 'mobile', now())`,
      [idNumber],
    );
    expect((await failureOf(confirm(r, await latestCode(desk, '0987001106')))).code).to.equal('ACCOUNT_EXISTS');
    expect((await r.handle.result()).status).to.equal('account_exists');
    expect(await smsCount('0987001106', 'account-password')).to.equal(0);
  });

  it('ends by itself when nobody touches it for 30 minutes', async function () {
    await requireTimeSkipping(this);
    const r = await startRequest(desk, { citizen: { idNumber: newCitizenId(), fullName: 'Tẩn Láo Lở', birthDate: '1990-06-06', phone: '0987001107', email: null } });
    await until(r.view, (v) => v.status === 'awaiting_otp');
    await send(r);
    await desk.env.sleep(29 * MINUTE);
    expect((await r.view()).status).to.equal('awaiting_otp');
    await desk.env.sleep(2 * MINUTE);
    const view = await r.handle.result();
    expect(view.status).to.equal('abandoned');
    const row: Array<{ status: string; end_reason: string }> = await desk.database.db.query('select status, end_reason from account_requests where request_id = $1', [r.requestId]);
    expect(row[0]!.status).to.equal('abandoned');
    expect(row[0]!.end_reason).to.include('30 phút');
  });

  it('is cancelled by the officer with a reason', async () => {
    const r = await startRequest(desk);
    await until(r.view, (v) => v.status === 'awaiting_otp');
    const view = await r.handle.executeUpdate(cancelRequestUpdate, { args: [{ ...officer(), reason: 'Công dân đổi ý' }] });
    expect(view.status).to.equal('cancelled');
    expect((await r.handle.result()).endReason?.vi).to.include('Công dân đổi ý');
    expect((await failureOf(send(r))).code).to.equal('CLOSED');
  });

  it('creates the account once and sends its password once although both activities are retried', async () => {
    const idNumber = newCitizenId();
    const r = await startRequest(desk, {
      citizen: { idNumber, fullName: 'Thử Lại Một Lần', birthDate: '1990-08-08', phone: '0987001108', email: null },
      unit: { id: desk.org.deskA, code: '000.15.43.H35.01', name: 'Bộ phận Một cửa (thử lại)' },
    });
    await until(r.view, (v) => v.status === 'awaiting_otp');
    await send(r);
    expect((await confirm(r, await latestCode(desk, '0987001108'))).status).to.equal('created');
    const view = await r.handle.result();
    expect(failedOnce).to.deep.equal({ password: 1, create: 1 });
    expect(view.account?.passwordSms).to.equal('already_sent');
    expect(await desk.database.db.query('select count(*)::int as n from citizen_accounts where id_number = $1', [idNumber])).to.deep.equal([{ n: 1 }]);
    const sms: Array<{ body: string }> = await desk.database.db.query(`select body from sms_outbox where to_phone = '0987001108' and purpose = 'account-password'`);
    expect(sms).to.have.length(1);
    const hash: Array<{ password_hash: string }> = await desk.database.db.query('select password_hash from citizen_accounts where id_number = $1', [idNumber]);
    expect(await verifyPassword(hash[0]!.password_hash, /Mật khẩu tạm thời: (\S+)/.exec(sms[0]!.body)![1]!)).to.equal(true);
  });
});

export type { Desk };
