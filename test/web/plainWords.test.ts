/**
 * The officers' screens in plain Vietnamese whatever the browser speaks (issue 17 items 8, 13, 14),
 * in an English-language browser (locale en-US): the file picker's button and its "no file" text,
 * dates typed and shown as dd/mm/yyyy with a Vietnamese calendar, an API refusal naming a field by
 * its label, the administrators' warning about a loopback public address, a dashboard chart whose
 * long labels are whole, and a header on one line at 1366 px for every role.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { RIGHT_CODES } from '../../domain/rights';
import { addDaysToDate, formatLocalDate } from '../../domain/calendar';
import { createPublicLinks } from '../../infra/publicLinks';
import { call, pdfBytes, receptionBody, uploadFile, type CaseApp } from '../support/caseApp';
import { sessionFor } from '../support/identityApp';
import { testEnv } from '../engine/harness';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';

const ENGLISH_BROWSER = 'en-US';

/** The header's height: one row of 48 px plus its padding, about 80 px when anything wraps. */
async function headerHeight(page: Page): Promise<number> {
  return (await page.locator('header.topbar').boundingBox())!.height;
}

/** Switches the page's language with the header's button ("English" / "Tiếng Việt"). */
async function switchTo(page: Page, lang: 'vi' | 'en'): Promise<void> {
  const button = page.locator('header button.lang');
  await button.click();
  await button.filter({ hasText: lang === 'en' ? 'Tiếng Việt' : 'English' }).waitFor();
}

describe('web UI: plain Vietnamese words in an English-language browser (real browser)', function () {
  this.timeout(180_000);
  let office: WebOffice;
  let app: CaseApp;

  before(async () => {
    office = await startWebOffice('pw');
    app = office.app;
    // As with `npm start`'s defaults: the header also carries the dev inboxes' links.
    app.ctx.devInboxes = true;
    await office.officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [app.org.deskA]);
    await office.officer('admin', 'Nguyễn Văn Quản', ['USER_ADMIN'], [app.org.district]);
    await office.officer('supervisor', 'Đỗ Thanh Bình', ['CASE_SUPERVISE', 'CERT_REPORT'], [app.org.district]);
    await office.officer('everything', 'Hoàng Văn Đủ', [...RIGHT_CODES], [app.org.deskA, app.org.communeA]);
  });

  after(async () => office?.close());

  it('shows the scan picker with a Vietnamese button and the chosen file’s name, in an English-language browser', async () => {
    const page = await office.pageAs('receiver', ENGLISH_BROWSER);
    expect(await page.evaluate('navigator.language')).to.equal('en-US');
    await page.goto('/#/receive');
    const field = page.locator('.cs-upload');
    await field.getByRole('button', { name: 'Chọn tệp…' }).waitFor();
    expect(await field.getByTestId('file-picker-name').textContent()).to.equal('Chưa chọn tệp');
    // The browser's own "Choose File" / "No file chosen" is nowhere to be seen.
    expect((await field.locator('input[type=file]').boundingBox())!.width).to.be.at.most(1);
    expect(await page.getByText('No file chosen').count()).to.equal(0);
    await screenshot(page, 'chu-01-chon-tep-chua-chon');

    await page.getByLabel('Bản quét bản chính').setInputFiles({ name: 'ban-quet-van-bang.pdf', mimeType: 'application/pdf', buffer: pdfBytes(`plain-${process.pid}`) });
    await page.getByTestId('upload-done').waitFor();
    expect(await field.getByTestId('file-picker-name').textContent()).to.equal('ban-quet-van-bang.pdf');
    await screenshot(page, 'chu-02-chon-tep-da-chon');

    await switchTo(page, 'en');
    expect(await field.getByRole('button', { name: 'Choose a file…' }).count()).to.equal(1);
    expect(await field.getByTestId('file-picker-name').textContent()).to.equal('ban-quet-van-bang.pdf');
    await screenshot(page, 'chu-03-chon-tep-tieng-anh');
  });

  it('warns administrators about the loopback public address, takes a date typed or picked as dd/mm/yyyy, and names a wrong field by its label', async () => {
    const configured = app.ctx.links;
    app.ctx.links = createPublicLinks('http://localhost:3000', 'plain words test secret');
    try {
      const page = await office.pageAs('admin', ENGLISH_BROWSER);
      await page.goto('/#/admin/users');
      const banner = page.getByTestId('public-address-warning');
      await banner.waitFor();
      expect(await banner.textContent()).to.contain('Địa chỉ công khai chưa được cấu hình').and.contain('http://localhost:3000').and.contain('PUBLIC_BASE_URL');
      await screenshot(page, 'chu-04-canh-bao-dia-chi-cong-khai');

      await page.getByRole('link', { name: 'Lịch làm việc' }).click();
      await page.getByRole('heading', { name: 'Giờ làm việc trong tuần' }).waitFor();
      await page.getByLabel('Năm', { exact: true }).fill('2027');
      const day = page.getByLabel(/^Ngày/);
      expect(await day.getAttribute('placeholder')).to.equal('dd/mm/yyyy');
      await day.fill('5/9/2027');
      await page.getByLabel(/^Tên ngày/).click();
      expect(await day.inputValue()).to.equal('05/09/2027');
      // The calendar opens on the typed month, in Vietnamese, weeks from Monday.
      await page.getByRole('button', { name: 'Chọn ngày trên lịch' }).click();
      const calendar = page.getByRole('dialog', { name: 'Chọn ngày' });
      expect(await calendar.locator('.cal-title').textContent()).to.equal('Tháng 9 năm 2027');
      expect(await calendar.locator('th').allTextContents()).to.deep.equal(['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN']);
      expect(await calendar.getByRole('button', { name: '05/09/2027' }).getAttribute('aria-pressed')).to.equal('true');
      await screenshot(page, 'chu-05-lich-chon-ngay');
      await calendar.getByRole('button', { name: '12/09/2027' }).click();
      await calendar.waitFor({ state: 'detached' });
      expect(await day.inputValue()).to.equal('12/09/2027');

      await page.getByLabel('Loại ngày').selectOption('working-day');
      await page.getByLabel(/^Tên ngày/).fill('Làm bù ngày Quốc khánh');
      await page.getByLabel(/^Giờ làm việc/).fill('08:00-12:00');
      await page.getByRole('button', { name: 'Thêm ngày' }).click();
      const added = page.getByTestId('calendar-days').getByRole('row', { name: /Làm bù ngày Quốc khánh/ });
      await added.waitFor();
      expect(await added.textContent()).to.contain('12/09/2027');
      const stored: Array<{ date: string }> = await app.ctx.db.query(`select to_char(date, 'YYYY-MM-DD') as date from calendar_working_days where name = 'Làm bù ngày Quốc khánh'`);
      expect(stored).to.deep.equal([{ date: '2027-09-12' }]);

      // A year the calendar does not keep: the refusal names the period's fields as people call them.
      await page.getByLabel('Năm', { exact: true }).fill('1999');
      const problem = page.locator('.problem');
      await problem.waitFor();
      const text = (await problem.textContent())!;
      expect(text).to.match(/^Dữ liệu không hợp lệ — Từ ngày: ngày bắt đầu "1999-01-01" nằm ngoài khoảng năm 2000–2100; Đến ngày: /);
      expect(text).to.not.match(/\b(from|to)\b/);
      await screenshot(page, 'chu-06-loi-ghi-ten-truong');
      await switchTo(page, 'en');
      expect(await problem.textContent()).to.match(/^Invalid input — From: must be within the years 2000–2100; To: /);
      expect(await page.getByLabel(/^Date/).getAttribute('placeholder')).to.equal('dd/mm/yyyy');
      await screenshot(page, 'chu-07-loi-ghi-ten-truong-tieng-anh');
    } finally {
      app.ctx.links = configured;
    }
  });

  it('names the fields of a refused delegation as the form labels them, in Vietnamese and then in English', async () => {
    const page = await office.pageAs('everything', ENGLISH_BROWSER);
    await page.goto('/#/delegations');
    await page.getByRole('heading', { name: 'Ủy quyền ký mới' }).waitFor();
    await page.getByRole('button', { name: 'Ủy quyền', exact: true }).click();
    const form = page.locator('form.card');
    const errorOf = (label: RegExp) => form.locator('label.field', { hasText: label }).locator('.field-error');
    await errorOf(/^Người được ủy quyền/).waitFor();
    expect(await errorOf(/^Người được ủy quyền/).textContent()).to.equal('thiếu người được ủy quyền');
    expect(await errorOf(/^Đơn vị/).textContent()).to.equal('thiếu mã đơn vị');
    expect(await errorOf(/^Lý do ủy quyền/).textContent()).to.equal('lý do ủy quyền phải có ít nhất 3 ký tự');
    expect(await errorOf(/^Từ/).textContent()).to.equal('thiếu thời điểm bắt đầu');
    // No API name, no "UUID", anywhere on the form.
    expect(await form.textContent()).to.not.match(/toOfficerId|unitId|validFrom|validTo|UUID/);
    await screenshot(page, 'chu-08-uy-quyen-thieu-thong-tin');
    await switchTo(page, 'en');
    expect(await errorOf(/^Delegate/).textContent()).to.equal('is missing');
    expect(await form.textContent()).to.not.match(/toOfficerId|unitId|validFrom|validTo|UUID/);
    await screenshot(page, 'chu-09-uy-quyen-thieu-thong-tin-tieng-anh');
  });

  it('keeps the header on one line for an administrator and for an officer holding every right, the rest of his menu under "Thêm"', async () => {
    const admin = await office.pageAs('admin');
    await admin.goto('/#/inbox');
    await admin.getByRole('link', { name: 'Quản trị' }).waitFor();
    expect(await headerHeight(admin)).to.be.at.most(56);

    const page = await office.pageAs('everything');
    await page.goto('/#/inbox');
    const menu = page.getByRole('navigation', { name: 'Chức năng' });
    await menu.getByRole('link', { name: 'Hồ sơ cần xử lý' }).waitFor();
    expect(await headerHeight(page)).to.be.at.most(56);
    const more = menu.getByRole('button', { name: 'Thêm ▾' });
    const inLine = await menu.getByRole('link').allTextContents();
    await more.click();
    const underMore = await menu.locator('.menu-more-list a').allTextContents();
    expect([...inLine, ...underMore]).to.deep.equal([
      'Hồ sơ cần xử lý',
      'Tiếp nhận hồ sơ',
      'Lịch hẹn',
      'Sổ chứng thực',
      'Giấy tờ của tôi',
      'Tạo tài khoản công dân',
      'Ủy quyền ký',
      'Báo cáo',
      'Giám sát hạn',
      'Thang cảnh báo',
      'Yêu cầu hỗ trợ',
      'Hàng đợi xử lý',
      'Thanh toán đất đai',
      'Kiểm tra lịch sử',
      'Quản trị',
      'Cảnh báo lỗi',
      'Kiểm tra API',
      'Danh sách API',
    ]);
    expect(underMore.length).to.be.greaterThan(0);
    await screenshot(page, 'chu-10-menu-nhieu-quyen');
    await menu.locator('.menu-more-list').getByRole('link', { name: underMore.at(-1)! }).click();
    await page.waitForURL(/#\/api-endpoints/);
    // The menu marks "Thêm" when it renders the new address, a moment after the address changes.
    await more.and(page.locator('.active')).waitFor({ timeout: 5_000 });
    expect(await more.getAttribute('class')).to.equal('active');
    await switchTo(page, 'en');
    expect(await headerHeight(page)).to.be.at.most(56);
    await screenshot(page, 'chu-11-menu-nhieu-quyen-tieng-anh');
  });
  it('keeps the supervisor’s menu on one line, takes typed dates and draws the chart’s long labels whole', async () => {
    // Cases received over HTTP run on the suite engine's clock, which earlier tests may have skipped
    // ahead of the wall clock: the API's today follows it here, with fresh sessions, so the
    // dashboard's period holds the case.
    app.clock.set(new Date(await (await testEnv()).currentTimeMs()));
    for (const who of ['receiver', 'supervisor']) office.tokens[who] = await sessionFor(app, office.ids[who]!);
    const today = formatLocalDate(app.clock.now().getTime());
    const weekAgo = addDaysToDate(today, -6);
    const dmy = (iso: string) => iso.split('-').reverse().join('/');

    // A complex case received and sent on: the step chart then has "Tiếp nhận, quét và trình ký (phức tạp)".
    const scanFileId = await uploadFile(app, office.tokens.receiver, pdfBytes(`plain-complex-${process.pid}`));
    const received = await call<{ caseCode: string }>(app, 'POST', '/api/cases', { token: office.tokens.receiver, body: receptionBody(app.org.deskA, { scanFileId, complex: true, complexReason: 'Nhiều bản chính, nhiều trang' }) });
    expect(received.status, JSON.stringify(received.body)).to.equal(201);
    expect((await call(app, 'POST', `/api/cases/${received.body.caseCode}/submit`, { token: office.tokens.receiver, body: {} })).status).to.equal(200);
    for (let i = 0; ; i++) {
      const dashboard = await call<{ stepTimes: Array<{ budgetMinutes: number }> }>(app, 'GET', '/api/supervision/dashboard', { token: office.tokens.supervisor });
      if (dashboard.body.stepTimes.some((s) => s.budgetMinutes > 240)) break;
      if (i > 200) throw new Error('the complex step never reached the read model');
      await new Promise((r) => setTimeout(r, 50));
    }

    const page = await office.pageAs('supervisor', ENGLISH_BROWSER);
    await page.goto('/#/supervision');
    await page.getByRole('heading', { name: 'Giám sát hạn xử lý hồ sơ' }).waitFor();
    const menu = page.getByRole('navigation', { name: 'Chức năng' });
    expect(await menu.getByRole('link').allTextContents()).to.deep.equal(['Hồ sơ cần xử lý', 'Sổ chứng thực', 'Báo cáo', 'Giám sát hạn', 'Thang cảnh báo']);
    expect(await menu.getByRole('button', { name: /Thêm/ }).count()).to.equal(0);
    expect(await headerHeight(page)).to.be.at.most(56);

    await page.getByLabel('Từ ngày').fill(dmy(weekAgo));
    await page.getByLabel('Đến ngày').fill(dmy(today));
    await page.getByText(`Kết quả từ ${dmy(weekAgo)} đến ${dmy(today)}`).waitFor();
    const labels = page.getByTestId('step-times').locator('text.chart-label');
    expect(await labels.allTextContents()).to.include('Tiếp nhận, quét và trình ký (phức tạp)');
    // Every label lies inside the drawing, left of its bar: none is cut at the edge.
    const boxes = await labels.evaluateAll((nodes) => nodes.map((n) => (n as unknown as { getBBox(): { x: number; width: number } }).getBBox()).map((b) => ({ left: b.x, right: b.x + b.width })));
    for (const box of boxes) expect(box.left).to.be.at.least(0);
    for (const box of boxes) expect(box.right).to.be.at.most(190);
    // The trend's last date ends inside the drawing too.
    const axis = await page.getByTestId('trend').locator('text.chart-axis').evaluateAll((nodes) =>
      nodes.map((n) => {
        const box = (n as unknown as { getBBox(): { x: number; width: number } }).getBBox();
        return box.x + box.width;
      }),
    );
    const trendWidth = Number(await page.getByTestId('trend').locator('svg').getAttribute('width'));
    for (const right of axis) expect(right).to.be.at.most(trendWidth);
    await screenshot(page, 'chu-12-giam-sat-mot-dong');
    await switchTo(page, 'en');
    expect(await headerHeight(page)).to.be.at.most(56);
    await screenshot(page, 'chu-13-giam-sat-tieng-anh');
  });
});
