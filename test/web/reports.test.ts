/**
 * The certification report screen in a real browser: a supervisor of the district picks the
 * district and a custom period, reads the figures per commune and the total, sees a period that
 * ends before it starts refused next to the date, cuts the report by month, and downloads the CSV
 * and the Excel file and opens the PDF.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { createTestOfficer, startTestApp, type TestApp } from '../support/identityApp';
import { seedReportCases } from '../reports/reportCases';
import { closeBrowser, newPage, screenshot } from './browser';
import { logInThroughForm } from './webOffice';

describe('web UI: certification report (real browser)', function () {
  this.timeout(120_000);
  let app: TestApp;

  before(async () => {
    app = await startTestApp({}, { web: true });
    await seedReportCases(app.ctx.db, app.org);
    await createTestOfficer(app.ctx.db, { username: 'binh.dt', fullName: 'Đỗ Thanh Bình', rights: ['CERT_REPORT'], unitIds: [app.org.district], phone: '0912000801' });
  });
  after(async () => {
    await closeBrowser();
    await app?.close();
  });

  async function logIn(page: Page): Promise<void> {
    await logInThroughForm(page, app, 'binh.dt', '0912000801');
    await page.getByRole('link', { name: 'Báo cáo' }).waitFor();
  }

  async function choosePeriod(page: Page, from: string, through: string): Promise<void> {
    await page.getByLabel('Kỳ báo cáo').selectOption({ label: 'Tùy chọn' });
    await page.getByRole('textbox', { name: 'Từ ngày' }).fill(from);
    await page.getByRole('textbox', { name: 'Đến hết ngày' }).fill(through);
  }

  const cells = async (page: Page, name: RegExp) => (await page.getByTestId('report').getByRole('row', { name }).locator('td').allTextContents()).map((c) => c.trim());

  it('shows the district’s figures per commune with the total, refuses a period that ends before it starts, and cuts it by month', async () => {
    const page = await newPage(app.baseUrl);
    await logIn(page);
    await page.getByRole('link', { name: 'Báo cáo' }).click();
    await page.getByRole('heading', { name: 'Báo cáo DVC chứng thực điện tử' }).waitFor();
    await page.getByLabel('Đơn vị').selectOption({ label: 'UBND huyện Tam Đường (000.00.43.H35)' });
    await choosePeriod(page, '01/10/2026', '30/11/2026');
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    await page.getByText('Kỳ báo cáo: từ ngày 01/10/2026 đến ngày 30/11/2026').waitFor();
    expect(await page.getByRole('heading', { name: 'UBND huyện Tam Đường' }).count()).to.equal(1);
    expect(await cells(page, /Nùng Năng/)).to.deep.equal(['1', 'UBND xã Nùng Năng', '8', '5', '3', '2', '60,0%', '1', '1', '3', '8', '3', '13.000 đ']);
    expect(await cells(page, /Bản Bo/)).to.deep.equal(['2', 'UBND xã Bản Bo', '3', '2', '1', '1', '50,0%', '0', '0', '1', '5', '1', '10.000 đ']);
    expect(await cells(page, /Tổng cộng/)).to.deep.equal(['', 'Tổng cộng', '11', '7', '4', '3', '57,1%', '1', '1', '4', '13', '4', '23.000 đ']);
    await screenshot(page, 'reports-01-bao-cao-huyen');

    // Through 30/09 from 01/12: the API's refusal, in Vietnamese, beside the end date.
    await choosePeriod(page, '01/12/2026', '30/09/2026');
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    const error = page.locator('.field.has-error .field-error');
    await error.waitFor();
    expect(await error.textContent()).to.contain('ngày kết thúc phải sau ngày bắt đầu');
    await screenshot(page, 'reports-02-ky-bao-cao-sai');

    await choosePeriod(page, '01/10/2026', '30/11/2026');
    await page.getByLabel('Chia theo tháng').check();
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    await page.getByTestId('report').getByRole('row', { name: /Cộng tháng 11\/2026/ }).waitFor();
    expect(await cells(page, /Cộng tháng 10\/2026/)).to.deep.equal(['', '10/2026', 'Cộng tháng 10/2026', '4', '4', '3', '1', '75,0%', '0', '0', '2', '8', '3', '21.000 đ']);
    expect(await cells(page, /Tổng cộng/)).to.deep.equal(['', '', 'Tổng cộng', '11', '7', '4', '3', '57,1%', '1', '1', '4', '13', '4', '23.000 đ']);
    await screenshot(page, 'reports-03-theo-thang');
    await page.context().close();
  });

  it('downloads the CSV, the Excel file and the PDF of the report on screen, named by unit and period', async () => {
    const page = await newPage(app.baseUrl);
    await logIn(page);
    await page.getByRole('link', { name: 'Báo cáo' }).click();
    await page.getByLabel('Đơn vị').selectOption({ label: 'UBND xã Nùng Năng (000.15.43.H35)' });
    await choosePeriod(page, '01/10/2026', '30/11/2026');
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    await page.getByText('Kỳ báo cáo: từ ngày 01/10/2026 đến ngày 30/11/2026').waitFor();

    const csvSaved = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Tải CSV' }).click();
    const csv = await csvSaved;
    expect(csv.suggestedFilename()).to.equal('bao-cao-chung-thuc_000.15.43.H35_2026-10-01_2026-11-30.csv');
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text.charCodeAt(0)).to.equal(0xfeff);
    expect(text).to.contain('1;000.15.43.H35;UBND xã Nùng Năng;8;5;3;2;1;1;3;8;3;13000');

    const xlsxSaved = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Tải Excel' }).click();
    const xlsx = await xlsxSaved;
    expect(xlsx.suggestedFilename()).to.equal('bao-cao-chung-thuc_000.15.43.H35_2026-10-01_2026-11-30.xlsx');
    expect(readFileSync(await xlsx.path()).subarray(0, 2).toString()).to.equal('PK');

    const pdfSaved = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Tải PDF để in' }).click();
    const pdf = await pdfSaved;
    expect(pdf.suggestedFilename()).to.equal('bao-cao-chung-thuc_000.15.43.H35_2026-10-01_2026-11-30.pdf');
    expect(readFileSync(await pdf.path()).subarray(0, 5).toString()).to.equal('%PDF-');
    await screenshot(page, 'reports-04-bao-cao-xa');
    await page.context().close();
  });
});
