/**
 * A citizen account opened at the one-stop desk in a real browser (seed 000 part B): the officer
 * logs in with the code read on the dev SMS inbox, looks the ID number up, fills the form, meets
 * the 5 MB limit of the ID scan, uploads the scan, downloads the request form, sends the code,
 * types a wrong one, reads the right one on the SMS outbox screen as the citizen reads his phone,
 * and opens the account; the list then shows it, and a second lookup says it exists.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import type { CaseApp } from '../support/caseApp';
import { createTestOfficer, lastOtp, TEST_PASSWORD } from '../support/identityApp';
import { idCardPdf, PNG } from '../support/officeFiles';
import { screenshot } from './browser';
import { logInThroughForm, startWebOffice, type WebOffice } from './webOffice';

const OFFICER_PHONE = '0912000701';
const CITIZEN = { idNumber: '001190012345', fullName: 'Vàng Thị Mai', birthDate: '04/04/1990', phone: '0987 111 333', normalizedPhone: '0987111333', email: 'mai.vt@example.vn' };

/** The newest SMS to `phone` of `purpose` as the dev inbox screen shows it, in a tab of its own. */
async function readSmsScreen(context: BrowserContext, phone: string, purpose: string, shot?: string): Promise<string> {
  const inbox = await context.newPage();
  await inbox.goto('/#/dev/sms');
  await inbox.getByRole('heading', { name: 'Hộp thư SMS thử nghiệm' }).waitFor();
  await inbox.getByLabel('Lọc theo số điện thoại').fill(phone);
  await inbox.getByRole('button', { name: 'Lọc' }).click();
  const row = inbox.locator(`tr[data-phone="${phone.replace(/\s/g, '')}"][data-purpose="${purpose}"]`).first();
  await row.waitFor();
  const body = (await row.locator('.dev-sms-body').textContent()) ?? '';
  if (shot) await screenshot(inbox, shot);
  await inbox.close();
  return body;
}

const sixDigits = (text: string) => /\b(\d{6})\b/.exec(text)?.[1];

describe('web UI: citizen account at the one-stop desk (real browser)', function () {
  this.timeout(180_000);
  let office: WebOffice;
  let app: CaseApp;
  let page: Page;

  before(async () => {
    office = await startWebOffice();
    app = office.app;
    app.ctx.devInboxes = true;
    await createTestOfficer(app.ctx.db, { username: 'motcua.thu', fullName: 'Lường Thị Thu', rights: ['ACCOUNT_CREATE'], unitIds: [app.org.deskA], phone: OFFICER_PHONE });
    page = await office.newPage();
  });
  after(async () => office?.close());

  it('logs in with the code read on the dev SMS inbox, reachable before login', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Hộp thư SMS' }).waitFor();
    await page.getByLabel('Tên đăng nhập').fill('motcua.thu');
    await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByLabel('Mã OTP').waitFor();
    const sms = await readSmsScreen(page.context(), OFFICER_PHONE, 'login-otp', 'accounts-01-hop-thu-sms-dang-nhap');
    const code = sixDigits(sms);
    expect(code).to.equal(await lastOtp(app, OFFICER_PHONE));
    await page.getByLabel('Mã OTP').fill(code!);
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await page.getByRole('link', { name: 'Tạo tài khoản công dân' }).click();
    await page.getByRole('heading', { name: 'Tạo tài khoản công dân' }).waitFor();
    await page.getByText('Không tìm thấy tài khoản thỏa mãn các tiêu chí trên').waitFor();
    expect(await page.locator('.accounts-grid thead th').allTextContents()).to.deep.equal(['STT', 'Tên công dân', 'CMND/CCCD', 'Số điện thoại', 'Cán bộ tạo', 'Đơn vị', 'Theo dõi']);
    await screenshot(page, 'accounts-02-danh-sach-trong');
  });

  it('looks the number up, refuses a 6 MB scan next to its field (one file, not split), and starts the request', async () => {
    await page.getByRole('button', { name: 'Thêm mới' }).click();
    await page.getByLabel('Số CMND/CCCD').fill(CITIZEN.idNumber);
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.getByText(`Chưa có tài khoản với số CCCD/CMND ${CITIZEN.idNumber}: có thể tạo mới.`).waitFor();
    expect(await page.getByLabel('Số CMND/CCCD').inputValue()).to.equal(CITIZEN.idNumber);
    await page.getByLabel('Họ và tên').fill(CITIZEN.fullName);
    await page.getByLabel('Ngày sinh').fill(CITIZEN.birthDate);
    await page.getByLabel(/^Số điện thoại \*/).fill(CITIZEN.phone);
    await page.getByLabel('Email').fill(CITIZEN.email);
    expect(await page.getByLabel('Cán bộ', { exact: true }).inputValue()).to.equal('Lường Thị Thu');
    // The desk is the officer's only one-stop unit: chosen already.
    expect(await page.getByLabel('Đơn vị').inputValue()).to.equal(app.org.deskA);

    const scanField = page.locator('label.field', { hasText: 'Đính kèm CCCD/CMND' });
    expect(await scanField.getByTestId('file-picker-name').textContent()).to.equal('Chưa chọn tệp');
    const oversized = Buffer.alloc(6 * 1024 * 1024, 0x20);
    await page.getByLabel('Đính kèm CCCD/CMND').setInputFiles({ name: 'CCCD.pdf', mimeType: 'application/pdf', buffer: oversized });
    const scanError = scanField.locator('.field-error');
    await scanError.waitFor();
    // One file with both sides is what is asked for: the message does not suggest splitting it.
    const tooBig = (await scanError.textContent())!;
    expect(tooBig).to.match(/^Tệp bản quét CCCD\/CMND quá lớn \(6 MB\): dung lượng tối đa cho phép là 5 MB/);
    expect(tooBig).to.include('vẫn giữ hai mặt thẻ trong một tệp').and.not.include('nhiều tệp');
    expect(await scanField.getByTestId('file-picker-name').textContent()).to.equal('CCCD.pdf');
    await screenshot(page, 'accounts-03-tep-qua-lon');
    // What only the content tells — a photo named .pdf — is the API's refusal, shown at the same place.
    await page.getByLabel('Đính kèm CCCD/CMND').setInputFiles({ name: 'CCCD.pdf', mimeType: 'application/pdf', buffer: PNG });
    await scanField.locator('.field-error', { hasText: 'PNG' }).waitFor();

    await page.getByLabel('Đính kèm CCCD/CMND').setInputFiles({ name: 'CCCD 2 mặt.pdf', mimeType: 'application/pdf', buffer: await idCardPdf(2) });
    await page.getByTestId('id-scan-attached').waitFor();
    expect(await page.getByTestId('id-scan-attached').textContent()).to.include('CCCD 2 mặt.pdf').and.include('2 trang');
    expect(await scanField.locator('.field-error').count()).to.equal(0);
    expect(await scanField.locator('.field-hint').textContent()).to.equal('Đề nghị đính kèm 1 file định dạng file doc, docx, pdf gồm 2 mặt CCCD/CMND');
    await screenshot(page, 'accounts-04-form-tao-tai-khoan');

    await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
    await page.getByTestId('request-status').filter({ hasText: 'Chờ xác nhận OTP' }).waitFor();
    expect(page.url()).to.match(/#\/accounts\/requests\/TK-\d{6}-[0-9A-F]{6}$/);
  });

  it('downloads the request form, sends the code with its countdown, and tells a wrong code next to the box', async () => {
    const [download, form] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForResponse((r) => r.url().endsWith('/form')),
      page.getByRole('button', { name: 'Tải xuống' }).click(),
    ]);
    expect(form.status()).to.equal(200);
    expect(form.headers()['content-type']).to.equal('application/pdf');
    // Saved under the request's name, not opened as a blob tab with a random one.
    const requestId = /TK-\d{6}-[0-9A-F]{6}$/.exec(page.url())![0];
    expect(download.suggestedFilename()).to.equal(`giay-de-nghi-tao-tai-khoan-${requestId}.pdf`);
    expect(readFileSync(await download.path()).subarray(0, 5).toString()).to.equal('%PDF-');

    expect(await page.locator('.acc-otp-text').textContent()).to.equal(
      'Anh/chị nhập mã OTP gồm 6 số đã được gửi tới số điện thoại đăng ký của công dân (OTP chỉ có hiệu lực trong vòng 2 phút)',
    );
    await page.getByRole('button', { name: 'Gửi mã OTP' }).click();
    const countdown = page.getByTestId('otp-countdown');
    await countdown.filter({ hasText: 'còn hiệu lực' }).waitFor();
    expect(await countdown.textContent()).to.match(/^Mã OTP còn hiệu lực (2:00|1:[0-5]\d)$/);
    // Re-sending waits for its turn.
    expect(await page.getByRole('button', { name: 'Gửi mã OTP' }).isDisabled()).to.equal(true);
    expect(await page.getByTestId('otp-pacing').textContent()).to.match(/Đã gửi 1 lần.*Có thể gửi lại sau \d+ giây/);
    await screenshot(page, 'accounts-05-da-gui-otp');

    const code = await lastOtp(app, CITIZEN.normalizedPhone);
    await page.getByLabel('Nhập OTP').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    const otpError = page.locator('label.field', { hasText: 'Nhập OTP' }).locator('.field-error');
    await otpError.waitFor();
    expect(await otpError.textContent()).to.match(/^Mã OTP không đúng.*Còn 4 lần nhập\.$/);
    await screenshot(page, 'accounts-06-sai-otp');
  });

  it('opens the account with the code read on the SMS outbox screen; the list shows it', async () => {
    const sms = await readSmsScreen(page.context(), CITIZEN.normalizedPhone, 'account-otp', 'accounts-07-hop-thu-sms-otp');
    const code = sixDigits(sms);
    expect(code).to.equal(await lastOtp(app, CITIZEN.normalizedPhone));
    await page.getByLabel('Nhập OTP').fill(code!);
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    const created = page.getByTestId('account-created');
    await created.filter({ hasText: 'đã được gửi qua SMS' }).waitFor();
    expect(await created.textContent()).to.include(`Tên đăng nhập: ${CITIZEN.idNumber}`).and.include(`Mật khẩu đăng nhập tạm thời đã được gửi qua SMS tới số ${CITIZEN.normalizedPhone}`);
    expect(await page.getByTestId('request-status').textContent()).to.equal('Đã tạo tài khoản');
    await screenshot(page, 'accounts-08-da-tao-tai-khoan');
    expect(await readSmsScreen(page.context(), CITIZEN.normalizedPhone, 'account-password')).to.include('Mật khẩu tạm thời');

    await page.getByRole('link', { name: 'Danh sách tài khoản' }).click();
    const row = page.locator('.accounts-grid tbody tr', { hasText: CITIZEN.idNumber });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 6)).to.deep.equal(['1', `${CITIZEN.fullName}Ngày sinh 04/04/1990`, CITIZEN.idNumber, CITIZEN.normalizedPhone, 'Lường Thị Thu', 'Bộ phận Một cửa xã Nùng Năng']);
    expect(await page.getByText('Tìm thấy 1 kết quả').count()).to.equal(1);
    await screenshot(page, 'accounts-09-danh-sach');

    // Filters: the name without its marks finds it; a range that ends before it does not.
    await page.getByLabel('Tên công dân').fill('vang thi mai');
    await page.getByLabel('Cán bộ tạo').selectOption({ label: 'Lường Thị Thu' });
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.getByText('Tìm thấy 1 kết quả').waitFor();
    await page.getByLabel('Đến ngày').fill('31/12/2020');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.getByText('Không tìm thấy tài khoản thỏa mãn các tiêu chí trên').waitFor();
    expect(await page.getByText('Tìm thấy 0 kết quả').count()).to.equal(1);
  });

  it('tells the officer that the number has an account, and offers no form', async () => {
    await page.getByRole('button', { name: 'Thêm mới' }).click();
    await page.getByLabel('Số CMND/CCCD').fill(CITIZEN.idNumber);
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    const exists = page.getByTestId('account-exists');
    await exists.waitFor();
    expect(await exists.textContent()).to.include(`Số CCCD/CMND ${CITIZEN.idNumber} đã có tài khoản: thông báo cho công dân, không tạo mới.`);
    expect(await page.getByLabel('Họ và tên').count()).to.equal(0);
    await screenshot(page, 'accounts-10-da-co-tai-khoan');
  });

  it('says why an officer outside every one-stop desk cannot choose the unit', async () => {
    await createTestOfficer(app.ctx.db, { username: 'xa.lan', fullName: 'Phạm Văn Lân', rights: ['ACCOUNT_CREATE'], unitIds: [app.org.communeA], phone: '0912000702' });
    const other = await office.newPage();
    await logInThroughForm(other, app, 'xa.lan', '0912000702');
    await other.getByRole('link', { name: 'Tạo tài khoản công dân' }).click();
    await other.getByRole('button', { name: 'Thêm mới' }).click();
    await other.getByLabel('Số CMND/CCCD').fill('001190054321');
    await other.getByRole('button', { name: 'Tra cứu' }).click();
    const unitError = other.locator('label.field', { hasText: 'Đơn vị' }).locator('.field-error');
    await unitError.waitFor();
    expect(await unitError.textContent()).to.include('chưa được gán vào đơn vị “Bộ phận Một cửa” hoặc “Trung tâm Phục vụ hành chính công”');
    expect(await other.getByLabel('Đơn vị').isDisabled()).to.equal(true);
    expect(await other.getByRole('button', { name: 'Lưu và tiếp tục' }).isDisabled()).to.equal(true);
    await screenshot(other, 'accounts-11-chua-gan-mot-cua');
    await other.context().close();
  });
});
