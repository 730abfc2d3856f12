/**
 * The citizens' portal in a real browser: registration by mobile subscriber (a wrong captcha and a
 * weak password told beside their fields, the live password rule), login with the SMS code and
 * "Gửi lại OTP", the certified copy in "Giấy tờ của tôi" opened as its PDF, a notification marked
 * read, and the forced password change of an account opened at the one-stop desk.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { CaptchaService } from '../../infra/captcha/captcha';
import { FileStore } from '../../infra/fileStore';
import { textPagePdf } from '../../infra/pdf/simplePdf';
import { CAPTCHA_ANSWER, CITIZEN_PASSWORD, insertDeskAccount, newPerson, type Person } from '../support/citizenApp';
import { lastOtp, startTestApp, type TestApp } from '../support/identityApp';
import { closeBrowser, newPage, screenshot } from './browser';

describe('web UI: the citizens’ portal (real browser)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let filesDir: string;
  const pdf = textPagePdf(['Ban sao chung thuc dien tu', 'Giay khai sinh']);

  before(async () => {
    app = await startTestApp({}, { web: true });
    filesDir = mkdtempSync(join(tmpdir(), 'portal-web-files-'));
    app.ctx.files = new FileStore(app.ctx.db, app.clock, { dir: filesDir, maxBytes: 1024 * 1024 });
    app.ctx.captcha = new CaptchaService(app.ctx.db, app.clock, { text: () => CAPTCHA_ANSWER });
  });
  after(async () => {
    await closeBrowser();
    await app?.close();
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  /** A certified copy delivered under the citizen's ID number, as the sealing step files it. */
  async function deliverCopy(idNumber: string, caseCode: string, title: string): Promise<string> {
    const relative = join('cases', caseCode, 'ban-sao.pdf');
    mkdirSync(dirname(join(filesDir, relative)), { recursive: true });
    writeFileSync(join(filesDir, relative), pdf);
    const rows: Array<{ id: string }> = await app.ctx.db.query(
      `insert into case_documents (case_code, unit_id, kind, holder_kind, holder_id, role, title, path, sha256, bytes, created_at)
       values ($1, $2, 'certified_copy', 'citizen', $3, 'citizen', $4, $5, $6, $7, $8) returning id`,
      [caseCode, app.org.communeA, idNumber, title, relative, createHash('sha256').update(pdf).digest('hex'), pdf.length, app.clock.now()],
    );
    return rows[0].id;
  }

  async function notify(idNumber: string, title: string): Promise<string> {
    const rows: Array<{ id: string }> = await app.ctx.db.query(
      `insert into citizen_notifications (id_number, kind, title, body, link, created_at)
       values ($1, 'copy_ready', $2, 'Bản sao chứng thực điện tử của anh/chị đã sẵn sàng.', null, $3) returning id`,
      [idNumber, title, app.clock.now()],
    );
    return rows[0].id;
  }

  const alertIn = (page: Page, fieldLabel: RegExp) => page.locator('label.field', { hasText: fieldLabel }).locator('.field-error');

  it('registers by mobile subscriber, logs in with the SMS code, opens a certified copy and reads a notification', async () => {
    const person: Person = newPerson({ fullName: 'Lò Văn Minh', email: 'minh@example.vn' });
    const page = await newPage(app.baseUrl);
    await page.goto('/#/portal/register');
    await page.getByRole('heading', { name: 'Đăng ký tài khoản' }).waitFor();
    // No officer login stands in front of the portal.
    expect(await page.getByRole('heading', { name: 'Đăng nhập cán bộ' }).count()).to.equal(0);
    // Nothing a citizen cannot read: no API path, no technical word.
    expect(await page.locator('main').textContent()).to.not.match(/\/api\/|\bAPI\b|POST /);

    await page.getByLabel(/^Số CCCD/).fill(person.idNumber);
    await page.getByLabel(/^Họ và tên/).fill(person.fullName);
    await page.getByLabel(/^Ngày sinh/).fill(person.birthDate.split('-').reverse().join('/'));
    await page.getByLabel(/^Số điện thoại/).fill(person.phone);
    await page.getByLabel(/^Thư điện tử/).fill(person.email!);
    await page.getByRole('img', { name: 'Hình mã xác thực' }).waitFor();
    await page.getByLabel(/^Mã xác thực/).fill('XYZ999');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    const captchaError = alertIn(page, /^Mã xác thực/);
    await captchaError.waitFor();
    expect(await captchaError.textContent()).to.match(/Mã xác thực \(captcha\) không đúng/);
    await screenshot(page, 'portal-01-dang-ky-sai-captcha');

    await page.getByLabel(/^Mã xác thực/).fill(CAPTCHA_ANSWER);
    await screenshot(page, 'portal-02-dang-ky-thong-tin');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.getByLabel(/^Mã OTP/).waitFor();
    await screenshot(page, 'portal-03-dang-ky-otp');
    await page.getByLabel(/^Mã OTP/).fill(await lastOtp(app, person.phone));
    await page.getByRole('button', { name: 'Xác nhận' }).click();

    const password = page.getByLabel(/^Mật khẩu/);
    await password.waitFor();
    await password.fill('matkhau12');
    await page.getByLabel(/^Nhập lại mật khẩu/).fill('matkhau12');
    const rule = page.getByRole('list', { name: 'Quy tắc mật khẩu' });
    expect(await rule.locator('li.missing').allTextContents()).to.deep.equal(['○ Có chữ hoa', '○ Có ký tự đặc biệt (! @ # $ % & * …)']);
    await page.getByRole('button', { name: 'Hoàn tất đăng ký' }).click();
    const weak = alertIn(page, /^Mật khẩu/);
    await weak.waitFor();
    expect(await weak.textContent()).to.match(/Mật khẩu chưa đạt yêu cầu, còn thiếu: chữ hoa, ký tự đặc biệt/);
    await screenshot(page, 'portal-04-mat-khau-yeu');
    expect((await app.ctx.db.query('select count(*)::int as n from citizen_accounts where username = $1', [person.idNumber]))[0].n).to.equal(0);

    await password.fill(CITIZEN_PASSWORD);
    await page.getByLabel(/^Nhập lại mật khẩu/).fill(CITIZEN_PASSWORD);
    expect(await rule.locator('li.missing').count()).to.equal(0);
    await page.getByRole('button', { name: 'Hoàn tất đăng ký' }).click();
    await page.getByText('Đăng ký tài khoản thành công').waitFor();
    await screenshot(page, 'portal-05-dang-ky-thanh-cong');
    const accounts: Array<{ verified_by: string; email: string }> = await app.ctx.db.query('select verified_by, email from citizen_accounts where username = $1', [person.idNumber]);
    expect(accounts).to.deep.equal([{ verified_by: 'mobile', email: 'minh@example.vn' }]);

    // A copy sealed for him and its notice, as the certification workflow leaves them.
    const documentId = await deliverCopy(person.idNumber, '000.15.43.H35-261123-0007', 'Bản sao Giấy khai sinh');
    const noticeId = await notify(person.idNumber, 'Bản sao chứng thực đã sẵn sàng');

    await page.locator('.success').getByRole('link', { name: 'Đăng nhập' }).click();
    await page.getByLabel(/^Số CCCD hoặc mã số thuế/).fill(person.idNumber);
    await page.getByLabel(/^Mật khẩu/).fill(CITIZEN_PASSWORD);
    await page.getByLabel(/^Mã xác thực/).fill(CAPTCHA_ANSWER);
    await screenshot(page, 'portal-06-dang-nhap');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByLabel(/^Mã OTP/).waitFor();
    const firstCode = await lastOtp(app, person.phone);

    // "Gửi lại OTP" too early is told beside the code; a minute later a new code replaces the first.
    await page.getByRole('button', { name: 'Gửi lại OTP' }).click();
    const tooSoon = alertIn(page, /^Mã OTP/);
    await tooSoon.waitFor();
    expect(await tooSoon.textContent()).to.match(/Vui lòng chờ \d+ giây nữa rồi nhấn "Gửi lại OTP"/);
    app.clock.advance(61_000);
    await page.getByRole('button', { name: 'Gửi lại OTP' }).click();
    await page.getByText('Đã gửi mã mới').waitFor();
    const secondCode = await lastOtp(app, person.phone);
    if (secondCode !== firstCode) {
      await page.getByLabel(/^Mã OTP/).fill(firstCode);
      await page.getByRole('button', { name: 'Xác nhận' }).click();
      const stale = alertIn(page, /^Mã OTP/);
      await stale.waitFor();
      expect(await stale.textContent()).to.match(/Mã OTP không đúng/);
    }
    await page.getByLabel(/^Mã OTP/).fill(secondCode);
    await page.getByRole('button', { name: 'Xác nhận' }).click();

    await page.getByRole('heading', { name: 'Giấy tờ của tôi' }).waitFor();
    expect(await page.locator('.citizen-name').textContent()).to.equal('Lò Văn Minh');
    const row = page.getByTestId('documents').getByRole('row', { name: /Bản sao Giấy khai sinh/ });
    expect(await row.textContent()).to.contain('000.15.43.H35-261123-0007');
    await screenshot(page, 'portal-07-giay-to-cua-toi');

    const response = page.waitForResponse((r) => r.url().endsWith(`/api/citizen/documents/${documentId}`));
    const saved = page.waitForEvent('download');
    await row.getByRole('button', { name: 'Tải về' }).click();
    const pdfResponse = await response;
    expect(pdfResponse.status()).to.equal(200);
    expect(pdfResponse.headers()['content-type']).to.match(/^application\/pdf/);
    // Saved under the case's name: the copy's own bytes.
    const download = await saved;
    expect(download.suggestedFilename()).to.equal('000.15.43.H35-261123-0007-ban-sao-chung-thuc.pdf');
    expect(readFileSync(await download.path()).equals(pdf)).to.equal(true);
    const audit: Array<{ actor_name: string; target: string }> = await app.ctx.db.query(`select actor_name, target from audit_log where action = 'citizen.document.read'`);
    expect(audit).to.deep.equal([{ actor_name: `citizen:${person.idNumber}`, target: 'case:000.15.43.H35-261123-0007' }]);

    await page.getByRole('link', { name: 'Thông báo (1)' }).click();
    const notice = page.getByTestId('notifications').getByRole('listitem').filter({ hasText: 'Bản sao chứng thực đã sẵn sàng' });
    await notice.waitFor();
    await screenshot(page, 'portal-08-thong-bao');
    await notice.getByRole('button', { name: 'Đánh dấu đã đọc' }).click();
    await notice.getByText(/Đã đọc lúc/).waitFor();
    await page.getByRole('link', { name: 'Thông báo', exact: true }).waitFor();
    const read: Array<{ read_at: Date | null }> = await app.ctx.db.query('select read_at from citizen_notifications where id = $1', [noticeId]);
    expect(read[0].read_at).to.be.instanceOf(Date);

    await page.getByRole('link', { name: 'Tài khoản' }).click();
    await page.getByRole('heading', { name: 'Thông tin tài khoản' }).waitFor();
    expect(await page.locator('.details').textContent()).to.contain(person.phone);
    await screenshot(page, 'portal-09-tai-khoan');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('heading', { name: 'Đăng nhập Cổng dịch vụ công' }).waitFor();
    await page.context().close();
  });

  it('makes an account opened at the desk change its password before anything else', async () => {
    const person = newPerson({ fullName: 'Giàng Thị Mai' });
    await insertDeskAccount(app, person, 'TamThoi@123');
    const page = await newPage(app.baseUrl);
    await page.goto('/#/portal/login');
    await page.getByLabel(/^Số CCCD hoặc mã số thuế/).fill(person.idNumber);
    await page.getByLabel(/^Mật khẩu/).fill('TamThoi@123');
    await page.getByLabel(/^Mã xác thực/).fill(CAPTCHA_ANSWER);
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByLabel(/^Mã OTP/).waitFor();
    await page.getByLabel(/^Mã OTP/).fill(await lastOtp(app, person.phone));
    await page.getByRole('button', { name: 'Xác nhận' }).click();

    await page.getByRole('heading', { name: 'Đổi mật khẩu lần đầu' }).waitFor();
    // Nothing else is offered until the password is changed, even by address.
    expect(await page.getByRole('link', { name: 'Giấy tờ của tôi' }).count()).to.equal(0);
    await page.goto('/#/portal/documents');
    await page.getByRole('heading', { name: 'Đổi mật khẩu lần đầu' }).waitFor();
    await page.getByLabel(/^Mật khẩu nhận qua SMS/).fill('SaiMatKhau@1');
    await page.getByLabel(/^Mật khẩu mới/).fill('MatKhauMoi@2026');
    await page.getByLabel(/^Nhập lại mật khẩu/).fill('MatKhauMoi@2026');
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    const wrong = alertIn(page, /^Mật khẩu nhận qua SMS/);
    await wrong.waitFor();
    expect(await wrong.textContent()).to.equal('Mật khẩu hiện tại không đúng.');
    await screenshot(page, 'portal-10-doi-mat-khau-lan-dau');

    await page.getByLabel(/^Mật khẩu nhận qua SMS/).fill('TamThoi@123');
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.getByRole('heading', { name: 'Giấy tờ của tôi' }).waitFor();
    await page.getByText('Chưa có bản sao chứng thực nào').waitFor();
    const flags: Array<{ must_change_password: boolean }> = await app.ctx.db.query('select must_change_password from citizen_accounts where username = $1', [person.idNumber]);
    expect(flags[0].must_change_password).to.equal(false);
    await page.context().close();
  });
});
