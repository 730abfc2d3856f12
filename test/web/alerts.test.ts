/**
 * Error-alert subscriptions in a real browser: the province administrator registers two phones
 * and an e-mail ("+ Thêm mới"), a wrong phone is told at its field, each address is confirmed with
 * the code read from the local SMS outbox and the mailbox, then an alert fires and the alert list
 * shows its delivery per address.
 */
import { expect } from 'chai';
import type { TestApp } from '../support/identityApp';
import { alertRig, mailCode, smsCode, type AlertRig } from '../alerts/alertWorld';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';

describe('web UI: error-alert subscriptions (real browser)', function () {
  this.timeout(180_000);
  let office: WebOffice;
  let rig: AlertRig;

  before(async () => {
    office = await startWebOffice('alerts');
    rig = await alertRig(office.app as unknown as TestApp);
    await office.officer('tinh', 'Quản trị Tỉnh', ['USER_ADMIN'], [office.app.org.province]);
  });
  after(async () => {
    await rig?.close();
    await office?.close();
  });

  it('registers, confirms by code, pauses, and lists an alert with its delivery status', async () => {
    const page = await office.pageAs('tinh');
    await page.goto('/#/alerts');
    await page.getByRole('button', { name: 'Đăng ký' }).click();
    const form = page.getByRole('form', { name: 'Đăng ký thông tin nhận cảnh báo lỗi' });
    await form.getByLabel('Loại dịch vụ').selectOption({ label: 'Gửi thư cho công dân' });
    await form.getByLabel('Số điện thoại 1').fill('0912 345 678');
    await form.getByRole('button', { name: '+ Thêm mới' }).first().click();
    await form.getByLabel('Số điện thoại 2').fill('123');
    await form.getByLabel('Email 1').fill('canhbao@laichau.gov.vn');
    await form.getByRole('button', { name: 'Lưu' }).click();
    await form.locator('.field-error').first().waitFor();
    await screenshot(page, 'canh-bao-loi-01-dang-ky-loi');
    await form.getByLabel('Số điện thoại 2').fill('0987654321');
    await form.getByRole('button', { name: 'Lưu' }).click();
    await page.getByTestId('confirm-0912345678').waitFor();
    await rig.dispatcher.runOnce();
    await screenshot(page, 'canh-bao-loi-02-cho-xac-nhan');

    const db = office.app.ctx.db;
    for (const [address, code] of [
      ['0912345678', await smsCode(db, '0912345678')],
      ['0987654321', await smsCode(db, '0987654321')],
      ['canhbao@laichau.gov.vn', await mailCode(db, 'canhbao@laichau.gov.vn')],
    ] as const) {
      const box = page.getByTestId(`confirm-${address}`);
      await box.getByRole('textbox').fill(code);
      await box.getByRole('button', { name: 'Xác nhận' }).click();
      await box.waitFor({ state: 'detached' });
    }
    const table = page.getByTestId('alert-subscriptions');
    await table.getByText('đã xác nhận').nth(2).waitFor();
    expect(await table.locator('thead th').allInnerTexts()).to.deep.equal(['STT', 'Đơn vị nhận thông báo', 'Loại dịch vụ', 'Số điện thoại', 'Email', 'Theo dõi']);
    await screenshot(page, 'canh-bao-loi-03-danh-sach');

    await rig.raise({ kind: 'citizen-mail', failureKey: 'citizen-mail:HS-WEB-1', unitId: office.app.org.communeA, title: 'Không gửi được bản sao hồ sơ HS-WEB-1 qua email cho công dân', detail: 'ECONNREFUSED sau 30 lần thử', link: '/#/cases/HS-WEB-1' });
    await rig.sms.send('0900000000', 'x', 'warm-up');
    rig.sms.down = true;
    await rig.dispatcher.runOnce();
    await page.goto('/#/alerts/list');
    const alerts = page.getByTestId('alerts');
    await alerts.getByText('Không gửi được bản sao hồ sơ HS-WEB-1').waitFor();
    expect(await alerts.locator('[data-status="sent"]').count()).to.equal(1);
    expect(await alerts.locator('[data-status="pending"]').count()).to.equal(2);
    await screenshot(page, 'canh-bao-loi-04-canh-bao-da-phat');

    await page.goto('/#/alerts');
    await page.getByRole('button', { name: 'Tạm dừng' }).click();
    await page.getByTestId('alert-subscriptions').getByText('Tạm dừng', { exact: true }).first().waitFor();
    const status: Array<{ status: string }> = await db.query('select status from alert_subscriptions');
    expect(status).to.deep.equal([{ status: 'paused' }]);
  });
});
