/**
 * Land financial obligations in a real browser (seed 003 Phụ lục 1 step d): the citizen looks the
 * dossier up on the portal — a wrong code told in Vietnamese, then the seed's table — chooses a
 * notice, pays on the gateway page and comes back to the result with the receipt; the one-stop
 * desk sees the payment, its receipt and its delivery to the locality. Screenshots dat-dai-*.png.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { citizenToken, portalCitizen } from '../support/appointments';
import { caseThrough } from '../support/caseApp';
import { startCitizenSession } from '../../api/citizen/citizenAuth';
import { attachLandServices, type LandTestServices } from '../support/land';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';

describe('web UI: paying land financial obligations on the portal, seen at the desk (real browser)', function () {
  this.timeout(240_000);
  let office: WebOffice;
  let land: LandTestServices;
  let citizenPage: Page;
  let deskPage: Page;
  let orderId = '';

  before(async () => {
    office = await startWebOffice('land');
    land = await attachLandServices(office.app);
    await office.officer('desk', 'Trần Ngọc Lan', ['CERT_CREATE'], [office.app.org.deskA]);
    const token = await citizenToken(office.app, await portalCitizen(office.app, 'Giàng A Páo'));
    citizenPage = await office.newPage();
    await citizenPage.addInitScript({ content: `sessionStorage.setItem('chungthuc.citizenToken', ${JSON.stringify(token)});` });
    deskPage = await office.pageAs('desk');
  });
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    await screenshot(citizenPage, 'dat-dai-failed-citizen');
    await screenshot(deskPage, 'dat-dai-failed-desk');
  });
  after(async () => {
    await land?.close();
    await office?.close();
  });

  it('looks the dossier up by Mã hồ sơ + CCCD: a wrong code is told plainly, then the property and the notices as in the seed', async () => {
    await citizenPage.goto('/#/portal/dat-dai');
    await citizenPage.getByRole('link', { name: 'Nghĩa vụ đất đai' }).waitFor();
    await citizenPage.locator('input[name=dossierCode]').fill('H35.15-DD-2026-999999');
    await citizenPage.locator('input[name=idNumber]').fill('012090001234');
    await citizenPage.getByRole('button', { name: 'Tra cứu' }).click();
    await citizenPage.locator('.problem').getByText('Không tìm thấy hồ sơ H35.15-DD-2026-999999').waitFor();
    await citizenPage.locator('input[name=idNumber]').fill('01209');
    await citizenPage.getByRole('button', { name: 'Tra cứu' }).click();
    await citizenPage.locator('.field-error').getByText('số CCCD gồm 12 chữ số, số CMND gồm 9 chữ số').waitFor();
    await screenshot(citizenPage, 'dat-dai-tra-cuu-loi');
    await citizenPage.locator('input[name=dossierCode]').fill('H35.15-DD-2026-000123');
    await citizenPage.locator('input[name=idNumber]').fill('012090001234');
    await citizenPage.getByRole('button', { name: 'Tra cứu' }).click();
    const table = citizenPage.getByTestId('notices');
    await table.waitFor();
    const text = await table.innerText();
    for (const s of ['Chọn thanh toán', 'Người nộp thuế', 'Số thông báo', 'Nội dung các khoản nộp NSNN', 'Lệ phí trước bạ nhà đất', '1.378.500', 'Thuế thu nhập từ chuyển nhượng bất động sản', '5.514.000', 'Tổng tiền']) {
      expect(text).to.contain(s);
    }
    expect(await citizenPage.getByText('Thông tin tài sản').count()).to.equal(1);
    await screenshot(citizenPage, 'dat-dai-tra-cuu');
  });

  it('pays the chosen notice on the gateway page and comes back to the result with the receipt', async () => {
    await citizenPage.getByRole('radio', { name: 'TNCN-2026-0001' }).check();
    await citizenPage.getByRole('button', { name: 'Thanh toán' }).click();
    await citizenPage.waitForURL(/\/pay\/local/);
    expect(await citizenPage.locator('#amount').innerText()).to.contain('5.514.000');
    await screenshot(citizenPage, 'dat-dai-cong-thanh-toan');
    await citizenPage.getByRole('button', { name: 'Thanh toán' }).click();
    await citizenPage.waitForURL(/#\/portal\/dat-dai\/ket-qua\//);
    orderId = citizenPage.url().split('/').pop()!;
    const outcome = citizenPage.getByTestId('land-outcome');
    await citizenPage.locator('[data-testid=land-outcome][data-status=paid]').waitFor();
    await citizenPage.getByRole('button', { name: 'Xem biên lai' }).waitFor({ timeout: 20_000 });
    expect(await outcome.innerText()).to.contain('Thanh toán thành công').and.to.contain('BL-DD-');
    await screenshot(citizenPage, 'dat-dai-ket-qua');
    await citizenPage.goto('/#/portal/documents');
    await citizenPage.getByTestId('documents').getByText('Biên lai nghĩa vụ tài chính đất đai').waitFor();
    await screenshot(citizenPage, 'dat-dai-giay-to-cua-toi');
  });

  it('shows the desk the payment, its receipt and its delivery to the locality', async () => {
    for (let i = 0; i < 100 && land.tax.received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await deskPage.goto('/#/land-payments');
    const list = deskPage.getByTestId('land-payments');
    await list.waitFor();
    expect(await list.innerText()).to.contain('H35.15-DD-2026-000123').and.to.contain('Đã thanh toán').and.to.contain('Đã gửi về địa phương');
    await screenshot(deskPage, 'dat-dai-mot-cua-danh-sach');
    await deskPage.getByRole('link', { name: 'H35.15-DD-2026-000123' }).click();
    await deskPage.waitForURL(new RegExp(`#/land-payments/${orderId}`));
    const detail = deskPage.getByTestId('land-payment');
    await detail.getByText('Hệ thống của địa phương đã nhận biên lai').waitFor();
    expect(await detail.innerText()).to.contain('5.514.000').and.to.contain('Thuế thu nhập từ chuyển nhượng bất động sản');
    await deskPage.getByRole('button', { name: 'Xem biên lai' }).waitFor();
    await screenshot(deskPage, 'dat-dai-mot-cua-chi-tiet');
  });

  it('lets the desk issue a payment link for a case’s fee; once paid on the gateway page the case shows its fee receipt', async () => {
    const code = await caseThrough(office.app, { receiver: office.tokens.desk! }, [], 'phi-web');
    await deskPage.goto(`/#/cases/${code}`);
    await deskPage.getByTestId('fee-receipt').getByRole('button', { name: 'Thanh toán trực tuyến…' }).click();
    const href = await deskPage.getByTestId('fee-pay-url').getAttribute('href');
    expect(href).to.contain('/pay/local?');
    await screenshot(deskPage, 'phi-chung-thuc-duong-dan');
    // The case's own citizen (the requester's ID number) pays and reads the result on the portal.
    const rows: Array<{ id: string }> = await office.app.ctx.db.query(
      `insert into citizen_accounts (kind, username, id_number, full_name, full_name_search, birth_date, phone, assurance_level, verified_by, created_at)
       values ('citizen', '012090001234', '012090001234', 'Giàng A Páo', 'giang a pao', '1990-05-12', '0987654321', 'IAL2', 'mobile', now()) returning id`,
    );
    const requester = await office.newPage();
    const token = (await startCitizenSession(office.app.ctx, rows[0]!.id, 'password', null)).token;
    await requester.addInitScript({ content: `sessionStorage.setItem('chungthuc.citizenToken', ${JSON.stringify(token)});` });
    await requester.goto(href!);
    await requester.getByRole('button', { name: 'Thanh toán' }).click();
    await requester.locator('[data-testid=land-outcome][data-status=paid]').waitFor();
    await requester.getByRole('button', { name: 'Xem biên lai' }).waitFor({ timeout: 20_000 });
    expect(await requester.getByRole('heading', { level: 1 }).innerText()).to.contain('Kết quả thanh toán phí chứng thực');
    await screenshot(requester, 'phi-chung-thuc-ket-qua');
    await deskPage.getByTestId('receipt-no').waitFor({ timeout: 20_000 });
    expect(await deskPage.getByTestId('fee-receipt').innerText()).to.contain('Chuyển khoản').and.to.contain('Thanh toán trực tuyến');
    await screenshot(deskPage, 'phi-chung-thuc-da-thu');
  });
});
