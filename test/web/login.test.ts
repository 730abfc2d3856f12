/**
 * The officer's way in, in a real browser: the login form, the SMS code read from the outbox as
 * the officer reads his phone, a wrong code's message next to the field, the inbox, and the switch
 * to English.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { startCaseApp, type CaseApp } from '../support/caseApp';
import { createTestOfficer, lastOtp, TEST_PASSWORD } from '../support/identityApp';
import { closeBrowser, newPage, screenshot } from './browser';

describe('web UI: officer login (real browser)', function () {
  this.timeout(120_000);
  let app: CaseApp;

  before(async () => {
    app = await startCaseApp({}, { web: true });
    await createTestOfficer(app.ctx.db, { username: 'hoa.lt', fullName: 'Lò Thị Hoa', rights: ['CERT_CREATE'], unitIds: [app.org.deskA], phone: '0912000501' });
  });
  after(async () => {
    await closeBrowser();
    await app?.close();
  });

  it('logs in with password and SMS code, shows the inbox, and tells a wrong code in Vietnamese', async () => {
    const page = await newPage(app.baseUrl);
    await page.goto('/');
    await page.getByLabel('Tên đăng nhập').fill('hoa.lt');
    await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
    await screenshot(page, '01-dang-nhap');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByLabel('Mã OTP').waitFor();
    const code = await lastOtp(app, '0912000501');
    await page.getByLabel('Mã OTP').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    const wrong = page.getByRole('alert');
    await wrong.waitFor();
    expect(await wrong.textContent()).to.match(/Mã OTP không đúng|không đúng/);
    await screenshot(page, '02-sai-ma-otp');
    await page.getByLabel('Mã OTP').fill(code);
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await page.getByRole('heading', { name: 'Hồ sơ cần xử lý' }).waitFor();
    expect(await page.locator('.officer-name').textContent()).to.equal('Lò Thị Hoa');
    await screenshot(page, '03-hop-thu-cong-viec');
    await page.getByRole('button', { name: 'language' }).click();
    await page.getByRole('heading', { name: 'Task inbox' }).waitFor();
    expect(existsSync(await screenshot(page, '04-inbox-english'))).to.equal(true);
    await page.context().close();
  });
});
