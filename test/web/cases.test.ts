/**
 * A certification case through the officers' screens in a real browser: the desk officer receives
 * it (the fee follows the originals as they are typed, the scan uploads with its progress and
 * preview, the deadlines show before saving, a birth date that disagrees with the CCCD is told next
 * to its field), the leader reviews the scan and signs, the sealer seals and sees the number and
 * the copy; the copy is then downloaded from the case screen. The inbox shows the working time
 * left, an at-risk and an overdue case; the register lists the number.
 *
 * The API's clock is the test's (Monday 23/11/2026 09:00 in Hà Nội, moved by hand); a case's own
 * clock is the engine's, so the inbox cases are started with their clock set to chosen instants.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { CERTIFICATION_WORKFLOW_TYPE, certificationWorkflowId } from '../../workflows/certification/messages';
import type { CertificationInput } from '../../workflows/certification/types';
import { call, pdfBytes, receptionBody, type CaseApp } from '../support/caseApp';
import { lastOtp } from '../support/identityApp';
import { CaptchaService } from '../../infra/captcha/captcha';
import { hashPassword } from '../../infra/passwords';
import { createHash } from 'node:crypto';
import { pdfText, saveTemp } from '../support/pdfTools';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';
import { testEnv } from '../engine/harness';

describe('web UI: certification cases (real browser)', function () {
  this.timeout(180_000);
  let office: WebOffice;
  let app: CaseApp;
  let caseCode = '';
  let certificationNumber = '';

  before(async () => {
    office = await startWebOffice();
    app = office.app;
    await office.officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [app.org.deskA]);
    await office.officer('leader', 'Lò Văn Hùng', ['CERT_SIGN'], [app.org.communeA]);
    await office.officer('sealer', 'Phạm Thị Mai', ['CERT_SEAL'], [app.org.communeA]);
    // The citizen has a portal account: the reception form is filled from it.
    await app.ctx.db.query(
      `insert into citizen_accounts (kind, username, id_number, full_name, full_name_search, birth_date, phone, email, assurance_level, verified_by, created_at)
       values ('citizen', '012090001234', '012090001234', 'Giàng A Páo', 'giang a pao', '1990-05-12', '0987654321', 'pao@example.vn', 'IAL2', 'mobile', $1)`,
      [app.clock.now()],
    );
  });
  after(async () => office?.close());

  /** The text of a field's error, the field found by its label. */
  function fieldErrorOf(page: Page, label: string) {
    return page.locator('label.field').filter({ hasText: label }).locator('.field-error');
  }

  /** The browser's PDF viewer draws a moment after the frame has its bytes; screenshots wait for it. */
  async function screenshotWithPdf(page: Page, name: string): Promise<void> {
    await page.waitForTimeout(1500);
    await screenshot(page, name);
  }

  /** Whether a frame's object URL holds a PDF, read inside the page (the bytes never left it). */
  async function frameHoldsPdf(page: Page, title: string): Promise<boolean> {
    const frame = page.locator(`iframe[title="${title}"]`);
    await frame.waitFor();
    const src = (await frame.getAttribute('src'))!;
    expect(src).to.match(/^blob:/);
    return page.evaluate(async (url) => (await (await fetch(url)).text()).startsWith('%PDF'), src);
  }

  let receiver: Page;

  it('receives a case: fee live, deadlines before saving, scan uploaded with a preview, a wrong birth date told next to its field', async () => {
    receiver = await office.pageAs('receiver');
    const page = receiver;
    await page.goto('/#/receive');
    await page.getByRole('heading', { name: 'Tiếp nhận hồ sơ chứng thực bản sao' }).waitFor();
    expect(await page.getByLabel('Đơn vị tiếp nhận').inputValue()).to.equal(app.org.deskA);

    await page.getByLabel('Số CCCD').fill('012090001234');
    await page.getByRole('button', { name: 'Lấy từ tài khoản công dân' }).click();
    await page.getByText('Đã điền theo tài khoản cổng dịch vụ công').waitFor();
    expect(await page.getByLabel('Họ và tên').inputValue()).to.equal('Giàng A Páo');
    expect(await page.getByLabel('Ngày sinh').inputValue()).to.equal('12/05/1990');
    // The account's phone and e-mail are not given to the desk: only masked, to confirm with the citizen.
    expect(await page.getByLabel('Số điện thoại').inputValue()).to.equal('');
    expect(await page.getByLabel('Thư điện tử').inputValue()).to.equal('');
    const contact = await page.getByTestId('portal-contact').textContent();
    expect(contact).to.contain('Tài khoản có số điện thoại *******321 và thư điện tử p***@example.vn');
    expect(await page.content()).to.not.include('0987654321').and.not.include('pao@example.vn');
    // A slip of the officer's: digits 5–6 of this CCCD say 1990.
    await page.getByLabel('Ngày sinh').fill('12/05/1985');

    await page.getByLabel('Loại giấy tờ — bản chính 1').fill('Giấy khai sinh');
    await page.getByLabel('Cơ quan cấp — bản chính 1').fill('UBND xã Nùng Năng');
    await page.getByLabel('Số trang — bản chính 1').fill('3');
    await page.getByLabel('Số bản sao — bản chính 1').fill('2');
    // 2 copies of 3 pages: (2 × 2.000 + 1.000) × 2.
    const total = page.getByTestId('fee-total');
    expect(await total.textContent()).to.contain('10.000 đ');
    await page.getByRole('button', { name: '+ Thêm bản chính' }).click();
    await page.getByLabel('Loại giấy tờ — bản chính 2').fill('Bằng tốt nghiệp THPT');
    await page.getByLabel('Cơ quan cấp — bản chính 2').fill('Sở Giáo dục và Đào tạo Lai Châu');
    expect(await total.textContent()).to.contain('12.000 đ');
    await page.getByRole('button', { name: 'Xóa bản chính 2' }).click();
    expect(await total.textContent()).to.contain('10.000 đ');
    expect(await page.getByTestId('fee-summary').textContent()).to.equal('10.000 đ');

    // Received now (Monday 09:00): reception within 4 working hours, the result the same day.
    await page.getByTestId('due-step').filter({ hasText: '14:00 23/11/2026' }).waitFor();
    expect(await page.getByTestId('due-overall').textContent()).to.equal('17:00 23/11/2026');
    const complex = page.getByRole('checkbox', { name: /Hồ sơ phức tạp/ });
    await complex.check();
    // 16 working hours: Monday 7, Tuesday 8, Wednesday 1; with signature and seal the chain ends Wednesday 13:00,
    // so the same-day deadline moves two working days, and the reason is asked for.
    await page.getByTestId('due-step').filter({ hasText: '09:00 25/11/2026' }).waitFor();
    await page.getByTestId('due-complex').filter({ hasText: '17:00 25/11/2026 (2 ngày làm việc)' }).waitFor();
    await page.getByLabel('Lý do hồ sơ phức tạp').waitFor();
    await complex.uncheck();
    await page.getByTestId('due-step').filter({ hasText: '14:00 23/11/2026' }).waitFor();

    await page.getByLabel('Bản quét bản chính').setInputFiles({ name: 'ban-quet-giay-khai-sinh.pdf', mimeType: 'application/pdf', buffer: pdfBytes(`web-${process.pid}`) });
    await page.getByTestId('upload-done').waitFor();
    expect(await page.getByRole('progressbar', { name: 'Tiến độ tải lên' }).getAttribute('value')).to.equal('1');
    expect(await frameHoldsPdf(page, 'Xem trước ban-quet-giay-khai-sinh.pdf')).to.equal(true);
    await screenshotWithPdf(page, 'ho-so-01-tiep-nhan');

    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    const birthError = fieldErrorOf(page, 'Ngày sinh');
    await birthError.waitFor();
    expect(await birthError.textContent()).to.equal('Năm sinh 1985 không khớp với số CCCD (chữ số thứ 5–6 là "90", tức năm 1990)');
    // The problem is told at its field only: no banner repeats it.
    expect(await page.locator('.problem').count()).to.equal(0);
    await screenshot(page, 'ho-so-02-tiep-nhan-sai-ngay-sinh');
    expect((await app.ctx.db.query('select count(*)::int as n from certification_cases'))[0].n).to.equal(0);

    await page.getByLabel('Ngày sinh').fill('31/02/1990');
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    await birthError.filter({ hasText: 'Ngày sinh phải là ngày có thật, ghi theo dạng ngày/tháng/năm, ví dụ 12/05/1990.' }).waitFor();
    await page.getByLabel('Ngày sinh').fill('12/05/1990');
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    await page.waitForURL(/#\/cases\/000\.15\.43\.H35-\d{6}-\d{4}$/);
    caseCode = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
    await page.getByRole('heading', { name: `Hồ sơ ${caseCode}` }).waitFor();
    expect(await page.getByTestId('case-status').textContent()).to.equal('Đang tiếp nhận');
    expect(await page.getByTestId('case-fee').textContent()).to.equal('10.000 đ');
    expect(await frameHoldsPdf(page, `Bản quét hồ sơ ${caseCode}`)).to.equal(true);
  });

  it('shows the case, prints its reception receipt and submits it to the leader', async () => {
    const page = receiver;
    const receipt = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Tải giấy tiếp nhận và hẹn trả kết quả (PDF)' }).click();
    const download = await receipt;
    expect(download.suggestedFilename()).to.equal(`${caseCode}-giay-tiep-nhan.pdf`);
    expect(readFileSync(await download.path()).subarray(0, 4).toString()).to.equal('%PDF');

    await page.getByRole('button', { name: 'Trình lãnh đạo ký' }).click();
    await page.getByTestId('case-status').filter({ hasText: 'Chờ lãnh đạo ký' }).waitFor();
    await page.getByRole('cell', { name: 'Đã trình ký' }).waitFor();
    await screenshotWithPdf(page, 'ho-so-03-ho-so');
  });

  it('lets the leader review the scan and sign it', async () => {
    const page = await office.pageAs('leader');
    await page.goto('/#/inbox');
    await page.getByRole('link', { name: caseCode }).click();
    await page.getByRole('heading', { name: 'Xem xét và ký số' }).waitFor();
    expect(await frameHoldsPdf(page, `Bản quét hồ sơ ${caseCode}`)).to.equal(true);
    await screenshotWithPdf(page, 'ho-so-04-ky-so');
    await page.getByRole('button', { name: 'Ký số bản sao' }).click();
    await page.getByTestId('case-status').filter({ hasText: 'Chờ cấp số, đóng dấu' }).waitFor();
    expect(await page.getByTestId('signed-by').textContent()).to.equal('Lò Văn Hùng');
    // The leader may not seal.
    expect(await page.getByRole('button', { name: 'Cấp số và đóng dấu' }).count()).to.equal(0);
  });

  it('lets the sealer assign the number and seal, then shows the certified copy with its number and verification link', async () => {
    const page = await office.pageAs('sealer');
    await page.goto(`/#/cases/${encodeURIComponent(caseCode)}`);
    await page.getByRole('button', { name: 'Cấp số và đóng dấu' }).click();
    const number = page.getByTestId('certification-number');
    await number.waitFor();
    certificationNumber = (await number.textContent())!;
    expect(certificationNumber).to.match(/^1\/\d{4}-SCTĐT\/BS$/);
    expect(await frameHoldsPdf(page, `Bản sao chứng thực số ${certificationNumber}`)).to.equal(true);
    // Beside the preview, the copy is offered under its case's name (a tab on the blob would save a UUID).
    const keep = page.getByRole('link', { name: `Tải về (${caseCode}-ban-sao-chung-thuc.pdf)` });
    expect(await keep.getAttribute('download')).to.equal(`${caseCode}-ban-sao-chung-thuc.pdf`);
    expect(await page.getByTestId('verify-link').getAttribute('href')).to.match(new RegExp(`/verify/${caseCode.replace(/\./g, '\\.')}\\?t=`));
    await page.getByTestId('case-status').filter({ hasText: 'Đã hoàn thành' }).waitFor();
    await screenshotWithPdf(page, 'ho-so-05-ket-qua');
  });

  it('gives the receiving officer the certified copy to download from the case screen', async () => {
    const page = receiver;
    await page.reload();
    const saved = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Tải bản sao chứng thực (PDF)' }).click();
    const download = await saved;
    expect(download.suggestedFilename()).to.equal(`${caseCode}-ban-sao-chung-thuc.pdf`);
    const text = pdfText(saveTemp(readFileSync(await download.path()), 'ban-sao'));
    expect(text).to.contain('Chứng thực bản sao đúng với bản chính');
    expect(text).to.contain(`Mã hồ sơ: ${caseCode}`);
    // The page writes the number as its sequence and its book: "1" and "2026-SCTĐT/BS".
    const [seq, book] = certificationNumber.split(/\/(.*)/s);
    expect(text).to.match(new RegExp(`Số chứng thực:\\s+${seq}\\s`));
    expect(text).to.match(new RegExp(`Quyển số:\\s+${book}\\s`));
  });

  it('lets the citizen see the copy in the portal, verify it and download the very same bytes', async () => {
    // The citizen's account (registered by phone) gets a password; the portal's captcha answer is known to the test.
    await app.ctx.db.query('update citizen_accounts set password_hash = $2 where username = $1', ['012090001234', await hashPassword('CongDan@2026')]);
    app.ctx.captcha = new CaptchaService(app.ctx.db, app.clock, { text: () => 'ABC234' });
    const page = await office.newPage();
    await page.goto('/#/portal/login');
    await page.getByLabel(/^Số CCCD hoặc mã số thuế/).fill('012090001234');
    await page.getByLabel(/^Mật khẩu/).fill('CongDan@2026');
    await page.getByLabel(/^Mã xác thực/).fill('ABC234');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByLabel(/^Mã OTP/).waitFor();
    await page.getByLabel(/^Mã OTP/).fill(await lastOtp(app, '0987654321'));
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await page.getByRole('heading', { name: 'Giấy tờ của tôi' }).waitFor();
    const row = page.getByTestId('documents').getByRole('row', { name: new RegExp(`Bản sao chứng thực số ${certificationNumber.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`) });
    expect(await row.textContent()).to.contain(caseCode);
    expect(await row.getByRole('link', { name: 'Kiểm tra' }).getAttribute('href')).to.match(new RegExp(`/verify/${caseCode.replace(/\./g, '\\.')}\\?t=`));
    await screenshot(page, 'ho-so-06b-cong-dan-giay-to');
    // A download named by the case, not a blob tab with a random name.
    const saved = page.waitForEvent('download');
    await row.getByRole('button', { name: 'Tải về' }).click();
    const download = await saved;
    expect(download.suggestedFilename()).to.equal(`${caseCode}-ban-sao-chung-thuc.pdf`);
    const pdf = readFileSync(await download.path());
    const sealed: Array<{ sha256: string }> = await app.ctx.db.query(`select sha256 from case_documents where case_code = $1 and holder_kind = 'citizen'`, [caseCode]);
    expect(createHash('sha256').update(pdf).digest('hex')).to.equal(sealed[0]!.sha256);
    expect(pdfText(saveTemp(pdf, 'cong-dan'))).to.contain(`Mã hồ sơ: ${caseCode}`);
  });

  it('extends a deadline (more than 2 days only with the written agreement) and refuses a case on a ground, in dialogs', async () => {
    const received = await call(app, 'POST', '/api/cases', { token: office.tokens.receiver, body: receptionBody(app.org.deskA, { citizen: { fullName: 'Hờ A Dình', citizenId: '012090001237', birthDate: '1990-07-01' } }) });
    expect(received.status, JSON.stringify(received.body)).to.equal(201);
    const code = received.body.caseCode as string;
    const page = receiver;
    await page.goto(`/#/cases/${encodeURIComponent(code)}`);
    await page.getByRole('heading', { name: `Hồ sơ ${code}` }).waitFor();

    await page.getByRole('button', { name: 'Gia hạn…' }).click();
    const extend = page.getByRole('dialog', { name: 'Gia hạn thời hạn trả kết quả' });
    await extend.getByLabel('Số ngày làm việc gia hạn').fill('3');
    await extend.getByLabel('Lý do gia hạn').fill('Nhiều giấy tờ cần đối chiếu kỹ');
    await extend.getByRole('button', { name: 'Gia hạn', exact: true }).click();
    const agreement = extend.locator('.cs-upload .field-error');
    await agreement.waitFor();
    expect(await agreement.textContent()).to.contain('phải có văn bản thỏa thuận với người yêu cầu chứng thực');
    await extend.getByLabel('Số ngày làm việc gia hạn').fill('1');
    await extend.getByRole('button', { name: 'Gia hạn', exact: true }).click();
    await extend.waitFor({ state: 'detached' });
    await page.getByTestId('overall-due').filter({ hasText: '(đã gia hạn 1 ngày)' }).waitFor();

    await page.getByRole('button', { name: 'Từ chối chứng thực…' }).click();
    const refuse = page.getByRole('dialog', { name: 'Từ chối chứng thực' });
    await refuse.getByRole('button', { name: 'Xác nhận từ chối' }).click();
    expect(await fieldErrorOf(page, 'Căn cứ từ chối').textContent()).to.equal('Chọn một căn cứ từ chối.');
    await refuse.getByLabel('Căn cứ từ chối').selectOption('DAMAGED');
    await refuse.getByLabel('Ghi chú cho công dân').fill('Rách');
    await refuse.getByRole('button', { name: 'Xác nhận từ chối' }).click();
    await fieldErrorOf(page, 'Ghi chú cho công dân').filter({ hasText: 'ít nhất 5 ký tự' }).waitFor();
    expect(await fieldErrorOf(page, 'Căn cứ từ chối').count()).to.equal(0);
    await screenshot(page, 'ho-so-08-tu-choi');
    await refuse.getByLabel('Ghi chú cho công dân').fill('Bản chính rách mất góc, không đọc được số hiệu');
    await refuse.getByRole('button', { name: 'Xác nhận từ chối' }).click();
    await page.getByTestId('case-status').filter({ hasText: 'Đã từ chối' }).waitFor();
    await page.getByText('Bản chính bị hư hỏng, cũ nát, không xác định được nội dung').first().waitFor();
    expect(await page.getByRole('button', { name: 'Trình lãnh đạo ký' }).count()).to.equal(0);
  });

  it('shows in the inbox the working time left, a case at risk and an overdue one', async () => {
    // Received before the office opens: due at 12:00, warned at 11:00 (75% of 4 working hours).
    const start = async (code: string, receivedAt: string, fullName: string) => {
      const input: CertificationInput = {
        caseCode: code,
        unit: { id: app.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
        calendar: await loadUnitCalendar(app.ctx.db, app.org.communeA),
        receivedBy: { officerId: office.ids.receiver, fullName: 'Trần Ngọc Lan' },
        citizen: { fullName, citizenId: '012190001236', birthDate: '1990-03-04' },
        documents: [{ type: 'Bằng tốt nghiệp', issuer: 'Trường THPT Tam Đường', pages: 1, copies: 1 }],
        complex: false,
        // The case clock reads `receivedAt` now, whatever the suite's engine clock has skipped to.
        clockOffsetMs: Date.parse(receivedAt) - (await (await testEnv()).currentTimeMs()),
      };
      await app.client.workflow.start(CERTIFICATION_WORKFLOW_TYPE, { args: [input], taskQueue: app.taskQueue, workflowId: certificationWorkflowId(code) });
      for (let i = 0; i < 200 && (await app.ctx.db.query('select 1 from certification_cases where case_code = $1', [code])).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const atRisk = `HS-WEB-RISK-${process.pid}`;
    const overdue = `HS-WEB-LATE-${process.pid}`;
    await start(atRisk, '2026-11-23T07:30:00+07:00', 'Sùng Thị Dua');
    await start(overdue, '2026-11-20T07:30:00+07:00', 'Lù Văn Sáng');
    const before = app.clock.now();
    app.clock.set(new Date('2026-11-23T11:30:00+07:00'));
    try {
      const page = receiver;
      await page.goto('/#/inbox');
      await page.getByTestId('inbox').waitFor();
      const row = (code: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: code }) });
      expect(await row(atRisk).getAttribute('class')).to.equal('at-risk');
      expect(await row(atRisk).getByTestId('remaining').textContent()).to.equal('còn 30 phút làm việcSắp hết hạn');
      expect(await row(overdue).getAttribute('class')).to.equal('overdue');
      // Due Friday 12:00: Friday afternoon and Monday morning since then, 4 + 3.5 working hours.
      expect(await row(overdue).getByTestId('remaining').textContent()).to.equal('quá hạn 7 giờ 30 phút làm việcQuá hạn');
      // The overdue case comes first: the inbox is sorted by deadline.
      const codes = await page.getByTestId('inbox').locator('tbody tr td:first-child').allTextContents();
      expect(codes.slice(0, 2)).to.deep.equal([overdue, atRisk]);
      await screenshot(page, 'ho-so-06-hop-thu-han-xu-ly');
    } finally {
      app.clock.set(before);
    }
  });

  it('lists the number in the commune’s register', async () => {
    const page = await office.pageAs('sealer');
    await page.goto('/#/register');
    // The book's year is the sealing year on the case clock (the suite's engine may be ahead of the calendar).
    await page.getByLabel('Năm').selectOption(certificationNumber.split('/')[1]!.slice(0, 4));
    const register = page.getByTestId('register');
    await register.waitFor();
    const line = register.getByRole('row').filter({ hasText: caseCode });
    expect(await line.locator('td').allTextContents()).to.include.members(['1', certificationNumber, caseCode, 'Giàng A Páo', 'Đã hoàn thành']);
    await screenshot(page, 'ho-so-07-so-chung-thuc');
  });
});
